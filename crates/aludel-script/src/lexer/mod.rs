//! A small SQL lexer, one reading per [`Flavor`], shared by the section
//! parser and the splitter.
//!
//! It knows just enough to never mistake a `;` or a `-- migrate:` marker inside
//! a string, quoted identifier or comment for the real thing. Both flavours:
//!
//! * `'...'` with `''` escapes; `"..."` and `` `...` `` identifiers with
//!   doubled-quote escapes;
//! * `-- ...` line comments (to the end of the line).
//!
//! [`Flavor::Sqlite`], as SQLite's `tokenize.c` and `complete.c` read text:
//!
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
//! [`Flavor::Postgres`]:
//!
//! * nested `/* ... */` block comments;
//! * `E'...'` strings with backslash escapes;
//! * `$$...$$` / `$tag$...$tag$` dollar quotes (`$1` is not one);
//! * `[...]` as described at [`Lexer::bracket`]; its documented loss is a
//!   `[...]` identifier whose text holds a quote, `$`, `[`, `--` or `/*`.
//!
//! In every flavour an unterminated string, quoted identifier, `[`, block
//! comment or dollar quote is an error naming the line where it opened.

use crate::error::{Construct, ErrorKind, ScriptError};
use crate::flavor::Flavor;

/// Token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Whitespace,
    LineComment,
    BlockComment,
    String,
    QuotedIdent,
    DollarQuoted,
    Word,
    Number,
    Semicolon,
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
    /// Memo of the first `]` at or after the last bracket looked at.
    next_close: Option<usize>,
    /// Memo of the first byte at or after the last bracket looked at that
    /// stops a `[...]` from being an identifier (see [`Lexer::bracket`]).
    next_unsafe: Option<usize>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_continue(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

/// SQLite's `IdChar`: letters, digits, `_`, `$` and every non-ASCII byte.
fn is_sqlite_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Whether `bytes[i]` opens something inside `[...]` that makes the brackets
/// unsafe to take as an identifier: a quote, a dollar sign, a nested `[`, or
/// a comment opener.
fn opens_unsafe(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\'' | b'"' | b'`' | b'$' | b'[' => true,
        b'-' => bytes.get(i + 1) == Some(&b'-'),
        b'/' => bytes.get(i + 1) == Some(&b'*'),
        _ => false,
    }
}

