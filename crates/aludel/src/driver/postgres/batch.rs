//! Sending many statements to PostgreSQL: in bounded chunks, each one round
//! trip of the simple query protocol, counted statement by statement.
//!
//! PostgreSQL answers every statement of a simple query with its own
//! `CommandComplete` and stops at the first error, so the number of answers
//! before an error is the position of the statement at fault, as long as the
//! server reads the text as the same statements as aludel's splitter. Inside a
//! transaction a batch runs in a savepoint: when it fails, or the server read
//! a different number of statements, the batch is undone and run again one
//! statement at a time, which names the one at fault exactly.

use std::ops::Range;

use aludel_script::push_terminated;
use futures_util::StreamExt;
use sqlx::postgres::{PgConnection, PgDatabaseError, PgErrorPosition, PgRow};
use sqlx::{AssertSqlSafe, Either};

use super::db_err;
use crate::driver::{BatchError, DbError};

/// Most statements sent in one round trip.
const CHUNK_STATEMENTS: usize = 256;

/// Most bytes of SQL sent in one round trip (a longer statement goes alone).
const CHUNK_BYTES: usize = 1024 * 1024;

const SAVEPOINT: &str = "SAVEPOINT aludel_batch";
const RELEASE: &str = "RELEASE SAVEPOINT aludel_batch";
const ROLLBACK_TO: &str = "ROLLBACK TO SAVEPOINT aludel_batch";

/// A failed round trip: the statement at fault (where the server's error
/// points, or else as far as the answers tell), how many statements ran, the
/// server's message, and whether the server read the text as a different
/// number of statements.
pub(super) struct Failure {
    pub index: usize,
    pub ran: usize,
    pub error: DbError,
    pub misread: bool,
}

/// The statement of `statements` (as [`script`] writes them) that the error's
/// position points into. PostgreSQL parses a whole simple query before it
/// runs any of it, so a syntax error anywhere fails the round trip with no
/// statement run: only the position tells which statement it is in.
fn statement_at(statements: &[&str], error: &sqlx::Error) -> Option<usize> {
    let sqlx::Error::Database(d) = error else {
        return None;
    };
    let pg = d.try_downcast_ref::<PgDatabaseError>()?;
    let Some(PgErrorPosition::Original(position)) = pg.position() else {
        return None;
    };
    let mut end = 0;
    for (i, statement) in statements.iter().enumerate() {
        let mut one = String::new();
        push_terminated(&mut one, statement);
        end += one.chars().count() + 1;
        if position <= end {
            return Some(i);
        }
    }
    None
}

/// The chunks `statements` are sent in: at most [`CHUNK_STATEMENTS`]
/// statements and, unless one statement is longer, [`CHUNK_BYTES`] bytes.
fn chunks(statements: &[&str]) -> Vec<Range<usize>> {
    crate::driver::batching::chunks(statements, CHUNK_STATEMENTS, CHUNK_BYTES)
}

/// The text of `statements` as one simple query, each with its `;`.
pub(super) fn script(statements: &[&str]) -> String {
    let mut sql = String::with_capacity(statements.iter().map(|s| s.len() + 3).sum());
    for statement in statements {
        push_terminated(&mut sql, statement);
        sql.push('\n');
    }
    sql
}

/// Sends `statements` in one round trip; returns the rows each changed and
/// the rows returned by the statements from position `keep_rows_from` on,
/// each with its statement's position.
pub(super) async fn round_trip(
    conn: &mut PgConnection,
    statements: &[&str],
    keep_rows_from: Option<usize>,
) -> Result<(Vec<u64>, Vec<(usize, PgRow)>), Failure> {
    let mut changed = Vec::with_capacity(statements.len());
    let mut rows = Vec::new();
    let mut results = sqlx::raw_sql(AssertSqlSafe(script(statements))).fetch_many(&mut *conn);
    while let Some(result) = results.next().await {
        match result {
            Ok(Either::Left(done)) => changed.push(done.rows_affected()),
            Ok(Either::Right(row)) => {
                if keep_rows_from.is_some_and(|from| changed.len() >= from) {
                    rows.push((changed.len(), row));
                }
            }
            Err(e) => {
                return Err(Failure {
                    index: statement_at(statements, &e).unwrap_or(changed.len()),
                    ran: changed.len(),
                    error: db_err(e),
                    misread: false,
                });
            }
        }
    }
    drop(results);
    if changed.len() != statements.len() {
        return Err(Failure {
            index: changed.len().min(statements.len().saturating_sub(1)),
            ran: changed.len(),
            error: DbError::new(if statements.len() == 1 {
                format!(
                    "PostgreSQL reads this text as {} statements where aludel's splitter found one",
                    changed.len()
                )
            } else {
                format!(
                    "PostgreSQL read {} statements where aludel's splitter found {}",
                    changed.len(),
                    statements.len()
                )
            }),
            misread: true,
        });
    }
    Ok((changed, rows))
}

pub(super) use crate::driver::batching::Txn;

