//! SQLite through sqlx.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use aludel_script::push_terminated;
use futures_util::StreamExt;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Either, Row, Sqlite, TypeInfo, ValueRef};

use super::{BatchError, DbConnection, DbError, MigrationLock};
use crate::dialect::{Dialect, SqliteDialect};
use crate::error::Error;
use crate::url::{DatabaseUrl, SqliteLocation};

/// How long a migrator waits for another one holding the write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(600);

enum Handle {
    Owned(SqliteConnection),
    Pooled(PoolConnection<Sqlite>),
}

/// A SQLite connection, opened by aludel or borrowed from an application's pool.
pub struct SqliteDb {
    handle: Handle,
}

impl SqliteDb {
    /// Opens the database at `url`. Foreign-key enforcement is left off, as in the
    /// sqlite3 shell and in Alembic, so that table rebuilds behave the same.
    pub async fn connect(url: &DatabaseUrl, create: bool) -> Result<Option<SqliteDb>, Error> {
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
            .foreign_keys(false)
            .busy_timeout(BUSY_TIMEOUT);
        let conn = options
            .connect()
            .await
            .map_err(|e| Error::database(format!("opening {url}"), url.scrub(&e.to_string())))?;
        Ok(Some(SqliteDb {
            handle: Handle::Owned(conn),
        }))
    }

    /// Wraps a connection taken from an application's pool.
    pub fn from_pool_connection(conn: PoolConnection<Sqlite>) -> SqliteDb {
        SqliteDb {
            handle: Handle::Pooled(conn),
        }
    }

    fn raw(&mut self) -> &mut SqliteConnection {
        match &mut self.handle {
            Handle::Owned(c) => c,
            Handle::Pooled(c) => c,
        }
    }

    /// Closes the connection cleanly (pooled ones go back to their pool).
    pub async fn close(self) {
        if let Handle::Owned(c) = self.handle {
            let _ = c.close().await;
        }
    }
}

impl SqliteDb {
    /// Sends `statements` (and, with `read_versions`, a read of that version
    /// table) as one multi-statement string: one round trip to sqlx's worker
    /// thread instead of one per statement. SQLite prepares each statement only
    /// when the previous one has run, so later statements see earlier schema
    /// changes. sqlx reports one result per statement, which tells which one
    /// failed; a count that disagrees with `statements` means SQLite read the
    /// text differently from aludel's splitter, and the batch is refused.
    async fn run_batch(
        &mut self,
        statements: &[&str],
        read_versions: Option<&str>,
    ) -> Result<(Vec<u64>, Vec<String>), BatchError> {
        let mut sql =
            String::with_capacity(statements.iter().map(|s| s.len() + 3).sum::<usize>() + 64);
        for statement in statements {
            // As a file holds it (and offline `--sql` prints it).
            push_terminated(&mut sql, statement);
            sql.push('\n');
        }
        if let Some(table) = read_versions {
            sql.push_str("SELECT version_num FROM ");
            sql.push_str(&SqliteDialect.quote_ident(table));
        }
        let expected = statements.len() + usize::from(read_versions.is_some());
        let mut changed = Vec::with_capacity(expected);
        let mut versions = Vec::new();
        let mut results = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_many(self.raw());
        while let Some(result) = results.next().await {
            match result {
                Ok(Either::Left(done)) => changed.push(done.rows_affected()),
                Ok(Either::Right(row)) if changed.len() == statements.len() => {
                    let table = read_versions.unwrap_or_default();
                    let version = version_of(&row, table).map_err(|error| BatchError {
                        index: statements.len(),
                        error,
                    })?;
                    versions.push(version);
                }
                Ok(Either::Right(_)) => {}
                Err(e) => {
                    return Err(BatchError {
                        index: changed.len(),
                        error: db_err(e),
                    });
                }
            }
        }
        if changed.len() != expected {
            return Err(BatchError {
                index: changed.len().min(statements.len().saturating_sub(1)),
                error: DbError(format!(
                    "SQLite read {} statements where aludel's splitter found {}",
                    changed.len(),
                    expected
                )),
            });
        }
        changed.truncate(statements.len());
        Ok((changed, versions))
    }
}

/// The `version_num` of a version-table row, refused in words when it is not
/// text (Alembic's column is `VARCHAR(32) NOT NULL`, but a hand-made table may
/// be anything).
fn version_of(row: &SqliteRow, table: &str) -> Result<String, DbError> {
    let value = row.try_get_raw(0).map_err(db_err)?;
    if value.is_null() {
        return Err(DbError(format!(
            "the version table `{table}` holds a NULL version_num"
        )));
    }
    let kind = value.type_info().name().to_string();
    if kind != "TEXT" {
        return Err(DbError(format!(
            "the version table `{table}` holds a version_num that is not text (its type is {kind})"
        )));
    }
    row.try_get(0).map_err(db_err)
}

fn db_err(e: sqlx::Error) -> DbError {
    match e {
        sqlx::Error::Database(d) => DbError(d.message().to_string()),
        other => DbError(other.to_string()),
    }
}

impl DbConnection for SqliteDb {
    fn dialect(&self) -> &'static dyn Dialect {
        &SqliteDialect
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        let done = sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(self.raw())
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn begin(&mut self) -> Result<(), DbError> {
        self.execute("BEGIN IMMEDIATE").await.map(|_| ())
    }

    async fn commit(&mut self) -> Result<(), DbError> {
        self.execute("COMMIT").await.map(|_| ())
    }

    async fn execute_batch(&mut self, statements: &[&str]) -> Result<Vec<u64>, BatchError> {
        let (changed, _) = self.run_batch(statements, None).await?;
        Ok(changed)
    }

    async fn commit_and_begin_reading_versions(
        &mut self,
        statements: &[&str],
        table: &str,
    ) -> Result<Vec<String>, BatchError> {
        let mut all = statements.to_vec();
        all.extend(["COMMIT", "BEGIN IMMEDIATE"]);
        let (_, versions) = self.run_batch(&all, Some(table)).await?;
        Ok(versions)
    }

    /// An exclusive `flock` on `<database file>-aludel-lock`, created next to
    /// the database and left there (removing a lock file races with the next
    /// taker). In-memory databases have one connection and need none.
    async fn lock_migrations(&mut self) -> Result<MigrationLock, DbError> {
        let file: String =
            sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_one(self.raw())
                .await
                .map_err(db_err)?;
        if file.is_empty() {
            return Ok(MigrationLock::unshared());
        }
        let path = format!("{file}-aludel-lock");
        let shown = path.clone();
        let locked = tokio::task::spawn_blocking(move || {
            let lock = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            lock.lock()?;
            Ok::<_, std::io::Error>(lock)
        })
        .await
        .map_err(|e| DbError(format!("locking {shown}: {e}")))?;
        locked
            .map(MigrationLock::file)
            .map_err(|e| DbError(format!("locking {shown}: {e}")))
    }

    async fn rollback(&mut self) -> Result<(), DbError> {
        self.execute("ROLLBACK").await.map(|_| ())
    }

    async fn table_exists(&mut self, table: &str) -> Result<bool, DbError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
                .bind(table)
                .fetch_optional(self.raw())
                .await
                .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn read_versions(&mut self, table: &str) -> Result<Vec<String>, DbError> {
        let sql = format!(
            "SELECT version_num FROM {}",
            SqliteDialect.quote_ident(table)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)?;
        rows.iter().map(|row| version_of(row, table)).collect()
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
