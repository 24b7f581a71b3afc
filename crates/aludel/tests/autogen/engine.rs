//! The calls into aludel's autogenerate under test, in one place: loading
//! DDL into a scratch database and introspecting it (`autogen::desired`),
//! introspecting a database file (`autogen::introspect`), the diff, and the
//! rendered migration (`aludel_schema`); and the library's own comparison
//! (`autogen::drift_of_history` / `drift_of_database`), which the CLI runs.

use std::path::Path;

use aludel::DatabaseUrl;
use aludel::autogen::desired::{self, BOOKKEEPING_TABLES, SchemaSource};
use aludel::autogen::{self, introspect};
use aludel::driver::SessionSettings;
use aludel::history::History;
use aludel::sqlx::Connection;
use aludel_schema::{Migration, Renames, Schema, SqliteRenderer, diff, plan};

use super::history::open;

fn source(origin: &str, text: &str) -> SchemaSource {
    SchemaSource {
        origin: origin.to_string(),
        text: text.to_string(),
    }
}

/// The schema `text` declares (loaded into a scratch in-memory database).
pub async fn load(origin: &str, text: &str) -> Result<Schema, String> {
    desired::load_sqlite(&[source(origin, text)])
        .await
        .map_err(|e| format!("loading {origin}: {e}"))
}

/// The schema of the database file `path` (the version table and aludel's
/// own tables left out).
pub async fn introspect_file(path: &Path) -> Result<Schema, String> {
    let mut conn = open(path, false).await?;
    let schema = introspect::introspect(&mut conn, &BOOKKEEPING_TABLES).await;
    conn.close().await.map_err(|e| e.to_string())?;
    schema.map_err(|e| format!("introspecting {}: {e}", path.display()))
}

/// The `--rename` values as the diff takes them.
pub fn renames(flags: &[String]) -> Result<Renames, String> {
    Renames::parse_flags(flags.iter().map(String::as_str)).map_err(|e| e.to_string())
}

/// The migration from `current` to `desired`.
pub fn migration(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
) -> Result<Migration, String> {
    plan(current, desired, renames, &SqliteRenderer).map_err(|e| e.to_string())
}

/// What differs between `current` and `desired` (no renames), one line per
/// change; empty when they are the same schema.
pub fn differences(current: &Schema, desired: &Schema) -> Result<Vec<String>, String> {
    let changes = diff(current, desired, &Renames::none()).map_err(|e| e.to_string())?;
    Ok(changes.iter().flat_map(|c| c.describe()).collect())
}

/// The library's migration from `history` replayed in memory to `after`.
pub async fn drift_of_history(
    history: &History,
    after: &str,
    renames: &Renames,
) -> Result<Migration, String> {
    autogen::drift_of_history(
        history,
        &[source("after.sql", after)],
        renames,
        &SessionSettings::default(),
    )
    .await
    .map(|drift| drift.migration)
    .map_err(|e| format!("drift_of_history: {e}"))
}

/// The library's migration from the database file `path` (at the heads of
/// `history`) to `after`.
pub async fn drift_of_database(
    path: &Path,
    history: &History,
    after: &str,
    renames: &Renames,
) -> Result<Migration, String> {
    let url =
        DatabaseUrl::parse(&format!("sqlite://{}", path.display())).map_err(|e| e.to_string())?;
    let settings = SessionSettings::default();
    autogen::drift_of_database(
        &url,
        history,
        &[source("after.sql", after)],
        renames,
        &settings,
    )
    .await
    .map(|drift| drift.migration)
    .map_err(|e| format!("drift_of_database: {e}"))
}
