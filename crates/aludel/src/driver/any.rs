//! [`AnyDb`]: a connection of whichever enabled engine a URL names, chosen at
//! run time (what the CLI and `Migrations::upgrade(url, …)` use).
//!
//! Adding an engine: one variant here, one arm in `dispatch!` and in
//! [`super::connect`].

use std::time::Duration;

use super::{Attempt, BatchError, DbConnection, DbError, MigrationLock, SessionSettings};
use crate::dialect::{Dialect, VersionTable};

#[cfg(feature = "mysql")]
use super::MySqlDb;
#[cfg(feature = "postgres")]
use super::PgDb;
#[cfg(feature = "_sqlite")]
use super::SqliteDb;

/// A connection to any engine this build supports.
#[non_exhaustive]
pub enum AnyDb<'c> {
    /// SQLite.
    #[cfg(feature = "_sqlite")]
    Sqlite(SqliteDb<'c>),
    /// PostgreSQL.
    #[cfg(feature = "postgres")]
    Postgres(PgDb<'c>),
    /// MySQL or MariaDB.
    #[cfg(feature = "mysql")]
    MySql(MySqlDb<'c>),
}

/// Runs `$body` with `$db` bound to the engine's own connection.
macro_rules! dispatch {
    ($any:expr, $db:ident => $body:expr) => {
        match $any {
            #[cfg(feature = "_sqlite")]
            AnyDb::Sqlite($db) => $body,
            #[cfg(feature = "postgres")]
            AnyDb::Postgres($db) => $body,
            #[cfg(feature = "mysql")]
            AnyDb::MySql($db) => $body,
        }
    };
}

impl AnyDb<'_> {
    /// The first read of a database aludel opened for `url`: waits for
    /// another connection's lock on it as runs do (up to `timeout`, with
    /// the wait notice to `log` after a second) and names `url` if what is
    /// there is not a database.
    pub async fn wait_until_readable(
        &mut self,
        url: &crate::url::DatabaseUrl,
        timeout: Duration,
        log: &mut (dyn FnMut(&str) + Send),
    ) -> Result<(), crate::error::Error> {
        dispatch!(self, db => db.wait_until_readable(url, timeout, log).await)
    }

    /// Closes the connection cleanly (pooled ones go back to their pool,
    /// borrowed ones stay open).
    pub async fn close(self) {
        dispatch!(self, db => db.close().await)
    }
}

impl DbConnection for AnyDb<'_> {
    fn dialect(&self) -> &'static dyn Dialect {
        dispatch!(self, db => db.dialect())
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        dispatch!(self, db => db.execute(sql).await)
    }

    async fn commit(&mut self) -> Result<(), DbError> {
        dispatch!(self, db => db.commit().await)
    }

    async fn execute_batch(&mut self, statements: &[&str]) -> Result<Vec<u64>, BatchError> {
        dispatch!(self, db => db.execute_batch(statements).await)
    }

    async fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &VersionTable,
        wait: Duration,
    ) -> Result<Attempt<Vec<String>>, BatchError> {
        dispatch!(self, db => db.commit_and_begin_reading_versions(statements, table, wait).await)
    }

    async fn start_session(&mut self, settings: &SessionSettings) -> Result<(), DbError> {
        dispatch!(self, db => db.start_session(settings).await)
    }

    async fn end_session(&mut self) -> Result<(), DbError> {
        dispatch!(self, db => db.end_session().await)
    }

    async fn try_begin(&mut self, wait: Duration) -> Result<Attempt<()>, DbError> {
        dispatch!(self, db => db.try_begin(wait).await)
    }

    async fn try_lock_migrations(&mut self) -> Result<Attempt<MigrationLock>, DbError> {
        dispatch!(self, db => db.try_lock_migrations().await)
    }

    async fn release_migration_lock(&mut self, lock: MigrationLock) -> Result<(), DbError> {
        dispatch!(self, db => db.release_migration_lock(lock).await)
    }

    async fn rollback(&mut self) -> Result<(), DbError> {
        dispatch!(self, db => db.rollback().await)
    }

    async fn table_exists(&mut self, table: &VersionTable) -> Result<bool, DbError> {
        dispatch!(self, db => db.table_exists(table).await)
    }

    async fn read_versions(&mut self, table: &VersionTable) -> Result<Vec<String>, DbError> {
        dispatch!(self, db => db.read_versions(table).await)
    }

    async fn fetch_text_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        dispatch!(self, db => db.fetch_text_rows(sql).await)
    }
}
