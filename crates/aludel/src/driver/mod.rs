//! Connections to real databases, one module per engine (the sqlx seam).
//!
//! Architecture invariant: a driver executes the SQL it is given and reports the
//! database's own error text; it decides nothing about revisions or plans.

#[cfg(not(any(feature = "_sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("aludel needs at least one engine feature: `sqlite`, `postgres` or `mysql`");

mod any;
#[cfg(any(feature = "_sqlite", feature = "postgres"))]
mod batching;
mod handle;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod server;
#[cfg(feature = "_sqlite")]
mod sqlite;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use any::AnyDb;
#[cfg(feature = "mysql")]
pub use mysql::MySqlDb;
#[cfg(feature = "postgres")]
pub use postgres::{PgDb, advisory_lock_key};
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub use server::CONNECT_TIMEOUT;
#[cfg(feature = "_sqlite")]
pub use sqlite::SqliteDb;

use crate::dialect::{Dialect, VersionTable};
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

/// An error reported by the database (or by the driver talking to it), with
/// its own message, the engine's error code when it has one (SQLSTATE on
/// PostgreSQL, e.g. `42P01`; the server error number on MySQL, e.g. `1146`;
/// the extended result code on SQLite) and the sqlx error as `source()`.
#[derive(Debug, Clone)]
pub struct DbError {
    message: String,
    code: Option<String>,
    source: Option<Arc<sqlx::Error>>,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DbError {
    /// The `sqlx::Error` itself (not the `Arc` it is shared in), so that
    /// `downcast_ref::<sqlx::Error>()` finds it.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl DbError {
    /// An error aludel's driver found itself (no sqlx error behind it).
    pub fn new(message: impl Into<String>) -> DbError {
        DbError {
            message: message.into(),
            code: None,
            source: None,
        }
    }

    /// The error sqlx reported: the database's own message for database
    /// errors, sqlx's description otherwise.
    pub fn from_sqlx(error: sqlx::Error) -> DbError {
        let (message, code) = match &error {
            sqlx::Error::Database(d) => (d.message().to_string(), engine_code(d.as_ref())),
            other => (other.to_string(), None),
        };
        DbError {
            message,
            code,
            source: Some(Arc::new(error)),
        }
    }

    /// The same error with its message replaced (the code and source kept).
    pub fn with_message(mut self, message: impl Into<String>) -> DbError {
        self.message = message.into();
        self
    }

    /// What the database said.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The engine's error code, if the database reported one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The sqlx error behind this one, if any.
    pub fn sqlx_error(&self) -> Option<&sqlx::Error> {
        self.source.as_deref()
    }
}

/// The code an application matches on: the server's error number on MySQL
/// and MariaDB (`1062`; sqlx's `code()` is the SQLSTATE there, `23000` for
/// every integrity violation), else what sqlx reports as the code (SQLSTATE
/// on PostgreSQL, the extended result code on SQLite).
fn engine_code(error: &dyn sqlx::error::DatabaseError) -> Option<String> {
    #[cfg(feature = "mysql")]
    if let Some(mysql) = error.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return Some(mysql.number().to_string());
    }
    error.code().map(|c| c.into_owned())
}

impl From<sqlx::Error> for DbError {
    /// As [`DbError::from_sqlx`].
    fn from(error: sqlx::Error) -> DbError {
        DbError::from_sqlx(error)
    }
}

impl PartialEq for DbError {
    /// Two errors are equal when they say the same (message and code).
    fn eq(&self, other: &DbError) -> bool {
        self.message == other.message && self.code == other.code
    }
}

impl Eq for DbError {}

/// The statement of a batch that failed: its position in the batch and the
/// database's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchError {
    /// 0-based position of the failing statement in the batch.
    pub index: usize,
    /// What the database said.
    pub error: DbError,
}

/// How concurrent migrators are kept apart (`lock_mode`). Engines without
/// the mechanism a mode names refuse it when the session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockMode {
    /// One lock held by the migrating connection for the whole run: a lock
    /// file beside a SQLite database, a session-level advisory lock on
    /// PostgreSQL, `GET_LOCK` on MySQL/MariaDB.
    #[default]
    Session,
    /// A lock taken inside each transaction and released by its commit
    /// (PostgreSQL `pg_advisory_xact_lock`), for transaction-pooling
    /// proxies such as PgBouncer, where a session lock is not held by the
    /// connection the next statement runs on.
    Transaction,
    /// An exclusive lock on the version table inside each transaction, for
    /// PostgreSQL-compatible engines without advisory locks.
    Table,
    /// No lock: the operator guarantees that one migrator runs at a time.
    None,
}

impl LockMode {
    /// The configuration spelling (`session`, `transaction`, `table`, `none`).
    pub fn name(self) -> &'static str {
        match self {
            LockMode::Session => "session",
            LockMode::Transaction => "transaction",
            LockMode::Table => "table",
            LockMode::None => "none",
        }
    }

    /// Parses the configuration spelling.
    pub fn parse(text: &str) -> Option<LockMode> {
        [
            LockMode::Session,
            LockMode::Transaction,
            LockMode::Table,
            LockMode::None,
        ]
        .into_iter()
        .find(|mode| mode.name() == text)
    }
}

