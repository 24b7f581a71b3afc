//! The `mysql`/`mariadb` client's `DELIMITER` command
//! ([`Flavor::MySql`](crate::Flavor::MySql)).
//!
//! `DELIMITER xx` (any case) as the first thing on its line, between
//! statements, is read by the client and never sent: from the next line on,
//! statements end at `xx` instead of `;`, until `DELIMITER ;`. Its argument
//! is the first word after it, or text in `'…'`, `"…"` or `` `…` `` (without
//! the quotes); the rest of the line is ignored, as the client ignores it.
//! Other engines have no such command: there a statement that starts with
//! `DELIMITER` is an error, never sent to the server.

use crate::error::{ErrorKind, ScriptError};
use crate::flavor::Flavor;
use crate::lexer::{Kind, Token};

/// A recognised `DELIMITER` line.
pub(crate) struct Command<'a> {
    /// The new delimiter; `None` for `;`.
    pub(crate) delimiter: Option<&'a str>,
    /// Where the line ends (the lexer continues there).
    pub(crate) line_end: usize,
}

/// Whether `token` is the word `DELIMITER`.
pub(crate) fn is_delimiter_word(token: &Token, src: &str) -> bool {
    token.kind == Kind::Word && src[token.start..token.end].eq_ignore_ascii_case("DELIMITER")
}

/// Reads the `DELIMITER` command whose word is `token`, the first token of a
/// statement in `src`, as `flavor` does.
pub(crate) fn command<'a>(
    token: &Token,
    src: &'a str,
    flavor: Flavor,
) -> Result<Command<'a>, ScriptError> {
    let err = |reason| Err(ScriptError::new(token.line, reason));
    if flavor != Flavor::MySql {
        return err(ErrorKind::DelimiterCommand(flavor));
    }
    let line_start = src[..token.start].rfind('\n').map_or(0, |i| i + 1);
    if !src[line_start..token.start]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        return err(ErrorKind::InvalidDelimiter(
            "`DELIMITER` must be the first thing on its line",
        ));
    }
    let line_end = src[token.end..]
        .find('\n')
        .map_or(src.len(), |i| token.end + i);
    let rest = src[token.end..line_end].trim_end_matches('\r');
    let arg = rest.trim_start_matches([' ', '\t']);
    if arg.len() == rest.len() && !rest.is_empty() {
        return err(ErrorKind::InvalidDelimiter(
            "`DELIMITER` must be followed by a space and the delimiter",
        ));
    }
    let delimiter = match arg.as_bytes().first() {
        Some(&q @ (b'\'' | b'"' | b'`')) => match arg[1..].find(q as char) {
            Some(end) => &arg[1..1 + end],
            None => &arg[1..],
        },
        _ => arg.split([' ', '\t']).next().unwrap_or_default(),
    };
    if delimiter.is_empty() {
        return err(ErrorKind::InvalidDelimiter(
            "`DELIMITER` needs a delimiter after it (`DELIMITER ;` restores `;`)",
        ));
    }
    if delimiter.contains('\\') {
        return err(ErrorKind::InvalidDelimiter(
            "a delimiter cannot contain a backslash",
        ));
    }
    Ok(Command {
        delimiter: (delimiter != ";").then_some(delimiter),
        line_end,
    })
}
