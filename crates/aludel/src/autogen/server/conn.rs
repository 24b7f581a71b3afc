//! How a comparison reaches the server it runs on: the connect options of
//! a URL or of an application's pool ([`Server`]), and the connections it
//! opens with them to other databases of that server ([`Conn`]).

use std::str::FromStr;

#[cfg(feature = "mysql")]
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};

#[cfg(feature = "mysql")]
use crate::driver::MySqlDb;
#[cfg(feature = "postgres")]
use crate::driver::PgDb;
use crate::driver::{AnyDb, CONNECT_TIMEOUT, DbError};
use crate::error::Error;
use crate::url::{Backend, DatabaseUrl};

/// A server, as the options that open connections to it (with the
/// password they may hold: never printed).
#[derive(Clone)]
pub(crate) enum Server {
    /// A PostgreSQL server.
    #[cfg(feature = "postgres")]
    Postgres(PgConnectOptions),
    /// A MySQL or MariaDB server.
    #[cfg(feature = "mysql")]
    MySql(MySqlConnectOptions),
}

/// A connection aludel opened on a [`Server`].
pub(crate) enum Conn {
    /// PostgreSQL.
    #[cfg(feature = "postgres")]
    Postgres(PgConnection),
    /// MySQL or MariaDB.
    #[cfg(feature = "mysql")]
    MySql(MySqlConnection),
}

impl Server {
    /// The server of `url`, `None` for SQLite (or an engine this build
    /// lacks, which connecting reports). The error names the URL with its
    /// password hidden.
    pub(crate) fn from_url(url: &DatabaseUrl) -> Result<Option<Server>, Error> {
        let bad = |e: sqlx::Error| Error::Url {
            url: url.redacted(),
            message: url.scrub(&e.to_string()),
        };
        let _ = &bad;
        match url.backend() {
            Backend::Sqlite => Ok(None),
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url.driver_url()).map_err(bad)?;
                Ok(Some(Server::postgres(options)))
            }
            #[cfg(feature = "mysql")]
            Backend::MySql => {
                let options = MySqlConnectOptions::from_str(url.driver_url()).map_err(bad)?;
                Ok(Some(Server::mysql(options)))
            }
            #[allow(unreachable_patterns)]
            _ => Ok(None),
        }
    }

    /// A PostgreSQL server reached with `options` (as application `aludel`
    /// unless they name one).
    #[cfg(feature = "postgres")]
    pub(crate) fn postgres(options: PgConnectOptions) -> Server {
        let options = if options.get_application_name().is_none() {
            options.application_name("aludel")
        } else {
            options
        };
        Server::Postgres(options)
    }

    /// A MySQL/MariaDB server reached with `options`, read as the `mysql`
    /// client reads SQL (the server's own `sql_mode` and time zone), as the
    /// driver's connections do.
    #[cfg(feature = "mysql")]
    pub(crate) fn mysql(options: MySqlConnectOptions) -> Server {
        Server::MySql(
            options
                .pipes_as_concat(false)
                .no_engine_substitution(false)
                .timezone(None),
        )
    }

    /// The engine of the server.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "postgres")]
            Server::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            Server::MySql(_) => Backend::MySql,
        }
    }

    /// Opens a connection to `database` on this server (`None`: the one
    /// the options name), waiting at most [`CONNECT_TIMEOUT`].
    pub(crate) async fn connect(&self, database: Option<&str>) -> Result<Conn, Error> {
        let what = match database {
            Some(name) => format!("opening the database {name}"),
            None => "opening a connection to the server".to_string(),
        };
        let fail = |e: DbError| Error::database(what.clone(), e);
        let timed_out = || {
            DbError::new(format!(
                "the server did not answer within {}s",
                CONNECT_TIMEOUT.as_secs()
            ))
        };
        match self {
            #[cfg(feature = "postgres")]
            Server::Postgres(options) => {
                let options = match database {
                    Some(name) => options.clone().database(name),
                    None => options.clone(),
                };
                let conn = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
                    .await
                    .map_err(|_| fail(timed_out()))?
                    .map_err(|e| fail(DbError::from_sqlx(e)))?;
                Ok(Conn::Postgres(conn))
            }
            #[cfg(feature = "mysql")]
            Server::MySql(options) => {
                let options = match database {
                    Some(name) => options.clone().database(name),
                    None => options.clone(),
                };
                let conn = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
                    .await
                    .map_err(|_| fail(timed_out()))?
                    .map_err(|e| fail(DbError::from_sqlx(e)))?;
                Ok(Conn::MySql(conn))
            }
        }
    }
}

impl Conn {
    /// The connection as a driver connection (borrowed: closing it leaves
    /// this one open).
    pub(crate) fn db(&mut self) -> AnyDb<'_> {
        match self {
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) => AnyDb::Postgres(PgDb::from_connection(c)),
            #[cfg(feature = "mysql")]
            Conn::MySql(c) => AnyDb::MySql(MySqlDb::from_connection(c)),
        }
    }

    /// Closes the connection.
    pub(crate) async fn close(self) {
        match self {
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) => {
                let _ = c.close().await;
            }
            #[cfg(feature = "mysql")]
            Conn::MySql(c) => {
                let _ = c.close().await;
            }
        }
    }
}

/// Quotes an identifier for `backend` (`"x"` or `` `x` ``).
pub(crate) fn quote(backend: Backend, name: &str) -> String {
    match backend {
        Backend::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// A string literal (single quotes doubled; MySQL backslashes too).
pub(crate) fn literal(backend: Backend, text: &str) -> String {
    let text = text.replace('\'', "''");
    match backend {
        Backend::MySql => format!("'{}'", text.replace('\\', "\\\\")),
        _ => format!("'{text}'"),
    }
}
