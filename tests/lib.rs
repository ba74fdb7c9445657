//! Integration tests for ipsmatch live in `api/`; this library target is intentionally empty.
