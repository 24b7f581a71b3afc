//! Autogenerate and check: how far a database (or the migrations replayed)
//! is from the desired schema, as an upgrade and the downgrade that undoes it.
//!
//! The desired side is DDL ([`SchemaSource`]s: `target_schema` files, the
//! output of `target_schema_command`, or text an application holds) loaded
//! into a scratch database of the engine compared: an in-memory SQLite
//! database ([`desired`]), or on PostgreSQL and MySQL/MariaDB a database on
//! the same server, created and dropped by aludel
//! (`aludel_scratch_<time>_<random>`; those a crashed run left are dropped
//! by the next) or the user's empty `dev_url` database, left empty. The
//! current side is the database at head ([`current::database_at_head`]) or
//! the migrations replayed by the normal runner into a scratch database
//! (in memory for SQLite, [`current::replay_sqlite`]; on the server of the
//! URL or `dev_url` otherwise). Both are read by the same introspection
//! ([`introspect`]: SQLite's own, or the server's catalog queries) and
//! compared by [`aludel_schema`]'s diff; [`Comparison`] holds the two
//! schemas, and [`Drift`] what it takes to go from one to the other,
//! written by the engine's renderer.
//!
//! The CLI (`aludel check`, `aludel revision --autogenerate`), the functions
//! here and the embedded [`Migrations::drift`](crate::Migrations::drift) run
//! the same code on every engine.
//!
//! ```no_run
//! # async fn f(history: &aludel::history::History) -> Result<(), aludel::Error> {
//! use aludel::autogen::{self, Renames, SchemaSource};
//!
//! let desired = [SchemaSource {
//!     origin: "schema.sql".into(),
//!     text: std::fs::read_to_string("schema.sql").unwrap_or_default(),
//! }];
//! let settings = aludel::config::Config::defaults(".".as_ref()).session();
//! let drift =
//!     autogen::drift_of_history(history, &desired, &Renames::default(), &settings).await?;
//! for line in drift.describe() {
//!     println!("{line}");
//! }
//! # Ok(())
//! # }
//! ```

pub mod current;
pub mod desired;
mod engine;
pub mod introspect;
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) mod server;
mod target;

pub use crate::embed::DesiredSchema;
pub use aludel_schema::render::Migration;
pub use aludel_schema::{RenameCandidate, Renames};
pub use desired::SchemaSource;
pub use engine::Engine;
pub use target::config_sources;

use aludel_schema::Schema;
use aludel_schema::render::{MySqlRenderer, PostgresRenderer, SqliteRenderer};

use crate::driver::{self, AnyDb, SessionSettings};
use crate::error::Error;
use crate::history::History;
use crate::url::DatabaseUrl;

/// What it takes to bring the current schema to the desired one: the
/// changes, the upgrade that makes them and the downgrade that undoes them.
#[derive(Debug, Clone)]
pub struct Drift {
    /// The changes and their SQL (`upgrade_sql()`, `downgrade_sql()`).
    pub migration: Migration,
}

impl Drift {
    /// Whether the two schemas are the same (nothing to migrate).
    pub fn is_empty(&self) -> bool {
        self.migration.is_empty()
    }

    /// One line per difference, Alembic's words without its `Detected `
    /// prefix: `added column 'feed.x'`, `removed table 'old'`, …
    pub fn describe(&self) -> Vec<String> {
        self.migration.describe()
    }
}

/// How a drift is written: options of the engine's renderer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// PostgreSQL: create indexes on existing tables `CONCURRENTLY` and
    /// validate new constraints after adding them `NOT VALID`, in
    /// non-transactional blocks (`autogenerate_concurrently`,
    /// `--concurrently`). Ignored by other engines.
    pub concurrently: bool,
}

/// The two schemas a comparison looks at, read once: the renames to
/// declare can be settled ([`Comparison::rename_candidates`]) before the
/// drift is computed ([`Comparison::drift`]).
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The schema as it is: the database at head, or the migrations replayed.
    pub current: Schema,
    /// The schema as it must be.
    pub desired: Schema,
    /// What either side holds that the comparison cannot see (a virtual
    /// table, a `CREATE TABLE` that could not be parsed), each naming the
    /// side and the table: the drift says nothing about these.
    pub warnings: Vec<String>,
    /// The engine both sides were read on, whose SQL the drift is written in.
    pub engine: Engine,
}

