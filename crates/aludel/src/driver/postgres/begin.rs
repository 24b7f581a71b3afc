//! Opening a transaction in each lock mode: `BEGIN` with the session's lock
//! timeout, and, per `lock_mode`, the check that the session lock's holder
//! runs it, a polled transaction-level advisory lock, or a lock on the
//! version table.

use std::time::{Duration, Instant};

use sqlx::Row;
use sqlx::postgres::PgRow;

use super::batch::{self, Txn};
use super::{LOCK_NOT_AVAILABLE, POLL, PgDb, lock};
use crate::dialect::{Dialect, PostgresDialect, VersionTable};
use crate::driver::{Attempt, DbConnection, DbError};

impl PgDb<'_> {
    /// The statements that open a transaction: `BEGIN` and the session's
    /// lock timeout for its statements.
    pub(super) fn begin_statements(&self) -> [String; 2] {
        [
            "BEGIN".to_string(),
            Self::set_lock_timeout(self.settings.lock_timeout),
        ]
    }

    /// The query telling which server process runs the transaction, while
    /// the session's migration lock is held.
    pub(super) fn pid_check(&self) -> Option<&'static str> {
        self.lock_pid
            .as_ref()
            .map(|_| "SELECT pg_backend_pid()::text")
    }

    /// Whether the answer to [`PgDb::pid_check`] (the first row of `rows`)
    /// names the process holding the migration lock.
    pub(super) fn on_lock_holder(&self, rows: &[(usize, PgRow)]) -> bool {
        let pid = rows
            .first()
            .and_then(|(_, row)| row.try_get::<String, _>(0).ok());
        pid.is_some() && pid == self.lock_pid
    }

    /// Opens a transaction; while the session's migration lock is held,
    /// checks that the server process running it is the one holding the
    /// lock (it is not behind a transaction-pooling proxy).
    pub(super) async fn begin(&mut self) -> Result<(), DbError> {
        let begin = self.begin_statements();
        let mut all: Vec<&str> = begin.iter().map(String::as_str).collect();
        all.extend(self.pid_check());
        let (_, rows) = batch::round_trip(self.raw(), &all, Some(2))
            .await
            .map_err(|f| f.error)?;
        self.txn = Txn::Fresh;
        if self.pid_check().is_some() && !self.on_lock_holder(&rows) {
            self.rollback().await?;
            return Err(lock::pooled_away());
        }
        Ok(())
    }

    /// Polls `pg_try_advisory_xact_lock` in fresh transactions for up to
    /// `wait` (`lock_mode = "transaction"`).
    pub(super) async fn begin_with_xact_lock(
        &mut self,
        wait: Duration,
    ) -> Result<Attempt<()>, DbError> {
        let key = self.key()?;
        let take = format!("SELECT pg_try_advisory_xact_lock({key})::text");
        let started = Instant::now();
        loop {
            self.begin().await?;
            if self.text(&take).await?.as_deref() == Some("true") {
                return Ok(Attempt::Acquired(()));
            }
            self.rollback().await?;
            let waited = started.elapsed();
            if waited >= wait {
                let table = self.settings.version_table.clone();
                let lock = lock::describe_advisory(self.raw(), key, &table, false).await;
                return Ok(Attempt::Busy { lock });
            }
            tokio::time::sleep(POLL.min(wait - waited)).await;
        }
    }

    /// `LOCK TABLE <version table> IN EXCLUSIVE MODE`, waiting at most
    /// `wait` (`lock_mode = "table"`); the version table is created first
    /// if missing, so that there is something to lock.
    pub(super) async fn begin_with_table_lock(
        &mut self,
        wait: Duration,
    ) -> Result<Attempt<()>, DbError> {
        let table = self.settings.version_table.clone();
        self.create_version_table_if_missing(&table).await?;
        self.begin().await?;
        let lock = format!(
            "LOCK TABLE {} IN EXCLUSIVE MODE",
            PostgresDialect.qualified(&table)
        );
        let short = Self::set_lock_timeout(wait);
        let long = Self::set_lock_timeout(self.settings.lock_timeout);
        match self.run(&[&short, &lock, &long]).await {
            Ok(()) => Ok(Attempt::Acquired(())),
            Err(e) => {
                self.rollback().await?;
                if e.code() == Some(LOCK_NOT_AVAILABLE) {
                    let lock = lock::describe_table(self.raw(), &table).await;
                    Ok(Attempt::Busy { lock })
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Creates the version table in a transaction of its own unless it
    /// exists; another migrator creating it at the same moment is no error.
    pub(super) async fn create_version_table_if_missing(
        &mut self,
        table: &VersionTable,
    ) -> Result<(), DbError> {
        if self.table_exists(table).await? {
            return Ok(());
        }
        let ddl = PostgresDialect.create_version_table(table).replacen(
            "CREATE TABLE ",
            "CREATE TABLE IF NOT EXISTS ",
            1,
        );
        match self.run(&[&ddl]).await {
            Ok(()) => Ok(()),
            // A concurrent creator's table (42P07), its row type (42710), or
            // its row in pg_type's unique index (23505).
            Err(e) if matches!(e.code(), Some("42P07" | "42710" | "23505")) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
