//! Other processes' locks: a held write lock or migration lock is reported
//! after a second and ends the run with `Error::LockTimeout`; stamp and
//! ensure-version wait for the migration lock too; reads give up after the
//! lock timeout.

mod common;

use aludel::dialect::VersionTable;
use aludel::driver::SessionSettings;
use std::time::Duration;

use aludel::driver::{self, DbConnection};
use aludel::runner;
use aludel::sqlx::sqlite::SqliteConnection;
use aludel::sqlx::{self, Connection};
use aludel::{DatabaseUrl, Error};
use common::{begin, one_revision, open, run, scratch};

static REBUILD: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/rebuild");
static REBUILD_IMPATIENT: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/rebuild")
    .with_lock_timeout(Duration::from_millis(1500));

#[tokio::test]
async fn a_held_write_lock_is_reported_then_ends_in_a_lock_timeout() {
    let s = scratch();
    let history = one_revision(&s);
    let mut other = SqliteConnection::connect(&format!("{}?mode=rwc", s.url))
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE; CREATE TABLE held (x INTEGER)")
        .execute(&mut other)
        .await
        .unwrap();
    let mut lines = Vec::new();
    let err = run(
        &s.url,
        &history,
        "head",
        true,
        Duration::from_millis(1500),
        &mut |line| lines.push(line.to_string()),
    )
    .await
    .unwrap_err();
    let Error::LockTimeout { lock, .. } = &err else {
        panic!("expected a lock timeout, got {err}");
    };
    assert!(
        lock.contains("write lock") && lock.contains("db.sqlite"),
        "{lock}"
    );
    assert!(err.to_string().contains("lock_timeout"), "{err}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("Waiting for the write lock on ") && lines[0].contains("db.sqlite"),
        "{lines:?}"
    );
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    // Once the other process lets go, the same run succeeds.
    let summary = run(
        &s.url,
        &history,
        "head",
        true,
        Duration::from_secs(5),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(summary.applied, ["r1"]);
}

#[tokio::test]
async fn a_held_migration_lock_is_reported_with_its_holder_then_ends_in_a_lock_timeout() {
    let s = scratch();
    let history = one_revision(&s);
    // Another migrator of this database, in this process: its lock file says who it is.
    let mut holder = open(&s.url).await;
    let held = match holder.try_lock_migrations().await.unwrap() {
        driver::Attempt::Acquired(lock) => lock,
        driver::Attempt::Busy { lock } => panic!("nobody else should hold {lock}"),
    };
    let mut lines = Vec::new();
    let err = run(
        &s.url,
        &history,
        "head",
        true,
        Duration::from_millis(1500),
        &mut |line| lines.push(line.to_string()),
    )
    .await
    .unwrap_err();
    let Error::LockTimeout {
        lock,
        holder: named,
        ..
    } = &err
    else {
        panic!("expected a lock timeout, got {err}");
    };
    assert!(lock.ends_with("db.sqlite-aludel-lock"), "{lock}");
    let pid = format!("pid {} (", std::process::id());
    assert!(
        named.as_deref().is_some_and(|h| h.starts_with(&pid)),
        "{named:?}"
    );
    assert!(err.to_string().contains(&format!("held by {pid}")), "{err}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("Waiting for the migration lock "),
        "{lines:?}"
    );
    assert!(
        !s.dir.path().join("db.sqlite-journal").exists(),
        "nothing was left open"
    );
    drop(held);
    holder.close().await;
    let summary = run(
        &s.url,
        &history,
        "head",
        true,
        Duration::from_secs(5),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(summary.applied, ["r1"]);
}

#[tokio::test]
async fn stamp_and_ensure_version_wait_for_the_migration_lock_too() {
    let s = scratch();
    let history = one_revision(&s);
    let url = DatabaseUrl::parse(&s.url).unwrap();
    let mut holder = driver::connect(&url, true).await.unwrap().unwrap();
    let driver::Attempt::Acquired(held) = holder.try_lock_migrations().await.unwrap() else {
        panic!("the lock should be free");
    };
    let mut db = driver::connect(&url, true).await.unwrap().unwrap();
    let short = Duration::from_millis(300);
    let short_session = SessionSettings {
        lock_timeout: short,
        ..SessionSettings::default()
    };
    let err = runner::stamp(
        &mut db,
        &history,
        &["head"],
        false,
        &short_session,
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    let err = runner::ensure_version(&mut db, &short_session, &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    drop(held);
    let heads = runner::stamp(
        &mut db,
        &history,
        &["head"],
        false,
        &short_session,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(heads, ["r1"]);
    db.close().await;
    holder.close().await;
}

#[tokio::test]
async fn between_migrations_a_held_write_lock_comes_back_as_busy_after_committing() {
    // A shorter wait than the session's busy timeout, and the session's own
    // (the runner's case, which sets no busy timeout around the BEGIN).
    for (session, wait) in [(5000, 200), (300, 300)] {
        between_migrations_busy(Duration::from_millis(session), Duration::from_millis(wait)).await;
    }
}

async fn between_migrations_busy(session: Duration, wait: Duration) {
    let s = scratch();
    let url = DatabaseUrl::parse(&s.url).unwrap();
    let mut db = driver::connect(&url, true).await.unwrap().unwrap();
    db.start_session(&SessionSettings {
        lock_timeout: session,
        ..SessionSettings::default()
    })
    .await
    .unwrap();
    db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        .await
        .unwrap();
    // A transaction holding no lock yet, while another connection takes the write lock.
    db.execute("BEGIN").await.unwrap();
    db.execute("SELECT 1").await.unwrap();
    let mut other = SqliteConnection::connect(&s.url).await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let attempt = db
        .commit_and_begin_reading_versions(&[], &VersionTable::new("alembic_version"), wait)
        .await
        .unwrap();
    let driver::Attempt::Busy { lock } = attempt else {
        panic!("the write lock is held elsewhere");
    };
    assert!(
        lock.starts_with("the write lock on ") && lock.ends_with("db.sqlite"),
        "{lock}"
    );
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    // Nothing is left open: the next transaction can start.
    begin(&mut db).await;
    db.commit().await.unwrap();
    db.end_session().await.unwrap();
    db.close().await;
}

#[tokio::test]
async fn current_gives_up_on_a_held_lock_after_the_lock_timeout() {
    let s = scratch();
    REBUILD.upgrade(&s.url, "p1").await.unwrap();
    let mut other = SqliteConnection::connect(&s.url).await.unwrap();
    sqlx::raw_sql("BEGIN EXCLUSIVE; CREATE TABLE held (x INTEGER)")
        .execute(&mut other)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let err = REBUILD_IMPATIENT.current(&s.url).await.unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "{err}");
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    assert_eq!(REBUILD_IMPATIENT.current(&s.url).await.unwrap(), ["p1"]);
}
