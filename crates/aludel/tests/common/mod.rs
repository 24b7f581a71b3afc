//! What the library's integration tests share: a scratch folder with a
//! versions folder and a SQLite URL, revision files, runs, and reads through a
//! one-connection pool.

#![allow(dead_code)]

use aludel::driver::SessionSettings;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aludel::driver::{self, DbConnection};
use aludel::history::History;
use aludel::runner::{self, Direction, RunOptions};
use aludel::sqlx::sqlite::SqlitePoolOptions;
use aludel::sqlx::{self, SqlitePool};
use aludel::{DatabaseUrl, Error};
pub use aludel_testkit::{Engine, TestDb};

/// The engines with a driver ([`aludel_testkit::driver_engines`]) whose
/// cargo feature this test build has (`cargo test -p aludel` builds only
/// SQLite; `--workspace` or `--features postgres` adds PostgreSQL).
pub fn engines() -> Vec<Engine> {
    let compiled = |e: &Engine| match e {
        Engine::Sqlite => true,
        Engine::Postgres => cfg!(feature = "postgres"),
        Engine::MySql => cfg!(feature = "mysql"),
    };
    let (kept, left_out): (Vec<Engine>, Vec<Engine>) = aludel_testkit::driver_engines()
        .into_iter()
        .partition(compiled);
    for engine in left_out {
        eprintln!(
            "note: {} cases skipped: this test build leaves out the `{}` feature",
            engine.name(),
            engine.name()
        );
    }
    kept
}

pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub versions: PathBuf,
    pub url: String,
}

/// A scratch folder with a versions folder, and a fresh database on
/// `engine` (its URL in `Scratch::url`), dropped with the returned `TestDb`.
pub fn scratch_on(engine: Engine) -> (Scratch, TestDb) {
    let mut s = scratch();
    let db = TestDb::new(engine, s.dir.path());
    s.url = db.url.clone();
    (s, db)
}

/// What the engine says about a table that does not exist.
pub fn no_such_table(engine: Engine, name: &str) -> String {
    match engine {
        Engine::Sqlite => format!("no such table: {name}"),
        Engine::Postgres => format!("{name}\" does not exist"),
        Engine::MySql => format!("{name}' doesn't exist"),
    }
}

/// The tables of the database's default schema, sorted.
pub fn tables(db: &TestDb) -> Vec<String> {
    let sql = match db.engine {
        Engine::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        Engine::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() ORDER BY 1"
        }
        Engine::MySql => {
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = DATABASE() ORDER BY 1"
        }
    };
    db.column(sql)
}

pub fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let versions = dir.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    Scratch { dir, versions, url }
}

/// A connection aludel opens for `url`, creating the file.
pub async fn open(url: &str) -> driver::AnyDb<'static> {
    driver::connect(&DatabaseUrl::parse(url).unwrap(), true)
        .await
        .unwrap()
        .unwrap()
}

pub fn write_file(dir: &Path, id: &str, parent: &str, section: &str, up: &str) {
    let text = format!(
        "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\n{section}\n{up}\n\n-- migrate:downgrade\nSELECT 1;\n"
    );
    std::fs::write(dir.join(format!("{id}.sql")), text).unwrap();
}

/// A revision file with an upgrade and a downgrade section.
pub fn write_rev(dir: &Path, id: &str, parent: &str, up: &str, down: &str) {
    let text = format!(
        "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\n-- migrate:upgrade\n{up}\n\n-- migrate:downgrade\n{down}\n"
    );
    std::fs::write(dir.join(format!("{id}.sql")), text).unwrap();
}

pub async fn run(
    url: &str,
    history: &History,
    target: &str,
    per_migration: bool,
    lock_timeout: Duration,
    log: &mut (dyn FnMut(&str) + Send),
) -> Result<runner::RunSummary, Error> {
    let mut db = driver::connect(&DatabaseUrl::parse(url).unwrap(), true)
        .await
        .unwrap()
        .unwrap();
    let result = runner::migrate(
        &mut db,
        history,
        Direction::Upgrade,
        target,
        RunOptions {
            session: SessionSettings {
                lock_timeout,
                ..SessionSettings::default()
            },
            transaction_per_migration: per_migration,
            on_step: log,
            accept_edited: false,
        },
    )
    .await;
    db.close().await;
    result
}

/// Opens a transaction holding the write lock, which no one else holds.
pub async fn begin<C: DbConnection>(db: &mut C) {
    let attempt = db.try_begin(Duration::from_secs(5)).await.unwrap();
    assert!(
        matches!(attempt, driver::Attempt::Acquired(())),
        "{attempt:?}"
    );
}

pub async fn one_connection_pool(url: &str) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("{url}?mode=rwc"))
        .await
        .unwrap()
}

pub async fn children(pool: &SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM child ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

pub async fn foreign_keys(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap()
}

pub fn one_revision(s: &Scratch) -> History {
    write_file(
        &s.versions,
        "r1",
        "",
        "-- migrate:upgrade",
        "CREATE TABLE t (x INTEGER);",
    );
    History::load(std::slice::from_ref(&s.versions)).unwrap()
}
