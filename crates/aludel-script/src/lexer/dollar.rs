//! PostgreSQL's dollar quotes: `$$…$$` and `$tag$…$tag$`.
//!
//! As PostgreSQL's scanner (`scan.l`) reads them: a tag is `$`, then
//! optionally an identifier that does not contain `$` (a letter, `_` or a
//! non-ASCII byte, then those or digits), then `$`; the quote ends at the next
//! occurrence of the same tag, byte for byte (tags are case-sensitive). `$1`
//! is a parameter, not a quote, and a `$` inside a word (`a$b$`) belongs to
//! the word, which the caller has already consumed.

use super::{Kind, Lexer, is_ident_continue, is_ident_start};
use crate::error::{Construct, ErrorKind, ScriptError};

impl Lexer<'_> {
    /// Length of a dollar-quote tag (`$`, optional identifier, `$`) at `pos`, if any.
    fn dollar_tag_len(&self) -> Option<usize> {
        let bytes = &self.bytes()[self.pos..];
        let mut i = 1;
        if bytes.get(i).copied().is_some_and(is_ident_start) {
            while bytes.get(i).copied().is_some_and(is_ident_continue) {
                i += 1;
            }
        }
        (bytes.get(i) == Some(&b'$')).then_some(i + 1)
    }

    /// A `$`; `pos` is at it. A dollar-quoted string, or a lone `$`
    /// (punctuation, as in the parameter `$1`).
    pub(super) fn dollar(&mut self) -> Result<Kind, ScriptError> {
        let start = self.pos;
        let Some(len) = self.dollar_tag_len() else {
            self.pos += 1;
            return Ok(Kind::Punct);
        };
        let tag = &self.src[start..start + len];
        match self.src[start + len..].find(tag) {
            Some(i) => {
                self.advance_to(start + len + i + len);
                Ok(Kind::DollarQuoted)
            }
            None => Err(ScriptError::new(
                self.line,
                ErrorKind::Unterminated(Construct::DollarQuote(tag.to_owned())),
            )),
        }
    }
}
