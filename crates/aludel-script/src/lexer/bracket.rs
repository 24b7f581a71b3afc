//! `[...]`: SQLite's bracket identifiers, and PostgreSQL's subscripts and
//! arrays, which share the characters (see [`Lexer::bracket`]).

use super::{Kind, Lexer};
use crate::flavor::Flavor;

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

impl Lexer<'_> {
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
    pub(super) fn bracket(&mut self) -> Option<Kind> {
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
}
