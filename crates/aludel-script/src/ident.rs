//! Character rules for revision ids and branch labels.

use crate::error::IdError;

/// Checks a revision id or branch label.
///
/// It must be non-empty, must not be `None` (reserved: `Revises: None` means
/// a base), and must not contain `@`, `-`, `+`, `:` (used by revision
/// expressions such as `label@head` or `abc+2`), `,` (list separator),
/// whitespace or control characters.
pub fn validate_id(id: &str) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if id == "None" {
        return Err(IdError::Reserved);
    }
    match id
        .chars()
        .find(|&c| matches!(c, '@' | '-' | '+' | ':' | ',') || c.is_whitespace() || c.is_control())
    {
        Some(c) => Err(IdError::ForbiddenChar(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hex_and_other_ids() {
        assert_eq!(validate_id("423d964333d1"), Ok(()));
        assert_eq!(validate_id("add_users.v2"), Ok(()));
        assert_eq!(validate_id("ünïcode"), Ok(()));
        assert_eq!(validate_id("none"), Ok(()));
    }

    #[test]
    fn rejects_forbidden() {
        assert_eq!(validate_id(""), Err(IdError::Empty));
        assert_eq!(validate_id("None"), Err(IdError::Reserved));
        for (id, c) in [
            ("a@b", '@'),
            ("a-b", '-'),
            ("a+b", '+'),
            ("a:b", ':'),
            ("a,b", ','),
            ("a b", ' '),
            ("a\tb", '\t'),
            ("a\u{0}b", '\u{0}'),
        ] {
            assert_eq!(validate_id(id), Err(IdError::ForbiddenChar(c)), "{id:?}");
        }
    }
}
