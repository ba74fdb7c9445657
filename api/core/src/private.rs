//! Files and folders only the service's own user may read: folders are created 0700 and files
//! 0600 (on Unix; elsewhere the platform's defaults apply).

use std::fs::File;
use std::io;
use std::path::Path;

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
