//! The MariaDB/MySQL server of the test environment: a scratch database,
//! scripts run statement by statement as the runner splits them, and the
//! catalog read by the library's queries.
#![allow(dead_code)]

use aludel_schema::catalog::Read;
use aludel_schema::mysql::{MySqlServer, catalog_queries, read_catalog};
use aludel_schema::{Migration, Schema};
use aludel_script::{Flavor, split_statements};
use aludel_testkit::{Engine, TestDb, engines};

/// A scratch database on the MySQL server, or `None` when the environment
/// names none (the testkit fails instead under `ALUDEL_TEST_REQUIRE_SERVERS=1`).
pub fn scratch() -> Option<TestDb> {
    engines()
        .contains(&Engine::MySql)
        .then(|| TestDb::scratch(Engine::MySql))
}

/// The server's kind and version.
pub fn server(db: &TestDb) -> MySqlServer {
    let version = db.column("SELECT VERSION()");
    MySqlServer::parse(version.first().map(String::as_str).unwrap_or_default())
}

/// Runs a script statement by statement, split in the MySQL flavour.
pub fn run(db: &TestDb, script: &str) {
    let statements = split_statements(script, 1, Flavor::MySql)
        .unwrap_or_else(|e| panic!("splitting the script: {e}\n{script}"));
    for statement in statements {
        db.execute(statement.text);
    }
}

/// The catalog read into a model, with the number of queries it took.
pub fn read_counted(db: &TestDb) -> (Read, usize) {
    let server = server(db);
    let queries = catalog_queries(&server);
    let results: Vec<_> = queries.iter().map(|q| db.query(q)).collect();
    let read = read_catalog(&server, &results).unwrap_or_else(|e| panic!("reading: {e}"));
    (read, queries.len())
}

/// The catalog read into a model.
pub fn read(db: &TestDb) -> Schema {
    read_counted(db).0.schema
}

/// The model of `ddl` loaded into a fresh scratch database.
pub fn load(ddl: &str) -> Schema {
    let db = TestDb::scratch(Engine::MySql);
    run(&db, ddl);
    read(&db)
}

/// Both scripts of a migration as text.
pub fn scripts(migration: &Migration) -> String {
    format!(
        "-- upgrade\n{}\n-- downgrade\n{}",
        migration.upgrade_sql(),
        migration.downgrade_sql()
    )
}

/// A migration checked on the server: `before` loaded (and `seed` run on
/// it), `after` loaded into another scratch database, the plan between
/// them rendered for this server; the upgrade run on the first database
/// must read as `after`, with nothing left to diff and the rows of `check`
/// kept; the downgrade must read as `before` again, rows still there.
pub fn roundtrip(
    before: &str,
    after: &str,
    seed: &str,
    renames: &[&str],
    check: &str,
) -> Option<Migration> {
    use aludel_schema::{MySqlRenderer, Renames, diff, plan};
    let current = scratch()?;
    let desired = scratch()?;
    run(&current, before);
    run(&current, seed);
    run(&desired, after);
    let server = server(&current);
    let (from, to) = (read(&current), read(&desired));
    let renames = Renames::parse_flags(renames.iter().copied()).expect("rename flags");
    let migration = plan(&from, &to, &renames, &MySqlRenderer { server }).expect("a plan");
    assert!(!migration.is_empty(), "no changes between the two schemas");
    let rows = |db: &TestDb| {
        if check.is_empty() {
            Vec::new()
        } else {
            db.query(check)
        }
    };
    let kept = rows(&current);
    run(&current, &migration.upgrade_sql());
    let upgraded = read(&current);
    assert_eq!(
        upgraded,
        to,
        "after the upgrade:\n{}",
        migration.upgrade_sql()
    );
    assert_eq!(
        diff(&upgraded, &to, &Renames::default()).expect("diff"),
        Vec::new(),
        "re-diff after the upgrade"
    );
    assert_eq!(rows(&current), kept, "rows after the upgrade");
    run(&current, &migration.downgrade_sql());
    let downgraded = read(&current);
    assert_eq!(
        downgraded,
        from,
        "after the downgrade:\n{}",
        migration.downgrade_sql()
    );
    assert_eq!(rows(&current), kept, "rows after the downgrade");
    Some(migration)
}
