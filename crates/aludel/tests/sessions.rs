//! How a run treats the connection it is given: every path (URL, pool,
//! connection) migrates with foreign keys off, also after a
//! `transaction:false` section, and gives borrowed connections back as they
//! came; non-transactional steps stay recorded, and one that leaves a
//! transaction open is named.

mod common;

use std::time::Duration;

use aludel::Error;
use aludel::driver::{SessionSettings, SqliteDb};
use aludel::history::History;
use aludel::runner::{self, Direction, RunOptions};
use aludel::sqlx::sqlite::SqliteConnection;
use aludel::sqlx::{self, Connection};
use common::{children, foreign_keys, one_connection_pool, run, scratch, write_file};

static REBUILD: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/rebuild");
static ATTACH: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/attach");

#[tokio::test]
async fn a_table_rebuild_through_a_pool_keeps_child_rows_and_restores_foreign_keys() {
    let s = scratch();
    // sqlx's default: foreign keys ON on every pooled connection.
    let pool = one_connection_pool(&s.url).await;
    assert_eq!(foreign_keys(&pool).await, 1);
    REBUILD.upgrade_pool(&pool, "p1").await.unwrap();
    assert_eq!(children(&pool).await, [10, 11, 20]);
    REBUILD.upgrade_pool(&pool, "p2").await.unwrap();
    assert_eq!(
        children(&pool).await,
        [10, 11, 20],
        "rebuilding the parent must not cascade"
    );
    assert_eq!(
        foreign_keys(&pool).await,
        1,
        "the pool connection is restored"
    );
    REBUILD.downgrade_pool(&pool, "p1").await.unwrap();
    assert_eq!(children(&pool).await, [10, 11, 20]);
    assert_eq!(foreign_keys(&pool).await, 1);
}

#[tokio::test]
async fn a_failed_run_through_a_pool_still_restores_the_connection() {
    let s = scratch();
    let pool = one_connection_pool(&s.url).await;
    sqlx::query("PRAGMA busy_timeout = 1234")
        .execute(&pool)
        .await
        .unwrap();
    let err = REBUILD.upgrade_pool(&pool, "nowhere").await.unwrap_err();
    assert!(matches!(err, Error::Graph(_)), "{err}");
    assert_eq!(foreign_keys(&pool).await, 1);
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(busy, 1234);
}

#[tokio::test]
async fn a_table_rebuild_through_an_application_connection_keeps_child_rows() {
    let s = scratch();
    let mut conn = SqliteConnection::connect(&format!("{}?mode=rwc", s.url))
        .await
        .unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    REBUILD.upgrade_connection(&mut conn, "head").await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM child ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(ids, [10, 11, 20]);
    assert_eq!(REBUILD.current_connection(&mut conn).await.unwrap(), ["p2"]);
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(fk, 1, "the application's connection is restored");
}

