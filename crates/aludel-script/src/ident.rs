//! Character rules for revision ids and branch labels.

use crate::error::IdError;

/// Words a revision target means something else by (Alembic compares them
/// exactly, so `Head` is an ordinary id).
pub const RESERVED_WORDS: [&str; 4] = ["base", "head", "heads", "current"];

/// Longest revision id, in bytes: the version table's column is `VARCHAR(32)`.
pub const MAX_REVISION_ID_LEN: usize = 32;

/// Checks a revision id or branch label.
///
/// It must be non-empty, must not be `None` (reserved: `Revises: None` means
/// a base) or one of [`RESERVED_WORDS`] (a target by that name would never
/// mean the revision), and must not contain `@`, `-`, `+`, `:` (used by
/// revision expressions such as `label@head` or `abc+2`), `,` (list
/// separator), the glob characters `*`, `?`, `[`, `]`, whitespace, control
/// characters or invisible ones (zero-width spaces, byte-order marks,
/// direction marks, …) that would make two different ids look the same.
pub fn validate_id(id: &str) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if id == "None" {
        return Err(IdError::Reserved);
    }
    if let Some(word) = RESERVED_WORDS.iter().find(|w| **w == id) {
        return Err(IdError::ReservedWord(word));
    }
    if let Some(c) = id.chars().find(|&c| is_invisible(c)) {
        return Err(IdError::Invisible(c));
    }
    match id.chars().find(|&c| {
        matches!(c, '@' | '-' | '+' | ':' | ',' | '*' | '?' | '[' | ']')
            || c.is_whitespace()
            || c.is_control()
    }) {
        Some(c) => Err(IdError::ForbiddenChar(c)),
        None => Ok(()),
    }
}

/// Checks a revision id: [`validate_id`], and at most
/// [`MAX_REVISION_ID_LEN`] bytes, so that the version table can hold it.
pub fn validate_revision_id(id: &str) -> Result<(), IdError> {
    validate_id(id)?;
    if id.len() > MAX_REVISION_ID_LEN {
        return Err(IdError::TooLong(id.len()));
    }
    Ok(())
}

/// Characters that show as nothing (Unicode's default-ignorable code points
/// and format characters) or as a plain space.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{2000}'..='\u{200F}'
            | '\u{2028}'..='\u{202F}'
            | '\u{205F}'..='\u{206F}'
            | '\u{3000}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
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
            ("a*", '*'),
            ("a?", '?'),
            ("[ab]", '['),
            ("a]", ']'),
        ] {
            assert_eq!(validate_id(id), Err(IdError::ForbiddenChar(c)), "{id:?}");
        }
    }

    #[test]
    fn rejects_reserved_words_exactly() {
        for word in RESERVED_WORDS {
            assert_eq!(validate_id(word), Err(IdError::ReservedWord(word)));
        }
        assert_eq!(validate_id("Head"), Ok(()));
        assert_eq!(validate_id("heads2"), Ok(()));
    }

    #[test]
    fn rejects_invisible_characters() {
        for c in [
            '\u{200B}', '\u{FEFF}', '\u{200E}', '\u{202E}', '\u{00A0}', '\u{2060}',
        ] {
            let id = format!("ab{c}cd");
            assert_eq!(validate_id(&id), Err(IdError::Invisible(c)), "{id:?}");
        }
    }

    #[test]
    fn revision_ids_fit_the_version_table() {
        let id = "a".repeat(MAX_REVISION_ID_LEN);
        assert_eq!(validate_revision_id(&id), Ok(()));
        let long = format!("{id}b");
        assert_eq!(validate_revision_id(&long), Err(IdError::TooLong(33)));
        assert_eq!(validate_id(&long), Ok(()), "labels have no length limit");
    }
}
