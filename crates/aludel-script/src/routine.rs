//! PostgreSQL's routine bodies: where a `;` inside
//! `CREATE … FUNCTION|PROCEDURE|TRIGGER|EVENT … BEGIN … END` does not end the
//! statement ([`Flavor::Postgres`](crate::Flavor::Postgres)).
//!
//! Statements starting with
//! `CREATE [OR REPLACE] [TEMP|TEMPORARY] [DEFINER = …] TRIGGER|FUNCTION|PROCEDURE|EVENT`
//! (also `CONSTRAINT TRIGGER`) are "routines": inside them the words `BEGIN`
//! and `CASE` open a block and `END` closes one (`END IF/LOOP/WHILE/REPEAT/FOR`
//! close constructs that were never counted; `END CASE` closes its `CASE`),
//! and a `;` only ends the statement outside any block. A keyword directly
//! after `.` (as in `NEW.end`) is a name, not a keyword; `[case]` is one
//! bracket-identifier token anyway. A `[` the lexer leaves as punctuation
//! opens a PostgreSQL subscript or array, whose `CASE ... END` counts as usual.

use crate::lexer::{Kind, Token};

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
pub(crate) struct Tracker {
    prefix: Prefix,
    pub(crate) depth: usize,
    pub(crate) open_line: usize,
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
    pub(crate) fn feed(&mut self, token: &Token, src: &str) {
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
    pub(crate) fn finish(&mut self) {
        if std::mem::take(&mut self.pending_end) {
            self.depth = self.depth.saturating_sub(1);
        }
    }
}
