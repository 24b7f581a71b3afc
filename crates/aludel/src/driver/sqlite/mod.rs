//! SQLite through sqlx: connections (owned, pooled or borrowed), the session
//! settings migrations run with, locks (`lock.rs`: the migration lock file),
//! batches (`batch.rs`) and reads (`read.rs`).

mod batch;
mod lock;
mod read;

use batch::Txn;
use read::version_of;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Row, Sqlite};

use super::{Attempt, BatchError, DbConnection, DbError, LockMode, MigrationLock, SessionSettings};
use crate::config::DEFAULT_LOCK_TIMEOUT;
use crate::dialect::{Dialect, SqliteDialect, VersionTable};
use crate::error::Error;
use crate::url::{DatabaseUrl, SqliteLocation};

/// The connection: a pooled one is closed instead of going back to its
/// pool while a run is under way on it (the application dropped the run's
/// future half-way: it may be in aludel's transaction, foreign keys off).
type Handle<'c> = super::handle::Handle<'c, Sqlite>;

/// What a session changed on a connection aludel does not own.
#[derive(Debug, Clone)]
struct Restore {
    foreign_keys: bool,
    busy_timeout_ms: i64,
    /// The schemas attached before the run (`main`, `temp`, the
    /// application's own): a migration's `ATTACH` is undone afterwards.
    attached: Vec<String>,
}

/// A SQLite connection, opened by aludel, taken from an application's pool, or
/// borrowed from the application for the duration of a run.
pub struct SqliteDb<'c> {
    handle: Handle<'c>,
    /// The busy timeout statements run with (the session's lock timeout).
    busy_timeout: Duration,
    /// Set by `start_session` on connections aludel does not own.
    restore: Option<Restore>,
    /// What the open transaction holds, for batches (see `batch.rs`).
    txn: Txn,
    /// The session's lock mode (`none` takes no lock file).
    lock_mode: LockMode,
}

impl SqliteDb<'static> {
    /// Opens the database at `url`. With `create` false a missing file is not
    /// created and `Ok(None)` is returned.
    pub async fn connect(
        url: &DatabaseUrl,
        create: bool,
    ) -> Result<Option<SqliteDb<'static>>, Error> {
        let location = url
            .sqlite_location()
            .ok_or_else(|| Error::Usage(format!("{url} is not a SQLite URL")))?;
        let mut options = match (location, url.sqlite_query()) {
            (_, Some(query)) => {
                SqliteConnectOptions::from_str(&format!("{}?{query}", url.driver_url())).map_err(
                    |e| Error::Url {
                        url: url.redacted(),
                        message: url.scrub(&e.to_string()),
                    },
                )?
            }
            (SqliteLocation::Memory, None) => SqliteConnectOptions::new().in_memory(true),
            (SqliteLocation::File(path), None) => SqliteConnectOptions::new().filename(path),
        };
        if let SqliteLocation::File(path) = location
            && !create
            && !Path::new(path).exists()
        {
            return Ok(None);
        }
        options = options
            .create_if_missing(create)
            .busy_timeout(DEFAULT_LOCK_TIMEOUT);
        let conn = options.connect().await.map_err(|e| {
            let message = url.scrub(&e.to_string());
            Error::database(format!("opening {url}"), db_err(e).with_message(message))
        })?;
        Ok(Some(SqliteDb {
            handle: Handle::Owned(conn),
            busy_timeout: DEFAULT_LOCK_TIMEOUT,
            restore: None,
            txn: Txn::Idle,
            lock_mode: LockMode::Session,
        }))
    }

    /// Wraps a connection taken from an application's pool; a run restores its
    /// settings before it goes back.
    pub fn from_pool_connection(conn: PoolConnection<Sqlite>) -> SqliteDb<'static> {
        SqliteDb {
            handle: Handle::pooled(conn),
            busy_timeout: DEFAULT_LOCK_TIMEOUT,
            restore: None,
            txn: Txn::Idle,
            lock_mode: LockMode::Session,
        }
    }
}

impl<'c> SqliteDb<'c> {
    /// Wraps an application's own connection for one run; a run restores its
    /// settings before returning.
    pub fn from_connection(conn: &'c mut SqliteConnection) -> SqliteDb<'c> {
        SqliteDb {
            handle: Handle::Borrowed(conn),
            busy_timeout: DEFAULT_LOCK_TIMEOUT,
            restore: None,
            txn: Txn::Idle,
            lock_mode: LockMode::Session,
        }
    }

    /// The connection, for statements that end any batch savepoint
    /// (`BEGIN`, `COMMIT`, `ROLLBACK`); a successful `BEGIN` then marks the
    /// transaction [`Txn::Fresh`].
    fn ending_savepoint(&mut self) -> &mut SqliteConnection {
        self.txn = Txn::Idle;
        self.raw()
    }

    fn raw(&mut self) -> &mut SqliteConnection {
        self.handle.raw()
    }

    /// Closes the connection cleanly (pooled ones go back to their pool,
    /// borrowed ones stay open).
    pub async fn close(self) {
        self.handle.close().await;
    }

    /// The sqlx connection itself, for reads aludel makes outside a run
    /// (introspecting the schema); statements run through it bypass the
    /// driver's transaction bookkeeping, so it is not for migrating.
    pub fn connection(&mut self) -> &mut SqliteConnection {
        self.raw()
    }

    /// Runs our own SQL text, which may hold several statements, none of
    /// them inside a batch's savepoint.
    async fn run_script(&mut self, sql: String) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(self.ending_savepoint())
            .await
            .map(|_| ())
    }