/// Runs `statements` in chunks so that a failure leaves nothing of them and
/// names the statement at fault. In a [`Txn::Fresh`] transaction they run as
/// they are, and a failure rolls the transaction back (and opens a new one
/// with `begin`); with earlier work they run inside a savepoint, kept open
/// until the next batch, and a failure rolls back to it. Either way the
/// statements are then run again one at a time (after `begin`, the
/// statements that open a transaction, when it was rolled back) to find the
/// one at fault, and that is undone too. Outside a transaction each chunk is
/// a transaction of its own.
pub(super) async fn execute_guarded(
    conn: &mut PgConnection,
    txn: &mut Txn,
    begin: &[&str],
    statements: &[&str],
) -> Result<Vec<u64>, BatchError> {
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    let was = *txn;
    let prefix: &[&str] = match was {
        Txn::Idle | Txn::Fresh => &[],
        Txn::Dirty => &[SAVEPOINT],
        Txn::Savepoint => &[RELEASE, SAVEPOINT],
    };
    if was != Txn::Idle {
        *txn = Txn::Dirty;
    }
    let mut changed = Vec::with_capacity(statements.len());
    let mut failure = None;
    for (n, range) in chunks(statements).into_iter().enumerate() {
        let mut part: Vec<&str> = if n == 0 { prefix.to_vec() } else { Vec::new() };
        let skip = part.len();
        part.extend_from_slice(&statements[range.clone()]);
        match round_trip(conn, &part, None).await {
            Ok((rows, _)) => changed.extend_from_slice(&rows[skip..]),
            Err(f) => {
                let first_ran = n > 0 || f.ran >= skip;
                failure = Some((
                    Failure {
                        index: range.start + f.index.saturating_sub(skip),
                        ..f
                    },
                    first_ran,
                ));
                break;
            }
        }
    }
    let Some((failure, savepoint_ran)) = failure else {
        if !prefix.is_empty() {
            *txn = Txn::Savepoint;
        }
        return Ok(changed);
    };
    let fallback = BatchError {
        index: failure.index.min(statements.len() - 1),
        error: failure.error,
    };
    match was {
        Txn::Idle => Err(fallback),
        Txn::Fresh => {
            // Some errors end the transaction themselves: a failing
            // ROLLBACK says nothing new.
            let _ = execute_one(conn, "ROLLBACK").await;
            *txn = Txn::Idle;
            if round_trip(conn, begin, None).await.is_err() {
                let _ = execute_one(conn, "ROLLBACK").await;
                return Err(fallback);
            }
            let culprit = find_culprit(conn, statements, &fallback, failure.misread).await;
            let _ = execute_one(conn, "ROLLBACK").await;
            // A new, empty transaction is open, as after a failed batch in a
            // savepoint.
            if round_trip(conn, begin, None).await.is_ok() {
                *txn = Txn::Fresh;
            }
            Err(culprit.unwrap_or(fallback))
        }
        Txn::Dirty | Txn::Savepoint => {
            // Without the savepoint (the server refused the text before
            // running any of it) the transaction stays failed, for the
            // caller to roll back; the error's position named the statement.
            if !savepoint_ran || execute_one(conn, ROLLBACK_TO).await.is_err() {
                return Err(fallback);
            }
            let culprit = find_culprit(conn, statements, &fallback, failure.misread).await;
            let _ = execute_one(conn, ROLLBACK_TO).await;
            let _ = execute_one(conn, RELEASE).await;
            Err(culprit.unwrap_or(fallback))
        }
    }
}

/// Runs `statements` one at a time after a failed batch was undone, and
/// returns the one at fault: the first that fails, or that the server reads
/// as several statements. The batch's own failure stands unless this run
/// fails at the same statement or finds a misread one.
async fn find_culprit(
    conn: &mut PgConnection,
    statements: &[&str],
    first: &BatchError,
    misread_batch: bool,
) -> Option<BatchError> {
    for (index, statement) in statements.iter().enumerate() {
        match round_trip(conn, &[statement], None).await {
            Ok(_) => {}
            Err(f) if f.misread => {
                return Some(BatchError {
                    index,
                    error: f.error,
                });
            }
            Err(f) => {
                return (misread_batch || index == first.index).then_some(BatchError {
                    index,
                    error: f.error,
                });
            }
        }
    }
    None
}

/// Runs a text the server must read as exactly one statement; returns the
/// rows it changed. Text read as several statements has run when this says
/// so (as one implicit transaction, outside a transaction block).
pub(super) async fn execute_one(conn: &mut PgConnection, sql: &str) -> Result<u64, DbError> {
    match round_trip(conn, &[sql], None).await {
        Ok((changed, _)) => Ok(changed.first().copied().unwrap_or(0)),
        Err(f) => Err(f.error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_bounded_and_cover_everything() {
        assert!(chunks(&[]).is_empty());
        let statements = vec!["INSERT INTO t VALUES (1)"; 1000];
        let ranges = chunks(&statements);
        assert_eq!(ranges.len(), 1000usize.div_ceil(CHUNK_STATEMENTS));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(ranges.last().map(|r| r.end), Some(1000));
        let huge = "x".repeat(CHUNK_BYTES * 2);
        assert_eq!(
            chunks(&["SELECT 1", &huge, "SELECT 2"]),
            vec![0..1, 1..2, 2..3]
        );
    }

    #[test]
    fn a_script_terminates_every_statement() {
        assert_eq!(
            script(&["SELECT 1", "SELECT 2 -- two"]),
            "SELECT 1;\nSELECT 2 -- two\n;\n"
        );
    }
}
