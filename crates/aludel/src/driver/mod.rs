//! Connections to real databases, one module per engine (the sqlx seam).
//!
//! Architecture invariant: a driver executes the SQL it is given and reports the
//! database's own error text; it decides nothing about revisions or plans.

mod sqlite;

use std::future::Future;
use std::time::Duration;

pub use sqlite::SqliteDb;

use crate::dialect::Dialect;
use crate::error::Error;
use crate::url::{Backend, DatabaseUrl};

/// `user@host` of this process, for the history table and lock files.
pub(crate) fn user_at_host() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "localhost".into());
    format!("{user}@{host}")
}

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

/// The migration lock: held by every run that changes the version table
/// (upgrade, downgrade, stamp, ensure-version) for its whole duration, so that
/// such runs serialise even while a `transaction:false` section runs without
/// the database's write lock. Released when dropped.
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

impl Drop for MigrationLock {
    /// Empties the file (it names the holder) while the lock is still held,
    /// so that a waiter never names a holder that has gone: if some other
    /// program locks the file later, the wait notice names no one rather than
    /// the last aludel process.
    fn drop(&mut self) {
        if let Some(file) = &self._held {
            let _ = file.set_len(0);
        }
    }
}

/// The result of trying to take a lock that another connection may hold.
#[derive(Debug)]
pub enum Attempt<T> {
    /// The lock is taken.
    Acquired(T),
    /// Someone else holds it; `lock` says which lock, on which file, and who
    /// holds it when that is known (e.g. `the migration lock app.db-aludel-lock,
    /// held by pid 42 (alice@host)`).
    Busy {
        /// Which lock, for messages.
        lock: String,
    },
}

/// One open connection that migrations run on.
///
/// `try_begin` must take the database's write lock before returning, so that
/// reading the version table afterwards is race-free between concurrent
/// migrators.
pub trait DbConnection: Send {
    /// The engine's SQL dialect.
    fn dialect(&self) -> &'static dyn Dialect;

    /// Runs one statement; returns the number of rows it changed.
    fn execute(&mut self, sql: &str) -> impl Future<Output = Result<u64, DbError>> + Send;

    /// Commits the open transaction.
    fn commit(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Runs `statements` in order, stopping at the first that fails, and
    /// returns how many rows each changed. Engines that can send several in
    /// one round trip do (in bounded chunks); the statements may change the
    /// schema and depend on one another. On failure nothing of the batch
    /// remains and `index` is the statement at fault, also when the engine
    /// read a statement's text as several.
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
    /// the one just done), commits, tries to open the next transaction holding
    /// the write lock (waiting at most `wait`) and reads the version table, in
    /// one round trip where the engine allows. A failure after the statements
    /// has `index >= statements.len()`. `Busy` means: committed, but another
    /// connection holds the write lock and no transaction is open.
    fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &str,
        wait: Duration,
    ) -> impl Future<Output = Result<Attempt<Vec<String>>, BatchError>> + Send {
        async move {
            self.execute_batch(statements).await?;
            let index = statements.len();
            let at_end = |error| BatchError { index, error };
            self.commit().await.map_err(at_end)?;
            match self.try_begin(wait).await.map_err(at_end)? {
                Attempt::Acquired(()) => {}
                Attempt::Busy { lock } => return Ok(Attempt::Busy { lock }),
            }
            let versions = self.read_versions(table).await.map_err(at_end)?;
            Ok(Attempt::Acquired(versions))
        }
    }

    /// Puts the connection in the state migrations run in (for SQLite: foreign
    /// keys off, so that table rebuilds keep child rows; waits for other
    /// connections' locks of up to `lock_timeout`), remembering what to restore.
    /// Call it with no transaction open. Calling it again (after a
    /// `transaction:false` section, which may change settings) re-applies the
    /// settings and keeps what was remembered the first time.
    fn start_session(
        &mut self,
        lock_timeout: Duration,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Restores what [`DbConnection::start_session`] changed, so that a
    /// connection borrowed from an application goes back as it came. A
    /// connection that cannot be restored must not be reused.
    fn end_session(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Tries to open a transaction holding the write lock, waiting at most
    /// `wait` for another connection to release it.
    fn try_begin(
        &mut self,
        wait: Duration,
    ) -> impl Future<Output = Result<Attempt<()>, DbError>> + Send;

    /// Tries once, without waiting, to take the migration lock. Call it with no
    /// transaction open, or two migrators may wait for each other.
    fn try_lock_migrations(
        &mut self,
    ) -> impl Future<Output = Result<Attempt<MigrationLock>, DbError>> + Send;

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
pub async fn connect(url: &DatabaseUrl, create: bool) -> Result<Option<SqliteDb<'static>>, Error> {
    match url.backend() {
        Backend::Sqlite => SqliteDb::connect(url, create).await,
        Backend::Postgres | Backend::MySql => Err(Error::Usage(format!(
            "{}: this build of aludel supports SQLite only so far",
            url.redacted()
        ))),
    }
}