/// The first `i >= from` with `hit(bytes, i)`, or `bytes.len()`, memoised in
/// `memo`. Callers pass a `from` that never decreases, so a stored answer
/// `>= from` is still the answer and every byte is scanned at most once.
fn find_from(
    memo: &mut Option<usize>,
    bytes: &[u8],
    from: usize,
    hit: impl Fn(&[u8], usize) -> bool,
) -> usize {
    match *memo {
        Some(at) if at >= from => at,
        _ => {
            let at = (from..bytes.len())
                .find(|&i| hit(bytes, i))
                .unwrap_or(bytes.len());
            *memo = Some(at);
            at
        }
    }
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
            next_close: None,
            next_unsafe: None,
        }
    }

    /// The line the lexer is currently on (after the last token).
    pub(crate) fn line(&self) -> usize {
        self.line
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
        let bytes = self.bytes();
        let mut i = self.pos + 1;
        while i < bytes.len() {
            let b = bytes[i];
            if backslash && b == b'\\' {
                i += 2;
            } else if b == quote {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    self.advance_to(i + 1);
                    return true;
                }
            } else {
                i += 1;
            }
        }
        false
    }

    /// A `[`; `pos` is at it. Returns the token kind after advancing past it,
    /// or `None` if no `]` follows anywhere (unterminated).
    ///
    /// [`Flavor::Sqlite`]: one [`Kind::QuotedIdent`] up to the first `]`, as
    /// SQLite's tokenizer reads it (no escapes; no `]` at all is an illegal
    /// token).
    ///
    /// [`Flavor::Postgres`]: SQLite-style brackets appear in files meant to
    /// be portable, but PostgreSQL uses `[` `]` for subscripts, slices,
    /// `ARRAY[...]` and `type[]`, whose insides may hold strings with `;` or
    /// `]` (`ARRAY['a;b', ']']`). The rule is decided by the bracket's text
    /// alone:
    ///
    /// * the text up to the first `]` holds no quote (`'` `"` `` ` ``), `$`,
    ///   `[`, `--` or `/*`: one [`Kind::QuotedIdent`] token, exactly as SQLite
    ///   reads it, so `[a;b]` never splits. For PostgreSQL such a bracket is an
    ///   innermost subscript or array whose text lexes only to words, numbers
    ///   and punctuation, with no `;` and only whole `CASE ... END`s, so one
    ///   token changes neither where statements end nor routine-body depth;
    /// * otherwise `[` is [`Kind::Punct`] and its insides are lexed as usual,
    ///   which keeps strings, dollar quotes, comments and nested brackets in
    ///   PostgreSQL arrays intact (SQLite names containing those characters
    ///   are the documented loss);
    /// * no `]` anywhere after the `[`: unterminated, an error in every
    ///   flavour (outside strings and comments a `[` is always closed).
    ///
    /// A rule based on the previous token ("`[` where an identifier can
    /// start") cannot tell SQLite's `t [alias]` or `[a] [int]` from
    /// PostgreSQL's `arr [1]`, and keywords before identifiers (`TABLE [x]`)
    /// look like PostgreSQL's `ARRAY[...]`, so it is not used.
    fn bracket(&mut self) -> Option<Kind> {
        let bytes = self.bytes();
        let inner = self.pos + 1;
        let close = find_from(&mut self.next_close, bytes, inner, |b, i| b[i] == b']');
        if close == bytes.len() {
            return None;
        }
        if self.flavor == Flavor::Postgres
            && find_from(&mut self.next_unsafe, bytes, inner, opens_unsafe) < close
        {
            self.pos += 1;
            return Some(Kind::Punct);
        }
        self.advance_to(close + 1);
        Some(Kind::QuotedIdent)
    }

    /// Block comment; `pos` is at `/*`. SQLite ends it at the first `*/`;
    /// PostgreSQL counts nested `/* */` pairs.
    fn block_comment(&mut self) -> bool {
        let bytes = self.bytes();
        if self.flavor == Flavor::Sqlite {
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

    fn next_token(&mut self) -> Result<Option<Token>, ScriptError> {
        let Some(b) = self.peek(0) else {
            return Ok(None);
        };
        let start = self.pos;
        let line = self.line;
        let unterminated = |c| Err(ScriptError::new(line, ErrorKind::Unterminated(c)));
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c => {
                let len = self.bytes()[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace() || **b == 0x0b)
                    .count();
                self.advance_to(start + len);
                Kind::Whitespace
            }
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
            _ if self.flavor == Flavor::Sqlite && is_sqlite_id_char(b) => {
                let len = self.bytes()[start..]
                    .iter()
                    .take_while(|&&b| is_sqlite_id_char(b))
                    .count();
                self.pos = start + len;
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
            b'$' => match self.dollar_tag_len() {
                Some(len) => {
                    let tag = &self.src[start..start + len];
                    match self.src[start + len..].find(tag) {
                        Some(i) => self.advance_to(start + len + i + len),
                        None => return unterminated(Construct::DollarQuote(tag.to_owned())),
                    }
                    Kind::DollarQuoted
                }
                None => {
                    self.pos += 1;
                    Kind::Punct
                }
            },
            b';' => {
                self.pos += 1;
                Kind::Semicolon
            }
            _ if is_ident_start(b) => {
                let len = self.bytes()[start..]
                    .iter()
                    .take_while(|&&b| is_ident_continue(b) || b == b'$')
                    .count();
                self.pos = start + len;
                if len == 1 && (b == b'E' || b == b'e') && self.peek(0) == Some(b'\'') {
                    if !self.quoted(b'\'', true) {
                        return unterminated(Construct::StringLiteral);
                    }
                    Kind::String
                } else {
                    Kind::Word
                }
            }
            _ if b.is_ascii_digit() => {
                let len = self.bytes()[start..]
                    .iter()
                    .take_while(|&&b| is_ident_continue(b) || b == b'.')
                    .count();
                self.pos = start + len;
                Kind::Number
            }
            _ => {
                // Only ASCII reaches here: bytes >= 0x80 are identifier bytes.
                self.pos += 1;
                Kind::Punct
            }
        };
        Ok(Some(Token {
            kind,
            start,
            end: self.pos,
            line,
        }))
    }
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
