//! One statement of a section: its text, where it starts, how it is written
//! back with its `;`, and whether it is transaction control.

use std::fmt;

use crate::flavor::Flavor;
use crate::lexer::{Kind, Lexer};

/// One statement: original text of the source, without the terminating `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// From the first significant token up to (not including) the `;`,
    /// trailing whitespace trimmed; inner comments are kept.
    pub text: &'a str,
    /// 1-based line in the file where `text` starts.
    pub line: usize,
}

/// A statement that starts, ends or undoes a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransactionControl {
    /// `BEGIN …` or `START TRANSACTION`.
    Begin,
    /// `COMMIT …` or `END [TRANSACTION]`.
    Commit,
    /// `ROLLBACK [TRANSACTION]` (not `ROLLBACK … TO [SAVEPOINT] x`), or
    /// PostgreSQL's `ABORT`.
    Rollback,
}

impl fmt::Display for TransactionControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransactionControl::Begin => "starts a transaction",
            TransactionControl::Commit => "commits the transaction",
            TransactionControl::Rollback => "rolls the transaction back",
        })
    }
}

impl Statement<'_> {
    /// Whether this statement starts, commits or rolls back a transaction,
    /// read as `flavor` does. A `BEGIN` that opens a trigger or routine body
    /// is inside its `CREATE` statement, so it is never one of these.
    pub fn transaction_control(&self, flavor: Flavor) -> Option<TransactionControl> {
        let mut words = Lexer::new(self.text, self.line, flavor)
            .map_while(Result::ok)
            .filter(|t| !t.kind.is_trivia())
            .take(4)
            .map(|t| (t.kind == Kind::Word).then(|| &self.text[t.start..t.end]));
        let first = words.next().flatten()?;
        let is = |word: Option<&str>, kw: &str| word.is_some_and(|w| w.eq_ignore_ascii_case(kw));
        let first = Some(first);
        if is(first, "BEGIN") {
            Some(TransactionControl::Begin)
        } else if is(first, "START") {
            is(words.next().flatten(), "TRANSACTION").then_some(TransactionControl::Begin)
        } else if is(first, "COMMIT") || is(first, "END") {
            Some(TransactionControl::Commit)
        } else if is(first, "ABORT") && flavor == Flavor::Postgres {
            Some(TransactionControl::Rollback)
        } else if is(first, "ROLLBACK") {
            // `ROLLBACK [TRANSACTION|WORK] TO [SAVEPOINT] name` only undoes
            // part of the transaction, which stays open.
            let mut rest = words.take(2);
            (!rest.any(|w| is(w, "TO"))).then_some(TransactionControl::Rollback)
        } else {
            None
        }
    }
}

/// Appends `text` and its terminating `;` to `out` as a file would hold it:
/// the `;` follows the text directly (so an engine stores the same text, e.g.
/// in `sqlite_master`), except when the text's last line holds `--` (a line
/// comment may run to its end), where the `;` goes on a line of its own.
///
/// Both the online batch and offline `--sql` output use this, so offline
/// scripts replay exactly as online runs execute.
pub fn push_terminated(out: &mut String, text: &str) {
    out.push_str(text);
    let last_line = text.rsplit('\n').next().unwrap_or_default();
    out.push_str(if last_line.contains("--") { "\n;" } else { ";" });
}
