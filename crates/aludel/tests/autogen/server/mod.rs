//! The corpus properties on a server (PostgreSQL, MySQL/MariaDB), run
//! through the library as a user runs it: the case's `before.sql` is the
//! first revision, applied by the runner to a fresh database; the library
//! compares that database with `after.sql` (its desired side loaded into a
//! scratch database on the same server, [`Comparison::with_database`]); the
//! migration is written as revision files (its non-transactional part as a
//! `transaction:false` revision after it, as the CLI writes it) and applied
//! and undone by the runner. The properties of `autogen::check`:
//! 1. after the upgrade, the library finds no drift from `after.sql`;
//! 2. after the downgrade, none from `before.sql`;
//! 3. each side diffed with itself is empty, and the runner-built `before`
//!    database does not differ from `before.sql` loaded by the library;
//! 4. the rows of `rows.sql` survive the upgrade and the downgrade.

pub mod db;

use aludel::autogen::{Comparison, Renames, RenderOptions, SchemaSource};
use aludel::driver::SessionSettings;
use aludel::history::History;
use aludel::runner::Direction;
use aludel_schema::Schema;
use aludel_schema::render::Migration;

use super::case::Case;
use super::check::Outcome;
use super::engine;
use super::history::{BEFORE, Revisions, Step};
use super::rows::{Projection, Side, differences};
use db::{CaseDb, Server};

/// The library's comparison of the database at the heads of `history` with
/// the schema `text` declares.
async fn compare(
    db: &CaseDb,
    history: &History,
    origin: &str,
    text: &str,
) -> Result<Comparison, String> {
    let source = SchemaSource {
        origin: origin.to_string(),
        text: text.to_string(),
    };
    Comparison::with_database(&db.url, history, &[source], &SessionSettings::default())
        .await
        .map_err(|e| format!("comparing with {origin}: {e}"))
}

/// The migration a user generates from `comparison` (`--concurrently` when
/// the case asks for it).
fn generate(case: &Case, comparison: &Comparison, renames: &Renames) -> Result<Migration, String> {
    let options = RenderOptions {
        concurrently: case.concurrently,
    };
    comparison
        .drift_with(renames, &options)
        .map(|d| d.migration)
        .map_err(|e| e.to_string())
}

/// The revisions after `r1`: the reviewed SQL as one revision, else the
/// migration's transactional part and its non-transactional part.
fn steps(case: &Case, migration: &Migration) -> Vec<Step> {
    if case.reviewed_upgrade.is_some() || case.reviewed_downgrade.is_some() {
        let upgrade = case.reviewed_upgrade.clone();
        let downgrade = case.reviewed_downgrade.clone();
        return vec![Step {
            upgrade: upgrade.unwrap_or_else(|| migration.upgrade_sql()),
            downgrade: downgrade.unwrap_or_else(|| migration.downgrade_sql()),
            transactional: true,
        }];
    }
    let (now, later) = migration.split_transactional();
    let mut steps = vec![Step {
        upgrade: now.upgrade_sql(),
        downgrade: now.downgrade_sql(),
        transactional: true,
    }];
    if let Some(later) = later {
        steps.push(Step {
            upgrade: later.upgrade_sql(),
            downgrade: later.downgrade_sql(),
            transactional: false,
        });
    }
    steps
}

/// Pushes a failure for each difference between `schema` and itself.
fn self_diff(schema: &Schema, label: &str, failures: &mut Vec<String>) {
    match engine::differences(schema, schema) {
        Ok(found) if found.is_empty() => {}
        Ok(found) => failures.push(format!("3: diff({label}, {label}) is not empty: {found:?}")),
        Err(e) => failures.push(format!("3: diff({label}, {label}) failed: {e}")),
    }
}

/// Whether the database (at the heads of `history`) has no drift from `text`.
async fn no_drift(
    db: &CaseDb,
    history: &History,
    text: &str,
    property: &str,
    failures: &mut Vec<String>,
) {
    match compare(db, history, property, text).await {
        Ok(c) => match c.drift(&Renames::none()) {
            Ok(d) if d.is_empty() => {}
            Ok(d) => failures.push(format!(
                "{property}: the database differs: {:?}",
                d.describe()
            )),
            Err(e) => failures.push(format!("{property}: {e}")),
        },
        Err(e) => failures.push(format!("{property}: {e}")),
    }
}

/// Whether the case applies to the server `db` runs on (`servers.txt`).
pub async fn applies(case: &Case, db: &CaseDb) -> Result<bool, String> {
    if case.servers.is_empty() {
        return Ok(true);
    }
    let version = db.version().await?;
    let kind = if version.to_lowercase().contains("mariadb") {
        "mariadb"
    } else {
        "mysql"
    };
    Ok(case.servers.iter().any(|s| s.eq_ignore_ascii_case(kind)))
}

