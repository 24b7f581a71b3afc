//! PostgreSQL's end-of-statement rule ([`Flavor::Postgres`](crate::Flavor::Postgres)):
//! which `;` end a statement, as PostgreSQL's grammar and `psql` read them.
//!
//! * A `;` inside parentheses does not end the statement: a multi-action rule
//!   `CREATE RULE … DO ALSO (INSERT …; UPDATE …)` is one statement (`psql`
//!   counts parentheses the same way).
//! * `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END` (SQL-standard
//!   bodies, PostgreSQL 14+): the `;` inside the body do not end it. Inside,
//!   `CASE` opens a level and `END` closes one, except directly after `.` or
//!   `AS`, where PostgreSQL reads a keyword as a name (`t.end`, `AS end`).
//!   Only `BEGIN ATOMIC` (outside parentheses) opens a body: a plain `BEGIN`
//!   is not SQL-function syntax (PL/pgSQL bodies are dollar-quoted), so it
//!   changes nothing; `psql` would count it, but the server rejects such text
//!   anyway.

use crate::lexer::{Kind, Token};

/// Where we are in recognising `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Prefix {
    #[default]
    Start,
    AfterCreate,
    Routine,
    Plain,
}

/// Tracks one statement's parentheses and `BEGIN ATOMIC` body.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    prefix: Prefix,
    parens: usize,
    /// `BEGIN ATOMIC` plus open `CASE` levels; 0 outside a body.
    depth: usize,
    /// Line of the `BEGIN` that opened the body.
    open_line: usize,
    /// Line of a `BEGIN` that may be followed by `ATOMIC`.
    begin_line: Option<usize>,
    /// The previous significant token was `.` or the word `AS`.
    name_next: bool,
}

fn is(word: &str, kw: &str) -> bool {
    word.eq_ignore_ascii_case(kw)
}

impl Tracker {
    /// Feeds one significant (non-trivia) token.
    pub(crate) fn feed(&mut self, token: &Token, src: &str) {
        let text = &src[token.start..token.end];
        let word = (token.kind == Kind::Word).then_some(text);
        let name_next = std::mem::replace(
            &mut self.name_next,
            (token.kind == Kind::Punct && text == ".") || word.is_some_and(|w| is(w, "AS")),
        );
        let begin_line = self.begin_line.take();
        match token.kind {
            Kind::Punct if text == "(" => self.parens += 1,
            Kind::Punct if text == ")" => self.parens = self.parens.saturating_sub(1),
            _ => {}
        }
        match (self.prefix, word) {
            (Prefix::Start, Some(w)) if is(w, "CREATE") => self.prefix = Prefix::AfterCreate,
            (Prefix::AfterCreate, Some(w)) if is(w, "OR") || is(w, "REPLACE") => {}
            (Prefix::AfterCreate, Some(w)) if is(w, "FUNCTION") || is(w, "PROCEDURE") => {
                self.prefix = Prefix::Routine;
            }
            (Prefix::Routine, Some(w)) if !name_next => self.body_word(w, token.line, begin_line),
            (Prefix::Routine, _) => {}
            _ => self.prefix = Prefix::Plain,
        }
    }

    fn body_word(&mut self, w: &str, line: usize, begin_line: Option<usize>) {
        if self.depth == 0 {
            if self.parens > 0 {
                return;
            }
            if is(w, "BEGIN") {
                self.begin_line = Some(line);
            } else if is(w, "ATOMIC")
                && let Some(line) = begin_line
            {
                self.depth = 1;
                self.open_line = line;
            }
        } else if is(w, "CASE") {
            self.depth += 1;
        } else if is(w, "END") {
            self.depth -= 1;
        }
    }

    /// After a `;` was fed: whether it ended the statement.
    pub(crate) fn at_end(&self) -> bool {
        self.depth == 0 && self.parens == 0
    }

    /// At the end of the input: the line where a body that is still open began.
    pub(crate) fn unfinished(&self) -> Option<usize> {
        (self.depth > 0).then_some(self.open_line)
    }
}
