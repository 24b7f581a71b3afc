//! Sending many statements to SQLite: in bounded chunks, each one round trip,
//! checked statement by statement.
//!
//! sqlx hands SQLite each statement of a multi-statement string together with
//! all the text after it, and SQLite copies that text before parsing the first
//! statement; one string for a whole revision therefore costs time quadratic
//! in its number of statements. Chunks of at most [`CHUNK_STATEMENTS`]
//! statements keep that copying to a few times the revision's size, while an
//! ordinary revision still goes in one round trip.

use std::ops::Range;

use aludel_script::push_terminated;
use futures_util::StreamExt;
use sqlx::sqlite::SqliteConnection;
use sqlx::{AssertSqlSafe, Either};

use super::{db_err, is_busy, version_of};
use crate::dialect::{Dialect, SqliteDialect, VersionTable};
use crate::driver::{BatchError, DbError};

/// Most statements sent in one round trip.
pub(super) const CHUNK_STATEMENTS: usize = 64;

/// Most bytes of SQL sent in one round trip (a longer statement goes alone).
pub(super) const CHUNK_BYTES: usize = 256 * 1024;

/// The savepoint around a batch, so that a failed batch can be examined one
/// statement at a time and then undone.
const SAVEPOINT: &str = "SAVEPOINT aludel_batch";
const RELEASE: &str = "RELEASE aludel_batch";
const ROLLBACK_TO: &str = "ROLLBACK TO aludel_batch";

/// A failed batch: the position of the statement at fault (as far as the
/// results tell), SQLite's message, and whether SQLite gave up waiting for a
/// lock.
pub(super) struct Failure {
    pub index: usize,
    pub error: DbError,
    pub busy: bool,
    /// SQLite read the text as a different number of statements.
    pub misread: bool,
}

/// The chunks `statements` are sent in: at most [`CHUNK_STATEMENTS`]
/// statements and, unless one statement is longer, [`CHUNK_BYTES`] bytes.
pub(super) fn chunks(statements: &[&str]) -> Vec<Range<usize>> {
    crate::driver::batching::chunks(statements, CHUNK_STATEMENTS, CHUNK_BYTES)
}

fn misread(found: usize) -> DbError {
    DbError::new(format!(
        "SQLite reads this text as {found} statements where aludel's splitter found one"
    ))
}

/// Runs `statements` in chunks, then (with `read_versions`) reads that version
/// table in the same round trip as the last chunk. Returns the rows each
/// statement changed and the versions read. SQLite prepares each statement
/// only when the previous one has run, so later statements see earlier schema
/// changes; sqlx reports one result per statement, which tells which one
/// failed, and a count that disagrees with a chunk's means SQLite read the text
/// differently from aludel's splitter.
pub(super) async fn run(
    conn: &mut SqliteConnection,
    statements: &[&str],
    read_versions: Option<&VersionTable>,
) -> Result<(Vec<u64>, Vec<String>), Failure> {
    let mut changed = Vec::with_capacity(statements.len() + 1);
    let mut versions = Vec::new();
    let mut ranges = chunks(statements);
    if ranges.is_empty() {
        ranges.push(0..0);
    }
    let last = ranges.len() - 1;
    for (n, range) in ranges.into_iter().enumerate() {
        let part = &statements[range.clone()];
        let mut sql = String::with_capacity(part.iter().map(|s| s.len() + 3).sum::<usize>() + 64);
        for statement in part {
            // As a file holds it (and offline `--sql` prints it).
            push_terminated(&mut sql, statement);
            sql.push('\n');
        }
        let reads = n == last && read_versions.is_some();
        if let (true, Some(table)) = (reads, read_versions) {
            sql.push_str("SELECT version_num FROM ");
            sql.push_str(&SqliteDialect.qualified(table));
        }
        let expected = range.end + usize::from(reads);
        let mut results = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_many(&mut *conn);
        while let Some(result) = results.next().await {
            match result {
                Ok(Either::Left(done)) => changed.push(done.rows_affected()),
                Ok(Either::Right(row)) if reads && changed.len() == statements.len() => {
                    let table = read_versions.map(|t| t.to_string()).unwrap_or_default();
                    let version = version_of(&row, &table).map_err(|error| Failure {
                        index: statements.len(),
                        error,
                        busy: false,
                        misread: false,
                    })?;
                    versions.push(version);
                }
                Ok(Either::Right(_)) => {}
                Err(e) => {
                    return Err(Failure {
                        index: changed.len(),
                        busy: is_busy(&e),
                        error: db_err(e),
                        misread: false,
                    });
                }
            }
        }
        if changed.len() != expected {
            return Err(Failure {
                index: changed.len().min(range.end.saturating_sub(1)),
                error: DbError::new(format!(
                    "SQLite read {} statements where aludel's splitter found {}",
                    changed.len() - range.start,
                    expected - range.start
                )),
                busy: false,
                misread: true,
            });
        }
    }
    changed.truncate(statements.len());
    Ok((changed, versions))
}

