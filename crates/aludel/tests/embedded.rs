//! What an application asks of embedded migrations besides running them:
//! is the database at head, what is pending, is it ahead of this binary;
//! and options set in code apply on every path.

#[macro_use]
#[path = "common/paths.rs"]
mod paths;

use aludel::{Error, LockMode, Migrations};
use aludel_testkit::Engine as TestEngine;
use paths::Via;

static CHAIN: Migrations =
    aludel::embed_migrations!("tests/fixtures/portable").with_version_table("app_version");
static LOCKED: Migrations = aludel::embed_migrations!("tests/fixtures/portable");
static UNLOCKED: Migrations =
    aludel::embed_migrations!("tests/fixtures/portable").with_lock_mode(LockMode::None);
static PER_TRANSACTION_LOCK: Migrations =
    aludel::embed_migrations!("tests/fixtures/portable").with_lock_mode(LockMode::Transaction);

#[tokio::test]
async fn the_checks_create_nothing() {
    on_every_path!(|db, via| {
        assert!(!via.is_at_head(&CHAIN).await.unwrap(), "{}", via.name());
        assert_eq!(
            via.pending(&CHAIN, "head").await.unwrap(),
            ["c1", "c2", "c3"]
        );
        assert!(via.current(&CHAIN).await.unwrap().is_empty());
        if let (Via::Url(_), Some(file)) = (&via, db.sqlite_path()) {
            assert!(!file.exists(), "no SQLite file was created");
        } else {
            assert!(!db.has_table("app_version"), "{}", via.name());
            assert!(!db.has_table("aludel_history"), "{}", via.name());
        }
    });
}

#[tokio::test]
async fn a_database_ahead_of_the_binary_fails_every_check() {
    on_every_path!(|db, via| {
        via.upgrade(&CHAIN, "head").await.unwrap();
        assert!(via.is_at_head(&CHAIN).await.unwrap());
        db.execute("INSERT INTO app_version (version_num) VALUES ('zz')");
        let ahead = |r: Result<(), Error>| match r {
            Err(Error::DatabaseAhead { unknown, .. }) => unknown == ["zz"],
            _ => false,
        };
        assert!(
            ahead(via.is_at_head(&CHAIN).await.map(|_| ())),
            "{}",
            via.name()
        );
        assert!(ahead(via.pending(&CHAIN, "head").await.map(|_| ())));
        assert!(ahead(via.current(&CHAIN).await.map(|_| ())));
        assert!(ahead(via.upgrade(&CHAIN, "head").await.map(|_| ())));
    });
}

#[tokio::test]
async fn a_lock_mode_set_in_code_applies_on_every_path() {
    on_every_path!(|db, via| {
        if db.engine != TestEngine::Sqlite {
            continue;
        }
        // SQLite has no per-transaction lock: refused before anything runs.
        let err = via
            .upgrade(&PER_TRANSACTION_LOCK, "head")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Database { .. }), "{err:?}");
        assert!(err.to_string().contains("lock_mode"), "{err}");
        assert!(!db.has_table("t1"), "{}", via.name());
        // `none` takes no lock file; the default `session` does.
        let mut lock_file = db.sqlite_path().expect("a file").into_os_string();
        lock_file.push("-aludel-lock");
        via.upgrade(&UNLOCKED, "c1").await.unwrap();
        assert_eq!(db.versions(), ["c1"]);
        assert!(!std::path::Path::new(&lock_file).exists(), "{}", via.name());
        via.upgrade(&LOCKED, "head").await.unwrap();
        assert_eq!(db.versions(), ["c3"]);
        assert!(std::path::Path::new(&lock_file).exists(), "{}", via.name());
    });
}
