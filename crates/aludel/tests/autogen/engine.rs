//! The calls into aludel's autogenerate under test, in one place: loading
//! DDL into a scratch database and reading its schema, reading a database
//! file's schema, the diff, and the rendered migration.
//!
//! Until `aludel::autogen::{desired, introspect}` are in this branch, the
//! catalog is read by [`super::catalog`] (the design's fixed queries) and the
//! DDL is loaded as one script; `aludel_schema` does the rest.

use std::path::Path;

use aludel::sqlx::Connection;
use aludel::sqlx::sqlite::SqliteConnection;
use aludel_schema::sqlite::read_catalog;
use aludel_schema::{Migration, Renames, Schema, SqliteRenderer, diff, plan};

use super::catalog::catalog;
use super::history::{open, run_script, version_table};

async fn read(conn: &mut SqliteConnection) -> Result<Schema, String> {
    let table = version_table();
    let catalog = catalog(conn, &[table.name.as_str()]).await?;
    read_catalog(&catalog).map_err(|e| e.to_string())
}

/// The schema `text` declares (loaded into a scratch in-memory database).
pub async fn load(origin: &str, text: &str) -> Result<Schema, String> {
    let mut conn = SqliteConnection::connect("sqlite::memory:")
        .await
        .map_err(|e| e.to_string())?;
    run_script(&mut conn, text)
        .await
        .map_err(|e| format!("loading {origin}: {e}"))?;
    let schema = read(&mut conn).await;
    conn.close().await.map_err(|e| e.to_string())?;
    schema
}

/// The schema of the database file `path` (its version table left out).
pub async fn introspect_file(path: &Path) -> Result<Schema, String> {
    let mut conn = open(path, false).await?;
    let schema = read(&mut conn).await;
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
