//! Trust in the append-only logs beyond the database's own guard. Each entry's link is an
//! HMAC-SHA256 under the log key, a file kept beside the token secret and never in the database,
//! so someone who can write the tables cannot rebuild a chain they edited. The service exports
//! signed checkpoints of each log's head to a file outside the database; `ipsmatch audit verify`
//! walks each chain and holds the database to every checkpoint, so entries removed from the end
//! (or a whole table emptied) are found too.
//!
//! Entries written before the logs were keyed keep their plain SHA-256 links (`key_id` null); the
//! `log_chain` row records, per log, the last such entry, and no unkeyed entry may follow it. The
//! first keyed entry links to the last unkeyed one, so rewriting the old entries breaks it.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, LazyLock, RwLock};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use entities::{audit_event, disclosure_event, log_chain};

/// The files beside the logs: the key that signs them and the checkpoint file, and how often to
/// checkpoint (0: never on a timer).
#[derive(Clone, Debug)]
pub struct LogFiles {
    /// The log key file.
    pub key_file: std::path::PathBuf,
    /// The append-only checkpoint file.
    pub checkpoint_file: std::path::PathBuf,
    /// Seconds between checkpoints; 0 turns the timer off.
    pub checkpoint_secs: u64,
}
use crate::error::ApiError;

type HmacSha256 = Hmac<Sha256>;

/// The hash before the first entry of a log.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key that signs the logs. Its id (an HMAC of a fixed label, safe to show) is stored with
/// each entry it signed.
pub struct LogKey {
    id: String,
    secret: [u8; 32],
}

impl LogKey {
    /// A key from its 32 secret bytes.
    pub fn new(secret: [u8; 32]) -> Self {
        let id = hex::encode(&mac_over(&secret, &["ipsmatch log key id"])[..8]);
        Self { id, secret }
    }

    /// The key's public id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Keys loaded in this process, by id (a process may serve several databases, as the tests do).
static KEYS: LazyLock<RwLock<HashMap<String, Arc<LogKey>>>> = LazyLock::new(Default::default);

fn remember(key: LogKey) -> Arc<LogKey> {
    let key = Arc::new(key);
    KEYS.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key.id.clone(), key.clone());
    key
}

fn loaded(id: &str) -> Option<Arc<LogKey>> {
    KEYS.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(id)
        .cloned()
}

fn length_prefixed(mut update: impl FnMut(&[u8]), parts: &[&str]) {
    for part in parts {
        update(&(part.len() as u64).to_be_bytes());
        update(part.as_bytes());
    }
}

fn mac_over(secret: &[u8; 32], parts: &[&str]) -> Vec<u8> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    length_prefixed(|bytes| mac.update(bytes), parts);
    mac.finalize().into_bytes().to_vec()
}

/// The link of an entry: over `prev` and the entry's `parts`, each length-prefixed so no two
/// different entries give the same text. HMAC-SHA256 under `key`, or plain SHA-256 for the unkeyed
/// entries from before the logs were keyed (hex either way).
pub fn link(key: Option<&LogKey>, prev: &str, parts: &[&str]) -> String {
    let all: Vec<&str> = std::iter::once(prev).chain(parts.iter().copied()).collect();
    match key {
        Some(key) => hex::encode(mac_over(&key.secret, &all)),
        None => {
            use sha2::Digest as _;
            let mut hasher = Sha256::new();
            length_prefixed(|bytes| hasher.update(bytes), &all);
            hex::encode(hasher.finalize())
        }
    }
}

/// Whether a missing key file may be created (the service) or must already exist (`audit verify`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFile {
    /// Create it with 32 random bytes, mode 0600, when missing.
    CreateIfMissing,
    /// Use it only if it is there.
    Existing,
}

