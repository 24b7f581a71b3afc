//! Helpers shared by the integration tests: scratch databases and schema dumps.

#![allow(dead_code)]

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

/// `sqlite_master` as Alembic left it after `423d964333d1`.
pub const SCHEMA_423D964333D1: &str = include_str!("../fixtures/schema_at_423d964333d1.sql");
/// `sqlite_master` as Alembic left it after `78f7e4e33398` (head).
pub const SCHEMA_78F7E4E33398: &str = include_str!("../fixtures/schema_at_78f7e4e33398.sql");

/// Tables that belong to the migration tool or to SQLite, not to Anypod.
const BOOKKEEPING: &str = "('sqlite_sequence', 'alembic_version', 'aludel_history')";

/// A database file in a fresh temporary folder (not created yet).
pub struct Scratch {
    _dir: tempfile::TempDir,
    pub url: String,
}

pub fn scratch() -> Scratch {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("anypod.db").display());
    Scratch { _dir: dir, url }
}

/// A small pool on an existing database; close it before migrating again.
pub async fn connect(url: &str) -> SqlitePool {
    let options = SqliteConnectOptions::from_str(url)
        .expect("database URL")
        .create_if_missing(true)
        .foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("open the database")
}

/// Anypod's tables, indexes and triggers as `sqlite3 .schema` prints them:
/// each `sql` followed by `;` and a newline, in creation order.
pub async fn user_schema(url: &str) -> String {
    let pool = connect(url).await;
    let query = format!(
        "SELECT sql || ';' FROM sqlite_master \
         WHERE tbl_name NOT IN {BOOKKEEPING} AND sql IS NOT NULL ORDER BY rowid"
    );
    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(query))
        .fetch_all(&pool)
        .await
        .expect("read sqlite_master");
    pool.close().await;
    rows.into_iter().map(|sql| sql + "\n").collect()
}

/// Names of the tables in the database, sorted, without SQLite's internal
/// ones (`sqlite_sequence` appears because `aludel_history` uses AUTOINCREMENT).
pub async fn tables(url: &str) -> Vec<String> {
    let pool = connect(url).await;
    let names = sqlx::query_scalar(
        "SELECT name FROM sqlite_master \
         WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .expect("read sqlite_master");
    pool.close().await;
    names
}

/// Names of the triggers in the database, sorted.
pub async fn triggers(url: &str) -> Vec<String> {
    let pool = connect(url).await;
    let names =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            .fetch_all(&pool)
            .await
            .expect("read sqlite_master");
    pool.close().await;
    names
}

/// The rows of the version table, sorted.
pub async fn versions(url: &str) -> Vec<String> {
    let pool = connect(url).await;
    let rows = sqlx::query_scalar("SELECT version_num FROM alembic_version ORDER BY version_num")
        .fetch_all(&pool)
        .await
        .expect("read alembic_version");
    pool.close().await;
    rows
}

/// Inserts a feed with only the required columns.
pub async fn insert_feed(pool: &SqlitePool, id: &str) {
    sqlx::query("INSERT INTO feed (id, source_type, source_url) VALUES (?, 'CHANNEL', 'https://example.com/feed')")
        .bind(id)
        .execute(pool)
        .await
        .expect("insert feed");
}

/// Inserts a download with only the required columns.
pub async fn insert_download(pool: &SqlitePool, feed: &str, id: &str, status: &str) {
    sqlx::query(
        "INSERT INTO download \
         (feed_id, id, source_url, title, published, ext, mime_type, filesize, duration, status) \
         VALUES (?, ?, 'https://example.com/v', 'An episode', '2025-06-25 12:00:00', 'mp4', 'video/mp4', 1, 1, ?)",
    )
    .bind(feed)
    .bind(id)
    .bind(status)
    .execute(pool)
    .await
    .expect("insert download");
}

pub async fn total_downloads(pool: &SqlitePool, feed: &str) -> i64 {
    sqlx::query_scalar("SELECT total_downloads FROM feed WHERE id = ?")
        .bind(feed)
        .fetch_one(pool)
        .await
        .expect("read total_downloads")
}

pub async fn downloaded_at(pool: &SqlitePool, feed: &str, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT downloaded_at FROM download WHERE feed_id = ? AND id = ?")
        .bind(feed)
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("read downloaded_at")
}
