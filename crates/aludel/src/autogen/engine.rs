//! Which engine (and server version) a comparison runs on: what the catalog
//! reader and the renderer depend on.

use aludel_schema::mysql::MySqlServer;

use crate::driver::AnyDb;
#[cfg(any(feature = "postgres", feature = "mysql"))]
use crate::driver::{DbConnection, DbError};
use crate::error::Error;

/// The engine a comparison runs on, as its reader and its renderer need
/// to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite.
    Sqlite,
    /// PostgreSQL, with its `server_version_num` (`150004`).
    Postgres {
        /// `SHOW server_version_num`.
        version_num: u32,
    },
    /// MySQL or MariaDB, and which version.
    MySql(MySqlServer),
}

impl Engine {
    /// Asks the server behind `db` which engine and version it is.
    pub async fn of(db: &mut AnyDb<'_>) -> Result<Engine, Error> {
        match db {
            AnyDb::Sqlite(_) => Ok(Engine::Sqlite),
            #[cfg(feature = "postgres")]
            AnyDb::Postgres(_) => {
                let text = first(db.fetch_text_rows("SHOW server_version_num").await)
                    .map_err(version_failed)?;
                let version_num = text
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| Error::Introspection {
                        message: format!("the server_version_num `{text}` is not a number"),
                    })?;
                Ok(Engine::Postgres { version_num })
            }
            #[cfg(feature = "mysql")]
            AnyDb::MySql(_) => {
                let text =
                    first(db.fetch_text_rows("SELECT VERSION()").await).map_err(version_failed)?;
                Ok(Engine::MySql(MySqlServer::parse(&text)))
            }
        }
    }

    /// The engine's name in messages.
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres { .. } => "PostgreSQL",
            Engine::MySql(server) if server.mariadb => "MariaDB",
            Engine::MySql(_) => "MySQL",
        }
    }
}

/// The error of asking the server its version.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn version_failed(e: DbError) -> Error {
    Error::database("reading the server's version", e)
}

/// The first column of the first row, as text ("" when there is none).
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn first(rows: Result<Vec<Vec<Option<String>>>, DbError>) -> Result<String, DbError> {
    Ok(rows?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .flatten()
        .unwrap_or_default())
}
