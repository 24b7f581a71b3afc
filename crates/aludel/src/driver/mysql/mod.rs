//! MySQL and MariaDB through sqlx: connections (owned, pooled or borrowed),
//! the session settings migrations run with, the migration lock (`lock.rs`:
//! `GET_LOCK`), multi-statement batches (`batch.rs`) and reads (`read.rs`).
//!
//! MySQL has no database-wide write lock and commits DDL implicitly: the
//! migration lock is what keeps aludel migrators apart, `try_begin` only opens
//! a transaction, and the runner records a migration's progress statement by
//! statement (`Dialect::transactional_ddl` is false).

mod batch;
mod lock;
mod read;

use read::{text_cell, version_of};

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, MySql, Row};

use super::server;
use super::{Attempt, BatchError, DbConnection, DbError, LockMode, MigrationLock, SessionSettings};
use crate::dialect::{Dialect, MySqlDialect, MySqlOnlineDialect, VersionTable};
use crate::error::Error;
use crate::url::DatabaseUrl;

/// The connection: a pooled one is closed instead of going back to its
/// pool while it may hold the migration lock (`GET_LOCK` belongs to the
/// session, which a pool keeps alive) or while a run is under way on it.
type Handle<'c> = super::handle::Handle<'c, MySql>;

/// What a session changed on a connection aludel does not own.
#[derive(Debug, Clone)]
struct Restore {
    autocommit: i64,
    lock_wait_timeout: i64,
    innodb_lock_wait_timeout: i64,
}

/// A MySQL or MariaDB connection, opened by aludel, taken from an
/// application's pool, or borrowed from the application for one run.
pub struct MySqlDb<'c> {
    handle: Handle<'c>,
    /// Set by `start_session` on connections aludel does not own.
    restore: Option<Restore>,
    /// The session's lock mode (`none` takes no lock).
    lock_mode: LockMode,
    /// The `GET_LOCK` name of the session's version table.
    lock_name: Option<String>,
}

impl MySqlDb<'static> {
    /// Opens the database at `url` (`mysql://` or `mariadb://`). The session
    /// keeps the server's own `sql_mode` and time zone, as the `mysql` client
    /// does: sqlx would otherwise add `PIPES_AS_CONCAT` and set UTC, which
    /// changes what a migration's SQL means.
    pub async fn connect(url: &DatabaseUrl) -> Result<MySqlDb<'static>, Error> {
        let options = MySqlConnectOptions::from_str(url.driver_url())
            .map_err(|e| server::bad_url(url, e))?
            .pipes_as_concat(false)
            .no_engine_substitution(false)
            .timezone(None);
        let conn = server::open(url, options).await?;
        Ok(MySqlDb::wrap(Handle::Owned(conn)))
    }

    /// Wraps a connection taken from an application's pool; a run restores its
    /// settings before it goes back (or closes it if that fails).
    pub fn from_pool_connection(conn: PoolConnection<MySql>) -> MySqlDb<'static> {
        MySqlDb::wrap(Handle::pooled(conn))
    }
}

impl<'c> MySqlDb<'c> {
    fn wrap(handle: Handle<'c>) -> MySqlDb<'c> {
        MySqlDb {
            handle,
            restore: None,
            lock_mode: LockMode::Session,
            lock_name: None,
        }
    }

    /// Wraps an application's own connection for one run; a run restores its
    /// settings before returning.
    pub fn from_connection(conn: &'c mut MySqlConnection) -> MySqlDb<'c> {
        MySqlDb::wrap(Handle::Borrowed(conn))
    }

    fn raw(&mut self) -> &mut MySqlConnection {
        self.handle.raw()
    }

    /// Closes the connection cleanly (pooled ones go back to their pool,
    /// borrowed ones stay open).
    pub async fn close(self) {
        self.handle.close().await;
    }

    /// Runs our own SQL text (possibly several statements).
    async fn run_script(&mut self, sql: String) -> Result<(), DbError> {
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(self.raw())
            .await
            .map(|_| ())
            .map_err(db_err)
    }

    /// The database the session's version table lives in.
    async fn database_of(&mut self, table: &VersionTable) -> Result<String, DbError> {
        if let Some(schema) = &table.schema {
            return Ok(schema.clone());
        }
        let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
            .fetch_one(self.raw())
            .await
            .map_err(db_err)?;
        database.ok_or_else(|| DbError::new("the connection has no database selected"))
    }
}

pub(super) fn db_err(e: sqlx::Error) -> DbError {
    DbError::from_sqlx(e)
}

/// A timeout in whole seconds, as MySQL's `*_lock_wait_timeout` take them
/// (at least 1).
fn seconds(d: Duration) -> u64 {
    d.as_secs_f64().ceil().clamp(1.0, 31_536_000.0) as u64
}

impl DbConnection for MySqlDb<'_> {
    /// [`MySqlOnlineDialect`]: bookkeeping values as hex strings.
    fn dialect(&self) -> &'static dyn Dialect {
        &MySqlOnlineDialect
    }

