//! An application that gives up on a run (`tokio::time::timeout` around
//! `upgrade_pool`, the future dropped mid-migration) must get its pool back
//! usable: no migration lock left held by a pooled connection, no open
//! transaction, its own session settings, and the next run completes (run
//! with `ALUDEL_TEST_POSTGRES_URL` set and the `postgres` feature).

#![cfg(feature = "postgres")]

use std::str::FromStr;
use std::time::Duration;

use aludel::Migrations;
use aludel::driver::LockMode;
use aludel::sqlx::pool::PoolOptions;
use aludel::sqlx::postgres::{PgConnectOptions, Postgres};
use aludel::sqlx::{self, Pool};
use aludel_testkit::{Engine, TestDb, engines};

static SESSION: Migrations = aludel::embed_migrations!("tests/fixtures/review_pg_sleep", postgres)
    .with_lock_timeout(Duration::from_secs(10));
static TRANSACTION: Migrations =
    aludel::embed_migrations!("tests/fixtures/review_pg_sleep", postgres)
        .with_lock_timeout(Duration::from_secs(10))
        .with_lock_mode(LockMode::Transaction);
static TABLE: Migrations = aludel::embed_migrations!("tests/fixtures/review_pg_sleep", postgres)
    .with_lock_timeout(Duration::from_secs(10))
    .with_lock_mode(LockMode::Table);

/// The pool's one connection: its lock timeout, advisory locks held, and
/// whether it is in a transaction that has done anything.
async fn state(pool: &Pool<Postgres>) -> String {
    let row: (String, i64, Option<String>) = sqlx::query_as(
        "SELECT current_setting('lock_timeout'), \
         (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()), \
         txid_current_if_assigned()::text",
    )
    .fetch_one(pool)
    .await
    .expect("the pool answers");
    format!("lock_timeout={},advisory={},txid={:?}", row.0, row.1, row.2)
}

#[tokio::test]
async fn a_run_given_up_half_way_leaves_the_pool_usable() {
    if !engines().contains(&Engine::Postgres) {
        return;
    }
    for (mode, migrations) in [
        ("session", &SESSION),
        ("transaction", &TRANSACTION),
        ("table", &TABLE),
    ] {
        let db = TestDb::scratch(Engine::Postgres);
        let options = PgConnectOptions::from_str(&db.url)
            .unwrap()
            .options([("lock_timeout", "1234")]);
        let pool: Pool<Postgres> = PoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        let before = state(&pool).await;
        let gave_up = tokio::time::timeout(
            Duration::from_secs(1),
            migrations.upgrade_pool(&pool, "head"),
        )
        .await;
        assert!(gave_up.is_err(), "{mode}: the run should still be going");
        assert_eq!(state(&pool).await, before, "{mode}: the pool's connection");
        let run = tokio::time::timeout(
            Duration::from_secs(20),
            migrations.upgrade_pool(&pool, "head"),
        )
        .await
        .unwrap_or_else(|_| panic!("{mode}: the second run hung"))
        .unwrap_or_else(|e| panic!("{mode}: {e}"));
        assert_eq!(run.applied, ["s1"], "{mode}");
        assert_eq!(db.versions(), ["s1"], "{mode}");
        assert_eq!(state(&pool).await, before, "{mode}: after the second run");
    }
}

#[cfg(feature = "mysql")]
mod mysql {
    use std::str::FromStr;
    use std::time::Duration;

    use aludel::Migrations;
    use aludel::driver::LockMode;
    use aludel::sqlx::mysql::{MySql, MySqlConnectOptions};
    use aludel::sqlx::pool::PoolOptions;
    use aludel::sqlx::{self, Pool};
    use aludel_testkit::{Engine, TestDb, engines};

    static SESSION: Migrations = aludel::embed_migrations!("tests/fixtures/review_my_sleep", mysql)
        .with_lock_timeout(Duration::from_secs(10));
    static NONE: Migrations = aludel::embed_migrations!("tests/fixtures/review_my_sleep", mysql)
        .with_lock_timeout(Duration::from_secs(10))
        .with_lock_mode(LockMode::None);

    /// The pool's one connection: autocommit, lock wait, whether it holds a
    /// user lock or an open transaction.
    async fn state(pool: &Pool<MySql>) -> String {
        let row: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT CAST(@@SESSION.autocommit AS SIGNED), \
             CAST(@@SESSION.lock_wait_timeout AS SIGNED), \
             CAST(COALESCE(IS_USED_LOCK(CONCAT('aludel:', DATABASE(), '.alembic_version')) = CONNECTION_ID(), 0) AS SIGNED), \
             CAST(@@SESSION.in_transaction AS SIGNED)",
        )
        .fetch_one(pool)
        .await
        .expect("the pool answers");
        format!(
            "autocommit={},lock_wait_timeout={},locked={},in_transaction={}",
            row.0, row.1, row.2, row.3
        )
    }

    #[tokio::test]
    async fn a_run_given_up_half_way_leaves_the_pool_usable() {
        if !engines().contains(&Engine::MySql) {
            return;
        }
        for (mode, migrations) in [("session", &SESSION), ("none", &NONE)] {
            let db = TestDb::scratch(Engine::MySql);
            let pool: Pool<MySql> = PoolOptions::new()
                .max_connections(1)
                .connect_with(MySqlConnectOptions::from_str(&db.url).unwrap())
                .await
                .unwrap();
            let before = state(&pool).await;
            let gave_up = tokio::time::timeout(
                Duration::from_secs(1),
                migrations.upgrade_pool(&pool, "head"),
            )
            .await;
            assert!(gave_up.is_err(), "{mode}: the run should still be going");
            let after = state(&pool).await;
            // Closed before asserting: a connection left in a transaction
            // would keep the scratch database from being dropped.
            pool.close().await;
            assert_eq!(after, before, "{mode}: the pool's connection");
        }
    }
}
