//! The runner against real databases (every engine of `common::engines()`):
//! transactions, rollback, history rows, concurrency; embedded migrations and
//! pools (SQLite).

mod common;

use aludel::Error;
use aludel::history::History;
use aludel::runner::{self, Direction, RunOptions};
use aludel::sqlx::{self, SqlitePool};
use common::{Engine, engines, no_such_table, open, scratch, scratch_on, tables, write_rev};

static CHAIN: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/chain");

async fn run(
    url: &str,
    history: &History,
    direction: Direction,
    target: &str,
    per_migration: bool,
) -> Result<runner::RunSummary, Error> {
    let mut db = open(url).await;
    let mut log = |_: &str| {};
    let result = runner::migrate(
        &mut db,
        history,
        direction,
        target,
        RunOptions {
            session: aludel::driver::SessionSettings::default(),
            transaction_per_migration: per_migration,
            on_step: &mut log,
            accept_edited: false,
        },
    )
    .await;
    db.close().await;
    result
}

async fn pool(url: &str) -> SqlitePool {
    SqlitePool::connect(url).await.unwrap()
}

#[tokio::test]
async fn a_failing_statement_rolls_back_only_its_migration() {
    for engine in engines() {
        let (s, db) = scratch_on(engine);
        write_rev(
            &s.versions,
            "r1",
            "",
            "CREATE TABLE one (id INTEGER);",
            "DROP TABLE one;",
        );
        write_rev(
            &s.versions,
            "r2",
            "r1",
            "CREATE TABLE two (id INTEGER);\nINSERT INTO missing VALUES (1);",
            "DROP TABLE two;",
        );
        let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
        let err = run(&s.url, &history, Direction::Upgrade, "head", true)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("r2.sql:8"), "{text}");
        assert!(text.contains(&no_such_table(engine, "missing")), "{text}");
        let t = tables(&db);
        // Where DDL commits at once, r2's CREATE stays (recorded as run).
        assert!(
            t.contains(&"one".to_string())
                && t.contains(&"two".to_string()) == engine.ddl_commits(),
            "{t:?}"
        );
        assert_eq!(db.versions(), vec!["r1"]);
    }
}

#[tokio::test]
async fn one_transaction_for_the_run_rolls_back_everything() {
    for engine in engines() {
        let (s, db) = scratch_on(engine);
        write_rev(
            &s.versions,
            "r1",
            "",
            "CREATE TABLE one (id INTEGER);",
            "DROP TABLE one;",
        );
        write_rev(
            &s.versions,
            "r2",
            "r1",
            "CREATE TABLE two (id INTEGER);\nSELECT * FROM missing;",
            "DROP TABLE two;",
        );
        let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
        assert!(
            run(&s.url, &history, Direction::Upgrade, "head", false)
                .await
                .is_err()
        );
        if engine.ddl_commits() {
            // r2's CREATE committed r1 with it: both stay, r1 recorded.
            assert_eq!(db.versions(), vec!["r1"]);
            assert!(tables(&db).contains(&"two".to_string()));
            continue;
        }
        // Even the version table's creation was undone: the file is as it was.
        assert!(tables(&db).is_empty());
    }
}

#[tokio::test]
async fn non_transactional_sections_run_and_are_recorded() {
    for engine in engines() {
        let (s, db) = scratch_on(engine);
        // A statement the engine refuses inside a transaction.
        let outside = match engine {
            Engine::MySql => "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
            _ => "VACUUM",
        };
        let text = format!(
            "-- No txn\n--\n-- Revision ID: nt1\n-- Revises:\n\n-- migrate:upgrade transaction:false\nCREATE TABLE a (id INTEGER);\n{outside};\n\n-- migrate:downgrade\nDROP TABLE a;\n"
        );
        std::fs::write(s.versions.join("nt1.sql"), text).unwrap();
        let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
        // VACUUM cannot run inside a transaction: this passes only outside one.
        let summary = run(&s.url, &history, Direction::Upgrade, "head", true)
            .await
            .unwrap();
        assert_eq!(summary.applied, vec!["nt1"]);
        assert_eq!(db.versions(), vec!["nt1"]);
    }
}

