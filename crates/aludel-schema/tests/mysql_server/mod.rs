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