    async fn pragma(&mut self, name: &str) -> Result<i64, DbError> {
        sqlx::query_scalar(AssertSqlSafe(format!("PRAGMA {name}")))
            .fetch_one(self.raw())
            .await
            .map_err(db_err)
    }

    /// The names of the schemas attached to the connection.
    async fn attached(&mut self) -> Result<Vec<String>, DbError> {
        sqlx::query_scalar("SELECT name FROM pragma_database_list")
            .fetch_all(self.raw())
            .await
            .map_err(db_err)
    }

    /// The file of the main database; empty for in-memory databases.
    async fn main_file(&mut self) -> Result<String, DbError> {
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(self.raw())
            .await
            .map_err(db_err)
    }

    /// `the write lock on <file>`, for messages.
    async fn write_lock_name(&mut self) -> String {
        match self.main_file().await {
            Ok(file) if !file.is_empty() => format!("the write lock on {file}"),
            _ => "the database's write lock".to_string(),
        }
    }
}

pub(super) fn db_err(e: sqlx::Error) -> DbError {
    DbError::from_sqlx(e)
}

/// Whether SQLite gave up waiting for another connection's lock.
pub(super) fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .is_some_and(|code| code & 0xff == 5),
        _ => false,
    }
}

fn millis(d: Duration) -> u128 {
    d.as_millis().min(i32::MAX as u128)
}