#[tokio::test]
async fn history_rows_carry_direction_and_line_ending_independent_checksums() {
    for engine in engines() {
        let (s, db) = scratch_on(engine);
        write_rev(
            &s.versions,
            "r1",
            "",
            "CREATE TABLE one (id INTEGER);",
            "DROP TABLE one;",
        );
        let lf = History::load(std::slice::from_ref(&s.versions)).unwrap();
        let lf_sum = lf.file(lf.graph().find("r1").unwrap()).checksum().unwrap();
        let crlf_text = std::fs::read_to_string(s.versions.join("r1.sql"))
            .unwrap()
            .replace('\n', "\r\n");
        std::fs::write(s.versions.join("r1.sql"), crlf_text).unwrap();
        let history = History::load(std::slice::from_ref(&s.versions)).unwrap();
        let crlf_sum = history
            .file(history.graph().find("r1").unwrap())
            .checksum()
            .unwrap();
        assert_eq!(lf_sum, crlf_sum);
        run(&s.url, &history, Direction::Upgrade, "head", true)
            .await
            .unwrap();
        run(&s.url, &history, Direction::Downgrade, "base", true)
            .await
            .unwrap();
        let got: Vec<(String, String, String)> = db
            .query("SELECT revision, direction, checksum FROM aludel_history ORDER BY id")
            .into_iter()
            .map(|r| {
                let mut r = r.into_iter().map(Option::unwrap_or_default);
                let mut next = || r.next().unwrap_or_default();
                (next(), next(), next())
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("r1".into(), "upgrade".into(), lf_sum.clone()),
                ("r1".into(), "downgrade".into(), lf_sum)
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_migrators_apply_each_revision_once() {
    for engine in engines() {
        let (s, db) = scratch_on(engine);
        let mut parent = String::new();
        for i in 0..40 {
            let id = format!("c{i:03}");
            write_rev(
                &s.versions,
                &id,
                &parent,
                &format!("CREATE TABLE t{i} (id INTEGER);"),
                &format!("DROP TABLE t{i};"),
            );
            parent = id;
        }
        let history =
            std::sync::Arc::new(History::load(std::slice::from_ref(&s.versions)).unwrap());
        // Create the file first so that both openers see the same database.
        open(&s.url).await.close().await;
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let history = history.clone();
                let url = s.url.clone();
                tokio::spawn(async move {
                    run(&url, &history, Direction::Upgrade, "head", true)
                        .await
                        .map(|s| s.applied.len())
                })
            })
            .collect();
        let mut applied = 0;
        for t in tasks {
            applied += t.await.unwrap().unwrap();
        }
        assert_eq!(
            applied, 40,
            "every migration applied exactly once across migrators"
        );
        let n = db.column("SELECT COUNT(*) FROM aludel_history WHERE direction = 'upgrade'");
        let distinct = db.column("SELECT COUNT(DISTINCT revision) FROM aludel_history");
        assert_eq!(
            (n, distinct),
            (vec!["40".to_string()], vec!["40".to_string()])
        );
        assert_eq!(db.versions(), vec!["c039"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_migrators_run_a_non_transactional_section_once() {
    for engine in engines() {
        let (s, db) = scratch_on(engine);
        write_rev(
            &s.versions,
            "n1",
            "",
            "CREATE TABLE log (x INTEGER);",
            "DROP TABLE log;",
        );
        // Outside any transaction, and slow enough for the others to reach it too.
        let work = match engine {
            Engine::MySql => "INSERT INTO log SELECT 2000000 FROM DUAL WHERE SLEEP(1) = 0",
            _ => {
                "INSERT INTO log SELECT count(*) FROM (WITH RECURSIVE c(x) AS \
                 (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT x FROM c) AS s"
            }
        };
        let slow = format!(
            "-- Revision n2\n--\n-- Revision ID: n2\n-- Revises: n1\n\n\
             -- migrate:upgrade transaction:false\n{work};\n\n\
             -- migrate:downgrade\nDELETE FROM log;\n"
        );
        std::fs::write(s.versions.join("n2.sql"), slow).unwrap();
        write_rev(
            &s.versions,
            "n3",
            "n2",
            "INSERT INTO log VALUES (3);",
            "DELETE FROM log WHERE x = 3;",
        );
        let history =
            std::sync::Arc::new(History::load(std::slice::from_ref(&s.versions)).unwrap());
        open(&s.url).await.close().await;
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let history = history.clone();
                let url = s.url.clone();
                tokio::spawn(async move {
                    run(&url, &history, Direction::Upgrade, "head", true)
                        .await
                        .map(|s| s.applied)
                })
            })
            .collect();
        let mut applied = Vec::new();
        for t in tasks {
            applied.extend(t.await.unwrap().unwrap());
        }
        applied.sort();
        assert_eq!(applied, vec!["n1", "n2", "n3"]);
        let rows = db.column("SELECT x FROM log ORDER BY x");
        assert_eq!(rows, ["3", "2000000"], "the section ran exactly once");
        assert_eq!(db.versions(), vec!["n3"]);
    }
}

#[tokio::test]
async fn embedded_migrations_upgrade_downgrade_and_report_current() {
    let s = scratch();
    assert!(CHAIN.current(&s.url).await.unwrap().is_empty());
    let up = CHAIN.upgrade(&s.url, "head").await.unwrap();
    assert_eq!(up.applied, vec!["c1", "c2", "c3"]);
    assert_eq!(CHAIN.current(&s.url).await.unwrap(), vec!["c3"]);
    let p = pool(&s.url).await;
    let note: String = sqlx::query_scalar("SELECT note FROM t2")
        .fetch_one(&p)
        .await
        .unwrap();
    assert_eq!(note, "it's; fine");
    let down = CHAIN.downgrade(&s.url, "-2").await.unwrap();
    assert_eq!(down.applied, vec!["c3", "c2"]);
    assert_eq!(CHAIN.current(&s.url).await.unwrap(), vec!["c1"]);
}

#[tokio::test]
async fn embedded_migrations_run_through_an_application_pool() {
    // One connection: every connection to `:memory:` is a database of its own.
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    CHAIN.upgrade_pool(&pool, "c2").await.unwrap();
    assert_eq!(CHAIN.current_pool(&pool).await.unwrap(), vec!["c2"]);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t2")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    CHAIN.downgrade_pool(&pool, "base").await.unwrap();
    assert!(CHAIN.current_pool(&pool).await.unwrap().is_empty());
}

#[tokio::test]
async fn unknown_targets_change_nothing() {
    let s = scratch();
    CHAIN.upgrade(&s.url, "c1").await.unwrap();
    let err = CHAIN.upgrade(&s.url, "nope").await.unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
    assert_eq!(CHAIN.current(&s.url).await.unwrap(), vec!["c1"]);
}
