//! The three ways to reach a database — a URL, an application's pool, one of
//! its connections — for each operation of [`Migrations`]. Each method turns
//! what it is given into an [`AnyDb`] and calls the one implementation in
//! `mod.rs` / `plan.rs`, so every path behaves the same.

use sqlx::Pool;

use super::{Engine, EngineConnection, Migrations, Plan};
use crate::driver::{AnyDb, DbError};
use crate::error::Error;
use crate::runner::{Direction, RunSummary};
use crate::url::DatabaseUrl;

/// A connection taken from an application's pool.
async fn pooled<DB: Engine>(pool: &Pool<DB>) -> Result<AnyDb<'static>, Error> {
    let conn = pool
        .acquire()
        .await
        .map_err(|e| Error::database("taking a connection from the pool", e))?;
    Ok(DB::pooled(conn))
}

/// Through a URL: aludel opens (and closes) its own connection.
impl Migrations {
    /// Upgrades the database at `url` to `target` (e.g. `"head"`), creating
    /// a missing SQLite file.
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
    /// Creates nothing.
    pub async fn current(&self, url: &str) -> Result<Vec<String>, Error> {
        let Some(mut db) = self.open_existing(url, true).await? else {
            return Ok(Vec::new());
        };
        let heads = self.heads(&mut db).await;
        db.close().await;
        heads
    }

    /// What [`Migrations::upgrade`] to `target` would run on the database at
    /// `url` now, read as [`Migrations::current`] reads it; creates nothing,
    /// takes no lock.
    pub async fn pending(&self, url: &str, target: &str) -> Result<Plan<'_>, Error> {
        let heads = self.current(url).await?;
        self.plan_from(heads, Direction::Upgrade, target)
    }

    /// Whether the database at `url` is at the embedded heads, for health
    /// checks: one query of the version table, no lock, no DDL, nothing
    /// created (a missing SQLite file is not at head, unless nothing is
    /// embedded). Fails with [`Error::DatabaseAhead`] if the database holds
    /// revisions this binary does not know.
    pub async fn is_at_head(&self, url: &str) -> Result<bool, Error> {
        let Some(mut db) = self.open_existing(url, false).await? else {
            return self.at_head_of(Vec::new());
        };
        let at_head = self.at_head(&mut db).await;
        db.close().await;
        at_head
    }

    /// Opens (creating) the database at `url` for a run; a file that is not
    /// a database is reported naming it, as the CLI does.
    async fn open(&self, url: &str) -> Result<AnyDb<'static>, Error> {
        let parsed = DatabaseUrl::parse(url)?;
        let mut db = crate::driver::connect(&parsed, true)
            .await?
            .ok_or_else(|| {
                Error::database(
                    format!("opening {parsed}"),
                    DbError::new("the database could not be created"),
                )
            })?;
        if let Err(e) = self.probe(&mut db, &parsed).await {
            db.close().await;
            return Err(e);
        }
        Ok(db)
    }

    /// Opens the database at `url` if it exists, waiting for another
    /// process's lock on it as a run does when `wait` is set.
    async fn open_existing(&self, url: &str, wait: bool) -> Result<Option<AnyDb<'static>>, Error> {
        let parsed = DatabaseUrl::parse(url)?;
        let Some(mut db) = crate::driver::connect(&parsed, false).await? else {
            return Ok(None);
        };
        if wait && let Err(e) = self.probe(&mut db, &parsed).await {
            db.close().await;
            return Err(e);
        }
        Ok(Some(db))
    }

    /// The first read of the database: names a file that is not a database,
    /// and waits for another process's lock as a run does (the notice goes
    /// out as a `tracing` event).
    async fn probe(&self, db: &mut AnyDb<'_>, url: &DatabaseUrl) -> Result<(), Error> {
        db.wait_until_readable(url, self.lock_timeout, &mut |_| {})
            .await
    }
}

/// Through an application's pool: one connection is taken for the call and
/// goes back with its own settings restored.
impl Migrations {
    /// Upgrades through a connection of `pool`, with the same settings as
    /// every other path (on SQLite: foreign keys off while migrating).
    pub async fn upgrade_pool<DB: Engine>(
        &self,
        pool: &Pool<DB>,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = pooled(pool).await?;
        self.run(&mut db, Direction::Upgrade, target).await
    }

    /// Downgrades through a connection of `pool`, as
    /// [`Migrations::upgrade_pool`] does.
    pub async fn downgrade_pool<DB: Engine>(
        &self,
        pool: &Pool<DB>,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = pooled(pool).await?;
        self.run(&mut db, Direction::Downgrade, target).await
    }

    /// The revisions recorded in the version table, through `pool`; fails
    /// with [`Error::DatabaseAhead`] if one of them is not embedded. Changes
    /// no setting of the connection: a lock held by another process is
    /// waited for as the pool's own settings say.
    pub async fn current_pool<DB: Engine>(&self, pool: &Pool<DB>) -> Result<Vec<String>, Error> {
        let mut db = pooled(pool).await?;
        self.heads(&mut db).await
    }

    /// What [`Migrations::upgrade_pool`] to `target` would run now.
    pub async fn pending_pool<DB: Engine>(
        &self,
        pool: &Pool<DB>,
        target: &str,
    ) -> Result<Plan<'_>, Error> {
        let heads = self.current_pool(pool).await?;
        self.plan_from(heads, Direction::Upgrade, target)
    }

    /// Whether the database behind `pool` is at the embedded heads, as
    /// [`Migrations::is_at_head`] checks it.
    pub async fn is_at_head_pool<DB: Engine>(&self, pool: &Pool<DB>) -> Result<bool, Error> {
        let mut db = pooled(pool).await?;
        self.at_head(&mut db).await
    }
}

/// Through the application's own connection, which must have no transaction
/// open; its settings are restored before the call returns.
impl Migrations {
    /// Upgrades through `conn` (e.g. a `&mut SqliteConnection`, or a
    /// `PoolConnection` the application holds).
    pub async fn upgrade_connection<C: EngineConnection>(
        &self,
        conn: &mut C,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = conn.borrowed();
        self.run(&mut db, Direction::Upgrade, target).await
    }

    /// Downgrades through `conn`, as [`Migrations::upgrade_connection`] does.
    pub async fn downgrade_connection<C: EngineConnection>(
        &self,
        conn: &mut C,
        target: &str,
    ) -> Result<RunSummary, Error> {
        let mut db = conn.borrowed();
        self.run(&mut db, Direction::Downgrade, target).await
    }

    /// The revisions recorded in the version table, through `conn`, as
    /// [`Migrations::current_pool`] reads them.
    pub async fn current_connection<C: EngineConnection>(
        &self,
        conn: &mut C,
    ) -> Result<Vec<String>, Error> {
        let mut db = conn.borrowed();
        self.heads(&mut db).await
    }

    /// What [`Migrations::upgrade_connection`] to `target` would run now.
    pub async fn pending_connection<C: EngineConnection>(
        &self,
        conn: &mut C,
        target: &str,
    ) -> Result<Plan<'_>, Error> {
        let heads = self.current_connection(conn).await?;
        self.plan_from(heads, Direction::Upgrade, target)
    }

    /// Whether the database behind `conn` is at the embedded heads, as
    /// [`Migrations::is_at_head`] checks it.
    pub async fn is_at_head_connection<C: EngineConnection>(
        &self,
        conn: &mut C,
    ) -> Result<bool, Error> {
        let mut db = conn.borrowed();
        self.at_head(&mut db).await
    }
}
