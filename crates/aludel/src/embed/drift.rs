//! Whether the embedded migrations build the schema an application expects:
//! the same comparison as `aludel check`, for a test of the application,
//! given a URL, a pool or a connection of any enabled engine.

use std::any::Any;

use sqlx::Pool;

use super::{Engine, EngineConnection, Migrations};
use crate::autogen::{self, Comparison, Drift, Renames, SchemaSource, ServerAccess};
use crate::driver::AnyDb;
use crate::error::Error;
use crate::url::DatabaseUrl;

/// The desired schema of a drift check: DDL in the engine's dialect and,
/// on PostgreSQL and MySQL/MariaDB, where to load it. A `&str` is the DDL
/// alone: loaded into a scratch database aludel creates on the server and
/// drops (the user needs the right to create databases).
#[derive(Debug, Clone, Copy)]
pub struct DesiredSchema<'a> {
    sql: &'a str,
    dev_url: Option<&'a str>,
}

impl<'a> DesiredSchema<'a> {
    /// The schema `sql` defines.
    pub fn new(sql: &'a str) -> DesiredSchema<'a> {
        DesiredSchema { sql, dev_url: None }
    }

    /// Loads the schema into `url`, an empty database on the same server
    /// (refused if it holds anything; left empty) instead of a database
    /// aludel creates. Needed to compare through a server connection
    /// (`drift_connection`), which cannot open another database itself.
    pub fn with_dev_url(mut self, url: &'a str) -> DesiredSchema<'a> {
        self.dev_url = Some(url);
        self
    }

    fn dev_url(&self) -> Result<Option<DatabaseUrl>, Error> {
        self.dev_url.map(DatabaseUrl::parse).transpose()
    }
}

impl<'a> From<&'a str> for DesiredSchema<'a> {
    fn from(sql: &'a str) -> DesiredSchema<'a> {
        DesiredSchema::new(sql)
    }
}

impl<'a> From<&'a String> for DesiredSchema<'a> {
    fn from(sql: &'a String) -> DesiredSchema<'a> {
        DesiredSchema::new(sql)
    }
}

/// What a desired schema given as text is called in messages (an error in
/// it names this origin and the statement's line).
const DESIRED_ORIGIN: &str = "desired schema";

impl Migrations {
    /// How far the database at `url` (which must be at the embedded heads,
    /// else [`Error::NotUpToDate`]; nothing is created in it) is from the
    /// schema `desired` defines, in the engine's own DDL (a `&str`, or a
    /// [`DesiredSchema`] naming a `dev_url`). On a server the desired
    /// schema is loaded into a scratch database there, as `aludel check`
    /// does.
    pub async fn drift<'a>(
        &self,
        url: &str,
        desired: impl Into<DesiredSchema<'a>>,
    ) -> Result<Drift, Error> {
        let desired = desired.into();
        let url = DatabaseUrl::parse(url)?;
        let dev_url = desired.dev_url()?;
        Comparison::with_database_dev(
            &url,
            dev_url.as_ref(),
            self.history()?,
            &sources(desired.sql),
            &self.session(),
        )
        .await?
        .drift(&Renames::default())
    }

    /// As [`Migrations::drift`], through a connection of `pool` (a server
    /// pool's options open the scratch database).
    pub async fn drift_pool<'a, DB: Engine>(
        &self,
        pool: &Pool<DB>,
        desired: impl Into<DesiredSchema<'a>>,
    ) -> Result<Drift, Error> {
        let server = pool_server(pool);
        let conn = pool
            .acquire()
            .await
            .map_err(|e| Error::database("taking a connection from the pool", e))?;
        let mut db = DB::pooled(conn);
        self.drift_on(&mut db, server, desired.into()).await
    }

    /// As [`Migrations::drift`], through the application's own connection
    /// (no transaction open). On PostgreSQL and MySQL/MariaDB the desired
    /// schema needs a [`DesiredSchema::with_dev_url`]: a connection cannot
    /// open a scratch database.
    pub async fn drift_connection<'a, C: EngineConnection>(
        &self,
        conn: &mut C,
        desired: impl Into<DesiredSchema<'a>>,
    ) -> Result<Drift, Error> {
        let mut db = conn.borrowed();
        self.drift_on(&mut db, None, desired.into()).await
    }

    /// The one implementation of the three paths.
    async fn drift_on(
        &self,
        db: &mut AnyDb<'_>,
        server: Option<ServerAccess>,
        desired: DesiredSchema<'_>,
    ) -> Result<Drift, Error> {
        let dev_url = desired.dev_url()?;
        Comparison::with_db(
            db,
            server,
            dev_url.as_ref(),
            self.history()?,
            &sources(desired.sql),
            &self.session(),
        )
        .await?
        .drift(&Renames::default())
    }

    /// How far the schema the embedded migrations build (replayed in a
    /// scratch in-memory SQLite database) is from the schema `desired_sql`
    /// defines: no database needed, for an application's test that its
    /// migrations and its schema agree.
    ///
    /// ```no_run
    /// static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations");
    ///
    /// // The schema the application expects (e.g. `include_str!("../schema.sql")`).
    /// const SCHEMA: &str =
    ///     "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE);";
    ///
    /// #[tokio::test]
    /// async fn migrations_build_the_schema() {
    ///     let drift = MIGRATIONS.drift_replayed(SCHEMA).await.expect("compared");
    ///     assert!(
    ///         drift.is_empty(),
    ///         "the migrations differ from the schema:\n{}\nmissing upgrade:\n{}",
    ///         drift.describe().join("\n"),
    ///         drift.migration.upgrade_sql()
    ///     );
    /// }
    /// # fn main() {}
    /// ```
    pub async fn drift_replayed(&self, desired_sql: &str) -> Result<Drift, Error> {
        autogen::drift_of_history(
            self.history()?,
            &sources(desired_sql),
            &Renames::default(),
            &self.session(),
        )
        .await
    }
}

/// The scratch-database options of a server pool (`None` for SQLite).
#[allow(unused_variables)] // with only SQLite enabled
fn pool_server<DB: Engine>(pool: &Pool<DB>) -> Option<ServerAccess> {
    let any: &dyn Any = pool;
    #[cfg(feature = "postgres")]
    if let Some(pool) = any.downcast_ref::<Pool<sqlx::Postgres>>() {
        let options = (*pool.connect_options()).clone();
        return Some(ServerAccess::new(crate::autogen::server::Server::postgres(
            options,
        )));
    }
    #[cfg(feature = "mysql")]
    if let Some(pool) = any.downcast_ref::<Pool<sqlx::MySql>>() {
        let options = (*pool.connect_options()).clone();
        return Some(ServerAccess::new(crate::autogen::server::Server::mysql(
            options,
        )));
    }
    None
}

fn sources(sql: &str) -> [SchemaSource; 1] {
    [SchemaSource {
        origin: DESIRED_ORIGIN.into(),
        text: sql.into(),
    }]
}