#[tokio::test]
async fn a_non_transactional_step_stays_recorded_when_a_later_step_fails_in_one_transaction() {
    let s = scratch();
    let up = "-- migrate:upgrade";
    let no_tx = "-- migrate:upgrade transaction:false";
    write_file(&s.versions, "r0", "", up, "CREATE TABLE t (x INTEGER);");
    write_file(&s.versions, "r1", "r0", no_tx, "CREATE INDEX i1 ON t (x);");
    write_file(
        &s.versions,
        "r2",
        "r1",
        up,
        "INSERT INTO missing VALUES (1);",
    );
    let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
    let timeout = Duration::from_secs(60);
    let err = run(&s.url, &history, "head", false, timeout, &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Statement(_)), "{err}");
    let pool = one_connection_pool(&s.url).await;
    let versions: Vec<String> = sqlx::query_scalar("SELECT version_num FROM alembic_version")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(versions, ["r1"], "r1's index exists, so r1 is recorded");
    let recorded: Vec<String> =
        sqlx::query_scalar("SELECT revision FROM aludel_history ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(recorded, ["r0", "r1"]);
    pool.close().await;
    write_file(&s.versions, "r2", "r1", up, "INSERT INTO t VALUES (1);");
    let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
    let summary = run(&s.url, &history, "head", false, timeout, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(summary.applied, ["r2"]);
    assert_eq!(summary.heads, ["r2"]);
}

#[tokio::test]
async fn a_statement_failure_through_a_pool_leaves_the_connection_restored_and_idle() {
    let s = scratch();
    let up = "-- migrate:upgrade";
    write_file(&s.versions, "r0", "", up, "CREATE TABLE t (x INTEGER);");
    write_file(
        &s.versions,
        "r1",
        "r0",
        up,
        "INSERT INTO t VALUES (1);\nINSERT INTO missing VALUES (1);",
    );
    let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
    let pool = one_connection_pool(&s.url).await;
    let conn = pool.acquire().await.unwrap();
    let mut db = SqliteDb::from_pool_connection(conn);
    let err = runner::migrate(
        &mut db,
        &history,
        Direction::Upgrade,
        "head",
        RunOptions {
            session: SessionSettings {
                lock_timeout: Duration::from_secs(5),
                ..SessionSettings::default()
            },
            transaction_per_migration: true,
            on_step: &mut |_| {},
            accept_edited: false,
        },
    )
    .await
    .unwrap_err();
    drop(db);
    assert!(matches!(err, Error::Statement(_)), "{err}");
    assert_eq!(foreign_keys(&pool).await, 1, "foreign keys are back on");
    // No transaction or savepoint is left open on the pooled connection: the
    // application can write, and r1's first insert was undone.
    sqlx::query("CREATE TABLE app (y INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    let rows: Vec<i64> = sqlx::query_scalar("SELECT x FROM t")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(rows.is_empty(), "{rows:?}");
    let versions: Vec<String> = sqlx::query_scalar("SELECT version_num FROM alembic_version")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(versions, ["r0"]);
    let autocommit: i64 = sqlx::query_scalar("SELECT count(*) FROM app")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(autocommit, 0);
    pool.close().await;
    // Another connection sees the application's table: it was committed.
    let other = one_connection_pool(&s.url).await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'app'")
        .fetch_one(&other)
        .await
        .unwrap();
    assert_eq!(n, 1);
}

/// SQLite's documented way to change a table by hand ends with
/// `PRAGMA foreign_keys = ON`; in a `transaction:false` section that must not
/// leave foreign keys on for the rest of the run, where a later table rebuild
/// would cascade deletes.
#[tokio::test]
async fn foreign_keys_turned_on_by_a_non_transactional_section_are_off_again_for_the_next_step() {
    for per_migration in [true, false] {
        let s = scratch();
        write_file(
            &s.versions,
            "r1",
            "",
            "-- migrate:upgrade",
            "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE child (id INTEGER PRIMARY KEY, \
             parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);\n\
             INSERT INTO parent VALUES (1), (2);\n\
             INSERT INTO child VALUES (10, 1), (20, 2);",
        );
        write_file(
            &s.versions,
            "r2",
            "r1",
            "-- migrate:upgrade transaction:false",
            "PRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE other (x INTEGER);\nCOMMIT;\n\
             PRAGMA foreign_keys = ON;",
        );
        write_file(
            &s.versions,
            "r3",
            "r2",
            "-- migrate:upgrade",
            "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, extra TEXT);\n\
             INSERT INTO parent_new (id) SELECT id FROM parent;\n\
             DROP TABLE parent;\n\
             ALTER TABLE parent_new RENAME TO parent;",
        );
        let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
        let timeout = Duration::from_secs(5);
        let summary = run(
            &s.url,
            &history,
            "head",
            per_migration,
            timeout,
            &mut |_| {},
        )
        .await
        .unwrap();
        assert_eq!(summary.applied, ["r1", "r2", "r3"]);
        let pool = one_connection_pool(&s.url).await;
        assert_eq!(
            children(&pool).await,
            [10, 20],
            "the rebuild after the section cascaded (per_migration = {per_migration})"
        );
        pool.close().await;
    }
}

#[tokio::test]
async fn a_non_transactional_section_that_leaves_a_transaction_open_is_named() {
    let s = scratch();
    write_file(
        &s.versions,
        "r1",
        "",
        "-- migrate:upgrade",
        "CREATE TABLE t (x INTEGER);",
    );
    write_file(
        &s.versions,
        "r2",
        "r1",
        "-- migrate:upgrade transaction:false",
        "BEGIN;\nCREATE TABLE forgot (x INTEGER);",
    );
    let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
    let timeout = Duration::from_secs(5);
    let err = run(&s.url, &history, "head", true, timeout, &mut |_| {})
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("non-transactional upgrade section of revision r2")
            && text.contains("r2.sql"),
        "{text}"
    );
    let pool = one_connection_pool(&s.url).await;
    let versions: Vec<String> = sqlx::query_scalar("SELECT version_num FROM alembic_version")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        versions,
        ["r1"],
        "r2's open transaction was rolled back, unrecorded"
    );
}

/// The application's connection must have no transaction open; if it has
/// one, the run is refused and the application's transaction is not aludel's
/// to undo: it stays open with its work, whether foreign keys are on or off.
#[tokio::test]
async fn a_connection_with_an_open_transaction_is_refused_and_its_transaction_kept() {
    for foreign_keys in ["ON", "OFF"] {
        let s = scratch();
        let mut conn = SqliteConnection::connect(&format!("{}?mode=rwc", s.url))
            .await
            .unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "PRAGMA foreign_keys = {foreign_keys}; CREATE TABLE app (x INTEGER); \
             BEGIN; INSERT INTO app VALUES (1);"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
        let err = REBUILD
            .upgrade_connection(&mut conn, "head")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Database { .. }), "{err}");
        sqlx::raw_sql("INSERT INTO app VALUES (2); COMMIT")
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| {
                panic!("the application's transaction is gone ({foreign_keys}): {e}")
            });
        let rows: Vec<i64> = sqlx::query_scalar("SELECT x FROM app ORDER BY x")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(rows, [1, 2], "foreign keys {foreign_keys}");
    }
}

#[tokio::test]
async fn a_database_a_migration_attaches_is_detached_from_the_pool_connection() {
    let s = scratch();
    let pool = one_connection_pool(&s.url).await;
    let extra = s.dir.path().join("extra.sqlite");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE '{}' AS app_extra",
        extra.display()
    )))
    .execute(&pool)
    .await
    .unwrap();
    ATTACH.upgrade_pool(&pool, "head").await.unwrap();
    let kept: Vec<i64> = sqlx::query_scalar("SELECT x FROM kept ORDER BY x")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(kept, [1, 2]);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_database_list")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!names.iter().any(|n| n == "scratch"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "app_extra"),
        "the application's own stays: {names:?}"
    );
}
