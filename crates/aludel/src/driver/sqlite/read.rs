//! Reading a SQLite database: the first read on a connection aludel opened,
//! which waits for other connections' locks as runs do, and the values of the
//! version table.

use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, TypeInfo, ValueRef};

use super::{SqliteDb, db_err, is_busy, millis};
use crate::driver::DbError;
use crate::error::Error;
use crate::url::{DatabaseUrl, SqliteLocation};

impl SqliteDb<'_> {
    /// The first read (SQLite's schema) on a connection aludel opened to the
    /// database at `url`, before a command reads or migrates it (it sets the
    /// connection's busy timeout and does not restore it, so it is not for
    /// pooled or borrowed connections): waits for another connection's lock on it (an
    /// exclusive lock, or a writer committing) as runs wait for theirs. If it
    /// is still held after a second (or `timeout`, if shorter) and there is
    /// time left, `log` gets the wait notice; after `timeout` this fails with
    /// [`Error::LockTimeout`]. Later statements wait at most `timeout` too.
    /// Any other failure (say, a file that is not a database) names `url`.
    pub async fn wait_until_readable(
        &mut self,
        url: &DatabaseUrl,
        timeout: Duration,
        log: &mut (dyn FnMut(&str) + Send),
    ) -> Result<(), Error> {
        let lock = match url.sqlite_location() {
            Some(SqliteLocation::File(path)) => format!(
                "the lock on {}",
                crate::url::redact_text(&path.display().to_string())
            ),
            _ => "the database's lock".to_string(),
        };
        let started = Instant::now();
        self.busy_timeout = timeout;
        let long = format!("PRAGMA busy_timeout = {}", millis(timeout));
        let read = |wait: Duration| {
            format!(
                "PRAGMA busy_timeout = {}; SELECT count(*) FROM sqlite_master; {long}",
                millis(wait)
            )
        };
        let first = self
            .run_script(read(Duration::from_secs(1).min(timeout)))
            .await;
        let outcome = match first {
            Err(e) if is_busy(&e) => {
                let rest = timeout.saturating_sub(started.elapsed());
                if rest.is_zero() {
                    Err(e)
                } else {
                    log(&crate::events::lock_wait(&lock, timeout));
                    self.run_script(read(rest)).await
                }
            }
            other => other,
        };
        let Err(e) = outcome else {
            return Ok(());
        };
        // The read's own error is the one to report.
        let _ = self.run_script(long.clone()).await;
        if is_busy(&e) {
            Err(Error::lock_timeout(lock, started.elapsed()))
        } else {
            let error = db_err(e);
            let message = url.scrub(error.message());
            Err(Error::database(
                format!("opening {url}"),
                error.with_message(message),
            ))
        }
    }
}

/// The `version_num` of a version-table row, refused in words when it is not
/// text (Alembic's column is `VARCHAR(32) NOT NULL`, but a hand-made table may
/// be anything).
pub(super) fn version_of(row: &SqliteRow, table: &str) -> Result<String, DbError> {
    let value = row.try_get_raw(0).map_err(db_err)?;
    if value.is_null() {
        return Err(DbError::new(format!(
            "the version table `{table}` holds a NULL version_num"
        )));
    }
    let kind = value.type_info().name().to_string();
    if kind != "TEXT" {
        return Err(DbError::new(format!(
            "the version table `{table}` holds a version_num that is not text (its type is {kind})"
        )));
    }
    row.try_get(0).map_err(db_err)
}
