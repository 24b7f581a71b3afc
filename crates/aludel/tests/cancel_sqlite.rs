//! An application that gives up on a run on SQLite (`tokio::time::timeout`
//! around `upgrade_pool`, the future dropped mid-migration) gets its pool
//! back usable: no open transaction of aludel's, its own foreign-key
//! setting, and the next run completes (as `review_cancel.rs` checks on the
//! servers).

use std::str::FromStr;
use std::time::Duration;

use aludel::Migrations;
use aludel::sqlx::sqlite::{Sqlite, SqliteConnectOptions, SqlitePoolOptions};
use aludel::sqlx::{self, Pool};

static SLOW: Migrations = aludel::embed_migrations!("tests/fixtures/review_sqlite_slow", sqlite)
    .with_lock_timeout(Duration::from_secs(90));

/// The pool's one connection: its foreign-key setting, and whether a
/// transaction is open on it (a `BEGIN` inside one fails).
async fn state(pool: &Pool<Sqlite>) -> String {
    let mut conn = pool.acquire().await.expect("the pool answers");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .expect("foreign_keys");
    let free = sqlx::raw_sql("BEGIN; ROLLBACK")
        .execute(&mut *conn)
        .await
        .is_ok();
    format!("foreign_keys={fk},no_transaction_open={free}")
}

#[tokio::test]
async fn a_run_given_up_half_way_leaves_the_pool_usable() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let options = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true);
    let pool: Pool<Sqlite> = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    let before = state(&pool).await;
    assert_eq!(before, "foreign_keys=1,no_transaction_open=true");
    let gave_up =
        tokio::time::timeout(Duration::from_millis(300), SLOW.upgrade_pool(&pool, "head")).await;
    assert!(gave_up.is_err(), "the run should still be going");
    assert_eq!(state(&pool).await, before, "the pool's connection");
    let run = tokio::time::timeout(Duration::from_secs(120), SLOW.upgrade_pool(&pool, "head"))
        .await
        .expect("the second run finishes")
        .expect("the second run succeeds");
    assert_eq!(run.applied, ["s1"]);
    assert_eq!(state(&pool).await, before, "after the second run");
}
