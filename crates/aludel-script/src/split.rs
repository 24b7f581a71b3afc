//! Splitting a section into statements on `;`, as the chosen [`Flavor`] reads
//! them.
//!
//! Uses the shared lexer, so `;` inside strings, quoted identifiers, comments
//! and (PostgreSQL) dollar quotes never splits. Where a `;` inside a statement
//! does not end it is the flavour's rule: SQLite's trigger definitions
//! (`complete.rs`, the rule of `sqlite3_complete`) or PostgreSQL's routine
//! bodies (`routine.rs`).

use crate::complete::Machine;
use crate::error::{Construct, ErrorKind, ScriptError};
use crate::flavor::Flavor;
use crate::lexer::{Kind, Lexer, Token};
use crate::routine;
use crate::statement::Statement;

/// Splits `text` (which starts on 1-based file line `first_line`) into
/// statements, reading it as `flavor` does.
///
/// Empty statements are dropped; a last statement without `;` is kept (its
/// trailing comments are not). Errors name the line where an unterminated
/// string, identifier, comment, dollar quote, routine body or trigger opened.
pub fn split_statements(
    text: &str,
    first_line: usize,
    flavor: Flavor,
) -> Result<Vec<Statement<'_>>, ScriptError> {
    let mut out = Vec::new();
    let mut current: Option<Current> = None;
    for token in Lexer::new(text, first_line, flavor) {
        let token = token?;
        if token.kind.is_trivia() {
            continue;
        }
        let cur = current.get_or_insert_with(|| Current::new(&token, flavor));
        cur.tracker.feed(&token, text);
        if token.kind == Kind::Semicolon && cur.tracker.at_end() {
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
    if let Some(mut cur) = current {
        if let Some(line) = cur.tracker.unfinished() {
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
                Flavor::Postgres => Tracker::Postgres(routine::Tracker::default()),
            },
        }
    }
}

/// The flavour's rule for which `;` ends a statement.
enum Tracker {
    Sqlite(Machine),
    Postgres(routine::Tracker),
}

impl Tracker {
    fn feed(&mut self, token: &Token, src: &str) {
        match self {
            Tracker::Sqlite(m) => m.feed(token, src),
            Tracker::Postgres(t) => t.feed(token, src),
        }
    }

    /// After a `;` was fed: whether it ended the statement.
    fn at_end(&self) -> bool {
        match self {
            Tracker::Sqlite(m) => m.at_end(),
            Tracker::Postgres(t) => t.depth == 0,
        }
    }

    /// At the end of the input: the line where a body that is still open began.
    fn unfinished(&mut self) -> Option<usize> {
        match self {
            Tracker::Sqlite(m) => m.unfinished_trigger(),
            Tracker::Postgres(t) => {
                t.finish();
                (t.depth > 0).then_some(t.open_line)
            }
        }
    }
}
