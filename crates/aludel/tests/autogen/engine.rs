//! The calls into aludel's autogenerate under test, in one place: loading
//! DDL into a scratch database and introspecting it, introspecting a
//! database file, the diff, and the rendered migration.

use std::path::Path;

use aludel::autogen::{desired, introspect};
use aludel_schema::render::sqlite::SqliteRenderer;
use aludel_schema::render::{Migration, plan};
use aludel_schema::{Renames, Schema, diff};

use super::history::{open, version_table};

/// The schema `text` declares (loaded into a scratch in-memory database).
pub async fn load(origin: &str, text: &str) -> Result<Schema, String> {
    let source = desired::SchemaSource {
        origin: origin.to_string(),
        text: text.to_string(),
    };
    desired::load_sqlite(&[source])
        .await
        .map_err(|e| format!("loading {origin}: {e}"))
}

/// The schema of the database file `path` (its version table left out).
pub async fn introspect_file(path: &Path) -> Result<Schema, String> {
    let mut conn = open(path, false).await?;
    let table = version_table();
    let schema = introspect::introspect(&mut conn, &[table.name.as_str()])
        .await
        .map_err(|e| format!("introspecting {}: {e}", path.display()))?;
    aludel::sqlx::Connection::close(conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(schema)
}

/// The `--rename` values as the diff takes them.
pub fn renames(flags: &[String]) -> Result<Renames, String> {
    let mut renames = Renames::default();
    for flag in flags {
        renames
            .add_flag(flag)
            .map_err(|e| format!("--rename {flag}: {e}"))?;
    }
    Ok(renames)
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
    let changes = diff(current, desired, &Renames::default()).map_err(|e| e.to_string())?;
    Ok(changes.iter().flat_map(|c| c.describe()).collect())
}
