//! The database as the service opens it: [`ipsmatch_core::db`] with the pool described by the
//! [`Settings`].

pub use ipsmatch_core::db::*;

use crate::config::Settings;

/// Opens the pool the settings describe.
pub async fn connect(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    ipsmatch_core::db::connect(&settings.database()).await
}
