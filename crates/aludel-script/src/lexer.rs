//! A small dialect-tolerant SQL lexer shared by the section parser and the splitter.
//!
//! It knows just enough to never mistake a `;` or a `-- migrate:` marker inside
//! a string, quoted identifier, comment or dollar quote for the real thing:
//!
//! * `'...'` with `''` escapes; `E'...'` (PostgreSQL) also with backslash escapes;
//! * `"..."` and `` `...` `` identifiers with doubled-quote escapes;
//! * `-- ...` line comments and nested `/* ... */` block comments;
//! * `$$...$$` / `$tag$...$tag$` dollar quotes (`$1` is not one).
//!
//! Not handled (documented limitations): `[bracket]` identifiers are lexed as
//! punctuation plus words (to keep PostgreSQL `a[1]` safe), MySQL backslash
//! escapes in plain `'...'` strings and MySQL `#` comments.

use crate::error::{Construct, ErrorKind, ScriptError};

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
    pos: usize,
    line: usize,
    failed: bool,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_continue(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

impl<'a> Lexer<'a> {
    /// Lexes `src`, whose first byte is on line `first_line`.
    pub(crate) fn new(src: &'a str, first_line: usize) -> Self {
        Self {
            src,
            pos: 0,
            line: first_line,
            failed: false,
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

    /// Nested block comment; `pos` is at `/*`.
    fn block_comment(&mut self) -> bool {
        let bytes = self.bytes();
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
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str, usize)> {
        Lexer::new(src, 1)
            .map(|t| {
                let t = t.unwrap();
                (t.kind, &src[t.start..t.end], t.line)
            })
            .filter(|(k, _, _)| *k != Kind::Whitespace)
            .collect()
    }

    fn error(src: &str) -> ScriptError {
        Lexer::new(src, 1)
            .find_map(Result::err)
            .expect("expected an error")
    }

    #[test]
    fn strings_and_identifiers() {
        assert_eq!(
            kinds("'a;''b' \"x;\"\"y\" `m;``n` E'it\\'s;' e'\\\\' N'z'"),
            [
                (Kind::String, "'a;''b'", 1),
                (Kind::QuotedIdent, "\"x;\"\"y\"", 1),
                (Kind::QuotedIdent, "`m;``n`", 1),
                (Kind::String, "E'it\\'s;'", 1),
                (Kind::String, "e'\\\\'", 1),
                (Kind::Word, "N", 1),
                (Kind::String, "'z'", 1),
            ]
        );
    }

    #[test]
    fn plain_string_backslash_is_literal() {
        // Standard SQL: 'C:\' is a complete string.
        assert_eq!(kinds("'C:\\' x")[0], (Kind::String, "'C:\\'", 1));
    }

    #[test]
    fn comments() {
        assert_eq!(
            kinds("-- a; b\n/* x /* y; */ z; */ w"),
            [
                (Kind::LineComment, "-- a; b", 1),
                (Kind::BlockComment, "/* x /* y; */ z; */", 2),
                (Kind::Word, "w", 2),
            ]
        );
    }

    #[test]
    fn dollar_quotes_and_params() {
        assert_eq!(
            kinds("$$a;$b$$ $body$ $$;$ $body$ $1 a$b$ $_x1$;$_x1$"),
            [
                (Kind::DollarQuoted, "$$a;$b$$", 1),
                (Kind::DollarQuoted, "$body$ $$;$ $body$", 1),
                (Kind::Punct, "$", 1),
                (Kind::Number, "1", 1),
                (Kind::Word, "a$b$", 1),
                (Kind::DollarQuoted, "$_x1$;$_x1$", 1),
            ]
        );
    }

    #[test]
    fn line_numbers_across_multiline_tokens() {
        let src = "'a\nb'\r\n/*\n\n*/ $$\n$$ x";
        let toks = kinds(src);
        assert_eq!(toks.iter().map(|t| t.2).collect::<Vec<_>>(), [1, 3, 5, 6]);
    }

    #[test]
    fn unterminated_constructs_name_opening_line() {
        assert_eq!(
            error("x\n'abc\n\n"),
            ScriptError::new(2, ErrorKind::Unterminated(Construct::StringLiteral))
        );
        assert_eq!(
            error("x\n\nE'abc\\'"),
            ScriptError::new(3, ErrorKind::Unterminated(Construct::StringLiteral))
        );
        assert_eq!(
            error("\"abc"),
            ScriptError::new(1, ErrorKind::Unterminated(Construct::QuotedIdentifier))
        );
        assert_eq!(
            error("\n`abc"),
            ScriptError::new(2, ErrorKind::Unterminated(Construct::QuotedIdentifier))
        );
        assert_eq!(
            error("\n/* /* */\n"),
            ScriptError::new(2, ErrorKind::Unterminated(Construct::BlockComment))
        );
        assert_eq!(
            error("a\nb\n$f$ $$ $f"),
            ScriptError::new(
                3,
                ErrorKind::Unterminated(Construct::DollarQuote("$f$".into()))
            )
        );
    }

    #[test]
    fn non_ascii_is_word() {
        assert_eq!(
            kinds("größe;"),
            [(Kind::Word, "größe", 1), (Kind::Semicolon, ";", 1)]
        );
    }
}
