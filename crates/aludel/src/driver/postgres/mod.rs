//! PostgreSQL through sqlx: connections (owned, pooled or borrowed), the
//! locks between migrators (`lock.rs`: advisory-lock key and holders) and
//! batches (`batch.rs`).
//!
//! Everything aludel sends goes through the simple query protocol (no named
//! prepared statements), so that it also works through a transaction-pooling
//! proxy; a session changes nothing at session level except the migration
//! lock: the lock timeout is set with `SET LOCAL` in each transaction.

mod batch;
mod begin;
mod lock;

use batch::Txn;

pub use lock::advisory_lock_key;

use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow, Postgres};
use sqlx::{AssertSqlSafe, Row, TypeInfo, ValueRef};

use super::server;
use super::{Attempt, BatchError, DbConnection, DbError, LockMode, MigrationLock, SessionSettings};
use crate::dialect::{Dialect, PostgresDialect, VersionTable};
use crate::error::Error;
use crate::url::DatabaseUrl;

/// How often a lock held by another connection is tried again.
const POLL: Duration = Duration::from_millis(50);

/// SQLSTATE `lock_not_available` (a `lock_timeout` ran out).
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// The connection: a pooled one is closed instead of going back to its
/// pool while it may still hold the session's migration lock (after a
/// failed unlock, or a panic during a run) or while a run is under way on
/// it (the application dropped the run's future half-way: the connection
/// may be in aludel's transaction, holding its locks).
type Handle<'c> = super::handle::Handle<'c, Postgres>;

/// A PostgreSQL connection, opened by aludel, taken from an application's
/// pool, or borrowed from the application for the duration of a run.
pub struct PgDb<'c> {
    handle: Handle<'c>,
    /// The settings of the session (`start_session`).
    settings: SessionSettings,
    /// The advisory-lock key of the session's version table.
    key: Option<i64>,
    /// The key of the session-level migration lock this connection holds.
    session_lock: Option<i64>,
    /// What the open transaction holds (as far as aludel's own statements
    /// tell), for batches.
    txn: Txn,
    /// The server process that took the session's migration lock: every
    /// transaction of the run must run on it.
    lock_pid: Option<String>,
}

impl PgDb<'static> {
    /// Connects to the server at `url`, as application `aludel` unless the
    /// URL names one (`?application_name=…`). The error names the URL with
    /// its password hidden.
    pub async fn connect(url: &DatabaseUrl) -> Result<PgDb<'static>, Error> {
        let mut options =
            PgConnectOptions::from_str(url.driver_url()).map_err(|e| server::bad_url(url, e))?;
        if options.get_application_name().is_none() {
            options = options.application_name("aludel");
        }
        let conn = server::open(url, options).await?;
        Ok(PgDb::new(Handle::Owned(conn)))
    }

    /// Wraps a connection taken from an application's pool. A run leaves its
    /// session settings as they were; a connection that may still hold the
    /// migration lock is closed instead of going back to the pool.
    pub fn from_pool_connection(conn: PoolConnection<Postgres>) -> PgDb<'static> {
        PgDb::new(Handle::pooled(conn))
    }
}