/// Generates the case's migration on `server` and checks every property;
/// `Ok(None)` when the case does not apply to this server; `Err` when the
/// migration cannot be generated at all.
pub async fn check(server: Server, case: &Case) -> Result<Option<Outcome>, String> {
    let db = CaseDb::new(server)?;
    if !applies(case, &db).await? {
        return Ok(None);
    }
    let renames = engine::renames(&case.renames)?;
    let setup = Revisions::write(&case.before, "SELECT 1;", "SELECT 1;")?;
    setup
        .migrate_url(&db.url, Direction::Upgrade, BEFORE)
        .await
        .map_err(|e| format!("before.sql through the runner: {e}"))?;
    let before_side = compare(&db, &setup.before_only, "before.sql", &case.before).await?;
    let comparison = compare(&db, &setup.before_only, "after.sql", &case.after).await?;
    let migration = generate(case, &comparison, &renames)?;
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
    let again = compare(&db, &setup.before_only, "after.sql", &case.after).await?;
    let second = generate(case, &again, &renames)?;
    if second.upgrade_sql() != outcome.upgrade || second.downgrade_sql() != outcome.downgrade {
        failures.push("determinism: a second generation gave different SQL".to_string());
    }
    match before_side.drift(&Renames::none()) {
        Ok(d) if d.is_empty() => {}
        Ok(d) => failures.push(format!(
            "3: the database built by before.sql differs from before.sql loaded: {:?}",
            d.describe()
        )),
        Err(e) => failures.push(format!("3: {e}")),
    }
    self_diff(&comparison.current, "before", failures);
    self_diff(&comparison.desired, "after", failures);
    let revisions = Revisions::write_steps(&case.before, &steps(case, &migration))?;
    let projection = Projection::new(&comparison.current, &comparison.desired, &case.renames);
    db.execute(&case.rows)
        .await
        .map_err(|e| format!("rows.sql: {e}"))?;
    let rows = db.snapshot(&projection, Side::Before).await?;
    let upgraded = revisions
        .migrate_url(&db.url, Direction::Upgrade, "head")
        .await;
    if let Some(expected) = &case.upgrade_fails {
        match upgraded {
            Ok(()) => failures.push(format!(
                "1: the upgrade ran; expected it to fail with {expected:?}"
            )),
            Err(e) if !e.contains(expected.as_str()) => failures.push(format!(
                "1: the upgrade failed with {e:?}, expected {expected:?}"
            )),
            Err(_) => {}
        }
        let property = "1 (refused upgrade leaves the database as it was)";
        no_drift(
            &db,
            &revisions.before_only,
            &case.before,
            property,
            failures,
        )
        .await;
        let found = db.snapshot(&projection, Side::Before).await?;
        for line in differences(&rows, &found) {
            failures.push(format!("{property}: {line}"));
        }
        return Ok(Some(outcome));
    }
    if let Err(e) = upgraded {
        failures.push(format!("1: the upgrade failed: {e}"));
        return Ok(Some(outcome));
    }
    no_drift(&db, &revisions.history, &case.after, "1", failures).await;
    same_rows(&db, case, &projection, Side::After, &rows, failures).await?;
    if let Err(e) = revisions
        .migrate_url(&db.url, Direction::Downgrade, BEFORE)
        .await
    {
        failures.push(format!("2: the downgrade failed: {e}"));
        return Ok(Some(outcome));
    }
    no_drift(&db, &revisions.before_only, &case.before, "2", failures).await;
    same_rows(&db, case, &projection, Side::Before, &rows, failures).await?;
    match revisions
        .migrate_url(&db.url, Direction::Upgrade, "head")
        .await
    {
        Ok(()) => {
            no_drift(
                &db,
                &revisions.history,
                &case.after,
                "1 (upgraded again)",
                failures,
            )
            .await
        }
        Err(e) => failures.push(format!("1 (upgraded again after the downgrade): {e}")),
    }
    Ok(Some(outcome))
}

/// Property 4 on `side`, and the case's assertions for that side.
async fn same_rows(
    db: &CaseDb,
    case: &Case,
    projection: &Projection,
    side: Side,
    expected: &super::rows::Snapshot,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let (property, assertions) = match side {
        Side::After => ("4 (after the upgrade)", &case.assert_after),
        Side::Before => ("4 (after the downgrade)", &case.assert_downgraded),
    };
    let found = db.snapshot(projection, side).await?;
    for line in differences(expected, &found) {
        failures.push(format!("{property}: {line}"));
    }
    if let Some(script) = assertions
        && let Err(e) = db.assert_true(script).await
    {
        failures.push(format!("{property}: {e}"));
    }
    Ok(())
}

/// Runs the case `name` of the corpus `folder` on `server` and asserts its
/// properties (or, with `known_bug.txt`, that it still fails); returns the
/// text its insta snapshot holds (the detected changes, the upgrade and the
/// downgrade), `None` when the case does not apply to this server.
pub async fn run_case(folder: &str, server: Server, name: &str) -> Option<String> {
    let case = Case::load_in(folder, name);
    let outcome = check(server, &case)
        .await
        .unwrap_or_else(|e| panic!("case {name}: {e}"))?;
    if let Some(bug) = &case.known_bug {
        assert!(
            !outcome.failures.is_empty(),
            "case {name} passes: if its known bug is fixed, remove known_bug.txt ({bug})"
        );
        eprintln!(
            "case {name}: known bug ({}): {:?}",
            bug.trim(),
            outcome.failures
        );
    } else {
        outcome.assert_holds(name);
    }
    Some(format!(
        "-- detected\n{}\n-- upgrade\n{}\n-- downgrade\n{}",
        outcome.describe.join("\n"),
        outcome.upgrade,
        outcome.downgrade
    ))
}

/// Whether the corpus runs on `server`: its URL is set (else the case is
/// skipped with a note, or fails under `ALUDEL_TEST_REQUIRE_SERVERS=1`).
pub fn enabled(server: Server) -> bool {
    aludel_testkit::engines().contains(&server.engine())
}
