//! The drivers' batches, on every engine: bounded chunks, and a statement the
//! engine reads differently from aludel's splitter named as the one at fault,
//! with nothing of its batch left behind.

mod common;

use aludel::DatabaseUrl;
use aludel::dialect::VersionTable;
use aludel::driver::{self, AnyDb, DbConnection};
use common::{Engine, TestDb, begin, engines, no_such_table};

/// A SQLite file in a scratch folder.
async fn open() -> (tempfile::TempDir, AnyDb<'static>) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let db = driver::connect(&DatabaseUrl::parse(&url).unwrap(), true)
        .await
        .unwrap()
        .unwrap();
    (dir, db)
}

/// A fresh database on `engine`, and a connection to it.
async fn open_on(engine: Engine) -> (TestDb, AnyDb<'static>) {
    let test_db = TestDb::scratch(engine);
    let db = driver::connect(&DatabaseUrl::parse(&test_db.url).unwrap(), true)
        .await
        .unwrap()
        .unwrap();
    (test_db, db)
}

#[tokio::test]
async fn text_the_engine_reads_as_two_statements_is_named_and_undone() {
    // Where DDL commits at once (MySQL) a failed batch is not undone, and the
    // server reads a text as the MySQL flavour does: the runner's progress
    // rows say what stayed (tests in aludel-cli's mysql_progress.rs).
    for engine in engines().into_iter().filter(|e| !e.ddl_commits()) {
        let (_test_db, mut db) = open_on(engine).await;
        begin(&mut db).await;
        let err = db
            .execute_batch(&[
                "CREATE TABLE a (x INTEGER)",
                "INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)",
                "CREATE TABLE b (y INTEGER)",
            ])
            .await
            .unwrap_err();
        assert_eq!(err.index, 1, "{err:?}");
        assert!(
            err.error
                .message()
                .contains("reads this text as 2 statements"),
            "{err:?}"
        );
        assert!(
            !db.table_exists(&VersionTable::new("a")).await.unwrap(),
            "the batch is undone"
        );
        assert!(!db.table_exists(&VersionTable::new("b")).await.unwrap());
        // The transaction is still usable.
        db.execute_batch(&["CREATE TABLE c (z INTEGER)"])
            .await
            .unwrap();
        db.commit().await.unwrap();
        assert!(db.table_exists(&VersionTable::new("c")).await.unwrap());
        db.close().await;
    }
}

#[tokio::test]
async fn a_failure_after_a_misread_statement_blames_the_misread_one() {
    // Where DDL commits at once (MySQL) a failed batch is not undone, and the
    // server reads a text as the MySQL flavour does: the runner's progress
    // rows say what stayed (tests in aludel-cli's mysql_progress.rs).
    for engine in engines().into_iter().filter(|e| !e.ddl_commits()) {
        let (_test_db, mut db) = open_on(engine).await;
        begin(&mut db).await;
        // Counting results alone would put the failure at index 3, past the end.
        let err = db
            .execute_batch(&[
                "CREATE TABLE a (x INTEGER)",
                "INSERT INTO a VALUES (1); SELECT 1",
                "INSERT INTO missing VALUES (1)",
            ])
            .await
            .unwrap_err();
        assert_eq!(err.index, 1, "{err:?}");
        db.rollback().await.unwrap();
        db.close().await;
    }
}

#[tokio::test]
async fn large_batches_run_in_chunks_and_name_a_late_failure() {
    for engine in engines() {
        let (_test_db, mut db) = open_on(engine).await;
        begin(&mut db).await;
        let mut statements = vec!["CREATE TABLE t (x INTEGER)".to_string()];
        statements.extend((1..1000).map(|i| format!("INSERT INTO t VALUES ({i})")));
        let texts: Vec<&str> = statements.iter().map(String::as_str).collect();
        let changed = db.execute_batch(&texts).await.unwrap();
        assert_eq!(changed.len(), 1000);
        assert!(changed[1..].iter().all(|&n| n == 1));
        let mut failing = texts.clone();
        failing[700] = "INSERT INTO missing VALUES (1)";
        let err = db.execute_batch(&failing[1..]).await.unwrap_err();
        assert_eq!(err.index, 699, "{err:?}");
        assert!(
            err.error
                .message()
                .contains(&no_such_table(engine, "missing")),
            "{err:?}"
        );
        let deleted = db.execute("DELETE FROM t").await.unwrap();
        // Where DDL commits at once, a failed batch is not undone: the 699
        // rows before the failure are still in the open transaction.
        let expected = if engine.ddl_commits() { 999 + 699 } else { 999 };
        assert_eq!(deleted, expected, "the failed batch left nothing behind");
        db.commit().await.unwrap();
        db.close().await;
    }
}

#[tokio::test]
async fn a_failed_batch_after_earlier_work_undoes_only_the_batch() {
    // Where DDL commits at once (MySQL) a failed batch is not undone, and the
    // server reads a text as the MySQL flavour does: the runner's progress
    // rows say what stayed (tests in aludel-cli's mysql_progress.rs).
    for engine in engines().into_iter().filter(|e| !e.ddl_commits()) {
        // A fresh transaction is rolled back whole; one holding earlier work (a
        // one-transaction run) keeps that work: the batch ran in a savepoint.
        for earlier_work in [false, true] {
            let (_test_db, mut db) = open_on(engine).await;
            begin(&mut db).await;
            if earlier_work {
                db.execute("CREATE TABLE kept (x INTEGER)").await.unwrap();
            }
            let err = db
                .execute_batch(&[
                    "CREATE TABLE a (x INTEGER)",
                    "INSERT INTO a VALUES (1); SELECT 1",
                ])
                .await
                .unwrap_err();
            assert_eq!(err.index, 1, "{err:?}");
            assert!(
                !db.table_exists(&VersionTable::new("a")).await.unwrap(),
                "the batch is undone"
            );
            assert_eq!(
                db.table_exists(&VersionTable::new("kept")).await.unwrap(),
                earlier_work
            );
            db.execute_batch(&["CREATE TABLE c (z INTEGER)"])
                .await
                .unwrap();
            db.commit().await.unwrap();
            assert!(
                db.table_exists(&VersionTable::new("c")).await.unwrap(),
                "a transaction was open"
            );
            assert_eq!(
                db.table_exists(&VersionTable::new("kept")).await.unwrap(),
                earlier_work
            );
            db.close().await;
        }
    }
}

/// Re-running a failed batch one statement at a time is not faithful for a
/// statement whose effect no rollback undoes (`ATTACH`): the first run's
/// failure is the one reported, not the re-run's.
#[tokio::test]
async fn a_failure_after_an_attach_blames_the_failing_statement() {
    let (dir, mut db) = open().await;
    begin(&mut db).await;
    let attach = format!(
        "ATTACH DATABASE '{}' AS x2",
        dir.path().join("x2.sqlite").display()
    );
    let err = db
        .execute_batch(&[
            &attach,
            "CREATE TABLE x2.t (x INTEGER)",
            "INSERT INTO missing VALUES (1)",
        ])
        .await
        .unwrap_err();
    assert_eq!(err.index, 2, "{err:?}");
    assert!(
        err.error.message().contains("no such table: missing"),
        "{err:?}"
    );
    db.rollback().await.unwrap();
    db.close().await;
}
