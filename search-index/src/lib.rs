//! The vacancy search index: a tantivy wrapper that knows nothing of the database.
//!
//! This crate is a skeleton until vacancies arrive: it fixes the crate's public surface (one error
//! type, one `Result`) and the tantivy version the workspace builds against.

/// Errors from the search index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed to open, read or write the index.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
