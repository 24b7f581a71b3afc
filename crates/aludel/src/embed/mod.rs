//! Migrations compiled into the application binary and applied at startup.
//!
//! [`Migrations`] holds the embedded files and the settings set from code
//! (`with_…`); the same operations — upgrade, downgrade, current, pending,
//! is-at-head — run given a URL, an application's sqlx pool or one of its
//! connections, of any enabled engine (`paths.rs`, through the sealed
//! traits of `engine.rs`). `plan.rs` is what a run would do, and its SQL.
//!
//! Architecture invariant: embedded migrations need no file at run time; the
//! history is built from the embedded text once per process and shared; every
//! path runs the same code on an [`AnyDb`] with the same [`SessionSettings`].

#[cfg(feature = "_sqlite")]
mod drift;
mod engine;
mod paths;
mod plan;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

#[cfg(feature = "_sqlite")]
pub use drift::DesiredSchema;
pub use engine::{Engine, EngineConnection};
pub use plan::{Plan, PlannedStep};

use crate::config::DEFAULT_LOCK_TIMEOUT;
use crate::dialect::VersionTable;
use crate::driver::{AnyDb, DbConnection, LockMode, SessionSettings};
use crate::error::Error;
use crate::history::{History, RevisionFile};
use crate::runner::{self, Direction, RunOptions, RunSummary};

/// One revision file embedded by [`embed_migrations!`](crate::embed_migrations).
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    /// Path relative to the crate, e.g. `migrations/versions/abc_init.sql`.
    pub path: &'static str,
    /// The file's text.
    pub source: &'static str,
}

/// A set of migrations embedded in the binary; build one with
/// [`embed_migrations!`](crate::embed_migrations) and set options with the
/// `with_…` methods, in the `static` itself:
///
/// ```no_run
/// use std::time::Duration;
///
/// static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations")
///     .with_lock_timeout(Duration::from_secs(30))
///     .with_version_table("app_version");
///
/// #[tokio::main]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let url = std::env::var("DATABASE_URL")?;
///     let pool = aludel::sqlx::SqlitePool::connect(&url).await?;
///     MIGRATIONS.upgrade_pool(&pool, "head").await?;
///     // ... serve requests with `pool` ...
///     Ok(())
/// }
/// ```
///
/// Add a `build.rs` with `println!("cargo:rerun-if-changed=migrations");` so
/// that a new file in the folder rebuilds the application.
pub struct Migrations {
    files: &'static [EmbeddedFile],
    version_table: &'static str,
    version_table_schema: Option<&'static str>,
    lock_timeout: Duration,
    lock_mode: LockMode,
    transaction_per_migration: bool,
    accept_edited: bool,
    history: OnceLock<History>,
}

impl Migrations {
    /// Used by `embed_migrations!`; prefer the macro, which checks the files at
    /// compile time.
    #[doc(hidden)]
    pub const fn from_embedded(files: &'static [EmbeddedFile]) -> Migrations {
        Migrations {
            files,
            version_table: "alembic_version",
            version_table_schema: None,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            lock_mode: LockMode::Session,
            transaction_per_migration: true,
            accept_edited: false,
            history: OnceLock::new(),
        }
    }

    /// Uses another version table than `alembic_version` (`version_table`
    /// in `aludel.toml`).
    pub const fn with_version_table(mut self, table: &'static str) -> Migrations {
        self.version_table = table;
        self
    }

    /// Keeps the version table (and `aludel_history`) in `schema` instead of
    /// the connection's default one (`version_table_schema`).
    pub const fn with_version_table_schema(mut self, schema: &'static str) -> Migrations {
        self.version_table_schema = Some(schema);
        self
    }

    /// Waits at most `timeout` for another migrator's lock (default 60 s)
    /// before failing with [`Error::LockTimeout`]; a wait longer than a second
    /// is reported as a `tracing` event (see [`crate::events`]).
    pub const fn with_lock_timeout(mut self, timeout: Duration) -> Migrations {
        self.lock_timeout = timeout;
        self
    }

