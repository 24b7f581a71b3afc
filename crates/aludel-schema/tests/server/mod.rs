//! Reading a real server's catalog into the model: the reader's catalog
//! queries run on a scratch database through `aludel-testkit`, each once,
//! and their rows go to the reader.

#![allow(dead_code)]

use aludel_schema::catalog::Read;
use aludel_schema::postgres;
use aludel_testkit::{Engine, TestDb, engines};

/// A fresh PostgreSQL database, or `None` (and the test is skipped) when no
/// server is configured.
pub fn postgres_db() -> Option<TestDb> {
    engines()
        .contains(&Engine::Postgres)
        .then(|| TestDb::scratch(Engine::Postgres))
}

/// A fresh PostgreSQL database holding `ddl`.
pub fn postgres_with(ddl: &str) -> Option<TestDb> {
    let db = postgres_db()?;
    db.execute(ddl);
    Some(db)
}

/// The server's `server_version_num`.
pub fn server_version(db: &TestDb) -> u32 {
    let version = db.column("SHOW server_version_num");
    version
        .first()
        .and_then(|v| v.parse().ok())
        .expect("server_version_num is a number")
}

/// Runs every catalog query once and reads the rows; also gives how many
/// queries ran.
pub fn read_counted(db: &TestDb) -> (Read, usize) {
    read_as_version(db, server_version(db))
}

/// Like [`read_counted`], with the queries for the given server version
/// (to run an older server's queries on a newer one).
pub fn read_as_version(db: &TestDb, server_version_num: u32) -> (Read, usize) {
    let queries = postgres::catalog_queries(server_version_num);
    let results: Vec<_> = queries.iter().map(|sql| db.query(sql)).collect();
    let read = postgres::read_catalog(&results).unwrap_or_else(|e| panic!("reading: {e}"));
    (read, results.len())
}

/// The database read into the model.
pub fn read(db: &TestDb) -> Read {
    read_counted(db).0
}