impl Comparison {
    /// Compares the database at `url` (which must be at the heads of
    /// `history`, else [`Error::NotUpToDate`]; a missing SQLite file is
    /// not up to date unless the history is empty, and is never created)
    /// with the schema `desired` defines. On a server the desired schema
    /// is loaded into a scratch database aludel creates on it and drops.
    pub async fn with_database(
        url: &DatabaseUrl,
        history: &History,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        Comparison::with_database_dev(url, None, history, desired, settings).await
    }

    /// As [`Comparison::with_database`], loading the desired schema on a
    /// server into `dev_url` (an empty database on the same server, left
    /// empty; refused if it holds anything) instead of a database aludel
    /// creates. `dev_url` is ignored for SQLite.
    pub async fn with_database_dev(
        url: &DatabaseUrl,
        dev_url: Option<&DatabaseUrl>,
        history: &History,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        let Some(mut db) = driver::connect(url, false).await? else {
            // No SQLite file: at head only if there is nothing to apply.
            if !history.graph().heads().is_empty() {
                return Err(Error::NotUpToDate);
            }
            return Comparison::with_current(Schema::default(), Vec::new(), desired, settings)
                .await;
        };
        let compared = async {
            db.wait_until_readable(url, settings.lock_timeout, &mut |_| {})
                .await?;
            let server = server_of_url(url)?;
            Comparison::with_db(&mut db, server, dev_url, history, desired, settings).await
        }
        .await;
        db.close().await;
        compared
    }

    /// Compares the database `db` is connected to (see
    /// [`Comparison::with_database_dev`]); `server` opens the scratch
    /// databases of a server engine (none: `dev_url` must be given).
    pub(crate) async fn with_db(
        db: &mut AnyDb<'_>,
        server: Option<ServerAccess>,
        dev_url: Option<&DatabaseUrl>,
        history: &History,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        match db {
            AnyDb::Sqlite(_) => {
                let _ = (server, dev_url);
                let (current, mut warnings) =
                    current::database_at_head_with_warnings(db, history, settings).await?;
                side_warnings(&mut warnings, "database");
                Comparison::with_current(current, warnings, desired, settings).await
            }
            #[cfg(any(feature = "postgres", feature = "mysql"))]
            _ => {
                server::compare::on_database(db, server, dev_url, history, desired, settings).await
            }
        }
    }

    /// Compares the schema every migration of `history` builds, replayed
    /// in a scratch in-memory SQLite database, with the schema `desired`
    /// defines (as SQLite reads it).
    pub async fn with_history(
        history: &History,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        let (current, mut warnings) =
            current::replay_sqlite_with_warnings(history, settings).await?;
        side_warnings(&mut warnings, "migrations replayed");
        Comparison::with_current(current, warnings, desired, settings).await
    }

    /// As [`Comparison::with_history`] on the engine of `url` (or, without
    /// one, of `dev_url`): on a server, the migrations are replayed into a
    /// scratch database aludel creates there, and the desired schema is
    /// loaded into `dev_url` or another scratch database; with neither a
    /// server URL nor a server `dev_url`, in memory as SQLite. `url` is
    /// not read: it only says which server.
    pub async fn with_history_on(
        url: Option<&DatabaseUrl>,
        dev_url: Option<&DatabaseUrl>,
        history: &History,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        let server = match url {
            Some(url) => server_of_url(url)?,
            None => match dev_url {
                Some(dev) => server_of_url(dev)?,
                None => None,
            },
        };
        match server {
            #[cfg(any(feature = "postgres", feature = "mysql"))]
            Some(server) => {
                server::compare::replayed(&server.0, dev_url, history, desired, settings).await
            }
            _ => Comparison::with_history(history, desired, settings).await,
        }
    }

    /// Loads the desired side for `current` (whose warnings are `warnings`),
    /// in memory as SQLite.
    async fn with_current(
        current: Schema,
        mut warnings: Vec<String>,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        let (desired, mut more) = load_desired(desired, settings).await?;
        side_warnings(&mut more, "target schema");
        warnings.append(&mut more);
        Ok(Comparison {
            current,
            desired,
            warnings,
            engine: Engine::Sqlite,
        })
    }