    /// Runs one statement through the text protocol (as the `mysql` client
    /// does: any statement, including those the prepared protocol refuses).
    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(self.raw())
            .await
            .map(|done| done.rows_affected())
            .map_err(db_err)
    }

    /// `COMMIT`, and `autocommit` back on (see `try_begin`).
    async fn commit(&mut self) -> Result<(), DbError> {
        self.run_script("COMMIT; SET autocommit = 1".into()).await
    }

    /// The statements in multi-statement packets (one round trip for an
    /// ordinary revision). A failure does not undo what ran before it: DDL
    /// commits implicitly on MySQL.
    async fn execute_batch(&mut self, statements: &[&str]) -> Result<Vec<u64>, BatchError> {
        batch::run(self.raw(), statements)
            .await
            .map(|done| done.changed)
    }

    /// The bookkeeping, `COMMIT`, `BEGIN` and the read of the version table
    /// in one round trip. MySQL has no write lock to wait for here (the
    /// migration lock keeps migrators apart), so this never reports `Busy`.
    async fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &VersionTable,
        wait: Duration,
    ) -> Result<Attempt<Vec<String>>, BatchError> {
        let _ = wait;
        let read = format!("SELECT version_num FROM {}", MySqlDialect.qualified(table));
        let mut all = statements.to_vec();
        // `autocommit` stays 0: the read opens the next transaction.
        all.extend(["COMMIT", read.as_str()]);
        let done = batch::run(self.raw(), &all).await.map_err(|e| BatchError {
            index: e.index.min(statements.len()),
            error: e.error,
        })?;
        let shown = table.to_string();
        let versions = done
            .rows
            .iter()
            .map(|row| version_of(row, &shown))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| BatchError {
                index: statements.len(),
                error,
            })?;
        Ok(Attempt::Acquired(versions))
    }

    /// `autocommit` on (so that a `transaction:false` section's statements
    /// commit one by one, as the file says), and the waits for other
    /// sessions' locks (`lock_wait_timeout` for metadata locks, which DDL
    /// takes; `innodb_lock_wait_timeout` for row locks) set to the lock
    /// timeout instead of MySQL's default of a year. On connections aludel
    /// does not own the previous values are kept for `end_session`. Of the
    /// lock modes only `session` (`GET_LOCK`) and `none` apply.
    async fn start_session(&mut self, settings: &SessionSettings) -> Result<(), DbError> {
        self.handle.set_in_run(true);
        self.lock_mode = match settings.lock_mode {
            mode @ (LockMode::Session | LockMode::None) => mode,
            other => {
                return Err(DbError::new(format!(
                    "lock_mode = \"{}\" is for PostgreSQL; MySQL and MariaDB take `session` \
                     (GET_LOCK) or `none`",
                    other.name()
                )));
            }
        };
        if !self.handle.is_owned() && self.restore.is_none() {
            let (autocommit, lock_wait_timeout, innodb_lock_wait_timeout): (i64, i64, i64) =
                sqlx::query_as(
                    "SELECT CAST(@@SESSION.autocommit AS SIGNED), \
                     CAST(@@SESSION.lock_wait_timeout AS SIGNED), \
                     CAST(@@SESSION.innodb_lock_wait_timeout AS SIGNED)",
                )
                .fetch_one(self.raw())
                .await
                .map_err(db_err)?;
            self.restore = Some(Restore {
                autocommit,
                lock_wait_timeout,
                innodb_lock_wait_timeout,
            });
        }
        let wait = seconds(settings.lock_timeout);
        self.run_script(format!(
            "SET SESSION autocommit = 1, lock_wait_timeout = {wait}, \
             innodb_lock_wait_timeout = {wait}"
        ))
        .await?;
        if self.lock_name.is_none() {
            let database = self.database_of(&settings.version_table).await?;
            self.lock_name = Some(lock::lock_name(&database, &settings.version_table.name));
        }
        Ok(())
    }

    /// Puts back `autocommit` and the lock waits of a pooled or borrowed
    /// connection. A pooled connection that cannot be restored is closed
    /// instead of going back to its pool.
    async fn end_session(&mut self) -> Result<(), DbError> {
        let Some(restore) = self.restore.take() else {
            self.handle.set_in_run(false);
            return Ok(());
        };
        let result = self
            .run_script(format!(
                "SET SESSION autocommit = {}, lock_wait_timeout = {}, innodb_lock_wait_timeout = {}",
                restore.autocommit, restore.lock_wait_timeout, restore.innodb_lock_wait_timeout
            ))
            .await;
        if result.is_err() {
            self.handle.close_instead_of_returning();
        }
        self.handle.set_in_run(false);
        result
    }

    /// Opens a transaction, as `autocommit = 0`: a DDL statement's implicit
    /// commit then opens the next transaction by itself, so the statements
    /// after it still commit together (with `BEGIN`, each would commit on
    /// its own). `commit` and `rollback` turn `autocommit` back on, so that
    /// a `transaction:false` section's statements commit one by one. MySQL
    /// has no lock on the whole database to take: the migration lock keeps
    /// aludel's migrators apart, so this never waits.
    async fn try_begin(&mut self, wait: Duration) -> Result<Attempt<()>, DbError> {
        let _ = wait;
        self.run_script("SET autocommit = 0".into()).await?;
        Ok(Attempt::Acquired(()))
    }

    /// `GET_LOCK('aludel:<database>.<version table>', 0)`: taken, or busy
    /// with the holder named (connection id, user, host, how long).
    async fn try_lock_migrations(&mut self) -> Result<Attempt<MigrationLock>, DbError> {
        if self.lock_mode == LockMode::None {
            return Ok(Attempt::Acquired(MigrationLock::unshared()));
        }
        let name = self
            .lock_name
            .clone()
            .ok_or_else(|| DbError::new("the migration session was not started"))?;
        let attempt = lock::try_lock(self.raw(), &name).await?;
        if let Attempt::Acquired(_) = &attempt {
            self.handle.set_holds_lock(true);
        }
        Ok(attempt)
    }

    /// `RELEASE_LOCK`; if that fails, a pooled connection is closed instead of
    /// going back to its pool (closing the session releases the lock).
    async fn release_migration_lock(&mut self, held: MigrationLock) -> Result<(), DbError> {
        let Some(name) = held.server_key().map(str::to_string) else {
            return Ok(());
        };
        let result = lock::release(self.raw(), &name).await;
        if result.is_ok() {
            self.handle.set_holds_lock(false);
        }
        result
    }

    /// `ROLLBACK`, and `autocommit` back on (see `try_begin`).
    async fn rollback(&mut self) -> Result<(), DbError> {
        self.run_script("ROLLBACK; SET autocommit = 1".into()).await
    }

    async fn table_exists(&mut self, table: &VersionTable) -> Result<bool, DbError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
        )
        .bind(table.schema.as_deref())
        .bind(&table.name)
        .fetch_optional(self.raw())
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn read_versions(&mut self, table: &VersionTable) -> Result<Vec<String>, DbError> {
        let sql = format!("SELECT version_num FROM {}", MySqlDialect.qualified(table));
        let rows = sqlx::raw_sql(AssertSqlSafe(sql))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)?;
        let shown = table.to_string();
        rows.iter().map(|row| version_of(row, &shown)).collect()
    }

    async fn fetch_text_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        let rows = sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|row| (0..row.len()).map(|i| text_cell(row, i)).collect())
            .collect()
    }
}