/// Loads the log key and makes it this process's key for `db`. With `CreateIfMissing` (every
/// command that may write) a missing key file is created, and a database whose logs no key signs
/// yet is given this one; a database whose logs another key signs is refused, since new entries
/// would not verify. Returns the key, when there is one.
pub async fn open(
    files: &LogFiles,
    db: &impl ConnectionTrait,
    mode: KeyFile,
) -> anyhow::Result<Option<Arc<LogKey>>> {
    let path = files.key_file.clone();
    let key = match (read_key(&path)?, mode) {
        (Some(secret), _) => remember(LogKey::new(secret)),
        (None, KeyFile::Existing) => return Ok(None),
        (None, KeyFile::CreateIfMissing) => remember(create_key(&path)?),
    };
    if mode == KeyFile::CreateIfMissing {
        let mut chain = chain_row(db).await.context("reading log_chain")?;
        if chain.key_id.is_none() {
            // Once only: the database refuses any other change to this row. (Read first, so a
            // service role without UPDATE on log_chain starts once the owner has claimed it.)
            log_chain::Entity::update_many()
                .col_expr(
                    log_chain::Column::KeyId,
                    sea_orm::sea_query::Expr::value(key.id.clone()),
                )
                .filter(log_chain::Column::Id.eq(1))
                .filter(log_chain::Column::KeyId.is_null())
                .exec(db)
                .await
                .context("recording which key signs the logs")?;
            chain = chain_row(db).await.context("reading log_chain")?;
        }
        anyhow::ensure!(
            chain.key_id.as_deref() == Some(key.id.as_str()),
            "the log key {} (key {}) is not the key this database's logs are signed with (key {}); \
             start with IPSMATCH_LOG_KEY_FILE naming that key",
            path.display(),
            key.id,
            chain.key_id.as_deref().unwrap_or("none"),
        );
    }
    Ok(Some(key))
}

fn read_key(path: &Path) -> anyhow::Result<Option<[u8; 32]>> {
    if !path.exists() {
        return Ok(None);
    }
    crate::private::warn_if_shared(path);
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the log key {}", path.display()))?;
    let secret = hex::decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .with_context(|| format!("the log key {} is not 32 bytes of hex", path.display()))?;
    Ok(Some(secret))
}

fn create_key(path: &Path) -> anyhow::Result<LogKey> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut file = crate::private::create_file(path)
        .with_context(|| format!("creating the log key {}", path.display()))?;
    file.write_all(hex::encode(secret).as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "created the log key");
    Ok(LogKey::new(secret))
}

async fn chain_row(db: &impl ConnectionTrait) -> Result<log_chain::Model, sea_orm::DbErr> {
    log_chain::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("log_chain has no row".into()))
}

/// The key that signs new entries of `conn`'s database, as `open` loaded it.
pub async fn signing_key(conn: &impl ConnectionTrait) -> Result<Arc<LogKey>, ApiError> {
    let chain = chain_row(conn).await?;
    chain.key_id.as_deref().and_then(loaded).ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!(
            "no log key is loaded for this database (start through prepare_database)"
        ))
    })
}

/// Which log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Log {
    /// `audit_event`.
    Audit,
    /// `disclosure_event`.
    Disclosure,
}

impl Log {
    /// Both logs.
    pub const ALL: [Log; 2] = [Log::Audit, Log::Disclosure];

    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            Log::Audit => "audit log",
            Log::Disclosure => "disclosure log",
        }
    }
}

/// One entry as the chain sees it.
pub struct Entry {
    /// Its sequence number.
    pub seq: i64,
    /// The link it claims to follow.
    pub prev_hash: String,
    /// Its own link.
    pub hash: String,
    /// The key that signed it, or none (an unkeyed entry from before).
    pub key_id: Option<String>,
    /// Its content, in link order.
    pub parts: Vec<String>,
}

/// Why a log does not verify, naming the entry where it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The entry (sequence number) where it shows.
    pub seq: i64,
    /// What is wrong there.
    pub reason: String,
}

