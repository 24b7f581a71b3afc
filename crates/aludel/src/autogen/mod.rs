//! Autogenerate and check: how far a database (or the migrations replayed)
//! is from the desired schema, as an upgrade and the downgrade that undoes it.
//!
//! The desired side is DDL ([`SchemaSource`]s: `target_schema` files, the
//! output of `target_schema_command`, or text an application holds) loaded
//! into a scratch in-memory SQLite database ([`desired`]); the current side
//! is the database at head ([`current::database_at_head`]) or a scratch
//! database every migration was replayed into ([`current::replay_sqlite`]).
//! Both are read by the same introspection ([`introspect`]) and compared by
//! [`aludel_schema`]'s diff; [`Comparison`] holds the two schemas, and
//! [`Drift`] what it takes to go from one to the other.
//!
//! The CLI (`aludel check`, `aludel revision --autogenerate`), the functions
//! here and the embedded [`Migrations::drift`](crate::Migrations::drift) run
//! the same code. SQLite only for now: a server URL is refused.
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
pub mod introspect;
mod target;

pub use aludel_schema::render::Migration;
pub use aludel_schema::{RenameCandidate, Renames};
pub use desired::SchemaSource;
pub use target::config_sources;

use aludel_schema::Schema;
use aludel_schema::render::SqliteRenderer;

use crate::driver::{self, SessionSettings};
use crate::error::Error;
use crate::history::History;
use crate::url::{Backend, DatabaseUrl};

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
}

impl Comparison {
    /// Compares the database at `url` (which must be at the heads of
    /// `history`, else [`Error::NotUpToDate`]; a missing SQLite file is
    /// not up to date unless the history is empty, and is never created)
    /// with the schema `desired` defines.
    pub async fn with_database(
        url: &DatabaseUrl,
        history: &History,
        desired: &[SchemaSource],
        settings: &SessionSettings,
    ) -> Result<Comparison, Error> {
        sqlite_only(url)?;
        let (current, mut warnings) = database_schema(url, history, settings).await?;
        side_warnings(&mut warnings, "database");
        Comparison::with_current(current, warnings, desired, settings).await
    }

    /// Compares the schema every migration of `history` builds, replayed
    /// in a scratch in-memory database, with the schema `desired` defines.
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

    /// Loads the desired side for `current` (whose warnings are `warnings`).
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
        aludel_schema::diff(&self.current, &self.desired, renames)
            .map(drop)
            .map_err(Error::Diff)
    }

    /// The upgrade from the current schema to the desired one, with
    /// `renames` declared, and its downgrade.
    pub fn drift(&self, renames: &Renames) -> Result<Drift, Error> {
        let migration =
            aludel_schema::render::plan(&self.current, &self.desired, renames, &SqliteRenderer)
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

/// Refuses a server URL (its comparison needs a scratch database on the
/// server, `dev_url`: the next release); the URL is shown without password.
fn sqlite_only(url: &DatabaseUrl) -> Result<(), Error> {
    let engine = match url.backend() {
        Backend::Sqlite => return Ok(()),
        Backend::Postgres => "PostgreSQL",
        Backend::MySql => "MySQL/MariaDB",
    };
    Err(Error::Usage(format!(
        "autogenerate and check compare SQLite databases only for now; {url} is a {engine} database"
    )))
}

/// The desired schema, without the bookkeeping tables the current side
/// leaves out (the configured version table too): a desired schema dumped
/// from a migrated database holds them.
async fn load_desired(
    sources: &[SchemaSource],
    settings: &SessionSettings,
) -> Result<(Schema, Vec<String>), Error> {
    let mut exclude = desired::BOOKKEEPING_TABLES.to_vec();
    exclude.push(settings.version_table.name.as_str());
    desired::load_sqlite_with_warnings(sources, &exclude).await
}

/// Prefixes each of `warnings` with the side it is about.
fn side_warnings(warnings: &mut [String], side: &str) {
    for warning in warnings.iter_mut() {
        *warning = format!("{side}: {warning}");
    }
}

/// The schema of the database at `url`, which must be at head; a missing
/// SQLite file is not created.
async fn database_schema(
    url: &DatabaseUrl,
    history: &History,
    settings: &SessionSettings,
) -> Result<(Schema, Vec<String>), Error> {
    let Some(mut db) = driver::connect(url, false).await? else {
        // No file: at head only if there is nothing to apply.
        return if history.graph().heads().is_empty() {
            Ok((Schema::default(), Vec::new()))
        } else {
            Err(Error::NotUpToDate)
        };
    };
    let read = async {
        db.wait_until_readable(url, settings.lock_timeout, &mut |_| {})
            .await?;
        current::database_at_head_with_warnings(&mut db, history, settings).await
    }
    .await;
    db.close().await;
    read
}