pub(super) use crate::driver::batching::Txn;

/// Runs `statements` so that a failure leaves nothing of them behind and
/// names the statement at fault. In a [`Txn::Fresh`] transaction they run as
/// they are, and a failure rolls the transaction back. Otherwise they run
/// inside a savepoint, which stays open ([`Txn::Savepoint`]) until the next
/// batch, commit or rollback: the statement counts are known only once the
/// whole round trip has run, and a released savepoint could not be rolled
/// back. When the batch fails, or SQLite reads it as a different number of
/// statements, what it did is undone and the statements are run again one at
/// a time to find the one at fault, whose own error (or the number of
/// statements SQLite reads in it) is reported; then that is undone too.
pub(super) async fn execute_guarded(
    conn: &mut SqliteConnection,
    txn: &mut Txn,
    statements: &[&str],
) -> Result<Vec<u64>, BatchError> {
    if *txn == Txn::Fresh {
        return execute_in_fresh_transaction(conn, txn, statements).await;
    }
    let mut all = Vec::with_capacity(statements.len() + 2);
    if *txn == Txn::Savepoint {
        all.push(RELEASE);
    }
    all.push(SAVEPOINT);
    let first = all.len();
    all.extend_from_slice(statements);
    *txn = Txn::Dirty;
    let failure = match run(conn, &all, None).await {
        Ok((changed, _)) => {
            *txn = Txn::Savepoint;
            return Ok(changed[first..].to_vec());
        }
        Err(failure) => failure,
    };
    if failure.index < first {
        // The savepoint itself failed: nothing of the batch ran.
        return Err(BatchError {
            index: 0,
            error: failure.error,
        });
    }
    let fallback = BatchError {
        index: (failure.index - first).min(statements.len().saturating_sub(1)),
        error: failure.error,
    };
    if execute_one(conn, ROLLBACK_TO).await.is_err() {
        return Err(fallback);
    }
    let culprit = find_culprit(conn, statements, &fallback, failure.misread).await;
    // Undo whatever the one-at-a-time run did; the batch as a whole failed.
    let _ = execute_one(conn, ROLLBACK_TO).await;
    let _ = execute_one(conn, RELEASE).await;
    Err(culprit.unwrap_or(fallback))
}

