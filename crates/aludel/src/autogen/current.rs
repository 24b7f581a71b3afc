//! The current side: the configured database, which must be at the
//! history's heads, or (offline) a fresh in-memory SQLite database with every
//! migration replayed to head by the normal runner (on a server, a scratch
//! database: see `server/`).

use aludel_schema::Schema;

use super::desired::scratch_database;
use super::introspect::{emit_warnings, introspect_with_warnings};
use crate::dialect::{HISTORY_TABLE, PROGRESS_TABLE, VersionTable};
use crate::driver::{AnyDb, DbConnection, LockMode, SessionSettings, SqliteDb};
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
    let (schema, warnings) = replay_sqlite_with_warnings(history, settings).await?;
    emit_warnings(&warnings);
    Ok(schema)
}

/// As [`replay_sqlite`], returning what introspection could not read fully
/// (a virtual table, say) with the schema instead of as events.
pub async fn replay_sqlite_with_warnings(
    history: &History,
    settings: &SessionSettings,
) -> Result<(Schema, Vec<String>), Error> {
    let mut conn = scratch_database().await?;
    let session = replay(&mut SqliteDb::from_connection(&mut conn), history, settings).await?;
    introspect_with_warnings(&mut conn, &bookkeeping(&session.version_table)).await
}

/// Replays every migration of `history` to its heads on `db`, a private
/// scratch database, with the normal runner and `settings`' version table
/// (its schema and lock mode do not apply to a private database); returns
/// the session it ran with.
pub(crate) async fn replay<C: DbConnection>(
    db: &mut C,
    history: &History,
    settings: &SessionSettings,
) -> Result<SessionSettings, Error> {
    let mut session = settings.clone();
    session.lock_mode = LockMode::Session;
    session.version_table.schema = None;
    if !history.is_empty() {
        let options = RunOptions {
            session: session.clone(),
            transaction_per_migration: true,
            on_step: &mut |_| {},
            accept_edited: false,
        };
        runner::migrate(db, history, Direction::Upgrade, "heads", options).await?;
    }
    Ok(session)
}

/// The schema of `db`, which must be at `history`'s heads (else
/// [`Error::NotUpToDate`], Alembic's "Target database is not up to date."),
/// without the version and history tables (on PostgreSQL and MySQL/MariaDB
/// too, read by their catalog readers).
pub async fn database_at_head(
    db: &mut AnyDb<'_>,
    history: &History,
    settings: &SessionSettings,
) -> Result<Schema, Error> {
    let (schema, warnings) = database_at_head_with_warnings(db, history, settings).await?;
    emit_warnings(&warnings);
    Ok(schema)
}

/// As [`database_at_head`], returning what introspection could not read
/// fully (a virtual table, say) with the schema instead of as events.
pub async fn database_at_head_with_warnings(
    db: &mut AnyDb<'_>,
    history: &History,
    settings: &SessionSettings,
) -> Result<(Schema, Vec<String>), Error> {
    #[allow(clippy::infallible_destructuring_match)] // with only SQLite enabled
    let conn = match db {
        AnyDb::Sqlite(sqlite) => sqlite,
        #[cfg(any(feature = "postgres", feature = "mysql"))]
        _ => {
            let (schema, warnings, _) = super::server::database(db, history, settings).await?;
            return Ok((schema, warnings));
        }
    };
    check_at_head(conn, history, settings).await?;
    introspect_with_warnings(conn.connection(), &bookkeeping(&settings.version_table)).await
}

/// Fails with [`Error::NotUpToDate`] unless the version table of `db`
/// holds exactly `history`'s heads.
pub(crate) async fn check_at_head<C: DbConnection>(
    db: &mut C,
    history: &History,
    settings: &SessionSettings,
) -> Result<(), Error> {
    let mut heads = runner::current_heads(db, &settings.version_table).await?;
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
    Ok(())
}