    /// How concurrent migrators are kept apart (`lock_mode`; default
    /// [`LockMode::Session`]).
    pub const fn with_lock_mode(mut self, mode: LockMode) -> Migrations {
        self.lock_mode = mode;
        self
    }

    /// One transaction per migration (`true`, the default) or one for the
    /// whole run, so that a failure undoes every migration of the run.
    pub const fn with_transaction_per_migration(mut self, per_migration: bool) -> Migrations {
        self.transaction_per_migration = per_migration;
        self
    }

    /// Upgrades and downgrades go on when an applied revision's embedded text
    /// differs from what was applied, recording the acceptance in
    /// `aludel_history`; by default they fail with
    /// [`Error::EditedRevisions`] and run nothing.
    pub const fn with_accept_edited(mut self, accept: bool) -> Migrations {
        self.accept_edited = accept;
        self
    }

    /// The version table runs use.
    pub fn version_table(&self) -> VersionTable {
        VersionTable::in_schema(
            self.version_table,
            self.version_table_schema.map(String::from),
        )
    }

    /// The settings every run starts its session with, whatever the path.
    pub fn session(&self) -> SessionSettings {
        SessionSettings {
            lock_timeout: self.lock_timeout,
            lock_mode: self.lock_mode,
            version_table: self.version_table(),
        }
    }

    /// The embedded files.
    pub fn files(&self) -> &'static [EmbeddedFile] {
        self.files
    }

    /// The parsed history (built on first use).
    pub fn history(&self) -> Result<&History, Error> {
        if let Some(history) = self.history.get() {
            return Ok(history);
        }
        let files = self
            .files
            .iter()
            .map(|f| RevisionFile::new(PathBuf::from(f.path), Cow::Borrowed(f.source)))
            .collect::<Result<Vec<_>, _>>()?;
        let built = History::from_files(files)?;
        Ok(self.history.get_or_init(|| built))
    }

    /// `heads`, if every one of them is an embedded revision.
    fn known(&self, heads: Vec<String>) -> Result<Vec<String>, Error> {
        runner::verify::check_known(self.history()?, &heads, &self.version_table())?;
        Ok(heads)
    }

    /// The version table's rows (none if it does not exist), creating nothing.
    async fn heads(&self, db: &mut AnyDb<'_>) -> Result<Vec<String>, Error> {
        let heads = runner::current_heads(db, &self.version_table()).await?;
        self.known(heads)
    }

    /// Whether the database is at the embedded heads, in one query when the
    /// version table exists (two when it does not): no lock, no DDL.
    async fn at_head(&self, db: &mut AnyDb<'_>) -> Result<bool, Error> {
        let table = self.version_table();
        let heads = match db.read_versions(&table).await {
            Ok(heads) => heads,
            Err(error) => match db.table_exists(&table).await {
                Ok(false) => Vec::new(),
                _ => return Err(Error::database("reading the version table", error)),
            },
        };
        self.at_head_of(heads)
    }

    /// Whether `heads` (the version table's rows) are the embedded heads.
    fn at_head_of(&self, heads: Vec<String>) -> Result<bool, Error> {
        let heads = self.known(heads)?;
        let current: Vec<&str> = heads.iter().map(String::as_str).collect();
        Ok(self
            .history()?
            .graph()
            .plan_upgrade(&current, "heads")?
            .is_empty())
    }

    /// Runs `direction` to `target` on `db`, with this set's settings.
    async fn run(
        &self,
        db: &mut AnyDb<'_>,
        direction: Direction,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let history = self.history()?;
        // Progress goes out as `tracing` events (crate::events).
        let mut log = |_: &str| {};
        runner::migrate(
            db,
            history,
            direction,
            target,
            RunOptions {
                session: self.session(),
                transaction_per_migration: self.transaction_per_migration,
                on_step: &mut log,
                accept_edited: self.accept_edited,
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests;