/// The sequence of `log`'s first entry whose link or content is wrong (the chain only; [`verify`]
/// also holds it to the exported checkpoints).
pub async fn first_broken_link(
    db: &sea_orm::DatabaseConnection,
    log: Log,
) -> Result<Option<i64>, crate::error::ApiError> {
    let (entries, legacy_through) = entries(db, log).await?;
    Ok(first_break(&entries, legacy_through).map(|b| b.seq))
}

/// Walks `entries` (in sequence order) and returns the first that does not follow.
pub fn first_break(entries: &[Entry], legacy_through: i64) -> Option<Break> {
    let mut prev = GENESIS.to_string();
    // The boundary is read from the database, which someone with access can edit: an unkeyed
    // entry after any keyed one is a break whatever the boundary says.
    let mut keyed_seen = false;
    for entry in entries {
        let parts: Vec<&str> = entry.parts.iter().map(String::as_str).collect();
        let key = match entry.key_id.as_deref() {
            None if entry.seq > legacy_through || keyed_seen => {
                return Some(Break {
                    seq: entry.seq,
                    reason: "an unkeyed entry after the logs were keyed".into(),
                });
            }
            None => None,
            Some(id) => match loaded(id) {
                Some(key) => Some(key),
                None => {
                    return Some(Break {
                        seq: entry.seq,
                        reason: format!("signed with key {id}, not the log key given"),
                    });
                }
            },
        };
        if entry.prev_hash != prev {
            return Some(Break {
                seq: entry.seq,
                reason: "it does not follow the entry before it".into(),
            });
        }
        if entry.hash != link(key.as_deref(), &prev, &parts) {
            return Some(Break {
                seq: entry.seq,
                reason: "its content does not match its link".into(),
            });
        }
        keyed_seen |= key.is_some();
        prev.clone_from(&entry.hash);
    }
    None
}

/// A signed statement, kept outside the database, that a log's entry `seq` had link `hash`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Which log.
    pub log: Log,
    /// The head's sequence number.
    pub seq: i64,
    /// The head's link.
    pub hash: String,
    /// When the checkpoint was taken.
    pub at: DateTime<Utc>,
    /// The key that signed it.
    pub key: String,
    /// HMAC-SHA256 (hex) over the fields above.
    pub mac: String,
}

impl Checkpoint {
    fn signed_text(&self) -> [String; 6] {
        [
            "ipsmatch log checkpoint".into(),
            self.log.label().into(),
            self.seq.to_string(),
            self.hash.clone(),
            self.at.timestamp_micros().to_string(),
            self.key.clone(),
        ]
    }

    fn sign(log: Log, seq: i64, hash: String, key: &LogKey) -> Self {
        let mut checkpoint = Self {
            log,
            seq,
            hash,
            at: crate::db::now(),
            key: key.id.clone(),
            mac: String::new(),
        };
        let text = checkpoint.signed_text();
        let parts: Vec<&str> = text.iter().map(String::as_str).collect();
        checkpoint.mac = hex::encode(mac_over(&key.secret, &parts));
        checkpoint
    }

    /// True when a loaded key signed it as it stands.
    fn is_signed(&self) -> bool {
        let Some(key) = loaded(&self.key) else {
            return false;
        };
        let text = self.signed_text();
        let parts: Vec<&str> = text.iter().map(String::as_str).collect();
        self.mac == hex::encode(mac_over(&key.secret, &parts))
    }
}

/// A log's last entry (sequence number and link), if it has any.
async fn head(db: &impl ConnectionTrait, log: Log) -> Result<Option<(i64, String)>, ApiError> {
    use sea_orm::QueryOrder as _;
    Ok(match log {
        Log::Audit => entities::audit_event::Entity::find()
            .order_by_desc(entities::audit_event::Column::Seq)
            .one(db)
            .await?
            .map(|row| (row.seq, row.hash)),
        Log::Disclosure => entities::disclosure_event::Entity::find()
            .order_by_desc(entities::disclosure_event::Column::Seq)
            .one(db)
            .await?
            .map(|row| (row.seq, row.hash)),
    })
}

