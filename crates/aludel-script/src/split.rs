//! Splitting a section into statements on `;`.
//!
//! Uses the shared lexer, so `;` inside strings, quoted identifiers, comments
//! and dollar quotes never splits. Statements starting with
//! `CREATE [OR REPLACE] [TEMP|TEMPORARY] [DEFINER = …] TRIGGER|FUNCTION|PROCEDURE|EVENT`
//! (also `CONSTRAINT TRIGGER`) are "routines": inside them the words `BEGIN`
//! and `CASE` open a block and `END` closes one (`END IF/LOOP/WHILE/REPEAT/FOR`
//! close constructs that were never counted; `END CASE` closes its `CASE`),
//! and a `;` only ends the statement outside any block. A keyword directly
//! after `.` (as in `NEW.end`) is a name, not a keyword; `[case]` is one
//! bracket-identifier token anyway. A `[` the lexer leaves as punctuation
//! opens a PostgreSQL subscript or array, whose `CASE ... END` counts as usual.

use crate::error::{Construct, ErrorKind, ScriptError};
use crate::lexer::{Kind, Lexer, Token};

/// One statement: original text of the source, without the terminating `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// From the first significant token up to (not including) the `;`,
    /// trailing whitespace trimmed; inner comments are kept.
    pub text: &'a str,
    /// 1-based line in the file where `text` starts.
    pub line: usize,
}

/// Splits `text` (which starts on 1-based file line `first_line`) into statements.
///
/// Empty statements are dropped; a last statement without `;` is kept (its
/// trailing comments are not). Errors name the line where an unterminated
/// string, identifier, comment, dollar quote or routine body opened.
pub fn split_statements(text: &str, first_line: usize) -> Result<Vec<Statement<'_>>, ScriptError> {
    let mut out = Vec::new();
    let mut current: Option<Current> = None;
    for token in Lexer::new(text, first_line) {
        let token = token?;
        if token.kind.is_trivia() {
            continue;
        }
        let cur = current.get_or_insert_with(|| Current::new(&token));
        cur.tracker.feed(&token, text);
        if token.kind == Kind::Semicolon && cur.tracker.depth == 0 {
            if cur.start < token.start {
                out.push(Statement {
                    text: text[cur.start..token.start].trim_end(),
                    line: cur.line,
                });
            }
            current = None;
        } else {
            cur.end = token.end;
        }
    }
    if let Some(mut cur) = current {
        cur.tracker.finish();
        if cur.tracker.depth > 0 {
            return Err(ScriptError::new(
                cur.tracker.open_line,
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

/// The statement being collected.
struct Current {
    start: usize,
    end: usize,
    line: usize,
    tracker: Tracker,
}

impl Current {
    fn new(first: &Token) -> Self {
        Self {
            start: first.start,
            end: first.start,
            line: first.line,
            tracker: Tracker::default(),
        }
    }
}

/// Where we are in recognising `CREATE ... TRIGGER|FUNCTION|PROCEDURE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Prefix {
    #[default]
    Start,
    AfterCreate,
    /// Skipping a MySQL `DEFINER = user@host` clause; counts tokens left.
    Definer(u8),
    Routine,
    Plain,
}

/// Block depth tracking for routine bodies.
#[derive(Debug, Default)]
struct Tracker {
    prefix: Prefix,
    depth: usize,
    open_line: usize,
    pending_end: bool,
    /// The previous significant token was `.`.
    after_qualifier: bool,
}

fn is(word: &str, kw: &str) -> bool {
    word.eq_ignore_ascii_case(kw)
}

fn is_routine_kind(word: &str) -> bool {
    ["TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"]
        .iter()
        .any(|k| is(word, k))
}

impl Tracker {
    fn feed(&mut self, token: &Token, src: &str) {
        let text = &src[token.start..token.end];
        let word = (token.kind == Kind::Word).then_some(text);
        let after_qualifier = std::mem::replace(
            &mut self.after_qualifier,
            token.kind == Kind::Punct && text == ".",
        );
        match self.prefix {
            Prefix::Start => {
                self.prefix = match word {
                    Some(w) if is(w, "CREATE") => Prefix::AfterCreate,
                    _ => Prefix::Plain,
                }
            }
            Prefix::AfterCreate => {
                self.prefix = match word {
                    Some(w) if is_routine_kind(w) => Prefix::Routine,
                    Some(w) if is(w, "DEFINER") => Prefix::Definer(8),
                    Some(w)
                        if ["OR", "REPLACE", "TEMP", "TEMPORARY", "CONSTRAINT"]
                            .iter()
                            .any(|k| is(w, k)) =>
                    {
                        Prefix::AfterCreate
                    }
                    _ => Prefix::Plain,
                }
            }
            Prefix::Definer(left) => {
                self.prefix = match word {
                    Some(w) if is_routine_kind(w) => Prefix::Routine,
                    _ if left == 0 || token.kind == Kind::Semicolon => Prefix::Plain,
                    _ => Prefix::Definer(left - 1),
                }
            }
            Prefix::Routine => self.body(word, after_qualifier, token.line),
            Prefix::Plain => {}
        }
    }

    fn body(&mut self, word: Option<&str>, after_qualifier: bool, line: usize) {
        if std::mem::take(&mut self.pending_end) {
            if let Some(w) = word {
                if ["IF", "LOOP", "WHILE", "REPEAT", "FOR"]
                    .iter()
                    .any(|k| is(w, k))
                {
                    return;
                }
                if is(w, "CASE") {
                    self.depth = self.depth.saturating_sub(1);
                    return;
                }
            }
            self.depth = self.depth.saturating_sub(1);
        }
        let Some(w) = word.filter(|_| !after_qualifier) else {
            return;
        };
        if is(w, "BEGIN") || is(w, "CASE") {
            if self.depth == 0 {
                self.open_line = line;
            }
            self.depth += 1;
        } else if is(w, "END") && self.depth > 0 {
            self.pending_end = true;
        }
    }

    /// End of input: apply a trailing `END`.
    fn finish(&mut self) {
        if std::mem::take(&mut self.pending_end) {
            self.depth = self.depth.saturating_sub(1);
        }
    }
}
