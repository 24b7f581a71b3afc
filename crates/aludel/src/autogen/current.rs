//! The current side: the configured database, which must be at the
//! history's heads, or (offline) a fresh in-memory SQLite database with every
//! migration replayed to head by the normal runner.

use aludel_schema::Schema;

use super::desired::scratch_database;
use super::introspect::introspect;
use crate::dialect::{HISTORY_TABLE, PROGRESS_TABLE, VersionTable};
use crate::driver::{AnyDb, LockMode, SessionSettings, SqliteDb};
use crate::error::Error;
use crate::history::History;
use crate::runner::{self, Direction, RunOptions};

/// The tables a comparison leaves out: the version table and aludel's own.
fn bookkeeping(table: &VersionTable) -> [&str; 3] {
    [table.name.as_str(), HISTORY_TABLE, PROGRESS_TABLE]
}

/// Replays every migration of `history` to its heads on a fresh in-memory
/// SQLite database with the normal runner (`settings`' version table; its
/// schema and lock mode do not apply to a private database), then
/// introspects it without the version and history tables.
pub async fn replay_sqlite(history: &History, settings: &SessionSettings) -> Result<Schema, Error> {
    let mut session = settings.clone();
    session.lock_mode = LockMode::Session;
    session.version_table.schema = None;
    let mut conn = scratch_database().await?;
    if !history.is_empty() {
        let mut db = SqliteDb::from_connection(&mut conn);
        let options = RunOptions {
            session: session.clone(),
            transaction_per_migration: true,
            on_step: &mut |_| {},
            accept_edited: false,
        };
        runner::migrate(&mut db, history, Direction::Upgrade, "heads", options).await?;
    }
    introspect(&mut conn, &bookkeeping(&session.version_table)).await
}

/// The schema of `db`, which must be at `history`'s heads (else
/// [`Error::NotUpToDate`], Alembic's "Target database is not up to date."),
/// without the version and history tables. SQLite only for now: other
/// engines are refused with an error naming them.
pub async fn database_at_head(
    db: &mut AnyDb<'_>,
    history: &History,
    settings: &SessionSettings,
) -> Result<Schema, Error> {
    #[allow(clippy::infallible_destructuring_match)] // with only SQLite enabled
    let conn = match db {
        AnyDb::Sqlite(sqlite) => sqlite,
        #[cfg(feature = "postgres")]
        AnyDb::Postgres(_) => return Err(unsupported("PostgreSQL")),
        #[cfg(feature = "mysql")]
        AnyDb::MySql(_) => return Err(unsupported("MySQL/MariaDB")),
    };
    let mut heads = runner::current_heads(conn, &settings.version_table).await?;
    let graph = history.graph();
    let mut expected: Vec<String> = graph
        .heads()
        .iter()
        .map(|&h| graph.id(h).to_string())
        .collect();
    heads.sort();
    expected.sort();
    if heads != expected {
        return Err(Error::NotUpToDate);
    }
    introspect(conn.connection(), &bookkeeping(&settings.version_table)).await
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
fn unsupported(engine: &str) -> Error {
    Error::Usage(format!(
        "comparing schemas on {engine} is not supported yet: autogenerate and check read SQLite databases only"
    ))
}
