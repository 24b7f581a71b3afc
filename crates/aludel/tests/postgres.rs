//! PostgreSQL connections aludel does not own: an application's pooled or
//! borrowed connection comes back as it went, and one that may still hold
//! the session's migration lock is closed instead of going back to its pool.
//! Runs when `ALUDEL_TEST_POSTGRES_URL` names a server and the `postgres`
//! feature is on.
#![cfg(feature = "postgres")]

mod common;

use std::time::{Duration, Instant};

use aludel::driver::{Attempt, DbConnection, PgDb, SessionSettings, advisory_lock_key};
use aludel::runner::{self, Direction, RunOptions};
use aludel::sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use aludel::sqlx::{self, Connection};
use common::{Engine, TestDb, engines, one_revision, scratch};

/// A fresh PostgreSQL database, if a server is configured.
fn pg_db() -> Option<TestDb> {
    engines()
        .contains(&Engine::Postgres)
        .then(|| TestDb::scratch(Engine::Postgres))
}

async fn backend_pid(pool: &PgPool) -> i32 {
    sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Whether another connection can take the migration lock of
/// `public.alembic_version` now (taking it and giving it back).
async fn lock_is_free(url: &str) -> bool {
    let key = advisory_lock_key("public", "alembic_version");
    let mut conn = PgConnection::connect(url).await.unwrap();
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(key)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    if free {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(key)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.unwrap();
    free
}

async fn one_connection_pool(url: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_pooled_connection_still_holding_the_lock_is_closed_not_returned() {
    let Some(db) = pg_db() else { return };
    let pool = one_connection_pool(&db.url).await;
    let pid = backend_pid(&pool).await;
    let mut pg = PgDb::from_pool_connection(pool.acquire().await.unwrap());
    pg.start_session(&SessionSettings::default()).await.unwrap();
    let attempt = pg.try_lock_migrations().await.unwrap();
    assert!(matches!(attempt, Attempt::Acquired(_)), "{attempt:?}");
    assert!(
        !lock_is_free(&db.url).await,
        "the pooled connection holds it"
    );
    // As after a panic in the middle of a run: never released.
    drop(attempt);
    drop(pg);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !lock_is_free(&db.url).await {
        assert!(Instant::now() < deadline, "the lock went back to the pool");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_ne!(
        backend_pid(&pool).await,
        pid,
        "a new connection, not the old one"
    );
}

#[tokio::test]
async fn a_pooled_connection_comes_back_unlocked_and_open_after_a_run() {
    let Some(db) = pg_db() else { return };
    let s = scratch();
    let history = one_revision(&s);
    let pool = one_connection_pool(&db.url).await;
    let pid = backend_pid(&pool).await;
    let mut pg = PgDb::from_pool_connection(pool.acquire().await.unwrap());
    let mut log = |_: &str| {};
    let summary = runner::migrate(
        &mut pg,
        &history,
        Direction::Upgrade,
        "head",
        RunOptions {
            session: SessionSettings::default(),
            transaction_per_migration: true,
            on_step: &mut log,
            accept_edited: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(summary.applied, ["r1"]);
    drop(pg);
    assert_eq!(
        backend_pid(&pool).await,
        pid,
        "the same connection came back"
    );
    assert!(lock_is_free(&db.url).await);
    assert_eq!(db.versions(), ["r1"]);
}

#[tokio::test]
async fn a_borrowed_connection_keeps_its_session_and_loses_the_lock() {
    let Some(db) = pg_db() else { return };
    let s = scratch();
    let history = one_revision(&s);
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("SET statement_timeout = '12s'")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut log = |_: &str| {};
    let mut pg = PgDb::from_connection(&mut conn);
    runner::migrate(
        &mut pg,
        &history,
        Direction::Upgrade,
        "head",
        RunOptions {
            session: SessionSettings::default(),
            transaction_per_migration: false,
            on_step: &mut log,
            accept_edited: false,
        },
    )
    .await
    .unwrap();
    let timeouts: (String, String) = sqlx::query_as(
        "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(timeouts, ("12s".to_string(), "0".to_string()));
    assert!(lock_is_free(&db.url).await);
    assert_eq!(db.versions(), ["r1"]);
    conn.close().await.unwrap();
}
