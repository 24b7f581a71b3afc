//! MySQL/MariaDB connections an application owns: a run on a pooled or a
//! borrowed connection releases the migration lock and gives the
//! connection back with its own settings (run with `ALUDEL_TEST_MYSQL_URL`
//! set and the `mysql` feature).

#![cfg(feature = "mysql")]

use std::time::Duration;

use aludel::driver::{DbConnection, LockMode, MySqlDb, SessionSettings};
use aludel::history::History;
use aludel::runner::{self, Direction, RunOptions};
use aludel::sqlx::mysql::{MySqlConnection, MySqlPoolOptions};
use aludel::sqlx::{self, Connection};
use aludel_testkit::{Engine, TestDb, engines};

fn history(dir: &std::path::Path) -> History {
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).unwrap();
    std::fs::write(
        versions.join("r1.sql"),
        "-- r1\n--\n-- Revision ID: r1\n-- Revises: \n\n-- migrate:upgrade\n\
         CREATE TABLE t (x INT);\nINSERT INTO t VALUES (1);\n\n-- migrate:downgrade\nDROP TABLE t;\n",
    )
    .unwrap();
    History::load(&[versions]).unwrap()
}

fn options(log: &mut (dyn FnMut(&str) + Send)) -> RunOptions<'_> {
    RunOptions {
        session: SessionSettings {
            lock_timeout: Duration::from_secs(7),
            ..SessionSettings::default()
        },
        transaction_per_migration: true,
        on_step: log,
        accept_edited: false,
    }
}

/// `autocommit, lock_wait_timeout, innodb_lock_wait_timeout` of the session.
async fn settings(conn: &mut MySqlConnection) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT CAST(@@SESSION.autocommit AS SIGNED), CAST(@@SESSION.lock_wait_timeout AS SIGNED), \
         CAST(@@SESSION.innodb_lock_wait_timeout AS SIGNED)",
    )
    .fetch_one(conn)
    .await
    .unwrap()
}

async fn lock_holder(conn: &mut MySqlConnection, db: &TestDb) -> Option<i64> {
    sqlx::query_scalar(aludel::sqlx::AssertSqlSafe(format!(
        "SELECT CAST(IS_USED_LOCK('aludel:{}.alembic_version') AS SIGNED)",
        db.name
    )))
    .fetch_one(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_borrowed_connection_comes_back_as_it_was() {
    if !engines().contains(&Engine::MySql) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(Engine::MySql, dir.path());
    let history = history(dir.path());
    let mut conn = MySqlConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(
        "SET SESSION autocommit = 0, lock_wait_timeout = 123, innodb_lock_wait_timeout = 45",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let mut log = |_: &str| {};
    let mut borrowed = MySqlDb::from_connection(&mut conn);
    let summary = runner::migrate(
        &mut borrowed,
        &history,
        Direction::Upgrade,
        "head",
        options(&mut log),
    )
    .await
    .unwrap();
    assert_eq!(summary.applied, ["r1"]);
    assert_eq!(settings(&mut conn).await, (0, 123, 45));
    assert_eq!(
        lock_holder(&mut conn, &db).await,
        None,
        "the lock is released"
    );
    assert_eq!(db.versions(), ["r1"]);
    assert_eq!(db.column("SELECT COUNT(*) FROM t"), ["1"]);
}

#[tokio::test]
async fn a_pooled_connection_goes_back_restored_and_unlocked() {
    if !engines().contains(&Engine::MySql) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(Engine::MySql, dir.path());
    let history = history(dir.path());
    let pool = MySqlPoolOptions::new()
        .max_connections(1)
        .connect(&db.url)
        .await
        .unwrap();
    let before = settings(&mut pool.acquire().await.unwrap()).await;
    let mut log = |_: &str| {};
    let mut pooled = MySqlDb::from_pool_connection(pool.acquire().await.unwrap());
    runner::migrate(
        &mut pooled,
        &history,
        Direction::Upgrade,
        "head",
        options(&mut log),
    )
    .await
    .unwrap();
    pooled.close().await;
    let mut again = pool.acquire().await.unwrap();
    assert_eq!(settings(&mut again).await, before);
    assert_eq!(lock_holder(&mut again, &db).await, None);
    assert_eq!(db.versions(), ["r1"]);
}

#[tokio::test]
async fn postgres_lock_modes_are_refused_before_anything_runs() {
    if !engines().contains(&Engine::MySql) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(Engine::MySql, dir.path());
    let history = history(dir.path());
    let mut conn = MySqlConnection::connect(&db.url).await.unwrap();
    let mut borrowed = MySqlDb::from_connection(&mut conn);
    for mode in [LockMode::Transaction, LockMode::Table] {
        let mut log = |_: &str| {};
        let mut opts = options(&mut log);
        opts.session.lock_mode = mode;
        let err = runner::migrate(&mut borrowed, &history, Direction::Upgrade, "head", opts)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("is for PostgreSQL"), "{err}");
    }
    assert!(
        !borrowed
            .table_exists(&aludel::dialect::VersionTable::new("alembic_version"))
            .await
            .unwrap()
    );
}