impl<'c> PgDb<'c> {
    fn new(handle: Handle<'c>) -> PgDb<'c> {
        PgDb {
            handle,
            settings: SessionSettings::default(),
            key: None,
            session_lock: None,
            txn: Txn::Idle,
            lock_pid: None,
        }
    }

    /// Wraps an application's own connection for one run. If releasing the
    /// migration lock fails, the run's error says so and the connection may
    /// still hold it until it closes.
    pub fn from_connection(conn: &'c mut PgConnection) -> PgDb<'c> {
        PgDb::new(Handle::Borrowed(conn))
    }

    fn raw(&mut self) -> &mut PgConnection {
        self.handle.raw()
    }

    /// Closes the connection cleanly (pooled ones go back to their pool,
    /// borrowed ones stay open).
    pub async fn close(self) {
        self.handle.close().await;
    }

    /// The first query on a connection aludel opened to `url`; a failure
    /// names `url`. PostgreSQL has no lock a read waits for, so `timeout` and
    /// `log` are not used.
    pub async fn wait_until_readable(
        &mut self,
        url: &DatabaseUrl,
        timeout: Duration,
        log: &mut (dyn FnMut(&str) + Send),
    ) -> Result<(), Error> {
        let _ = (timeout, log);
        batch::execute_one(self.raw(), "SELECT 1")
            .await
            .map(|_| ())
            .map_err(|e| {
                let message = url.scrub(e.message());
                Error::database(format!("opening {url}"), e.with_message(message))
            })
    }

    /// Records whether the connection holds the session's migration lock.
    fn set_session_lock(&mut self, key: Option<i64>) {
        self.session_lock = key;
        self.handle.set_holds_lock(key.is_some());
    }

    /// The advisory-lock key of the session's version table.
    fn key(&self) -> Result<i64, DbError> {
        self.key.ok_or_else(|| {
            DbError::new("the migration session was not started (start_session) before locking")
        })
    }

    /// `SET LOCAL lock_timeout` for `wait` (at least a millisecond: zero
    /// would mean no limit).
    fn set_lock_timeout(wait: Duration) -> String {
        format!(
            "SET LOCAL lock_timeout = '{}ms'",
            wait.as_millis().clamp(1, i32::MAX as u128)
        )
    }

    /// Runs our own statements in one round trip.
    async fn run(&mut self, statements: &[&str]) -> Result<(), DbError> {
        batch::round_trip(self.raw(), statements, None)
            .await
            .map(|_| ())
            .map_err(|f| f.error)
    }

    /// The single text value our own query returns.
    async fn text(&mut self, sql: &str) -> Result<Option<String>, DbError> {
        let rows = self.fetch_text_rows(sql).await?;
        Ok(rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .flatten())
    }
}

/// The error of a sqlx call.
pub(super) fn db_err(e: sqlx::Error) -> DbError {
    DbError::from_sqlx(e)
}

/// The `version_num` of a version-table row, refused in words when it is not
/// text (a hand-made table may be anything).
fn version_of(row: &PgRow, table: &VersionTable) -> Result<String, DbError> {
    let value = row.try_get_raw(0).map_err(db_err)?;
    if value.is_null() {
        return Err(DbError::new(format!(
            "the version table `{table}` holds a NULL version_num"
        )));
    }
    let kind = value.type_info().name().to_string();
    if !matches!(kind.as_str(), "VARCHAR" | "TEXT" | "BPCHAR" | "NAME") {
        return Err(DbError::new(format!(
            "the version table `{table}` holds a version_num that is not text (its type is {kind})"
        )));
    }
    row.try_get(0).map_err(db_err)
}

fn versions_query(table: &VersionTable) -> String {
    format!(
        "SELECT version_num FROM {}",
        PostgresDialect.qualified(table)
    )
}

impl DbConnection for PgDb<'_> {
    fn dialect(&self) -> &'static dyn Dialect {
        &PostgresDialect
    }