    /// Tables and columns that went while a similar one appeared, and that
    /// `renames` does not declare: each is either a rename to declare or a
    /// drop and an add that lose data.
    pub fn rename_candidates(&self, renames: &Renames) -> Vec<RenameCandidate> {
        aludel_schema::rename_candidates(&self.current, &self.desired, renames)
    }

    /// Checks that every declared rename applies to these schemas (its old
    /// name is in the current one, its new name in the desired one, …), so
    /// that a mistyped `--rename` fails before anything is asked.
    pub fn check_renames(&self, renames: &Renames) -> Result<(), Error> {
        let diff = match self.engine {
            Engine::Postgres { .. } => aludel_schema::diff_case_sensitive,
            _ => aludel_schema::diff,
        };
        diff(&self.current, &self.desired, renames)
            .map(drop)
            .map_err(Error::Diff)
    }

    /// The upgrade from the current schema to the desired one, with
    /// `renames` declared, and its downgrade, in the engine's SQL.
    pub fn drift(&self, renames: &Renames) -> Result<Drift, Error> {
        self.drift_with(renames, &RenderOptions::default())
    }

    /// As [`Comparison::drift`], written with `options`.
    pub fn drift_with(&self, renames: &Renames, options: &RenderOptions) -> Result<Drift, Error> {
        let (current, desired) = (&self.current, &self.desired);
        let migration = match self.engine {
            Engine::Sqlite => {
                aludel_schema::render::plan(current, desired, renames, &SqliteRenderer)
            }
            Engine::Postgres { .. } => {
                let renderer = PostgresRenderer {
                    concurrently: options.concurrently,
                };
                aludel_schema::render::plan(current, desired, renames, &renderer)
            }
            Engine::MySql(server) => {
                aludel_schema::render::plan(current, desired, renames, &MySqlRenderer { server })
            }
        }
        .map_err(Error::Diff)?;
        Ok(Drift { migration })
    }
}

/// How far the database at `url`, at the heads of `history`, is from the
/// schema `desired` defines (see [`Comparison::with_database`]).
pub async fn drift_of_database(
    url: &DatabaseUrl,
    history: &History,
    desired: &[SchemaSource],
    renames: &Renames,
    settings: &SessionSettings,
) -> Result<Drift, Error> {
    Comparison::with_database(url, history, desired, settings)
        .await?
        .drift(renames)
}

/// How far the schema the migrations of `history` build (replayed in
/// memory) is from the schema `desired` defines: no database is needed.
pub async fn drift_of_history(
    history: &History,
    desired: &[SchemaSource],
    renames: &Renames,
    settings: &SessionSettings,
) -> Result<Drift, Error> {
    Comparison::with_history(history, desired, settings)
        .await?
        .drift(renames)
}

/// What opens scratch databases on a server: the connect options of a URL
/// or of an application's pool (crate-internal).
#[derive(Clone)]
pub(crate) struct ServerAccess(#[cfg(any(feature = "postgres", feature = "mysql"))] server::Server);

#[cfg(any(feature = "postgres", feature = "mysql"))]
impl ServerAccess {
    /// Scratch databases opened with these options.
    pub(crate) fn new(server: server::Server) -> ServerAccess {
        ServerAccess(server)
    }
}

/// The server of `url`, `None` for SQLite.
fn server_of_url(url: &DatabaseUrl) -> Result<Option<ServerAccess>, Error> {
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    return Ok(server::Server::from_url(url)?.map(ServerAccess));
    #[cfg(not(any(feature = "postgres", feature = "mysql")))]
    {
        let _ = url;
        Ok(None)
    }
}

/// The tables the desired side leaves out: the default version table,
/// aludel's own, and the configured version table (a desired schema
/// dumped from a migrated database holds them).
fn desired_exclusions(settings: &SessionSettings) -> Vec<&str> {
    let mut exclude = desired::BOOKKEEPING_TABLES.to_vec();
    exclude.push(settings.version_table.name.as_str());
    exclude
}

/// The desired schema in memory as SQLite, without the bookkeeping tables.
async fn load_desired(
    sources: &[SchemaSource],
    settings: &SessionSettings,
) -> Result<(Schema, Vec<String>), Error> {
    desired::load_sqlite_with_warnings(sources, &desired_exclusions(settings)).await
}

/// Prefixes each of `warnings` with the side it is about.
fn side_warnings(warnings: &mut [String], side: &str) {
    for warning in warnings.iter_mut() {
        *warning = format!("{side}: {warning}");
    }
}
