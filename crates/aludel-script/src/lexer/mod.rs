//! A small SQL lexer, one reading per [`Flavor`], shared by the section
//! parser and the splitter.
//!
//! It knows just enough to never mistake a `;` or a `-- migrate:` marker inside
//! a string, quoted identifier or comment for the real thing.
//!
//! [`Flavor::Sqlite`], as SQLite's `tokenize.c` and `complete.c` read text:
//!
//! * `'...'` with `''` escapes; `"..."` and `` `...` `` identifiers with
//!   doubled-quote escapes; `-- ...` line comments;
//! * `/* ... */` ends at the first `*/` (no nesting);
//! * `[...]` is always one identifier up to the first `]`;
//! * a word is a run of letters, digits, `_`, `$` and non-ASCII bytes (so
//!   numbers are words, `$name` is a parameter and `E'...'` is the word `E`
//!   followed by a plain string);
//! * an unterminated `/*` is an error here, although SQLite's tokenizer takes
//!   it as a comment to the end of the input: it would silently swallow the
//!   rest of the file (a later `-- migrate:` marker included), and
//!   `sqlite3_complete` reports such text as incomplete too.
//!
//! [`Flavor::Postgres`], as PostgreSQL's `scan.l` reads text
//! (`standard_conforming_strings` on):
//!
//! * `'...'` with `''` escapes and no backslash escapes (also after the
//!   `U&`, `B`, `X`, `N` prefixes, which are separate words here);
//!   `E'...'` strings with backslash escapes; `"..."` identifiers;
//! * `-- ...` line comments; nested `/* ... */` block comments;
//! * `$$...$$` / `$tag$...$tag$` dollar quotes (`dollar.rs`; `$1` is not one);
//! * `[...]` as described at `Lexer::bracket`; its documented loss is a
//!   `[...]` identifier whose text holds a quote, `$`, `[`, `--` or `/*`.
//!
//! [`Flavor::MySql`]: see `mysql.rs`.
//!
//! In every flavour an unterminated string, quoted identifier, `[`, block
//! comment or dollar quote is an error naming the line where it opened.

mod bracket;
mod dollar;
mod mysql;

use crate::error::{Construct, ErrorKind, ScriptError};
use crate::flavor::Flavor;

/// Token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Whitespace,
    LineComment,
    BlockComment,
    /// MySQL's `/*! … */` and `/*M! … */`: executable comments, which the
    /// server reads as statement text.
    ExecComment,
    String,
    QuotedIdent,
    DollarQuoted,
    Word,
    Number,
    Semicolon,
    /// A MySQL client delimiter set by `DELIMITER` (other than `;`).
    Delimiter,
    Punct,
}

impl Kind {
    /// Whitespace and comments.
    pub(crate) fn is_trivia(self) -> bool {
        matches!(
            self,
            Kind::Whitespace | Kind::LineComment | Kind::BlockComment
        )
    }
}

/// One token: `src[start..end]`, starting on 1-based `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

