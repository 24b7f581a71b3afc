//! Anypod's database, managed by aludel instead of Python Alembic.
//!
//! At startup the embedded revisions bring the database to `head` (a database
//! Alembic already migrated is recognised through its `alembic_version` table
//! and left as it is). Then a short demo shows the schema's triggers keeping
//! `feed.total_downloads` and `download.downloaded_at` right.
//!
//! Usage: `anypod-example [DATABASE_URL]`; without an argument `$DATABASE_URL`
//! is used, and without that `sqlite://anypod.db`.

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations", sqlite);

const DEFAULT_URL: &str = "sqlite://anypod.db";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .unwrap_or_else(|| DEFAULT_URL.to_string());

    let summary = MIGRATIONS.upgrade(&url, "head").await?;
    if summary.applied.is_empty() {
        println!("{url}: already up to date");
    } else {
        println!("{url}: applied {}", summary.applied.join(", "));
    }
    println!("heads: {}", summary.heads.join(", "));

    let options = SqliteConnectOptions::from_str(&url)?.foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    demo(&pool).await?;
    pool.close().await;
    Ok(())
}

/// Inserts a feed and a few downloads and prints what the triggers did.
async fn demo(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    // A new feed each run, so running the demo twice works.
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let feed = format!("demo-{nanos}");
    println!("\ndemo feed {feed}");

    sqlx::query("INSERT INTO feed (id, source_type, source_url, title) VALUES (?, 'CHANNEL', ?, 'Demo feed')")
        .bind(&feed)
        .bind("https://www.youtube.com/@example")
        .execute(pool)
        .await?;
    show(pool, &feed, "feed created").await?;

    insert_download(pool, &feed, "ep1", "DOWNLOADED").await?;
    show(
        pool,
        &feed,
        "ep1 inserted as DOWNLOADED (counted; downloaded_at is only stamped on a status change)",
    )
    .await?;

    insert_download(pool, &feed, "ep2", "QUEUED").await?;
    show(pool, &feed, "ep2 inserted as QUEUED (not counted)").await?;

    sqlx::query("UPDATE download SET status = 'DOWNLOADED' WHERE feed_id = ? AND id = 'ep2'")
        .bind(&feed)
        .execute(pool)
        .await?;
    show(
        pool,
        &feed,
        "ep2 QUEUED -> DOWNLOADED (counted, downloaded_at stamped)",
    )
    .await?;

    sqlx::query("DELETE FROM download WHERE feed_id = ? AND id = 'ep1'")
        .bind(&feed)
        .execute(pool)
        .await?;
    show(pool, &feed, "ep1 deleted (no longer counted)").await?;
    Ok(())
}

async fn insert_download(
    pool: &SqlitePool,
    feed: &str,
    id: &str,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO download \
         (feed_id, id, source_url, title, published, ext, mime_type, filesize, duration, status) \
         VALUES (?, ?, ?, ?, '2025-06-25 12:00:00', 'mp4', 'video/mp4', 1000000, 600, ?)",
    )
    .bind(feed)
    .bind(id)
    .bind(format!("https://www.youtube.com/watch?v={id}"))
    .bind(format!("Episode {id}"))
    .bind(status)
    .execute(pool)
    .await?;
    Ok(())
}

/// Prints the feed's `total_downloads` and every download's status and `downloaded_at`.
async fn show(pool: &SqlitePool, feed: &str, step: &str) -> Result<(), sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT total_downloads FROM feed WHERE id = ?")
        .bind(feed)
        .fetch_one(pool)
        .await?;
    println!("- {step}\n    total_downloads = {total}");
    let rows =
        sqlx::query("SELECT id, status, downloaded_at FROM download WHERE feed_id = ? ORDER BY id")
            .bind(feed)
            .fetch_all(pool)
            .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let status: String = row.try_get("status")?;
        let downloaded_at: Option<String> = row.try_get("downloaded_at")?;
        println!(
            "    {id}: {status:<10} downloaded_at = {}",
            downloaded_at.as_deref().unwrap_or("NULL")
        );
    }
    Ok(())
}
