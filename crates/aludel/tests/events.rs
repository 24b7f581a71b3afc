//! A run's progress goes out as structured `tracing` events (target
//! `aludel`): each migration's start and end with its revision, direction,
//! description and duration, and lock waits as warnings naming the lock.

#[path = "common/capture.rs"]
mod capture;
mod common;

use std::time::Duration;

use aludel::driver::{self, DbConnection};
use aludel::{Error, Migrations};
use capture::{Captured, capture};
use common::{open, scratch};
use tracing::Level;

static CHAIN: Migrations = aludel::embed_migrations!("tests/fixtures/chain");
static IMPATIENT: Migrations = aludel::embed_migrations!("tests/fixtures/chain")
    .with_lock_timeout(Duration::from_millis(1500));

fn of_aludel(events: Vec<Captured>) -> Vec<Captured> {
    events
        .into_iter()
        .filter(|e| e.target == "aludel")
        .collect()
}

#[tokio::test]
async fn each_migration_is_an_event_when_it_starts_and_when_it_has_run() {
    let s = scratch();
    let (events, _guard) = capture();
    CHAIN.upgrade(&s.url, "c2").await.unwrap();
    CHAIN.downgrade(&s.url, "base").await.unwrap();
    let events = of_aludel(events.all());
    let fields = |e: &Captured| {
        [
            e.field("revision").unwrap_or("-"),
            e.field("direction").unwrap_or("-"),
            e.field("description").unwrap_or("-"),
        ]
        .join(" ")
    };
    let starts: Vec<String> = events
        .iter()
        .filter(|e| e.field("duration_ms").is_none())
        .map(fields)
        .collect();
    assert_eq!(
        starts,
        [
            "c1 upgrade Step 1",
            "c2 upgrade Step 2",
            "c2 downgrade Step 2",
            "c1 downgrade Step 1"
        ]
    );
    let ends: Vec<&Captured> = events
        .iter()
        .filter(|e| e.field("duration_ms").is_some())
        .collect();
    assert_eq!(ends.iter().map(|e| fields(e)).collect::<Vec<_>>(), starts);
    for end in &ends {
        let ms = end.field("duration_ms").unwrap_or_default();
        assert!(ms.parse::<u64>().is_ok(), "{end:?}");
    }
    assert!(events.iter().all(|e| e.level == Level::INFO), "{events:?}");
    // The message is Alembic's line, as the CLI prints it.
    assert_eq!(
        events[0].field("message"),
        Some("Running upgrade  -> c1, Step 1")
    );
}

#[tokio::test]
async fn a_lock_wait_is_a_warning_naming_the_lock_and_the_holder_is_a_field() {
    let s = scratch();
    CHAIN.upgrade(&s.url, "c1").await.unwrap();
    let mut holder = open(&s.url).await;
    let held = match holder.try_lock_migrations().await.unwrap() {
        driver::Attempt::Acquired(lock) => lock,
        driver::Attempt::Busy { lock } => panic!("nobody else should hold {lock}"),
    };
    let (events, _guard) = capture();
    let err = IMPATIENT.upgrade(&s.url, "head").await.unwrap_err();
    let Error::LockTimeout {
        lock, holder: by, ..
    } = &err
    else {
        panic!("expected a lock timeout, got {err:?}");
    };
    assert!(lock.ends_with("db.sqlite-aludel-lock"), "{lock}");
    let pid = format!("pid {} (", std::process::id());
    assert!(by.as_deref().is_some_and(|h| h.starts_with(&pid)), "{by:?}");
    let warnings: Vec<Captured> = of_aludel(events.all())
        .into_iter()
        .filter(|e| e.level == Level::WARN)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warned = warnings[0].field("lock").unwrap_or_default();
    assert!(
        warned.contains("db.sqlite-aludel-lock") && warned.contains(&pid),
        "{warned}"
    );
    assert_eq!(warnings[0].field("timeout_ms"), Some("1500"));
    holder.release_migration_lock(held).await.unwrap();
    holder.close().await;
    assert_eq!(
        CHAIN.upgrade(&s.url, "head").await.unwrap().applied,
        ["c2", "c3"]
    );
}
