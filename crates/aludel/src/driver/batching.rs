//! What the SQLite and PostgreSQL drivers share about batches: how a run of
//! statements is cut into round trips, and what the open transaction holds
//! (which decides whether a batch needs a savepoint).
//!
//! Architecture invariant: no I/O; each driver sends the chunks itself.

use std::ops::Range;

/// The chunks `statements` are sent in: consecutive ranges of at most
/// `max_statements` statements and, unless one statement is longer,
/// `max_bytes` bytes (each statement counted with its `;` and line break).
pub(super) fn chunks(
    statements: &[&str],
    max_statements: usize,
    max_bytes: usize,
) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, statement) in statements.iter().enumerate() {
        let full = i - start == max_statements || bytes + statement.len() > max_bytes;
        if i > start && full {
            ranges.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += statement.len() + 2;
    }
    if start < statements.len() {
        ranges.push(start..statements.len());
    }
    ranges
}

/// What the open transaction holds, as far as a batch is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Txn {
    /// No transaction known to be open.
    Idle,
    /// Just begun and still empty: a failed batch is undone by rolling the
    /// whole transaction back, so the batch needs no savepoint (a statement
    /// and a subtransaction less per migration).
    Fresh,
    /// Holds earlier work: a batch runs inside a savepoint.
    Dirty,
    /// Holds earlier work, and the last batch's savepoint is still open.
    Savepoint,
}
