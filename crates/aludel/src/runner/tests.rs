//! The runner's mapping of a batch that SQLite reads differently from the
//! splitter: a statement error naming file, line, revision and statement.

use std::time::Duration;

use super::*;
use crate::driver::{self, DbConnection};
use crate::url::DatabaseUrl;

/// Opens a transaction holding the write lock, which no one else holds.
async fn begin<C: DbConnection>(db: &mut C) {
    let attempt = db.try_begin(Duration::from_secs(5)).await.unwrap();
    assert!(
        matches!(attempt, driver::Attempt::Acquired(())),
        "{attempt:?}"
    );
}

#[tokio::test]
async fn a_statement_sqlite_reads_as_two_is_a_statement_error_not_a_version_table_one() {
    let dir = tempfile::tempdir().unwrap();
    let versions = dir.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    let text = "-- Two\n--\n-- Revision ID: m1\n-- Revises:\n\n-- migrate:upgrade\n\
                CREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (1);\n\n-- migrate:downgrade\nDROP TABLE a;\n";
    std::fs::write(versions.join("m1.sql"), text).unwrap();
    let history = History::load(std::slice::from_ref(&versions)).unwrap();
    let mut plan = prepare(
        &history,
        plan_for(&history, Direction::Upgrade, &[], "head").unwrap(),
        Flavor::Sqlite,
    )
    .unwrap();
    // The splitter and SQLite agree on this file today; forge a statement
    // SQLite reads as two, as a splitter bug would produce.
    plan[0].statements[1].text = "INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)";
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let mut db = driver::connect(&DatabaseUrl::parse(&url).unwrap(), true)
        .await
        .unwrap()
        .unwrap();
    db.start_session(&SessionSettings {
        lock_timeout: Duration::from_secs(5),
        lock_mode: crate::driver::LockMode::Session,
        version_table: VersionTable::new("alembic_version"),
    })
    .await
    .unwrap();
    begin(&mut db).await;
    ensure_tables(&mut db, &VersionTable::new("alembic_version"))
        .await
        .unwrap();
    let file = history.file(plan[0].step.revision);
    let ops: Vec<String> = plan[0]
        .step
        .version_ops
        .iter()
        .map(|op| {
            db.dialect()
                .version_op(&VersionTable::new("alembic_version"), op)
        })
        .collect();
    let err = run_step(
        &mut db,
        &VersionTable::new("alembic_version"),
        &plan[0],
        file,
        None,
        &ops,
        false,
    )
    .await
    .unwrap_err();
    let Error::Statement(failure) = &err else {
        panic!("expected a statement error, got {err}");
    };
    assert_eq!(failure.line, 8);
    assert_eq!(failure.revision, "m1");
    assert!(failure.path.ends_with("m1.sql"), "{failure:?}");
    assert_eq!(
        failure.statement,
        "INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)"
    );
    let message = err.to_string();
    assert!(
        message.contains("reads this text as 2 statements"),
        "{message}"
    );
    assert!(!message.contains("version table"), "{message}");
    assert!(
        db.read_versions(&VersionTable::new("alembic_version"))
            .await
            .unwrap()
            .is_empty()
    );
    db.rollback().await.unwrap();
    db.close().await;
}
