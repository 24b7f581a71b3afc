//! The properties every generated migration must keep, checked on real
//! SQLite files through the real runner and through the offline script:
//! 1. upgrade(before) introspects as `after` (diff empty);
//! 2. the downgrade brings back `before` (diff empty);
//! 3. diff(before, before) and diff(after, after) are empty;
//! 4. every row inserted before the upgrade is still there after the upgrade
//!    and after the downgrade (the columns the migration keeps: `rows`).
//!
//! Also: generating twice (from freshly loaded schemas) gives the same SQL.

use std::path::Path;

use aludel::runner::Direction;
use aludel_schema::{Migration, Renames, Schema};

use super::case::Case;
use super::engine;
use super::history::{BEFORE, Revisions, assert_true, close, open, run_script};
use super::rows::{Projection, Side, Snapshot, differences};

/// What a case produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The generated upgrade.
    pub upgrade: String,
    /// The generated downgrade.
    pub downgrade: String,
    /// The detected changes, one line each (`describe()`).
    pub describe: Vec<String>,
    /// Each property that does not hold, with why.
    pub failures: Vec<String>,
}

impl Outcome {
    /// Panics with every failure and the SQL when a property does not hold.
    pub fn assert_holds(&self, name: &str) {
        assert!(
            self.failures.is_empty(),
            "case {name}: {} propert{} failed:\n- {}\n\n--- upgrade ---\n{}\n--- downgrade ---\n{}",
            self.failures.len(),
            if self.failures.len() == 1 { "y" } else { "ies" },
            self.failures.join("\n- "),
            self.upgrade,
            self.downgrade
        );
    }
}

/// The schemas and data of a case as the checks need them.
struct Sides<'c> {
    case: &'c Case,
    before: Schema,
    after: Schema,
    projection: Projection,
    renames: Renames,
    migration: Migration,
}

/// Whether the library's comparison (`what`) wrote the same migration as
/// the plan of the two loaded schemas.
fn same_sql(
    sides: &Sides<'_>,
    found: Result<Migration, String>,
    what: &str,
    failures: &mut Vec<String>,
) {
    match found {
        Ok(m)
            if m.upgrade_sql() == sides.migration.upgrade_sql()
                && m.downgrade_sql() == sides.migration.downgrade_sql() => {}
        Ok(m) => failures.push(format!(
            "library: {what} wrote another migration:\n{}\n--- its downgrade ---\n{}",
            m.upgrade_sql(),
            m.downgrade_sql()
        )),
        Err(e) => failures.push(format!("library: {e}")),
    }
}

/// Generates the case's migration and checks every property; `Err` when the
/// migration cannot even be generated.
pub async fn check(case: &Case) -> Result<Outcome, String> {
    let before = engine::load("before.sql", &case.before).await?;
    let after = engine::load("after.sql", &case.after).await?;
    let renames = engine::renames(&case.renames)?;
    let migration = engine::migration(&before, &after, &renames)?;
    let mut outcome = Outcome {
        upgrade: migration.upgrade_sql(),
        downgrade: migration.downgrade_sql(),
        describe: migration.describe(),
        failures: Vec::new(),
    };
    let failures = &mut outcome.failures;
    if case.no_change && !migration.changes.is_empty() {
        failures.push(format!(
            "no change expected, found {:?}",
            migration.describe()
        ));
    }
    let again = engine::migration(
        &engine::load("before.sql", &case.before).await?,
        &engine::load("after.sql", &case.after).await?,
        &renames,
    )?;
    if again.upgrade_sql() != outcome.upgrade || again.downgrade_sql() != outcome.downgrade {
        failures.push("determinism: a second generation gave different SQL".to_string());
    }
    for (label, schema) in [("before", &before), ("after", &after)] {
        let found = engine::differences(schema, schema)?;
        if !found.is_empty() {
            failures.push(format!("3: diff({label}, {label}) is not empty: {found:?}"));
        }
    }
    let upgrade = case.reviewed_upgrade.as_ref().unwrap_or(&outcome.upgrade);
    let downgrade = case
        .reviewed_downgrade
        .as_ref()
        .unwrap_or(&outcome.downgrade);
    let revisions = Revisions::write(&case.before, upgrade, downgrade)?;
    let projection = Projection::new(&before, &after, &case.renames);
    let sides = Sides {
        case,
        before,
        after,
        projection,
        renames,
        migration,
    };
    let library =
        engine::drift_of_history(&revisions.before_only, &case.after, &sides.renames).await;
    same_sql(
        &sides,
        library,
        "drift_of_history (migrations replayed)",
        failures,
    );
    online(&sides, &revisions, failures).await?;
    offline(&sides, &revisions, failures).await?;
    Ok(outcome)
}

/// Whether the database file `path` introspects as `expected` and holds
/// nothing a rebuild left behind (introspection skips `_aludel*` tables).
async fn same_schema(path: &Path, expected: &Schema, property: &str, failures: &mut Vec<String>) {
    match leftovers(path).await {
        Ok(names) if names.is_empty() => {}
        Ok(names) => failures.push(format!("{property}: left behind {names:?}")),
        Err(e) => failures.push(format!("{property}: {e}")),
    }
    match engine::introspect_file(path).await {
        Ok(found) => match engine::differences(&found, expected) {
            Ok(d) if d.is_empty() => {}
            Ok(d) => failures.push(format!("{property}: the database differs: {d:?}")),
            Err(e) => failures.push(format!("{property}: diff failed: {e}")),
        },
        Err(e) => failures.push(format!("{property}: {e}")),
    }
}

