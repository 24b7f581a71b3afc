//! Sending many statements to MySQL/MariaDB in one round trip: the text
//! protocol's multi-statement packets (`COM_QUERY` with several statements),
//! in bounded chunks.
//!
//! The server runs the statements of a packet in order and stops at the first
//! that fails; sqlx reports one result per statement (a `CALL` reports one
//! more per result set of the procedure), which tells how far the server got.
//! Unlike SQLite's and PostgreSQL's batches, a failed batch is not undone:
//! MySQL commits DDL implicitly, so what ran before the failure may stay.
//! The runner's progress rows (`runner/progress/`) say what did.

use aludel_script::push_terminated;
use futures_util::StreamExt;
use sqlx::mysql::{MySqlConnection, MySqlRow};
use sqlx::{AssertSqlSafe, Either};

use super::db_err;
use crate::driver::BatchError;

/// Most statements sent in one round trip.
const CHUNK_STATEMENTS: usize = 256;

/// Most bytes of SQL sent in one round trip (a longer statement goes alone);
/// well under `max_allowed_packet` (16 MiB on MariaDB, 64 MiB on MySQL 8).
const CHUNK_BYTES: usize = 1024 * 1024;

/// What a batch returned: the rows each statement changed, and the rows of
/// the last statement's result set, if it had one.
pub(super) struct Done {
    pub changed: Vec<u64>,
    pub rows: Vec<MySqlRow>,
}

/// Runs `statements` in order, each chunk in one round trip; stops at the
/// first failure, whose `index` is the statement the server stopped at.
pub(super) async fn run(
    conn: &mut MySqlConnection,
    statements: &[&str],
) -> Result<Done, BatchError> {
    let mut done = Done {
        changed: Vec::with_capacity(statements.len()),
        rows: Vec::new(),
    };
    let mut start = 0;
    while start < statements.len() {
        let mut end = start;
        let mut text = String::new();
        while end < statements.len()
            && (end == start
                || (end - start < CHUNK_STATEMENTS
                    && text.len() + statements[end].len() < CHUNK_BYTES))
        {
            if end > start {
                text.push('\n');
            }
            push_terminated(&mut text, statements[end]);
            end += 1;
        }
        run_chunk(conn, text, start, end, &mut done).await?;
        start = end;
    }
    Ok(done)
}

/// A syntax error's message quotes the text after the error (`… near
/// 'TABLEX t (x INT);\nUPDATE aludel_progress …' at line 1`): in a
/// multi-statement packet that runs into the next statement, which the
/// failing statement's author never wrote. The quote is cut at the end of
/// the statement (`;` and a line break, as [`run`] joins them).
fn own_text_only(message: &str) -> String {
    let Some(start) = message.find(" near '").map(|i| i + " near '".len()) else {
        return message.to_string();
    };
    let Some(length) = message[start..].rfind("' at line ") else {
        return message.to_string();
    };
    let quoted = &message[start..start + length];
    match quoted.find(";\n") {
        Some(cut) => format!(
            "{}{}{}",
            &message[..start],
            &quoted[..=cut],
            &message[start + length..]
        ),
        None => message.to_string(),
    }
}

async fn run_chunk(
    conn: &mut MySqlConnection,
    text: String,
    start: usize,
    end: usize,
    done: &mut Done,
) -> Result<(), BatchError> {
    let mut results = sqlx::raw_sql(AssertSqlSafe(text)).fetch_many(&mut *conn);
    let mut index = start;
    let mut rows = Vec::new();
    while let Some(item) = results.next().await {
        match item {
            Ok(Either::Left(result)) => {
                // A `CALL` reports more results than one statement: they
                // count for the last statement of the chunk at most.
                if index < end {
                    done.changed.push(result.rows_affected());
                    index += 1;
                } else if let Some(last) = done.changed.last_mut() {
                    *last += result.rows_affected();
                }
            }
            Ok(Either::Right(row)) => {
                if index + 1 == end || index == end {
                    rows.push(row);
                }
            }
            Err(e) => {
                let error = db_err(e);
                let message = own_text_only(error.message());
                return Err(BatchError {
                    index: index.min(end.saturating_sub(1)),
                    error: error.with_message(message),
                });
            }
        }
    }
    drop(results);
    while done.changed.len() < end {
        done.changed.push(0);
    }
    done.rows = rows;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::own_text_only;

    #[test]
    fn a_syntax_error_quotes_only_its_own_statement() {
        let message = "You have an error in your SQL syntax; check the manual that corresponds \
                       to your MariaDB server version for the right syntax to use near 'TABLEX \
                       bad (x INT);\nUPDATE aludel_progress SET state = 'done' WHERE revis...' at line 1";
        assert_eq!(
            own_text_only(message),
            "You have an error in your SQL syntax; check the manual that corresponds to your \
             MariaDB server version for the right syntax to use near 'TABLEX bad (x INT);' at line 1"
        );
        assert_eq!(
            own_text_only("Table 'x' doesn't exist"),
            "Table 'x' doesn't exist"
        );
    }
}