/// Iterator over tokens; yields an error (then stops) on an unterminated construct.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    flavor: Flavor,
    pos: usize,
    line: usize,
    failed: bool,
    /// MySQL: the client delimiter, when `DELIMITER` set one other than `;`.
    delimiter: Option<&'a str>,
    /// Memo of the first `]` at or after the last bracket looked at.
    next_close: Option<usize>,
    /// Memo of the first byte at or after the last bracket looked at that
    /// stops a `[...]` from being an identifier (see `Lexer::bracket`).
    next_unsafe: Option<usize>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_continue(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

/// SQLite's `IdChar` (also MySQL's identifier bytes): letters, digits, `_`,
/// `$` and every non-ASCII byte.
fn is_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// What every flavour's lexer reads as whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

impl<'a> Lexer<'a> {
    /// Lexes `src`, whose first byte is on line `first_line`, as `flavor` reads it.
    pub(crate) fn new(src: &'a str, first_line: usize, flavor: Flavor) -> Self {
        Self {
            src,
            flavor,
            pos: 0,
            line: first_line,
            failed: false,
            delimiter: None,
            next_close: None,
            next_unsafe: None,
        }
    }

    /// The line the lexer is currently on (after the last token).
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// Continues lexing at byte offset `to` (at or after the current one).
    pub(crate) fn skip_to(&mut self, to: usize) {
        self.advance_to(to.max(self.pos));
    }

    /// MySQL: statements now end at `delimiter` ([`Kind::Delimiter`]), or
    /// at `;` again for `None`.
    pub(crate) fn set_delimiter(&mut self, delimiter: Option<&'a str>) {
        self.delimiter = delimiter.filter(|d| !d.is_empty());
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes().get(self.pos + ahead).copied()
    }

    /// Advances to `to`, counting newlines on the way.
    fn advance_to(&mut self, to: usize) {
        let to = to.min(self.src.len());
        self.line += self.bytes()[self.pos..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = to;
    }

    /// Quoted text closed by `quote` (doubled to escape); `pos` is at the opening quote.
    fn quoted(&mut self, quote: u8, backslash: bool) -> bool {
        match quoted_end(self.bytes(), self.pos, quote, backslash) {
            Some(end) => {
                self.advance_to(end);
                true
            }
            None => false,
        }
    }

    /// Block comment; `pos` is at `/*`. SQLite and MySQL end it at the first
    /// `*/`; PostgreSQL counts nested `/* */` pairs.
    fn block_comment(&mut self) -> bool {
        let bytes = self.bytes();
        if self.flavor != Flavor::Postgres {
            let Some(close) = self.src[self.pos + 2..].find("*/") else {
                return false;
            };
            self.advance_to(self.pos + 2 + close + 2);
            return true;
        }
        let mut depth = 0usize;
        let mut i = self.pos;
        while i + 1 < bytes.len() {
            match (bytes[i], bytes[i + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        self.advance_to(i);
                        return true;
                    }
                }
                _ => i += 1,
            }
        }
        false
    }

    /// Consumes a run of bytes matching `pred` from `pos`.
    fn take_while(&mut self, pred: impl Fn(u8) -> bool) {
        let len = self.bytes()[self.pos..]
            .iter()
            .take_while(|&&b| pred(b))
            .count();
        self.advance_to(self.pos + len);
    }

    fn next_token(&mut self) -> Result<Option<Token>, ScriptError> {
        let Some(b) = self.peek(0) else {
            return Ok(None);
        };
        let start = self.pos;
        let line = self.line;
        let kind = if self.flavor == Flavor::MySql {
            self.mysql_token(b)?
        } else if is_space(b) {
            self.take_while(is_space);
            Kind::Whitespace
        } else {
            self.sqlite_pg_token(b)?
        };
        Ok(Some(Token {
            kind,
            start,
            end: self.pos,
            line,
        }))
    }

    /// One non-whitespace token as SQLite or PostgreSQL reads it.
    fn sqlite_pg_token(&mut self, b: u8) -> Result<Kind, ScriptError> {
        let start = self.pos;
        let line = self.line;
        let unterminated = |c| Err(ScriptError::new(line, ErrorKind::Unterminated(c)));
        Ok(match b {
            b'-' if self.peek(1) == Some(b'-') => {
                let len = self.src[start..]
                    .find('\n')
                    .unwrap_or(self.src.len() - start);
                self.pos = start + len;
                Kind::LineComment
            }
            b'/' if self.peek(1) == Some(b'*') => {
                if !self.block_comment() {
                    return unterminated(Construct::BlockComment);
                }
                Kind::BlockComment
            }
            _ if self.flavor == Flavor::Sqlite && is_id_char(b) => {
                self.take_while(is_id_char);
                Kind::Word
            }
            b'\'' => {
                if !self.quoted(b'\'', false) {
                    return unterminated(Construct::StringLiteral);
                }
                Kind::String
            }
            b'"' | b'`' => {
                if !self.quoted(b, false) {
                    return unterminated(Construct::QuotedIdentifier);
                }
                Kind::QuotedIdent
            }
            b'[' => match self.bracket() {
                Some(kind) => kind,
                None => return unterminated(Construct::QuotedIdentifier),
            },
            b'$' => self.dollar()?,
            b';' => {
                self.pos += 1;
                Kind::Semicolon
            }
            _ if is_ident_start(b) => {
                self.take_while(|b| is_ident_continue(b) || b == b'$');
                if self.pos == start + 1 && (b == b'E' || b == b'e') && self.peek(0) == Some(b'\'')
                {
                    if !self.quoted(b'\'', true) {
                        return unterminated(Construct::StringLiteral);
                    }
                    Kind::String
                } else {
                    Kind::Word
                }
            }
            _ if b.is_ascii_digit() => {
                self.take_while(|b| is_ident_continue(b) || b == b'.');
                Kind::Number
            }
            _ => {
                // Only ASCII reaches here: bytes >= 0x80 are identifier bytes.
                self.pos += 1;
                Kind::Punct
            }
        })
    }
}

/// The end (one past the closing quote) of quoted text opened at `open`, or
/// `None` if it is never closed: `quote` doubled is an escape, and with
/// `backslash` a `\` escapes the byte after it.
fn quoted_end(bytes: &[u8], open: usize, quote: u8, backslash: bool) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if backslash && b == b'\\' {
            i += 2;
        } else if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return Some(i + 1);
            }
        } else {
            i += 1;
        }
    }
    None
}

impl Iterator for Lexer<'_> {
    type Item = Result<Token, ScriptError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let result = self.next_token();
        self.failed = result.is_err();
        result.transpose()
    }
}

#[cfg(test)]
mod tests;