impl DbConnection for SqliteDb<'_> {
    fn dialect(&self) -> &'static dyn Dialect {
        &SqliteDialect
    }

    /// Runs exactly one statement; text SQLite reads as several is refused
    /// after the fact with a message saying so.
    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        if self.txn == Txn::Fresh {
            self.txn = Txn::Dirty;
        }
        batch::execute_one(self.raw(), sql).await
    }

    async fn commit(&mut self) -> Result<(), DbError> {
        self.run_script("COMMIT".into()).await.map_err(db_err)
    }

    async fn execute_batch(&mut self, statements: &[&str]) -> Result<Vec<u64>, BatchError> {
        let mut txn = self.txn;
        let result = batch::execute_guarded(self.raw(), &mut txn, statements).await;
        self.txn = txn;
        result
    }

    /// With `wait` at least the session's lock timeout (what the runner
    /// asks for between migrations), SQLite's own busy wait is already that
    /// long, and the round trip is just the bookkeeping, `COMMIT`, `BEGIN
    /// IMMEDIATE` and the read; a shorter wait sets the busy timeout around
    /// the `BEGIN`.
    async fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &VersionTable,
        wait: Duration,
    ) -> Result<Attempt<Vec<String>>, BatchError> {
        let short = format!("PRAGMA busy_timeout = {}", millis(wait));
        let long = format!("PRAGMA busy_timeout = {}", millis(self.busy_timeout));
        let waits_less = wait < self.busy_timeout;
        let mut all = statements.to_vec();
        all.push("COMMIT");
        if waits_less {
            all.push(short.as_str());
        }
        all.push("BEGIN IMMEDIATE");
        let begin_at = all.len() - 1;
        if waits_less {
            all.push(long.as_str());
        }
        match batch::run(self.ending_savepoint(), &all, Some(table)).await {
            Ok((_, versions)) => {
                self.txn = Txn::Fresh;
                Ok(Attempt::Acquired(versions))
            }
            Err(failure) if failure.index == begin_at && failure.busy => {
                if waits_less {
                    self.run_script(long).await.map_err(|e| BatchError {
                        index: statements.len(),
                        error: db_err(e),
                    })?;
                }
                Ok(Attempt::Busy {
                    lock: self.write_lock_name().await,
                })
            }
            Err(failure) => Err(BatchError {
                index: failure.index.min(statements.len()),
                error: failure.error,
            }),
        }
    }

    /// Foreign keys off (a table rebuild must not cascade deletes; this has no
    /// effect inside a transaction, so it must come before `BEGIN`), and the
    /// busy timeout set to the lock timeout. On connections aludel does not
    /// own the previous values are kept for `end_session`. Of the lock modes
    /// only `session` (the lock file) and `none` apply to SQLite.
    async fn start_session(&mut self, settings: &SessionSettings) -> Result<(), DbError> {
        let lock_timeout = settings.lock_timeout;
        self.lock_mode = match settings.lock_mode {
            mode @ (LockMode::Session | LockMode::None) => mode,
            other => {
                return Err(DbError::new(format!(
                    "lock_mode = \"{}\" is for PostgreSQL; SQLite takes `session` (a lock file) or `none`",
                    other.name()
                )));
            }
        };
        self.handle.set_in_run(true);
        if !self.handle.is_owned() && self.restore.is_none() {
            self.restore = Some(Restore {
                foreign_keys: self.pragma("foreign_keys").await? != 0,
                busy_timeout_ms: self.pragma("busy_timeout").await?,
                attached: self.attached().await?,
            });
        }
        self.busy_timeout = lock_timeout;
        self.run_script(format!(
            "PRAGMA foreign_keys = OFF; PRAGMA busy_timeout = {}",
            millis(lock_timeout)
        ))
        .await
        .map_err(db_err)?;
        if self.pragma("foreign_keys").await? != 0 {
            return Err(DbError::new(
                "foreign keys could not be turned off for the migration: \
                 the connection has a transaction open",
            ));
        }
        Ok(())
    }

    /// Puts back the foreign-key and busy-timeout settings of a pooled or
    /// borrowed connection, and detaches the databases the run attached. A
    /// pooled connection that cannot be restored is
    /// closed instead of going back to its pool.
    async fn end_session(&mut self) -> Result<(), DbError> {
        let Some(restore) = self.restore.take() else {
            self.handle.set_in_run(false);
            return Ok(());
        };
        let mut sql = format!(
            "PRAGMA foreign_keys = {}; PRAGMA busy_timeout = {}",
            if restore.foreign_keys { "ON" } else { "OFF" },
            restore.busy_timeout_ms
        );
        let result = match self.attached().await {
            Ok(now) => {
                // `temp` appears when first used and cannot be detached.
                let added = now.iter().filter(|n| {
                    !restore.attached.contains(n) && !matches!(n.as_str(), "main" | "temp")
                });
                for name in added {
                    sql.push_str("; DETACH DATABASE ");
                    sql.push_str(&SqliteDialect.quote_ident(name));
                }
                self.run_script(sql).await.map_err(db_err)
            }
            Err(e) => Err(e),
        };
        if result.is_err() {
            self.handle.close_instead_of_returning();
        }
        self.handle.set_in_run(false);
        result
    }

    async fn try_begin(&mut self, wait: Duration) -> Result<Attempt<()>, DbError> {
        let long = format!("PRAGMA busy_timeout = {}", millis(self.busy_timeout));
        let sql = format!(
            "PRAGMA busy_timeout = {}; BEGIN IMMEDIATE; {long}",
            millis(wait)
        );
        match self.run_script(sql).await {
            Ok(()) => {
                self.txn = Txn::Fresh;
                Ok(Attempt::Acquired(()))
            }
            Err(e) => {
                self.run_script(long).await.map_err(db_err)?;
                if is_busy(&e) {
                    Ok(Attempt::Busy {
                        lock: self.write_lock_name().await,
                    })
                } else {
                    Err(db_err(e))
                }
            }
        }
    }

    /// An exclusive `flock` on `<database file>-aludel-lock`, created next to
    /// the database and left there (removing a lock file races with the next
    /// taker). In-memory databases have one connection and need none.
    async fn try_lock_migrations(&mut self) -> Result<Attempt<MigrationLock>, DbError> {
        let file = self.main_file().await?;
        if file.is_empty() || self.lock_mode == LockMode::None {
            return Ok(Attempt::Acquired(MigrationLock::unshared()));
        }
        lock::try_lock_file(format!("{file}-aludel-lock")).await
    }

    async fn rollback(&mut self) -> Result<(), DbError> {
        self.run_script("ROLLBACK".into()).await.map_err(db_err)
    }

    async fn table_exists(&mut self, table: &VersionTable) -> Result<bool, DbError> {
        let master = match &table.schema {
            Some(schema) => format!("{}.sqlite_master", SqliteDialect.quote_ident(schema)),
            None => "sqlite_master".to_string(),
        };
        let sql = format!("SELECT 1 FROM {master} WHERE type = 'table' AND name = ?1");
        let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(&table.name)
            .fetch_optional(self.raw())
            .await
            .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn read_versions(&mut self, table: &VersionTable) -> Result<Vec<String>, DbError> {
        let sql = format!("SELECT version_num FROM {}", SqliteDialect.qualified(table));
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)?;
        let shown = table.to_string();
        rows.iter().map(|row| version_of(row, &shown)).collect()
    }

    async fn fetch_text_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        let rows = sqlx::query(AssertSqlSafe(sql.to_string()))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get::<Option<String>, _>(i).map_err(db_err))
                    .collect()
            })
            .collect()
    }
}
