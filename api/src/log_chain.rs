//! The hash-chained logs as the service runs them: [`ipsmatch_core::log_chain`] with its key and
//! checkpoint files where the [`Settings`] put them.

pub use ipsmatch_core::log_chain::*;

use crate::config::Settings;

/// Loads (or, as `mode` says, creates) the log key and checks the logs are signed by it.
pub async fn open(
    settings: &Settings,
    db: &impl sea_orm::ConnectionTrait,
    mode: KeyFile,
) -> anyhow::Result<Option<std::sync::Arc<LogKey>>> {
    ipsmatch_core::log_chain::open(&settings.log_files(), db, mode).await
}

/// Appends a signed checkpoint of each log's head, unless the last one names the same head.
pub async fn checkpoint(
    settings: &Settings,
    db: &impl sea_orm::ConnectionTrait,
) -> anyhow::Result<Vec<Checkpoint>> {
    ipsmatch_core::log_chain::checkpoint(&settings.log_files(), db).await
}

/// Checks both logs' chains, signatures and the checkpoint file.
pub async fn verify(
    settings: &Settings,
    db: &impl sea_orm::ConnectionTrait,
) -> anyhow::Result<Vec<Verdict>> {
    ipsmatch_core::log_chain::verify(&settings.log_files(), db).await
}
