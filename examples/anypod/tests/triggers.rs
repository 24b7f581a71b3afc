//! After `upgrade head` the triggers keep `feed.total_downloads`,
//! `download.downloaded_at` and both `updated_at` columns right.

mod common;

use common::{connect, downloaded_at, insert_download, insert_feed, scratch, total_downloads};

static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations", sqlite);

async fn set_status(pool: &sqlx::SqlitePool, feed: &str, id: &str, status: &str) {
    sqlx::query("UPDATE download SET status = ? WHERE feed_id = ? AND id = ?")
        .bind(status)
        .bind(feed)
        .bind(id)
        .execute(pool)
        .await
        .expect("update status");
}

#[tokio::test(flavor = "multi_thread")]
async fn total_downloads_and_downloaded_at_follow_the_downloads() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    let pool = connect(&db.url).await;

    insert_feed(&pool, "f").await;
    insert_feed(&pool, "other").await;
    assert_eq!(total_downloads(&pool, "f").await, 0);

    // Inserted as downloaded: counted. downloaded_at is only stamped on a
    // status change (Anypod sets it itself when it inserts a finished download).
    insert_download(&pool, "f", "a", "DOWNLOADED").await;
    assert_eq!(total_downloads(&pool, "f").await, 1);
    assert_eq!(downloaded_at(&pool, "f", "a").await, None);

    // Inserted as queued: not counted.
    insert_download(&pool, "f", "b", "QUEUED").await;
    assert_eq!(total_downloads(&pool, "f").await, 1);
    assert_eq!(downloaded_at(&pool, "f", "b").await, None);

    // QUEUED -> DOWNLOADED: counted and stamped.
    set_status(&pool, "f", "b", "DOWNLOADED").await;
    assert_eq!(total_downloads(&pool, "f").await, 2);
    let stamped = downloaded_at(&pool, "f", "b")
        .await
        .expect("downloaded_at set");
    assert_eq!(stamped.len(), "2025-06-25 23:50:21".len(), "{stamped}");

    // DOWNLOADED -> DOWNLOADED is no change: not counted twice.
    set_status(&pool, "f", "b", "DOWNLOADED").await;
    assert_eq!(total_downloads(&pool, "f").await, 2);

    // DOWNLOADED -> SKIPPED: no longer counted.
    set_status(&pool, "f", "a", "SKIPPED").await;
    assert_eq!(total_downloads(&pool, "f").await, 1);

    // Deleting a download that is not downloaded changes nothing ...
    sqlx::query("DELETE FROM download WHERE feed_id = 'f' AND id = 'a'")
        .execute(&pool)
        .await
        .expect("delete a");
    assert_eq!(total_downloads(&pool, "f").await, 1);
    // ... deleting a downloaded one is uncounted.
    sqlx::query("DELETE FROM download WHERE feed_id = 'f' AND id = 'b'")
        .execute(&pool)
        .await
        .expect("delete b");
    assert_eq!(total_downloads(&pool, "f").await, 0);

    // Other feeds are never touched.
    assert_eq!(total_downloads(&pool, "other").await, 0);
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn updated_at_is_refreshed_on_update() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    let pool = connect(&db.url).await;
    insert_feed(&pool, "f").await;
    insert_download(&pool, "f", "a", "QUEUED").await;

    // Writing updated_at itself does not fire the triggers.
    sqlx::query("UPDATE feed SET updated_at = '2000-01-01 00:00:00'")
        .execute(&pool)
        .await
        .expect("age feed");
    sqlx::query("UPDATE download SET updated_at = '2000-01-01 00:00:00'")
        .execute(&pool)
        .await
        .expect("age download");
    let feed_updated: String = sqlx::query_scalar("SELECT updated_at FROM feed WHERE id = 'f'")
        .fetch_one(&pool)
        .await
        .expect("read feed.updated_at");
    assert_eq!(feed_updated, "2000-01-01 00:00:00");

    sqlx::query("UPDATE feed SET title = 'New title' WHERE id = 'f'")
        .execute(&pool)
        .await
        .expect("update feed");
    let feed_updated: String = sqlx::query_scalar("SELECT updated_at FROM feed WHERE id = 'f'")
        .fetch_one(&pool)
        .await
        .expect("read feed.updated_at");
    assert_ne!(feed_updated, "2000-01-01 00:00:00");

    sqlx::query("UPDATE download SET retries = retries + 1 WHERE feed_id = 'f' AND id = 'a'")
        .execute(&pool)
        .await
        .expect("update download");
    let download_updated: String =
        sqlx::query_scalar("SELECT updated_at FROM download WHERE feed_id = 'f' AND id = 'a'")
            .fetch_one(&pool)
            .await
            .expect("read download.updated_at");
    assert_ne!(download_updated, "2000-01-01 00:00:00");
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrading_to_the_triggers_backfills_total_downloads() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "423d964333d1")
        .await
        .expect("upgrade 423d964333d1");
    let pool = connect(&db.url).await;
    insert_feed(&pool, "f").await;
    insert_feed(&pool, "empty").await;
    insert_download(&pool, "f", "a", "DOWNLOADED").await;
    insert_download(&pool, "f", "b", "DOWNLOADED").await;
    insert_download(&pool, "f", "c", "QUEUED").await;
    // Without triggers nothing keeps the count; make it wrong on purpose.
    sqlx::query("UPDATE feed SET total_downloads = 99")
        .execute(&pool)
        .await
        .expect("spoil counts");
    pool.close().await;

    let summary = MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    assert_eq!(summary.applied, ["78f7e4e33398"]);

    let pool = connect(&db.url).await;
    assert_eq!(total_downloads(&pool, "f").await, 2);
    assert_eq!(total_downloads(&pool, "empty").await, 0);
    pool.close().await;
}