/// Reads the checkpoint file (none when it does not exist). A line that is not a checkpoint is
/// returned as its line number.
pub fn read_checkpoints(path: &Path) -> anyhow::Result<Vec<Result<Checkpoint, usize>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => {
            return Err(err).with_context(|| format!("reading the checkpoints {}", path.display()));
        }
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| serde_json::from_str(line).map_err(|_| i + 1))
        .collect())
}

/// Appends a signed checkpoint of each log's head to the checkpoint file, unless the file's last
/// checkpoint of that log already names the same head. Returns what it wrote.
pub async fn checkpoint(
    files: &LogFiles,
    db: &impl ConnectionTrait,
) -> anyhow::Result<Vec<Checkpoint>> {
    let key = signing_key(db)
        .await
        .map_err(|e| anyhow::anyhow!("finding the log key: {e:?}"))?;
    let path = files.checkpoint_file.clone();
    let earlier: Vec<Checkpoint> = read_checkpoints(&path)?
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let mut written = Vec::new();
    for log in Log::ALL {
        let Some((seq, hash)) = head(db, log)
            .await
            .map_err(|e| anyhow::anyhow!("reading the {}: {e:?}", log.label()))?
        else {
            continue;
        };
        let last = earlier.iter().rev().find(|c| c.log == log);
        if last.is_some_and(|c| c.seq == seq && c.hash == hash) {
            continue;
        }
        written.push(Checkpoint::sign(log, seq, hash, &key));
    }
    if !written.is_empty() {
        let mut lines = String::new();
        for checkpoint in &written {
            lines.push_str(&serde_json::to_string(checkpoint)?);
            lines.push('\n');
        }
        let mut file = crate::private::append_file(&path)
            .with_context(|| format!("opening the checkpoints {}", path.display()))?;
        // One write of whole lines, so writers in other processes never interleave within one.
        file.write_all(lines.as_bytes())?;
        file.sync_all()?;
    }
    Ok(written)
}

/// Checkpoints now, then every `IPSMATCH_LOG_CHECKPOINT_SECS` (when not 0), logging failures.
pub async fn checkpoint_forever(files: LogFiles, db: sea_orm::DatabaseConnection) {
    let every = std::time::Duration::from_secs(files.checkpoint_secs);
    loop {
        if let Err(err) = checkpoint(&files, &db).await {
            tracing::error!(error = format!("{err:#}"), "checkpointing the logs failed");
        }
        if every.is_zero() {
            return;
        }
        tokio::time::sleep(every).await;
    }
}

/// What `ipsmatch audit verify` found in one log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Which log.
    pub log: Log,
    /// How many entries it holds.
    pub entries: usize,
    /// How many exported checkpoints of it were held against the database.
    pub checkpoints: usize,
    /// The first problem, if any.
    pub broken: Option<Break>,
}

/// An audit row's content, in the order its link covers it.
pub fn audit_parts(
    at: DateTime<Utc>,
    actor_id: Uuid,
    action: &str,
    client_id: Option<Uuid>,
    purpose: Option<&str>,
    detail: &str,
) -> Vec<String> {
    vec![
        at.timestamp_micros().to_string(),
        actor_id.to_string(),
        action.to_string(),
        client_id.map(|c| c.to_string()).unwrap_or_default(),
        purpose.unwrap_or_default().to_string(),
        detail.to_string(),
    ]
}

/// A disclosure row's content, in the order its link covers it.
pub fn disclosure_parts(row: &disclosure_event::Model) -> Vec<String> {
    vec![
        row.at.timestamp_micros().to_string(),
        row.client_id.to_string(),
        row.employer_id.to_string(),
        row.contact_id.map(|c| c.to_string()).unwrap_or_default(),
        row.vacancy_id.map(|c| c.to_string()).unwrap_or_default(),
        row.act.clone(),
        row.channel.clone(),
        row.items.clone(),
        row.consent_row_id.to_string(),
        row.consent_version.to_string(),
        row.actor_id.to_string(),
    ]
}

