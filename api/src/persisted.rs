//! Automatic persisted queries (Apollo's `persistedQuery` extension, version 1): a client sends the
//! SHA-256 of its document instead of the document; when the service does not know the hash it
//! answers `PERSISTED_QUERY_NOT_FOUND`, the client sends both once, and the service keeps the text.
//!
//! The text is resolved here, before the document is parsed, so that a persisted query goes
//! through exactly the checks a sent one does (GET carries no mutation, the Int-literal check,
//! depth, cost, the rate limit). Each caller's documents are kept apart (the key is the caller
//! as well as the hash), so that whether a hash is known tells nobody what anyone else ran; an
//! anonymous caller keeps nothing. What is kept is bounded: at most the configured number of
//! documents of at most [`MAX_KEPT_BYTES`] each, least recently used dropped first.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// Longest document kept (longer ones run, but must be sent each time).
pub const MAX_KEPT_BYTES: usize = 32 * 1024;

/// Most documents the setting may ask to keep (3.2 GB at most at [`MAX_KEPT_BYTES`] each).
pub const MAX_KEPT: usize = 100_000;

/// What a request says about persisting its document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersistedQuery {
    /// The document's SHA-256, lower-case hex.
    pub sha256: String,
}

impl PersistedQuery {
    /// Reads `extensions.persistedQuery`; `None` when absent, an error naming the field when malformed.
    pub fn from_extensions(
        extensions: Option<&serde_json::Value>,
    ) -> Result<Option<Self>, &'static str> {
        let Some(value) = extensions.and_then(|e| e.get("persistedQuery")) else {
            return Ok(None);
        };
        const SHAPE: &str = "`extensions.persistedQuery` must be `{\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}`";
        if value.get("version").and_then(serde_json::Value::as_i64) != Some(1) {
            return Err(SHAPE);
        }
        match value.get("sha256Hash").and_then(serde_json::Value::as_str) {
            Some(hash) if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Ok(Some(PersistedQuery {
                    sha256: hash.to_ascii_lowercase(),
                }))
            }
            _ => Err(SHAPE),
        }
    }
}

/// Why a request's document could not be had.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// Neither a document nor a known hash.
    NotFound,
    /// The document sent is not the one the hash names.
    HashMismatch,
    /// Persisted queries are turned off.
    NotSupported,
}

/// The documents kept, by whose they are (`K`: the API and the caller) and their hash.
pub struct PersistedQueries<K> {
    kept: Option<Mutex<lru::LruCache<(K, String), String>>>,
}

impl<K: std::hash::Hash + Eq + Copy> PersistedQueries<K> {
    /// Keeps at most `capacity` documents (at most [`MAX_KEPT`]); 0 turns persisted queries off.
    pub fn new(capacity: usize) -> Self {
        Self {
            kept: NonZeroUsize::new(capacity.min(MAX_KEPT))
                .map(|c| Mutex::new(lru::LruCache::new(c))),
        }
    }

    /// The document to run: the one sent (kept under its hash when the request asks), or the one
    /// kept under the hash.
    pub fn resolve(
        &self,
        owner: K,
        query: Option<String>,
        persisted: Option<&PersistedQuery>,
    ) -> Result<String, Missing> {
        let Some(persisted) = persisted else {
            return query.ok_or(Missing::NotFound);
        };
        let Some(kept) = &self.kept else {
            return query.ok_or(Missing::NotSupported);
        };
        let key = (owner, persisted.sha256.clone());
        let mut kept = kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match query {
            Some(query) => {
                if hex::encode(Sha256::digest(query.as_bytes())) != persisted.sha256 {
                    return Err(Missing::HashMismatch);
                }
                if query.len() <= MAX_KEPT_BYTES {
                    kept.put(key, query.clone());
                }
                Ok(query)
            }
            None => kept.get(&key).cloned().ok_or(Missing::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    enum Surface {
        Staff,
        Integrations,
    }

    const ME: u8 = 1;
    const SOMEONE_ELSE: u8 = 2;

    fn hash(text: &str) -> PersistedQuery {
        PersistedQuery {
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
        }
    }

    #[test]
    fn a_hash_is_known_once_sent_with_its_document_and_only_to_its_sender_on_its_surface() {
        let kept = PersistedQueries::new(10);
        let doc = "{ viewer { id } }";
        assert_eq!(
            kept.resolve((Surface::Staff, ME), None, Some(&hash(doc))),
            Err(Missing::NotFound)
        );
        assert_eq!(
            kept.resolve((Surface::Staff, ME), Some(doc.into()), Some(&hash(doc))),
            Ok(doc.to_string())
        );
        assert_eq!(
            kept.resolve((Surface::Staff, ME), None, Some(&hash(doc))),
            Ok(doc.to_string())
        );
        assert_eq!(
            kept.resolve((Surface::Integrations, ME), None, Some(&hash(doc))),
            Err(Missing::NotFound)
        );
        assert_eq!(
            kept.resolve((Surface::Staff, SOMEONE_ELSE), None, Some(&hash(doc))),
            Err(Missing::NotFound),
            "whether a hash is known tells nobody what someone else ran"
        );
    }

    #[test]
    fn a_document_that_is_not_its_hash_is_refused_and_not_kept() {
        let kept = PersistedQueries::new(10);
        let claimed = hash("{ viewer { id } }");
        assert_eq!(
            kept.resolve(
                (Surface::Staff, ME),
                Some("{ clients { totalCount } }".into()),
                Some(&claimed)
            ),
            Err(Missing::HashMismatch)
        );
        assert_eq!(
            kept.resolve((Surface::Staff, ME), None, Some(&claimed)),
            Err(Missing::NotFound)
        );
    }

    #[test]
    fn what_is_kept_is_bounded_in_count_and_size() {
        let kept = PersistedQueries::new(2);
        let docs = ["{ a }", "{ b }", "{ c }"];
        for doc in docs {
            kept.resolve((Surface::Staff, ME), Some(doc.into()), Some(&hash(doc)))
                .expect("kept");
        }
        assert_eq!(
            kept.resolve((Surface::Staff, ME), None, Some(&hash("{ a }"))),
            Err(Missing::NotFound),
            "the least recently used is dropped"
        );
        let long = format!("{{ a{} }}", " ".repeat(MAX_KEPT_BYTES));
        kept.resolve((Surface::Staff, ME), Some(long.clone()), Some(&hash(&long)))
            .expect("runs");
        assert_eq!(
            kept.resolve((Surface::Staff, ME), None, Some(&hash(&long))),
            Err(Missing::NotFound)
        );
        assert_eq!(
            PersistedQueries::<(Surface, u8)>::new(0).resolve(
                (Surface::Staff, ME),
                None,
                Some(&hash("{ a }"))
            ),
            Err(Missing::NotSupported)
        );
    }

    #[test]
    fn the_extension_is_read_strictly() {
        let ok =
            serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": "A".repeat(64) } });
        assert_eq!(
            PersistedQuery::from_extensions(Some(&ok)),
            Ok(Some(PersistedQuery {
                sha256: "a".repeat(64)
            }))
        );
        for bad in [
            serde_json::json!({ "persistedQuery": { "version": 2, "sha256Hash": "a".repeat(64) } }),
            serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": "xyz" } }),
            serde_json::json!({ "persistedQuery": "abc" }),
        ] {
            assert!(
                PersistedQuery::from_extensions(Some(&bad)).is_err(),
                "{bad}"
            );
        }
        assert_eq!(PersistedQuery::from_extensions(None), Ok(None));
    }
}
