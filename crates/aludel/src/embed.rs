//! Migrations compiled into the application binary and applied at startup.
//!
//! Architecture invariant: embedded migrations need no file at run time; the
//! history is built from the embedded text once per process and shared.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnection;

use crate::config::DEFAULT_LOCK_TIMEOUT;
use crate::dialect::VersionTable;
use crate::driver::{AnyDb, DbConnection, LockMode, SessionSettings, SqliteDb};
use crate::error::Error;
use crate::history::{History, RevisionFile};
use crate::runner::{self, Direction, RunOptions, RunSummary};
use crate::url::DatabaseUrl;

/// One revision file embedded by [`embed_migrations!`](crate::embed_migrations).
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    /// Path relative to the crate, e.g. `migrations/versions/abc_init.sql`.
    pub path: &'static str,
    /// The file's text.
    pub source: &'static str,
}

/// A set of migrations embedded in the binary; build one with
/// [`embed_migrations!`](crate::embed_migrations). Add a `build.rs` with
/// `println!("cargo:rerun-if-changed=migrations");` so that a new file in the
/// folder rebuilds the application.
///
/// ```no_run
/// // The folder holds `versions/*.sql`; it is read at compile time.
/// static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/chain");
///
/// # async fn start() -> Result<(), aludel::Error> {
/// MIGRATIONS.upgrade("sqlite://app.db", "head").await?;
/// # Ok(())
/// # }
/// ```
pub struct Migrations {
    files: &'static [EmbeddedFile],
    version_table: &'static str,
    lock_timeout: Duration,
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
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            accept_edited: false,
            history: OnceLock::new(),
        }
    }

    /// Uses another version table than `alembic_version`.
    pub const fn with_version_table(mut self, table: &'static str) -> Migrations {
        self.version_table = table;
        self
    }

    /// Waits at most `timeout` for another migrator's lock (default 60 s)
    /// before failing with [`Error::LockTimeout`]; a wait longer than a second
    /// is logged through `tracing`.
    pub const fn with_lock_timeout(mut self, timeout: Duration) -> Migrations {
        self.lock_timeout = timeout;
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
    fn table(&self) -> VersionTable {
        VersionTable::new(self.version_table)
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

    /// Upgrades the database at `url` to `target` (e.g. `"head"`).
    pub async fn upgrade(&self, url: &str, target: &str) -> Result<RunSummary, Error> {
        let mut db = self.open(url).await?;
        let result = self.run(&mut db, Direction::Upgrade, target).await;
        db.close().await;
        result
    }

    /// Downgrades the database at `url` to `target` (e.g. `"base"`, `"-1"`).
    pub async fn downgrade(&self, url: &str, target: &str) -> Result<RunSummary, Error> {
        let mut db = self.open(url).await?;
        let result = self.run(&mut db, Direction::Downgrade, target).await;
        db.close().await;
        result
    }

    /// The revisions recorded in the version table at `url`; fails with
    /// [`Error::DatabaseAhead`] if one of them is not embedded, and with
    /// [`Error::LockTimeout`] if another process keeps the database locked
    /// for longer than the lock timeout (as upgrades and downgrades do).
    pub async fn current(&self, url: &str) -> Result<Vec<String>, Error> {
        let url = DatabaseUrl::parse(url)?;
        let heads = match crate::driver::connect(&url, false).await? {
            None => Vec::new(),
            Some(mut db) => {
                let heads = self.read_heads(&mut db, &url).await;
                db.close().await;
                heads?
            }
        };
        self.known(heads)
    }

    /// The version table's rows, waiting for another process's lock as a run does.
    async fn read_heads(
        &self,
        db: &mut AnyDb<'_>,
        url: &DatabaseUrl,
    ) -> Result<Vec<String>, Error> {
        self.probe(db, url).await?;
        runner::current_heads(db, &self.table()).await
    }

    /// Opens (creating) the database at `url` for a run; a file that is not
    /// a database is reported naming it, as the CLI does.
    async fn open(&self, url: &str) -> Result<AnyDb<'static>, Error> {
        let url = DatabaseUrl::parse(url)?;
        let mut db = crate::driver::connect(&url, true).await?.ok_or_else(|| {
            Error::database(
                format!("opening {url}"),
                "the database could not be created",
            )
        })?;
        if let Err(e) = self.probe(&mut db, &url).await {
            db.close().await;
            return Err(e);
        }
        Ok(db)
    }

    /// The first read of the database: names a file that is not a database,
    /// and waits for another process's lock as a run does.
    async fn probe(&self, db: &mut AnyDb<'_>, url: &DatabaseUrl) -> Result<(), Error> {
        let mut log = |line: &str| tracing::info!(target: "aludel", "{line}");
        db.wait_until_readable(url, self.lock_timeout, &mut log)
            .await
    }

    /// Upgrades through a connection of an existing pool, with the same
    /// settings as every other path (foreign keys off while migrating); the
    /// connection's own settings are restored before it goes back.
    pub async fn upgrade_pool(&self, pool: &SqlitePool, target: &str) -> Result<RunSummary, Error> {
        let mut db = pooled(pool).await?;
        self.run(&mut db, Direction::Upgrade, target).await
    }

    /// Downgrades through a connection of an existing pool, as
    /// [`Migrations::upgrade_pool`] does.
    pub async fn downgrade_pool(
        &self,
        pool: &SqlitePool,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = pooled(pool).await?;
        self.run(&mut db, Direction::Downgrade, target).await
    }

    /// The revisions recorded in the version table, through an existing pool;
    /// fails with [`Error::DatabaseAhead`] if one of them is not embedded.
    /// Changes no setting of the connection: a lock held by another process
    /// is waited for as the pool's own busy timeout says.
    pub async fn current_pool(&self, pool: &SqlitePool) -> Result<Vec<String>, Error> {
        let mut db = pooled(pool).await?;
        let heads = runner::current_heads(&mut db, &self.table()).await?;
        self.known(heads)
    }

    /// `heads`, if every one of them is an embedded revision.
    fn known(&self, heads: Vec<String>) -> Result<Vec<String>, Error> {
        runner::verify::check_known(self.history()?, &heads, &self.table())?;
        Ok(heads)
    }

    /// Upgrades through the application's own connection, which must have no
    /// transaction open; its foreign-key and busy-timeout settings are
    /// restored afterwards.
    pub async fn upgrade_connection(
        &self,
        conn: &mut SqliteConnection,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = SqliteDb::from_connection(conn);
        self.run(&mut db, Direction::Upgrade, target).await
    }

    /// Downgrades through the application's own connection, as
    /// [`Migrations::upgrade_connection`] does.
    pub async fn downgrade_connection(
        &self,
        conn: &mut SqliteConnection,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = SqliteDb::from_connection(conn);
        self.run(&mut db, Direction::Downgrade, target).await
    }

    /// The revisions recorded in the version table, through the
    /// application's own connection, as [`Migrations::current_pool`] reads
    /// them.
    pub async fn current_connection(
        &self,
        conn: &mut SqliteConnection,
    ) -> Result<Vec<String>, Error> {
        let mut db = SqliteDb::from_connection(conn);
        let heads = runner::current_heads(&mut db, &self.table()).await?;
        self.known(heads)
    }

    async fn run<C: DbConnection>(
        &self,
        db: &mut C,
        direction: Direction,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let history = self.history()?;
        let mut log = |line: &str| tracing::info!(target: "aludel", "{line}");
        runner::migrate(
            db,
            history,
            direction,
            target,
            RunOptions {
                session: SessionSettings {
                    lock_timeout: self.lock_timeout,
                    lock_mode: LockMode::Session,
                    version_table: self.table(),
                },
                transaction_per_migration: true,
                on_step: &mut log,
                accept_edited: self.accept_edited,
            },
        )
        .await
    }
}

async fn pooled(pool: &SqlitePool) -> Result<SqliteDb<'static>, Error> {
    let conn = pool
        .acquire()
        .await
        .map_err(|e| Error::database("taking a connection from the pool", e))?;
    Ok(SqliteDb::from_pool_connection(conn))
}
