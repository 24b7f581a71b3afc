//! SQLite through sqlx.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Sqlite};

use super::{DbConnection, DbError};
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
                        message: e.to_string(),
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
            .map_err(|e| Error::database(format!("opening {url}"), e))?;
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

    async fn commit_and_begin(&mut self) -> Result<(), DbError> {
        self.execute("COMMIT; BEGIN IMMEDIATE").await.map(|_| ())
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
        sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(self.raw())
            .await
            .map_err(db_err)
    }
}
