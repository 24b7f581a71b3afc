//! SQLite's end-of-statement rule ([`Flavor::Sqlite`](crate::Flavor::Sqlite)):
//! the state machine of `sqlite3_complete` (SQLite's `complete.c`), fed with
//! the significant tokens of the SQLite-flavoured lexer.
//!
//! A statement ends at a `;` unless it is a trigger definition: `CREATE`,
//! optionally `TEMP`/`TEMPORARY`, then `TRIGGER` (all possibly after
//! `EXPLAIN` and any words, as in `EXPLAIN QUERY PLAN`) starts one, and it
//! ends only at a `;` that follows an `END` which itself directly follows a
//! `;` (whitespace and comments between them allowed). So `SET end = 1;`
//! inside a trigger body does not end it, and `CASE … END` does not matter.
//! Keywords are whole SQLite words (`x.end` holds the keyword, `$end` and
//! `9end` do not), compared without regard to ASCII case.

use crate::lexer::{Kind, Token};

/// `complete.c`'s states after the first significant token (its `INVALID`
/// and `START` differ only in what whitespace does, which is skipped here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// Between statements.
    #[default]
    Start,
    /// In a statement that ends at the next `;`.
    Normal,
    /// After a leading `EXPLAIN` (and any words but `EXPLAIN` after it).
    Explain,
    /// After `CREATE` and any `TEMP`/`TEMPORARY`.
    Create,
    /// In a trigger definition.
    Trigger,
    /// In a trigger, right after a `;`.
    Semi,
    /// In a trigger, after `; END`.
    End,
}

/// The token classes `complete.c` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Semi,
    Other,
    Explain,
    Create,
    Temp,
    Trigger,
    End,
}

fn class(token: &Token, src: &str) -> Class {
    match token.kind {
        Kind::Semicolon => Class::Semi,
        Kind::Word => {
            let word = &src[token.start..token.end];
            let is = |kw: &str| word.eq_ignore_ascii_case(kw);
            if is("create") {
                Class::Create
            } else if is("trigger") {
                Class::Trigger
            } else if is("temp") || is("temporary") {
                Class::Temp
            } else if is("end") {
                Class::End
            } else if is("explain") {
                Class::Explain
            } else {
                Class::Other
            }
        }
        _ => Class::Other,
    }
}

/// Tracks one statement through `complete.c`'s states.
#[derive(Debug, Default)]
pub(crate) struct Machine {
    state: State,
    /// Line of the `TRIGGER` keyword that opened a trigger definition.
    trigger_line: usize,
}

impl Machine {
    /// Feeds one significant (non-trivia) token.
    pub(crate) fn feed(&mut self, token: &Token, src: &str) {
        use Class as C;
        use State as S;
        let class = class(token, src);
        self.state = match (self.state, class) {
            (S::Trigger | S::Semi, C::Semi) => S::Semi,
            (_, C::Semi) => S::Start,
            (S::Start, C::Explain) => S::Explain,
            (S::Start | S::Explain, C::Create) => S::Create,
            (S::Explain, C::Other) => S::Explain,
            (S::Create, C::Temp) => S::Create,
            (S::Create, C::Trigger) => {
                self.trigger_line = token.line;
                S::Trigger
            }
            (S::Semi, C::End) => S::End,
            (S::Trigger | S::Semi | S::End, _) => S::Trigger,
            _ => S::Normal,
        };
    }

    /// After a `;` was fed: whether it ended the statement.
    pub(crate) fn at_end(&self) -> bool {
        self.state == State::Start
    }

    /// At the end of the input, the line of a trigger definition still
    /// waiting for its `; END`. A trigger whose text ends right after
    /// `; END` is complete: the `;` that follows is added when it runs.
    pub(crate) fn unfinished_trigger(&self) -> Option<usize> {
        matches!(self.state, State::Trigger | State::Semi).then_some(self.trigger_line)
    }
}