    /// Runs exactly one statement (simple query protocol, so that it may be
    /// one that cannot run in a transaction block, such as `CREATE INDEX
    /// CONCURRENTLY`); text the server reads as several is refused after the
    /// fact.
    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        if self.txn == Txn::Fresh {
            self.txn = Txn::Dirty;
        }
        batch::execute_one(self.raw(), sql).await
    }

    async fn commit(&mut self) -> Result<(), DbError> {
        self.txn = Txn::Idle;
        self.run(&["COMMIT"]).await
    }

    async fn execute_batch(&mut self, statements: &[&str]) -> Result<Vec<u64>, BatchError> {
        let begin = self.begin_statements();
        let begin: Vec<&str> = begin.iter().map(String::as_str).collect();
        let mut txn = self.txn;
        let result = batch::execute_guarded(self.raw(), &mut txn, &begin, statements).await;
        self.txn = txn;
        result
    }

    /// In the `session` and `none` lock modes one round trip: the
    /// bookkeeping, `COMMIT`, `BEGIN`, the lock timeout and the read.
    async fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &VersionTable,
        wait: Duration,
    ) -> Result<Attempt<Vec<String>>, BatchError> {
        let at_end = |error| BatchError {
            index: statements.len(),
            error,
        };
        if !matches!(self.settings.lock_mode, LockMode::Session | LockMode::None) {
            self.execute_batch(statements).await?;
            self.commit().await.map_err(at_end)?;
            match self.try_begin(wait).await.map_err(at_end)? {
                Attempt::Acquired(()) => {}
                Attempt::Busy { lock } => return Ok(Attempt::Busy { lock }),
            }
            let versions = self.read_versions(table).await.map_err(at_end)?;
            return Ok(Attempt::Acquired(versions));
        }
        let begin = self.begin_statements();
        let read = versions_query(table);
        let mut all: Vec<&str> = Vec::with_capacity(statements.len() + 6);
        all.extend_from_slice(statements);
        all.push("COMMIT");
        all.extend(begin.iter().map(String::as_str));
        let check_at = all.len();
        all.extend(self.pid_check());
        let read_at = all.len();
        all.push(&read);
        let outcome = batch::round_trip(self.raw(), &all, Some(check_at)).await;
        self.txn = Txn::Fresh;
        let (_, rows) = outcome.map_err(|f| BatchError {
            index: f.index.min(statements.len()),
            error: f.error,
        })?;
        if self.pid_check().is_some() && !self.on_lock_holder(&rows) {
            return Err(at_end(lock::pooled_away()));
        }
        let versions = rows
            .iter()
            .filter(|(at, _)| *at == read_at)
            .map(|(_, row)| version_of(row, table))
            .collect::<Result<_, _>>()
            .map_err(at_end)?;
        Ok(Attempt::Acquired(versions))
    }

    /// Keeps `settings` and derives the migration lock's key from the
    /// version table's schema (`version_table_schema`, or else the first
    /// existing schema of the `search_path`, where an unqualified `CREATE
    /// TABLE` puts it) and name. Nothing is changed at session level.
    async fn start_session(&mut self, settings: &SessionSettings) -> Result<(), DbError> {
        self.handle.set_in_run(true);
        self.settings = settings.clone();
        let table = &settings.version_table;
        let schema = match &table.schema {
            Some(schema) => schema.clone(),
            None => self
                .text("SELECT current_schema()::text")
                .await?
                .ok_or_else(|| {
                    DbError::new(
                        "no schema of the connection's search_path exists, so the version \
                         table has no schema to go in: create one, or set version_table_schema",
                    )
                })?,
        };
        self.key = Some(lock::advisory_lock_key(&schema, &table.name));
        Ok(())
    }

    /// Gives back a migration lock still held (a run always releases it
    /// first); a pooled connection that cannot is closed instead of going
    /// back to its pool.
    async fn end_session(&mut self) -> Result<(), DbError> {
        if let Some(key) = self.session_lock {
            self.release_migration_lock(MigrationLock::server(key.to_string()))
                .await?;
        }
        self.handle.set_in_run(self.txn != Txn::Idle);
        Ok(())
    }

    /// `session` and `none`: `BEGIN`. `transaction`: a transaction holding
    /// `pg_try_advisory_xact_lock`, polled. `table`: a transaction holding
    /// `LOCK TABLE … IN EXCLUSIVE MODE` on the version table. Each waits at
    /// most `wait`; every transaction runs with the session's lock timeout.
    async fn try_begin(&mut self, wait: Duration) -> Result<Attempt<()>, DbError> {
        match self.settings.lock_mode {
            LockMode::Session | LockMode::None => {
                self.begin().await?;
                Ok(Attempt::Acquired(()))
            }
            LockMode::Transaction => self.begin_with_xact_lock(wait).await,
            LockMode::Table => self.begin_with_table_lock(wait).await,
        }
    }

    /// `session`: one `pg_try_advisory_lock(key)`, then a check in a second
    /// round trip that `pg_locks` shows it held by this connection's backend
    /// (not so behind a transaction-pooling proxy, which is refused). The
    /// other modes lock per transaction in `try_begin`.
    async fn try_lock_migrations(&mut self) -> Result<Attempt<MigrationLock>, DbError> {
        if self.settings.lock_mode != LockMode::Session {
            return Ok(Attempt::Acquired(MigrationLock::unshared()));
        }
        let key = self.key()?;
        let taken = self
            .text(&format!("SELECT pg_try_advisory_lock({key})::text"))
            .await?;
        if taken.as_deref() != Some("true") {
            let table = self.settings.version_table.clone();
            let lock = lock::describe_advisory(self.raw(), key, &table, true).await;
            return Ok(Attempt::Busy { lock });
        }
        self.set_session_lock(Some(key));
        self.lock_pid = lock::held_here(self.raw(), key).await?;
        if self.lock_pid.is_none() {
            let _ = self
                .run(&[&format!("SELECT pg_advisory_unlock({key})")])
                .await;
            return Err(lock::pooled_away());
        }
        Ok(Attempt::Acquired(MigrationLock::server(key.to_string())))
    }

    /// `pg_advisory_unlock(key)`; a lock this connection no longer held (a
    /// migration ran `pg_advisory_unlock_all()`) is an error too.
    async fn release_migration_lock(&mut self, lock: MigrationLock) -> Result<(), DbError> {
        let Some(key) = lock.server_key().and_then(|k| k.parse::<i64>().ok()) else {
            return Ok(());
        };
        let released = self
            .text(&format!("SELECT pg_advisory_unlock({key})::text"))
            .await?;
        if released.as_deref() != Some("true") {
            return Err(DbError::new(format!(
                "the migration lock (advisory lock {key}) was no longer held by this \
                 connection when the run released it (a migration unlocked it, or a proxy \
                 with transaction pooling such as PgBouncer ran the unlock on another server \
                 connection: then set lock_mode = \"transaction\")"
            )));
        }
        self.set_session_lock(None);
        self.lock_pid = None;
        Ok(())
    }

    async fn rollback(&mut self) -> Result<(), DbError> {
        self.txn = Txn::Idle;
        self.run(&["ROLLBACK"]).await
    }

    /// Whether the table exists where an unqualified (or, with a schema,
    /// qualified) name resolves, as PostgreSQL resolves it: `to_regclass`.
    async fn table_exists(&mut self, table: &VersionTable) -> Result<bool, DbError> {
        let sql = format!(
            "SELECT c.relname::text FROM pg_catalog.pg_class c \
             WHERE c.oid = to_regclass({}) AND c.relkind IN ('r', 'p')",
            PostgresDialect.literal(&PostgresDialect.qualified(table))
        );
        Ok(self.text(&sql).await?.is_some())
    }

    async fn read_versions(&mut self, table: &VersionTable) -> Result<Vec<String>, DbError> {
        let rows = sqlx::raw_sql(AssertSqlSafe(versions_query(table)))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)?;
        rows.iter().map(|row| version_of(row, table)).collect()
    }

    async fn fetch_text_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        let rows = sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
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
