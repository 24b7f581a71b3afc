//! What every command needs: the configuration, the history, the database.

use aludel::config::Config;
use aludel::driver::{self, SqliteDb};
use aludel::history::History;
use aludel::runner;
use aludel::url::SqliteLocation;
use aludel::{DatabaseUrl, Error};

use std::path::PathBuf;

use crate::cli::Cli;

/// The project a command works on.
pub struct Context {
    /// The configuration in force.
    pub config: Config,
    cli_url: Option<String>,
}

impl Context {
    /// Finds the configuration the way the CLI documents.
    pub fn new(cli: &Cli) -> Result<Context, Error> {
        Ok(Context {
            config: Config::discover(cli.config.as_deref())?,
            cli_url: cli.url.clone(),
        })
    }

    /// Loads every revision file's header and the graph. The history lives
    /// until the process exits: a one-shot command has no use for freeing
    /// 10,000 revisions one allocation at a time just before it ends.
    pub fn history(&self) -> Result<&'static History, Error> {
        load_for_process(&self.config)
    }

    /// Starts loading the history on a blocking thread, so that a command can
    /// read the database meanwhile (SQLite parses a large schema on the first
    /// query); await the handle for the result.
    pub fn history_in_background(
        &self,
    ) -> tokio::task::JoinHandle<Result<&'static History, Error>> {
        let config = self.config.clone();
        tokio::task::spawn_blocking(move || load_for_process(&config))
    }

    /// The database URL in force.
    pub fn url(&self) -> Result<DatabaseUrl, Error> {
        let url = self
            .config
            .resolve_url(self.cli_url.as_deref())
            .ok_or(Error::NoUrl)?;
        DatabaseUrl::parse(&url)
    }

    /// Opens the database, creating a missing SQLite file; also returns the
    /// path of the file if this call created it (see [`Context::discard`]).
    pub async fn connect(&self) -> Result<(SqliteDb<'static>, Option<PathBuf>), Error> {
        let url = self.url()?;
        let new_file = match url.sqlite_location() {
            Some(SqliteLocation::File(path)) if !path.exists() => Some(path.clone()),
            _ => None,
        };
        let db = driver::connect(&url, true).await?.ok_or_else(|| {
            Error::database(
                format!("opening {url}"),
                "the database file could not be created",
            )
        })?;
        Ok((db, new_file))
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

    /// The version table's rows; a database that does not exist yet has none.
    pub async fn current_heads(&self) -> Result<Vec<String>, Error> {
        let url = self.url()?;
        match driver::connect(&url, false).await? {
            None => Ok(Vec::new()),
            Some(mut db) => {
                let heads = runner::current_heads(&mut db, &self.config.version_table).await;
                db.close().await;
                heads
            }
        }
    }
}

/// Loads the history and keeps it for the rest of the process.
fn load_for_process(config: &Config) -> Result<&'static History, Error> {
    Ok(Box::leak(Box::new(config.history()?)))
}
