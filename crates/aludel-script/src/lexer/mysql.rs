//! MySQL's and MariaDB's lexical rules ([`Flavor::MySql`](crate::Flavor::MySql)),
//! as the server's lexer (`sql_lex.cc`) reads text in the default `sql_mode`:
//!
//! * `#` starts a comment to the end of the line; `--` does only when a
//!   space, a control character or the end of the input follows it (`--1`
//!   is minus minus one);
//! * `/* … */` ends at the first `*/` (no nesting);
//! * `/*! … */` and `/*M! … */` are executable comments: the server runs
//!   their text (MariaDB runs `/*M!`, MySQL skips it), so they are one
//!   statement-text token ([`Kind::ExecComment`]) that ends at the first `*/`
//!   outside a string or quoted identifier, and a `;` inside never splits.
//!   The server parses their text as any other, so it reads mysqldump's
//!   `/*!50003 CREATE … TRIGGER … BEGIN …; END */` as one statement, as here;
//!   a bare `;` elsewhere in one (`SELECT 1 /*! ; SELECT 2 */`) ends the
//!   statement for the server and the rest (`SELECT 2 */`) fails, so such
//!   text fails whichever way it is split;
//! * `'…'` and `"…"` are strings (no `ANSI_QUOTES`) where `\` escapes the
//!   next byte and a doubled quote is a quote; `` `…` `` is an identifier
//!   with doubled backticks and no backslash escapes;
//! * no dollar quotes, `E'…'` strings or bracket identifiers: `$` is an
//!   identifier byte (`END$$` is one word when `$$` is not the delimiter);
//! * after a `DELIMITER xx` client command, the delimiter is found outside
//!   strings, identifiers and comments even inside a word (`END$$`), as the
//!   `mysql`/`mariadb` client finds it, before anything else is read there
//!   ([`Kind::Delimiter`]).

use super::{Kind, Lexer, is_id_char, is_space, quoted_end};
use crate::error::{Construct, ErrorKind, ScriptError};

impl Lexer<'_> {
    /// Whether the custom delimiter starts at byte offset `at`.
    fn delimiter_at(&self, at: usize) -> bool {
        self.delimiter
            .is_some_and(|d| self.bytes()[at..].starts_with(d.as_bytes()))
    }

    /// Consumes a run of bytes matching `pred`, stopping where the custom
    /// delimiter starts.
    fn take_until_delimiter(&mut self, pred: impl Fn(u8) -> bool) {
        let bytes = self.bytes();
        let mut i = self.pos;
        while i < bytes.len() && pred(bytes[i]) && (i == self.pos || !self.delimiter_at(i)) {
            i += 1;
        }
        self.advance_to(i);
    }

    /// One token as MySQL reads it; `b` is the byte at `pos`.
    pub(super) fn mysql_token(&mut self, b: u8) -> Result<Kind, ScriptError> {
        let start = self.pos;
        let line = self.line;
        let unterminated = |c| Err(ScriptError::new(line, ErrorKind::Unterminated(c)));
        if let Some(d) = self.delimiter.filter(|_| self.delimiter_at(start)) {
            self.advance_to(start + d.len());
            return Ok(Kind::Delimiter);
        }
        let after_dashes = self.peek(2);
        Ok(match b {
            _ if is_space(b) => {
                self.take_until_delimiter(is_space);
                Kind::Whitespace
            }
            b'#' => self.line_comment(),
            b'-' if self.peek(1) == Some(b'-')
                && after_dashes.is_none_or(|c| c <= b' ' || c == 0x7f) =>
            {
                self.line_comment()
            }
            b'/' if self.peek(1) == Some(b'*') => {
                let executable = self.peek(2) == Some(b'!')
                    || (self.peek(2) == Some(b'M') && self.peek(3) == Some(b'!'));
                if executable {
                    match executable_comment_end(self.bytes(), start + 2) {
                        Some(end) => self.advance_to(end),
                        None => return unterminated(Construct::BlockComment),
                    }
                    Kind::ExecComment
                } else {
                    if !self.block_comment() {
                        return unterminated(Construct::BlockComment);
                    }
                    Kind::BlockComment
                }
            }
            b'\'' | b'"' => {
                if !self.quoted(b, true) {
                    return unterminated(Construct::StringLiteral);
                }
                Kind::String
            }
            b'`' => {
                if !self.quoted(b, false) {
                    return unterminated(Construct::QuotedIdentifier);
                }
                Kind::QuotedIdent
            }
            b';' => {
                self.pos += 1;
                Kind::Semicolon
            }
            _ if is_id_char(b) => {
                self.take_until_delimiter(is_id_char);
                Kind::Word
            }
            _ => {
                // Only ASCII reaches here: bytes >= 0x80 are identifier bytes.
                self.pos += 1;
                Kind::Punct
            }
        })
    }

    /// A `#` or `-- ` comment, to the end of the line.
    fn line_comment(&mut self) -> Kind {
        let start = self.pos;
        let len = self.src[start..]
            .find('\n')
            .unwrap_or(self.src.len() - start);
        self.pos = start + len;
        Kind::LineComment
    }
}

/// Where an executable comment whose text starts at `from` ends: one past
/// the first `*/` outside strings and quoted identifiers, or `None`.
fn executable_comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'*' if bytes.get(i + 1) == Some(&b'/') => return Some(i + 2),
            q @ (b'\'' | b'"') => i = quoted_end(bytes, i, q, true)?,
            b'`' => i = quoted_end(bytes, i, b'`', false)?,
            _ => i += 1,
        }
    }
    None
}
