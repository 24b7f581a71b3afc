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
    /// `BEGIN …`, `START TRANSACTION …`, MySQL's
    /// `XA START|BEGIN …`.
    Begin,
    /// `COMMIT …` (also `AND CHAIN`), `END [TRANSACTION]` (SQLite,
    /// PostgreSQL), PostgreSQL's `PREPARE TRANSACTION …`, MySQL's
    /// `XA COMMIT …`.
    Commit,
    /// `ROLLBACK …` (not `ROLLBACK … TO [SAVEPOINT] x`), PostgreSQL's
    /// `ABORT`, MySQL's `XA ROLLBACK …`.
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
    /// Whether the text holds a `;` outside strings, quoted names and
    /// comments, read as `flavor` does (a routine or trigger body): a client
    /// that ends statements at every `;`, such as the `mysql`/`mariadb`
    /// command-line client, would cut it there.
    pub fn has_inner_semicolon(&self, flavor: Flavor) -> bool {
        Lexer::new(self.text, self.line, flavor)
            .map_while(Result::ok)
            .any(|t| t.kind == Kind::Semicolon)
    }

    /// Whether this statement starts, commits or rolls back a transaction,
    /// read as `flavor` does. A `BEGIN` that opens a trigger or routine body
    /// is inside its `CREATE` statement, so it is never one of these; nor is
    /// MariaDB's `BEGIN NOT ATOMIC` block or PostgreSQL's `BEGIN ATOMIC`.
    /// `SAVEPOINT`, `RELEASE` and `ROLLBACK TO` keep the transaction open.
    pub fn transaction_control(&self, flavor: Flavor) -> Option<TransactionControl> {
        use TransactionControl::{Begin, Commit, Rollback};
        let words: Vec<Option<&str>> = Lexer::new(self.text, self.line, flavor)
            .map_while(Result::ok)
            .filter(|t| !t.kind.is_trivia())
            .take(5)
            .map(|t| (t.kind == Kind::Word).then(|| &self.text[t.start..t.end]))
            .collect();
        let is = |i: usize, kw: &str| {
            words
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|w| w.eq_ignore_ascii_case(kw))
        };
        let postgres = flavor == Flavor::Postgres;
        let mysql = flavor == Flavor::MySql;
        if is(0, "BEGIN") {
            let block = (mysql && is(1, "NOT")) || is(1, "ATOMIC");
            (!block).then_some(Begin)
        } else if is(0, "START") {
            is(1, "TRANSACTION").then_some(Begin)
        } else if is(0, "COMMIT") || (is(0, "END") && !mysql) {
            // PostgreSQL's `COMMIT PREPARED 'x'` ends another (prepared)
            // transaction and cannot run inside one, which is still a reason
            // to keep it out of a transactional section.
            Some(Commit)
        } else if is(0, "ABORT") && postgres {
            Some(Rollback)
        } else if is(0, "PREPARE") && postgres {
            is(1, "TRANSACTION").then_some(Commit)
        } else if is(0, "ROLLBACK") {
            // `ROLLBACK [TRANSACTION|WORK] TO [SAVEPOINT] name` only undoes
            // part of the transaction, which stays open.
            (!(1..=2).any(|i| is(i, "TO"))).then_some(Rollback)
        } else if is(0, "XA") && mysql {
            if is(1, "START") || is(1, "BEGIN") {
                Some(Begin)
            } else if is(1, "COMMIT") {
                Some(Commit)
            } else if is(1, "ROLLBACK") {
                Some(Rollback)
            } else {
                None
            }
        } else {
            None
        }
    }
}

/// Appends `text` and its terminating `;` to `out` as a file would hold it:
/// the `;` follows the text directly (so an engine stores the same text, e.g.
/// in `sqlite_master`), except when the text's last line holds `--` or `#`
/// (a line comment may run to its end; `#` is one for MySQL), where the `;`
/// goes on a line of its own.
///
/// Both the online batch and offline `--sql` output use this, so offline
/// scripts replay exactly as online runs execute.
pub fn push_terminated(out: &mut String, text: &str) {
    out.push_str(text);
    let last_line = text.rsplit('\n').next().unwrap_or_default();
    out.push_str(if last_line.contains("--") || last_line.contains('#') {
        "\n;"
    } else {
        ";"
    });
}
