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

    /// Commits the open transaction and opens the next one, holding the write
    /// lock again; engines may do both in one round trip.
    fn commit_and_begin(&mut self) -> impl Future<Output = Result<(), DbError>> + Send {
        async move {
            self.commit().await?;
            self.begin().await
        }
    }

    /// Rolls back the open transaction.
    fn rollback(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Whether a table exists.
    fn table_exists(&mut self, table: &str) -> impl Future<Output = Result<bool, DbError>> + Send;

    /// All `version_num` values of the version table, which must exist.
    fn read_versions(
        &mut self,
        table: &str,
    ) -> impl Future<Output = Result<Vec<String>, DbError>> + Send;
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
