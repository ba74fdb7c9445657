//! Files and folders only the service's own user may read: folders are created 0700 and files
//! 0600 (on Unix; elsewhere the platform's defaults apply).

use std::fs::File;
use std::io;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

/// Creates `path` and any missing parents, each readable by the owner only. An existing folder is
/// left as it is.
pub fn create_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates a new file (failing if it exists) readable and writable by the owner only, creating
/// its folder the same way when missing.
pub fn create_file(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Opens `path` for appending, creating it readable and writable by the owner only when missing.
pub fn append_file(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Logs a warning when an existing file or folder can be read by users other than its owner.
pub fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{:o}", mode & 0o777),
                "readable by other users; ipsmatch creates its files 0600 and folders 0700"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Reads a secret (hex), or writes a new 32-byte one readable by the owner only (the HS256 token
/// secret, the report-link key).
pub fn load_or_create_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.exists() {
        warn_if_shared(path);
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the token secret {}", path.display()))?;
        let secret = hex::decode(text.trim())
            .ok()
            .with_context(|| format!("the token secret {} is not hex", path.display()))?;
        anyhow::ensure!(
            secret.len() >= 32,
            "the token secret {} is shorter than 32 bytes",
            path.display()
        );
        return Ok(secret);
    }
    let mut secret = vec![0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut file = create_file(path)
        .with_context(|| format!("creating the token secret {}", path.display()))?;
    file.write_all(hex::encode(&secret).as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "created a development token secret");
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_secret_is_private_and_reused() {
        let dir = tempfile_dir();
        let path = dir.join("jwt-secret");
        let first = load_or_create_secret(&path).expect("created");
        let second = load_or_create_secret(&path).expect("read back");
        assert_eq!(first, second);
        assert_eq!(first.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).ok();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ipsmatch-private-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