/// The settings a migration session runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSettings {
    /// Longest wait for another connection's lock.
    pub lock_timeout: Duration,
    /// How concurrent migrators are kept apart.
    pub lock_mode: LockMode,
    /// The version table (engines lock on it or derive lock names from it).
    pub version_table: crate::dialect::VersionTable,
}

impl Default for SessionSettings {
    /// `alembic_version` in the default schema, a 60 s lock timeout, the
    /// `session` lock mode.
    fn default() -> SessionSettings {
        SessionSettings {
            lock_timeout: crate::config::DEFAULT_LOCK_TIMEOUT,
            lock_mode: LockMode::Session,
            version_table: crate::dialect::VersionTable::new("alembic_version"),
        }
    }
}

/// The migration lock: held by every run that changes the version table
/// (upgrade, downgrade, stamp, ensure-version) for its whole duration, so that
/// such runs serialise even while a `transaction:false` section runs without
/// the database's write lock. Give it back with
/// [`DbConnection::release_migration_lock`]; a file lock is also released
/// when dropped, and a server's session lock when its connection closes.
#[derive(Debug)]
pub struct MigrationLock {
    held: Held,
}

#[derive(Debug)]
enum Held {
    Nothing,
    File(std::fs::File),
    Server(String),
}

impl MigrationLock {
    /// A lock that holds nothing, for databases no other process can reach
    /// (or `lock_mode = "none"`).
    pub fn unshared() -> MigrationLock {
        MigrationLock {
            held: Held::Nothing,
        }
    }

    /// A lock held as an exclusive lock on an open file; closing it unlocks.
    pub fn file(file: std::fs::File) -> MigrationLock {
        MigrationLock {
            held: Held::File(file),
        }
    }

    /// A lock held by the server for this connection's session, under `key`
    /// (an advisory lock's key, a `GET_LOCK` name).
    pub fn server(key: impl Into<String>) -> MigrationLock {
        MigrationLock {
            held: Held::Server(key.into()),
        }
    }

    /// The server lock's key, if this is one.
    pub fn server_key(&self) -> Option<&str> {
        match &self.held {
            Held::Server(key) => Some(key),
            _ => None,
        }
    }
}

impl Drop for MigrationLock {
    /// Empties the file (it names the holder) while the lock is still held,
    /// so that a waiter never names a holder that has gone: if some other
    /// program locks the file later, the wait notice names no one rather than
    /// the last aludel process.
    fn drop(&mut self) {
        if let Held::File(file) = &self.held {
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
    /// read a statement's text as several — except where DDL commits at once
    /// (`Dialect::transactional_ddl` false: MySQL), where what ran before the
    /// failure stays and the runner's progress rows say what that is.
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
        table: &VersionTable,
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
    /// connections' locks of up to the lock timeout), remembering what to
    /// restore, and keeps `settings` for the locks of the run.
    /// Call it with no transaction open. Calling it again (after a
    /// `transaction:false` section, which may change settings) re-applies the
    /// settings and keeps what was remembered the first time.
    fn start_session(
        &mut self,
        settings: &SessionSettings,
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

    /// Gives back the migration lock taken by
    /// [`DbConnection::try_lock_migrations`]. Called on every path out of a
    /// run, errors included; with no transaction open.
    fn release_migration_lock(
        &mut self,
        lock: MigrationLock,
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        drop(lock);
        async { Ok(()) }
    }

    /// Rolls back the open transaction.
    fn rollback(&mut self) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Whether a table exists.
    fn table_exists(
        &mut self,
        table: &VersionTable,
    ) -> impl Future<Output = Result<bool, DbError>> + Send;

    /// All `version_num` values of the version table, which must exist.
    fn read_versions(
        &mut self,
        table: &VersionTable,
    ) -> impl Future<Output = Result<Vec<String>, DbError>> + Send;

    /// Runs a query whose columns are all text (or NULL) and returns its rows.
    fn fetch_text_rows(
        &mut self,
        sql: &str,
    ) -> impl Future<Output = Result<Vec<Vec<Option<String>>>, DbError>> + Send;
}

/// Opens a connection for `url`, of whichever engine it names. With `create`
/// false a missing SQLite file is not created; `Ok(None)` then means "no
/// database yet" (servers always answer `Some` or an error).
pub async fn connect(url: &DatabaseUrl, create: bool) -> Result<Option<AnyDb<'static>>, Error> {
    match url.backend() {
        #[cfg(feature = "_sqlite")]
        Backend::Sqlite => Ok(SqliteDb::connect(url, create).await?.map(AnyDb::Sqlite)),
        #[cfg(feature = "postgres")]
        Backend::Postgres => Ok(Some(AnyDb::Postgres(PgDb::connect(url).await?))),
        #[cfg(feature = "mysql")]
        Backend::MySql => Ok(Some(AnyDb::MySql(MySqlDb::connect(url).await?))),
        // Reached only when some engine is left out of this build.
        #[allow(unreachable_patterns)]
        backend => {
            let _ = create;
            Err(not_compiled_in(url, backend))
        }
    }
}

/// The error for a URL whose engine this build leaves out.
#[allow(dead_code)]
fn not_compiled_in(url: &DatabaseUrl, backend: Backend) -> Error {
    let feature = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
        Backend::MySql => "mysql",
    };
    Error::Usage(format!(
        "{}: this build of aludel leaves out {} (enable the `{feature}` cargo feature)",
        url.redacted(),
        crate::dialect::for_backend(backend).name()
    ))
}
