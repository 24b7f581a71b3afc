//! Taking over a database that Python Alembic migrated: aludel reads Alembic's
//! `alembic_version` table, so nothing is re-applied, and it can move the
//! database down and up again without losing rows.

mod common;

use common::{
    SCHEMA_78F7E4E33398, SCHEMA_423D964333D1, connect, insert_download, insert_feed, scratch,
    total_downloads, triggers, user_schema, versions,
};

static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations", sqlite);

/// The version table exactly as Alembic creates it on SQLite.
const ALEMBIC_VERSION_TABLE: &str = "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)";

/// Builds, with plain SQL, the database Alembic leaves at `78f7e4e33398`,
/// with one feed and two downloads (one downloaded).
async fn alembic_database(url: &str) {
    let pool = connect(url).await;
    sqlx::raw_sql(SCHEMA_78F7E4E33398)
        .execute(&pool)
        .await
        .expect("create the reference schema");
    sqlx::query(ALEMBIC_VERSION_TABLE)
        .execute(&pool)
        .await
        .expect("create alembic_version");
    sqlx::query("INSERT INTO alembic_version VALUES ('78f7e4e33398')")
        .execute(&pool)
        .await
        .expect("stamp alembic_version");
    insert_feed(&pool, "f").await;
    insert_download(&pool, "f", "a", "DOWNLOADED").await;
    insert_download(&pool, "f", "b", "QUEUED").await;
    assert_eq!(total_downloads(&pool, "f").await, 1);
    pool.close().await;
}

async fn count(url: &str, table: &'static str) -> i64 {
    let pool = connect(url).await;
    let n = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&pool)
        .await
        .expect("count rows");
    pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alembic_database_is_recognised_and_left_alone() {
    let db = scratch();
    alembic_database(&db.url).await;

    assert_eq!(
        MIGRATIONS.current(&db.url).await.expect("current"),
        ["78f7e4e33398"]
    );

    let summary = MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    assert!(summary.applied.is_empty(), "{:?}", summary.applied);
    assert_eq!(summary.heads, ["78f7e4e33398"]);
    assert_eq!(user_schema(&db.url).await, SCHEMA_78F7E4E33398);
    assert_eq!(count(&db.url, "download").await, 2);

    // Alembic's own version table is kept as Alembic wrote it.
    let pool = connect(&db.url).await;
    let sql: String =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'alembic_version'")
            .fetch_one(&pool)
            .await
            .expect("read alembic_version's sql");
    pool.close().await;
    assert_eq!(sql, ALEMBIC_VERSION_TABLE);
}

#[tokio::test(flavor = "multi_thread")]
async fn downgrade_and_upgrade_an_alembic_database() {
    let db = scratch();
    alembic_database(&db.url).await;

    let down = MIGRATIONS
        .downgrade(&db.url, "423d964333d1")
        .await
        .expect("downgrade 423d964333d1");
    assert_eq!(down.applied, ["78f7e4e33398"]);
    assert_eq!(versions(&db.url).await, ["423d964333d1"]);
    assert!(triggers(&db.url).await.is_empty());
    assert_eq!(user_schema(&db.url).await, SCHEMA_423D964333D1);
    assert_eq!(count(&db.url, "feed").await, 1);
    assert_eq!(count(&db.url, "download").await, 2);

    // Without the triggers the count goes stale ...
    let pool = connect(&db.url).await;
    sqlx::query("UPDATE download SET status = 'DOWNLOADED' WHERE id = 'b'")
        .execute(&pool)
        .await
        .expect("finish b");
    assert_eq!(total_downloads(&pool, "f").await, 1);
    pool.close().await;

    // ... and upgrading again restores the triggers and recomputes it.
    let up = MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    assert_eq!(up.applied, ["78f7e4e33398"]);
    assert_eq!(versions(&db.url).await, ["78f7e4e33398"]);
    assert_eq!(triggers(&db.url).await.len(), 7);
    assert_eq!(user_schema(&db.url).await, SCHEMA_78F7E4E33398);
    assert_eq!(
        MIGRATIONS.current(&db.url).await.expect("current"),
        ["78f7e4e33398"]
    );

    let pool = connect(&db.url).await;
    assert_eq!(total_downloads(&pool, "f").await, 2);
    insert_download(&pool, "f", "c", "DOWNLOADED").await;
    assert_eq!(total_downloads(&pool, "f").await, 3);
    pool.close().await;
}