/// Every audit row, in order, as the chain sees it.
pub async fn audit_entries(conn: &impl ConnectionTrait) -> Result<Vec<Entry>, ApiError> {
    Ok(audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Entry {
            parts: audit_parts(
                row.at,
                row.actor_id,
                &row.action,
                row.client_id,
                row.purpose.as_deref(),
                &row.detail,
            ),
            seq: row.seq,
            prev_hash: row.prev_hash,
            hash: row.hash,
            key_id: row.key_id,
        })
        .collect())
}

/// Every disclosure row, in order, as the chain sees it.
pub async fn disclosure_entries(conn: &impl ConnectionTrait) -> Result<Vec<Entry>, ApiError> {
    Ok(disclosure_event::Entity::find()
        .order_by_asc(disclosure_event::Column::Seq)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Entry {
            parts: disclosure_parts(&row),
            seq: row.seq,
            prev_hash: row.prev_hash,
            hash: row.hash,
            key_id: row.key_id,
        })
        .collect())
}

/// The entries of `log`, in order, with the last unkeyed entry's sequence number.
pub async fn entries(db: &impl ConnectionTrait, log: Log) -> Result<(Vec<Entry>, i64), ApiError> {
    let chain = chain_row(db).await?;
    Ok(match log {
        Log::Audit => (audit_entries(db).await?, chain.audit_legacy_through),
        Log::Disclosure => (
            disclosure_entries(db).await?,
            chain.disclosure_legacy_through,
        ),
    })
}

/// Walks both logs link by link and holds each to every checkpoint in the checkpoint file: the
/// entry a checkpoint names must still be there with the same link. An entry cut from the end, an
/// emptied table, or a checkpoint line not signed by the log key is reported. The log key must
/// already be loaded (`open`) for keyed entries to verify.
pub async fn verify(files: &LogFiles, db: &impl ConnectionTrait) -> anyhow::Result<Vec<Verdict>> {
    let path = files.checkpoint_file.clone();
    let checkpoints = read_checkpoints(&path)?;
    let mut verdicts = Vec::new();
    for log in Log::ALL {
        let (entries, legacy_through) = entries(db, log)
            .await
            .map_err(|e| anyhow::anyhow!("reading the {}: {e:?}", log.label()))?;
        let mut broken = first_break(&entries, legacy_through);
        let links: HashMap<i64, &str> = entries.iter().map(|e| (e.seq, e.hash.as_str())).collect();
        let last = entries.last().map_or(0, |e| e.seq);
        let mut checked = 0;
        for (i, checkpoint) in checkpoints.iter().enumerate() {
            let problem = match checkpoint {
                Err(line) => Some(Break {
                    seq: last,
                    reason: format!("line {line} of {} is not a checkpoint", path.display()),
                }),
                Ok(c) if c.log != log => continue,
                Ok(c) if !c.is_signed() => Some(Break {
                    seq: c.seq,
                    reason: format!(
                        "checkpoint {} (line {}) is not signed by the log key",
                        c.at.to_rfc3339(),
                        i + 1
                    ),
                }),
                Ok(c) => {
                    checked += 1;
                    match links.get(&c.seq) {
                        Some(hash) if *hash == c.hash => None,
                        Some(_) => Some(Break {
                            seq: c.seq,
                            reason: format!(
                                "it differs from the checkpoint of {}",
                                c.at.to_rfc3339()
                            ),
                        }),
                        None => Some(Break {
                            seq: c.seq,
                            reason: format!(
                                "it is missing: the checkpoint of {} holds it, and the log now ends at entry {last}",
                                c.at.to_rfc3339()
                            ),
                        }),
                    }
                }
            };
            if broken.is_none() {
                broken = problem;
            }
        }
        verdicts.push(Verdict {
            log,
            entries: entries.len(),
            checkpoints: checked,
            broken,
        });
    }
    Ok(verdicts)
}
