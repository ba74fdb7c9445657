//! The bounds every request runs within, in one place: page sizes, how deep a search may page, how
//! long a search text and a cursor may be, and how long an error message may be. What the costly
//! fields cost is the GraphQL crate's business.

use crate::error::ApiError;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;
/// Page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// How many hits of one search can be paged to: a cursor past the 10,000th hit is refused (ranked
/// paging costs memory and time in proportion to the depth; narrow the search instead).
pub const MAX_SEARCH_DEPTH: usize = 10_000;
/// Longest cursor accepted. The service's own stay below it: a keyset cursor holds a sort key of at
/// most 200 characters (a name), JSON-escaped and base64-encoded.
pub const MAX_CURSOR_BYTES: usize = 2_048;
/// Longest free text a search or name filter accepts, in bytes.
pub const MAX_TEXT_BYTES: usize = 1_000;
/// Most words a search or name filter accepts (for `vacancySearch`, counted after little words
/// such as `in` and `a` are dropped, and each word once).
pub const MAX_TEXT_WORDS: usize = search_index::MAX_WORDS;
/// Longest error message sent, in characters; longer ones are cut.
pub const MAX_ERROR_MESSAGE_CHARS: usize = 300;

/// Refuses a text longer than [`MAX_TEXT_BYTES`], naming the argument.
pub fn check_text_bytes(argument: &str, text: &str) -> Result<(), ApiError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ApiError::BadUserInput(format!(
            "`{argument}` is longer than {MAX_TEXT_BYTES} bytes; use fewer words"
        )));
    }
    Ok(())
}

/// Refuses `words` beyond [`MAX_TEXT_WORDS`], naming the argument.
pub fn check_text_words(argument: &str, words: usize) -> Result<(), ApiError> {
    if words > MAX_TEXT_WORDS {
        return Err(ApiError::BadUserInput(format!(
            "`{argument}` has more than {MAX_TEXT_WORDS} words; use fewer"
        )));
    }
    Ok(())
}

/// The bounds of a name filter's text: bytes, then words split on white space.
pub fn check_name_text(argument: &str, text: &str) -> Result<(), ApiError> {
    check_text_bytes(argument, text)?;
    check_text_words(argument, text.split_whitespace().count())
}

/// Refuses a cursor longer than any the service hands out, without repeating it.
pub fn check_cursor(argument: &str, cursor: &str) -> Result<(), ApiError> {
    if cursor.len() > MAX_CURSOR_BYTES {
        return Err(ApiError::BadUserInput(format!(
            "`{argument}` is not a cursor from this list"
        )));
    }
    Ok(())
}

/// `message`, cut to [`MAX_ERROR_MESSAGE_CHARS`] characters.
pub fn bounded_message(message: &str) -> String {
    if message.chars().count() <= MAX_ERROR_MESSAGE_CHARS {
        return message.to_string();
    }
    let mut cut: String = message.chars().take(MAX_ERROR_MESSAGE_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut() {
        assert_eq!(bounded_message("short"), "short");
        let long = "x".repeat(80_000);
        assert_eq!(
            bounded_message(&long).chars().count(),
            MAX_ERROR_MESSAGE_CHARS
        );
    }
}