/// [`execute_guarded`] in a transaction that holds nothing else: on failure
/// the transaction is rolled back, the statements are examined one at a time
/// in a transaction of their own, and that is rolled back too; a new, empty
/// transaction is then open, as after a failed batch in a savepoint.
async fn execute_in_fresh_transaction(
    conn: &mut SqliteConnection,
    txn: &mut Txn,
    statements: &[&str],
) -> Result<Vec<u64>, BatchError> {
    *txn = Txn::Dirty;
    let failure = match run(conn, statements, None).await {
        Ok((changed, _)) => return Ok(changed),
        Err(failure) => failure,
    };
    let fallback = BatchError {
        index: failure.index.min(statements.len().saturating_sub(1)),
        error: failure.error,
    };
    // Some errors (a full disk, a lost lock) end the transaction themselves,
    // so a failing ROLLBACK says nothing new.
    let _ = execute_one(conn, "ROLLBACK").await;
    *txn = Txn::Idle;
    if execute_one(conn, "BEGIN IMMEDIATE").await.is_err() {
        return Err(fallback);
    }
    let culprit = find_culprit(conn, statements, &fallback, failure.misread).await;
    let _ = execute_one(conn, "ROLLBACK").await;
    if execute_one(conn, "BEGIN IMMEDIATE").await.is_ok() {
        *txn = Txn::Fresh;
    }
    Err(culprit.unwrap_or(fallback))
}

/// Runs `statements` one at a time after a failed batch was undone, and
/// returns the one at fault. The batch's own failure (`first`) stands unless
/// this run finds a statement SQLite reads as several (which shifts the
/// batch's count: `misread`), or fails at the same statement: a statement no
/// rollback undoes (`ATTACH`) fails differently when it runs again.
async fn find_culprit(
    conn: &mut SqliteConnection,
    statements: &[&str],
    first: &BatchError,
    misread_batch: bool,
) -> Option<BatchError> {
    for (index, statement) in statements.iter().enumerate() {
        match run_one(conn, statement).await {
            Ok(_) => {}
            Err(One::Misread(found)) => {
                return Some(BatchError {
                    index,
                    error: misread(found),
                });
            }
            Err(One::Failed(error)) => {
                return (misread_batch || index == first.index)
                    .then_some(BatchError { index, error });
            }
        }
    }
    None
}

/// Why one statement's text did not run as one statement.
enum One {
    /// SQLite read it as this many statements (which have run).
    Misread(usize),
    /// SQLite's error.
    Failed(DbError),
}

async fn run_one(conn: &mut SqliteConnection, sql: &str) -> Result<u64, One> {
    let mut found = 0;
    let mut rows = 0;
    let mut results = sqlx::raw_sql(AssertSqlSafe(sql.to_string())).fetch_many(&mut *conn);
    while let Some(result) = results.next().await {
        if let Either::Left(done) = result.map_err(|e| One::Failed(db_err(e)))? {
            found += 1;
            rows = done.rows_affected();
        }
    }
    if found == 1 {
        Ok(rows)
    } else {
        Err(One::Misread(found))
    }
}

/// Runs a text SQLite must read as exactly one statement; returns the rows it
/// changed. Text read as several statements has run when this says so.
pub(super) async fn execute_one(conn: &mut SqliteConnection, sql: &str) -> Result<u64, DbError> {
    run_one(conn, sql).await.map_err(|failure| match failure {
        One::Misread(found) => misread(found),
        One::Failed(error) => error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_revisions_go_in_one_chunk() {
        let statements = vec!["CREATE TABLE t (id INTEGER)"; CHUNK_STATEMENTS];
        assert_eq!(chunks(&statements), vec![0..CHUNK_STATEMENTS]);
        assert!(chunks(&[]).is_empty());
    }

    #[test]
    fn many_statements_go_in_bounded_chunks() {
        let statements = vec!["INSERT INTO t VALUES (1)"; 1000];
        let ranges = chunks(&statements);
        assert_eq!(ranges.len(), 1000usize.div_ceil(CHUNK_STATEMENTS));
        assert!(ranges.iter().all(|r| r.len() <= CHUNK_STATEMENTS));
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(1000));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn big_statements_are_bounded_by_bytes_and_a_huge_one_goes_alone() {
        let big = "x".repeat(CHUNK_BYTES / 3);
        let huge = "y".repeat(CHUNK_BYTES * 2);
        let statements = [big.as_str(), &big, &big, &huge, "SELECT 1"];
        assert_eq!(chunks(&statements), vec![0..2, 2..3, 3..4, 4..5]);
    }
}
