//! Connections to real databases, one module per engine (the sqlx seam).
//!
//! Architecture invariant: a driver executes the SQL it is given and reports the
//! database's own error text; it decides nothing about revisions or plans.

mod sqlite;

use std::future::Future;

pub use sqlite::SqliteDb;

use crate::dialect::Dialect;
use crate::error::Error;
use crate::url::{Backend, DatabaseUrl};

/// An error reported by the database, with its own message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DbError(pub String);

/// The statement of a batch that failed: its position in the batch and the
/// database's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchError {
    /// 0-based position of the failing statement in the batch.
    pub index: usize,
    /// What the database said.
    pub error: DbError,
}

/// The migration lock: while a `transaction:false` section runs, the database's
/// write lock is released, and this keeps other aludel migrators of the same
/// database waiting instead. Released when dropped.
#[derive(Debug)]
pub struct MigrationLock {
    _held: Option<std::fs::File>,
}

impl MigrationLock {
    /// A lock that holds nothing, for databases no other process can reach.
    pub fn unshared() -> MigrationLock {
        MigrationLock { _held: None }
    }

    /// A lock held as an exclusive lock on an open file; closing it unlocks.
    pub fn file(file: std::fs::File) -> MigrationLock {
        MigrationLock { _held: Some(file) }
    }
}

/// One open connection that migrations run on.
///
/// `begin` must take the database's write lock before returning, so that reading
/// the version table afterwards is race-free between concurrent migrators.
pub trait DbConnection: Send {
    /// The engine's SQL dialect.
    fn dialect(&self) -> &'static dyn Dialect;

    /// Runs one statement; returns the number of rows it changed.
    fn execute(&mut self, sql: &str) -> impl Future<Output = Result<u64, DbError>> + Send;

    /// Opens a transaction holding the write lock.
    fn begin(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Commits the open transaction.
    fn commit(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Runs `statements` in order, stopping at the first that fails, and
    /// returns how many rows each changed. Engines that can send them in one
    /// round trip do; the statements may change the schema and depend on one
    /// another.
    fn execute_batch(
        &mut self,
        statements: &[&str],
    ) -> impl Future<Output = Result<Vec<u64>, BatchError>> + Send {
        async move {
            let mut changed = Vec::with_capacity(statements.len());
            for (index, sql) in statements.iter().enumerate() {
                let rows = self
                    .execute(sql)
                    .await
                    .map_err(|error| BatchError { index, error })?;
                changed.push(rows);
            }
            Ok(changed)
        }
    }

    /// The step between two migrations: runs `statements` (the bookkeeping of
    /// the one just done), commits, opens the next transaction holding the write
    /// lock and reads the version table, in one round trip where the engine
    /// allows. A failure after the statements has `index >= statements.len()`.
    fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &str,
    ) -> impl Future<Output = Result<Vec<String>, BatchError>> + Send {
        async move {
            self.execute_batch(statements).await?;
            let index = statements.len();
            let at_end = |error| BatchError { index, error };
            self.commit().await.map_err(at_end)?;
            self.begin().await.map_err(at_end)?;
            self.read_versions(table).await.map_err(at_end)
        }
    }

    /// Takes the migration lock, waiting while another migrator holds it. Call
    /// it with no transaction open, or two migrators may wait for each other.
    fn lock_migrations(&mut self) -> impl Future<Output = Result<MigrationLock, DbError>> + Send;

    /// Rolls back the open transaction.
    fn rollback(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Whether a table exists.
    fn table_exists(&mut self, table: &str) -> impl Future<Output = Result<bool, DbError>> + Send;

    /// All `version_num` values of the version table, which must exist.
    fn read_versions(
        &mut self,
        table: &str,
    ) -> impl Future<Output = Result<Vec<String>, DbError>> + Send;

    /// Runs a query whose columns are all text (or NULL) and returns its rows.
    fn fetch_text_rows(
        &mut self,
        sql: &str,
    ) -> impl Future<Output = Result<Vec<Vec<Option<String>>>, DbError>> + Send;
}

/// Opens a connection for `url`. With `create` false a missing SQLite file is not
/// created; `Ok(None)` then means "no database yet".
pub async fn connect(url: &DatabaseUrl, create: bool) -> Result<Option<SqliteDb>, Error> {
    match url.backend() {
        Backend::Sqlite => SqliteDb::connect(url, create).await,
        Backend::Postgres | Backend::MySql => Err(Error::Usage(format!(
            "{}: this build of aludel supports SQLite only so far",
            url.redacted()
        ))),
    }
}
