//! What every command needs: the configuration, the history, the database.

use aludel::config::{Config, UrlSource};
use aludel::driver::{self, AnyDb};
use aludel::history::History;
use aludel::runner;
use aludel::url::SqliteLocation;
use aludel::{DatabaseUrl, Error};

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::Cli;
use crate::output::Output;

/// The project a command works on.
pub struct Context {
    /// The configuration in force.
    pub config: Config,
    cli_url: Option<String>,
    out: &'static Output,
    /// Whether the database in use has been logged (once per command).
    announced: AtomicBool,
    /// Whether missing version locations have been reported (once per command).
    checked_locations: AtomicBool,
}

impl Context {
    /// Finds the configuration the way the CLI documents.
    pub fn new(cli: &Cli, out: &'static Output) -> Result<Context, Error> {
        Ok(Context {
            config: Config::discover(cli.config.as_deref())?,
            cli_url: cli.url.clone(),
            out,
            announced: AtomicBool::new(false),
            checked_locations: AtomicBool::new(false),
        })
    }

    /// Says on stderr which configured version locations do not exist.
    /// Alembic skips them silently (and so does loading), which turns a typo
    /// in `version_locations` into a history with revisions missing.
    fn report_missing_version_locations(&self) {
        if self.checked_locations.swap(true, Ordering::Relaxed) {
            return;
        }
        for location in &self.config.version_locations {
            if !location.exists() {
                self.out.warn(&format!(
                    "WARNING: version location {} does not exist; no revisions are read from it",
                    location.display()
                ));
            }
        }
    }

    /// Loads every revision file's header and the graph. The history lives
    /// until the process exits: a one-shot command has no use for freeing
    /// 10,000 revisions one allocation at a time just before it ends.
    pub fn history(&self) -> Result<&'static History, Error> {
        self.report_missing_version_locations();
        load_for_process(&self.config)
    }

    /// The history read again from the version locations (after this
    /// command wrote a revision into them).
    pub fn reload_history(&self) -> Result<History, Error> {
        self.config.history()
    }

    /// Starts loading the history on a blocking thread, so that a command can
    /// read the database meanwhile (SQLite parses a large schema on the first
    /// query); await the handle for the result.
    pub fn history_in_background(
        &self,
    ) -> tokio::task::JoinHandle<Result<&'static History, Error>> {
        self.report_missing_version_locations();
        let config = self.config.clone();
        tokio::task::spawn_blocking(move || load_for_process(&config))
    }

    /// The database URL in force.
    pub fn url(&self) -> Result<DatabaseUrl, Error> {
        self.url_with_source().map(|(url, _)| url)
    }

    fn url_with_source(&self) -> Result<(DatabaseUrl, UrlSource), Error> {
        let (url, source) = self
            .config
            .resolve_url_with_source(self.cli_url.as_deref())
            .ok_or(Error::NoUrl)?;
        Ok((DatabaseUrl::parse(&url)?, source))
    }

    /// The database URL in force, logged as [`Context::connect`] logs it, or
    /// `None` when none is configured anywhere (`--url`, `DATABASE_URL`,
    /// `database_url`).
    pub fn configured_database(&self) -> Result<Option<DatabaseUrl>, Error> {
        if self.config.resolve_url(self.cli_url.as_deref()).is_none() {
            return Ok(None);
        }
        self.database().map(Some)
    }

    /// The URL of the database a command is about to touch, logged the first
    /// time (`INFO  [aludel] Database sqlite://app.db (from aludel.toml)`),
    /// password hidden, so that the user sees which database and why.
    fn database(&self) -> Result<DatabaseUrl, Error> {
        let (url, source) = self.url_with_source()?;
        if !self.announced.swap(true, Ordering::Relaxed) {
            self.out.info(&format!("Database {url} (from {source})"));
        }
        Ok(url)
    }

    /// Opens the database, creating a missing SQLite file; also returns the
    /// path of the file if this call created it (see [`Context::discard`]).
    pub async fn connect(&self) -> Result<(AnyDb<'static>, Option<PathBuf>), Error> {
        let url = self.database()?;
        let new_file = match url.sqlite_location() {
            Some(SqliteLocation::File(path)) if !path.exists() => Some(path.clone()),
            _ => None,
        };
        // Before the driver starts its worker thread, which inherits it.
        crate::affinity::stay_on_this_cpu();
        let mut db = driver::connect(&url, true).await?.ok_or_else(|| {
            Error::database(
                format!("opening {url}"),
                driver::DbError::new("the database file could not be created"),
            )
        })?;
        if let Err(e) = self.probe(&mut db, &url).await {
            db.close().await;
            self.discard(new_file);
            return Err(e);
        }
        Ok((db, new_file))
    }

    /// A first read of the database, so that a file that is not a database
    /// (or cannot be read) is reported naming it, not as a failure of whatever
    /// query happened to come first. Another process's lock on the database
    /// is waited for as a run waits: said after a second, given up after
    /// `lock_timeout` (which bounds every later wait of the command too).
    async fn probe(&self, db: &mut AnyDb<'_>, url: &DatabaseUrl) -> Result<(), Error> {
        let mut log = |line: &str| self.out.info(line);
        db.wait_until_readable(url, self.config.lock_timeout, &mut log)
            .await
    }

    /// After a failed command, removes the database file the command created,
    /// if nothing was ever written to it: a failure leaves things as they were.
    pub fn discard(&self, created: Option<PathBuf>) {
        if let Some(path) = created
            && std::fs::metadata(&path).is_ok_and(|m| m.len() == 0)
        {
            let _ = std::fs::remove_file(&path);
        }
    }

    /// The version table's rows; a database that does not exist yet has none
    /// (said on stderr, as the user may have meant another file).
    pub async fn current_heads(&self) -> Result<Vec<String>, Error> {
        match self.open_existing().await? {
            None => Ok(Vec::new()),
            Some(mut db) => {
                let heads = runner::current_heads(&mut db, &self.config.version_table()).await;
                db.close().await;
                heads
            }
        }
    }

    /// Opens the database for reading without creating anything; `None`
    /// (said on stderr, as the user may have meant another file) if the
    /// SQLite file does not exist.
    pub async fn open_existing(&self) -> Result<Option<AnyDb<'static>>, Error> {
        let url = self.database()?;
        match driver::connect(&url, false).await? {
            None => {
                if let Some(SqliteLocation::File(path)) = url.sqlite_location() {
                    self.out.info(&format!(
                        "The database file {} does not exist; it has no version (nothing was created)",
                        // Redacted like the URL it came from (`sqlite://u:pw@h/db`).
                        aludel::url::redact_text(&path.display().to_string())
                    ));
                }
                Ok(None)
            }
            Some(mut db) => {
                if let Err(e) = self.probe(&mut db, &url).await {
                    db.close().await;
                    return Err(e);
                }
                Ok(Some(db))
            }
        }
    }
}

/// Loads the history and keeps it for the rest of the process.
fn load_for_process(config: &Config) -> Result<&'static History, Error> {
    Ok(Box::leak(Box::new(config.history()?)))
}
