//! Splitting a section into statements, as the chosen [`Flavor`] reads them.
//!
//! Uses the shared lexer, so `;` inside strings, quoted identifiers, comments
//! and (PostgreSQL) dollar quotes never splits. Where a `;` inside a statement
//! does not end it is the flavour's rule: SQLite's trigger definitions
//! (`complete.rs`, the rule of `sqlite3_complete`), PostgreSQL's parentheses
//! and `BEGIN ATOMIC` bodies (`atomic.rs`), MySQL's compound statements
//! (`compound.rs`). MySQL's `DELIMITER` lines (`delimiter.rs`) change what
//! ends a statement.

use crate::complete::Machine;
use crate::error::{Construct, ErrorKind, ScriptError};
use crate::flavor::Flavor;
use crate::lexer::{Kind, Lexer, Token};
use crate::statement::Statement;
use crate::{atomic, compound, delimiter};

/// Splits `text` (which starts on 1-based file line `first_line`) into
/// statements, reading it as `flavor` does.
///
/// Empty statements are dropped; a last statement without `;` (or without
/// the MySQL client delimiter in force) is kept (its trailing comments are
/// not). Statement text never includes the `;` or delimiter that ended it.
/// Errors name the line where an unterminated string, identifier, comment,
/// dollar quote, routine body or trigger opened, or the line of a `DELIMITER`
/// command that the flavour does not read.
pub fn split_statements(
    text: &str,
    first_line: usize,
    flavor: Flavor,
) -> Result<Vec<Statement<'_>>, ScriptError> {
    let mut out = Vec::new();
    let mut current: Option<Current> = None;
    let mut custom_delimiter = false;
    let mut lexer = Lexer::new(text, first_line, flavor);
    while let Some(token) = lexer.next() {
        let token = token?;
        if token.kind.is_trivia() {
            continue;
        }
        if current.is_none() && delimiter::is_delimiter_word(&token, text) {
            let command = delimiter::command(&token, text, flavor)?;
            custom_delimiter = command.delimiter.is_some();
            lexer.set_delimiter(command.delimiter);
            lexer.skip_to(command.line_end);
            continue;
        }
        let cur = current.get_or_insert_with(|| Current::new(&token, flavor));
        let ends = if custom_delimiter {
            token.kind == Kind::Delimiter
        } else {
            cur.tracker.feed(&token, text);
            token.kind == Kind::Semicolon && cur.tracker.at_end()
        };
        if ends {
            if cur.start < token.start {
                out.push(Statement {
                    text: text[cur.start..token.start].trim_end_matches(SQL_WHITESPACE),
                    line: cur.line,
                });
            }
            current = None;
        } else {
            cur.end = token.end;
        }
    }
    if let Some(cur) = current {
        if !custom_delimiter && let Some(line) = cur.tracker.unfinished() {
            return Err(ScriptError::new(
                line,
                ErrorKind::Unterminated(Construct::RoutineBody),
            ));
        }
        out.push(Statement {
            text: &text[cur.start..cur.end],
            line: cur.line,
        });
    }
    Ok(out)
}

/// What the lexer reads as whitespace; other Unicode spaces are identifier
/// characters to the engines, so trimming them would change a name.
const SQL_WHITESPACE: [char; 6] = [' ', '\t', '\r', '\n', '\x0b', '\x0c'];

/// The statement being collected.
struct Current {
    start: usize,
    end: usize,
    line: usize,
    tracker: Tracker,
}

impl Current {
    fn new(first: &Token, flavor: Flavor) -> Self {
        Self {
            start: first.start,
            end: first.start,
            line: first.line,
            tracker: match flavor {
                Flavor::Sqlite => Tracker::Sqlite(Machine::default()),
                Flavor::Postgres => Tracker::Postgres(atomic::Tracker::default()),
                Flavor::MySql => Tracker::MySql(compound::Tracker::default()),
            },
        }
    }
}

/// The flavour's rule for which `;` ends a statement.
enum Tracker {
    Sqlite(Machine),
    Postgres(atomic::Tracker),
    MySql(compound::Tracker),
}

impl Tracker {
    fn feed(&mut self, token: &Token, src: &str) {
        match self {
            Tracker::Sqlite(m) => m.feed(token, src),
            Tracker::Postgres(t) => t.feed(token, src),
            Tracker::MySql(t) => t.feed(token, src),
        }
    }

    /// After a `;` was fed: whether it ended the statement.
    fn at_end(&self) -> bool {
        match self {
            Tracker::Sqlite(m) => m.at_end(),
            Tracker::Postgres(t) => t.at_end(),
            Tracker::MySql(t) => t.at_end(),
        }
    }

    /// At the end of the input: the line where a body that is still open began.
    fn unfinished(&self) -> Option<usize> {
        match self {
            Tracker::Sqlite(m) => m.unfinished_trigger(),
            Tracker::Postgres(t) => t.unfinished(),
            Tracker::MySql(t) => t.unfinished(),
        }
    }
}