/// Inserts the case's rows (foreign keys on) and takes the `before` snapshot.
async fn fill(sides: &Sides<'_>, path: &Path) -> Result<Snapshot, String> {
    let mut conn = open(path, true).await?;
    run_script(&mut conn, &sides.case.rows)
        .await
        .map_err(|e| format!("rows.sql: {e}"))?;
    let snapshot = sides.projection.snapshot(&mut conn, Side::Before).await;
    close(conn).await?;
    snapshot
}

/// Property 4 on the database file `path`, on `side`, and the case's assertions.
async fn same_rows(
    sides: &Sides<'_>,
    path: &Path,
    side: Side,
    expected: &Snapshot,
    property: &str,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let mut conn = open(path, false).await?;
    let found = sides.projection.snapshot(&mut conn, side).await?;
    for line in differences(expected, &found) {
        failures.push(format!("{property}: {line}"));
    }
    let assertions = match side {
        Side::After => &sides.case.assert_after,
        Side::Before => &sides.case.assert_downgraded,
    };
    if let Some(script) = assertions
        && let Err(e) = assert_true(&mut conn, script).await
    {
        failures.push(format!("{property}: {e}"));
    }
    close(conn).await
}

/// The properties through the runner: upgrade to head, downgrade to `r1`.
async fn online(
    sides: &Sides<'_>,
    revisions: &Revisions,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let path = revisions.database("online");
    revisions.migrate(&path, Direction::Upgrade, BEFORE).await?;
    let library = engine::drift_of_database(
        &path,
        &revisions.before_only,
        &sides.case.after,
        &sides.renames,
    )
    .await;
    same_sql(
        sides,
        library,
        "drift_of_database (the database at r1)",
        failures,
    );
    same_schema(
        &path,
        &sides.before,
        "introspection of before.sql",
        failures,
    )
    .await;
    let rows = fill(sides, &path).await?;
    let upgraded = revisions.migrate(&path, Direction::Upgrade, "head").await;
    if let Some(expected) = &sides.case.upgrade_fails {
        return refused(sides, &path, upgraded, expected, &rows, "1", failures).await;
    }
    if let Err(e) = upgraded {
        failures.push(format!("1: the upgrade failed: {e}"));
        return Ok(());
    }
    same_schema(&path, &sides.after, "1", failures).await;
    match engine::drift_of_database(
        &path,
        &revisions.history,
        &sides.case.after,
        &Renames::none(),
    )
    .await
    {
        Ok(drift) if drift.is_empty() => {}
        Ok(drift) => failures.push(format!("1 (check at head): drift {:?}", drift.describe())),
        Err(e) => failures.push(format!("1 (check at head): {e}")),
    }
    same_rows(
        sides,
        &path,
        Side::After,
        &rows,
        "4 (after the upgrade)",
        failures,
    )
    .await?;
    if let Err(e) = revisions.migrate(&path, Direction::Downgrade, BEFORE).await {
        failures.push(format!("2: the downgrade failed: {e}"));
        return Ok(());
    }
    same_schema(&path, &sides.before, "2", failures).await;
    match revisions.migrate(&path, Direction::Upgrade, "head").await {
        Ok(()) => same_schema(&path, &sides.after, "1 (upgraded again)", failures).await,
        Err(e) => failures.push(format!("1 (upgraded again after the downgrade): {e}")),
    }
    revisions
        .migrate(&path, Direction::Downgrade, BEFORE)
        .await?;
    same_rows(
        sides,
        &path,
        Side::Before,
        &rows,
        "4 (after the downgrade)",
        failures,
    )
    .await
}

/// Property 1 and 4 through `upgrade --sql`: the offline scripts run on a
/// fresh file with foreign keys off, as an offline user must.
async fn offline(
    sides: &Sides<'_>,
    revisions: &Revisions,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let path = revisions.database("offline");
    let setup = revisions.offline_upgrade(&[], BEFORE)?;
    let script = revisions.offline_upgrade(&[BEFORE], "head")?;
    {
        let mut conn = open(&path, false).await?;
        run_script(&mut conn, &setup).await?;
        close(conn).await?;
    }
    let rows = fill(sides, &path).await?;
    let mut conn = open(&path, false).await?;
    let upgraded = run_script(&mut conn, &script).await;
    close(conn).await?;
    if let Some(expected) = &sides.case.upgrade_fails {
        let property = "1 (offline --sql script)";
        return refused(sides, &path, upgraded, expected, &rows, property, failures).await;
    }
    if let Err(e) = upgraded {
        failures.push(format!("1 (offline --sql script): it failed: {e}"));
        return Ok(());
    }
    same_schema(&path, &sides.after, "1 (offline --sql script)", failures).await;
    same_rows(
        sides,
        &path,
        Side::After,
        &rows,
        "4 (offline --sql script)",
        failures,
    )
    .await
}

/// An upgrade the case expects to fail: it failed with `expected` in its
/// message, and the database is as it was (schema and rows).
async fn refused(
    sides: &Sides<'_>,
    path: &Path,
    upgraded: Result<(), String>,
    expected: &str,
    rows: &Snapshot,
    property: &str,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    match upgraded {
        Ok(()) => failures.push(format!(
            "{property}: the upgrade ran; expected it to fail with {expected:?}"
        )),
        Err(e) if !e.contains(expected) => failures.push(format!(
            "{property}: the upgrade failed with {e:?}, expected {expected:?}"
        )),
        Err(_) => {}
    }
    let property = format!("{property} (refused upgrade leaves the database as it was)");
    same_schema(path, &sides.before, &property, failures).await;
    same_rows(sides, path, Side::Before, rows, &property, failures).await
}

/// The objects named `_aludel*` in the database file `path`.
async fn leftovers(path: &Path) -> Result<Vec<String>, String> {
    let mut conn = open(path, false).await?;
    let names = aludel::sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE name LIKE '\\_aludel%' ESCAPE '\\'",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|e| e.to_string());
    close(conn).await?;
    names
}
