//! The Anypod autogenerate walk-through on the servers,
//! `examples/anypod/postgres/workflow.sh` and
//! `examples/anypod/mariadb/workflow.sh`, run as written with this build's
//! `aludel` on a fresh database of the server `ALUDEL_TEST_POSTGRES_URL` /
//! `ALUDEL_TEST_MYSQL_URL` names (skipped with a note when unset; a failure
//! under `ALUDEL_TEST_REQUIRE_SERVERS=1`): every step succeeds, `check` exits
//! 1 on drift and 0 after the upgrade, the rename keeps the titles, the
//! triggers still count downloads after the migration, and every row
//! survives the upgrade and the downgrade.

mod common;

use std::process::Command;

use common::{Engine, TestDb, anypod_dir, engines};

#[test]
fn the_postgres_walk_through_runs_and_keeps_every_row() {
    walk_through(Engine::Postgres, "postgres", "psql", '|');
}

#[test]
fn the_mariadb_walk_through_runs_and_keeps_every_row() {
    walk_through(Engine::MySql, "mariadb", "the mariadb client", '\t');
}

/// Runs `examples/anypod/<folder>/workflow.sh` on a fresh database of
/// `engine` and checks what it printed (`client` prints query rows with
/// columns separated by `separator`).
fn walk_through(engine: Engine, folder: &str, client: &str, separator: char) {
    if !engines().contains(&engine) {
        return;
    }
    let db = TestDb::scratch(engine);
    let dir = tempfile::tempdir().expect("temporary folder");
    let work = dir.path().join("anypod");
    let script = format!("{folder}/workflow.sh");
    let out = Command::new("bash")
        .arg(anypod_dir().join(&script))
        .arg(&work)
        .env("ALUDEL", env!("CARGO_BIN_EXE_aludel"))
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap_or_else(|e| panic!("run bash examples/anypod/{script} ({client} is needed): {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let all = format!("--- stdout ---\n{stdout}--- stderr ---\n{stderr}");
    assert!(
        out.status.success(),
        "{script} failed ({}):\n{all}",
        out.status
    );

    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("rows after "))
        .collect();
    assert_eq!(
        rows,
        [
            "rows after upgrade head: feed=2 download=3",
            "rows after upgrade head: feed=2 download=3",
            "rows after downgrade -1: feed=2 download=3",
        ],
        "{all}"
    );
    assert!(
        stdout.contains("aludel check exited 1 (the database differs from schema.sql)"),
        "{all}"
    );
    assert!(
        stderr.contains("Detected renamed column 'feed.title' to 'feed.name'"),
        "{all}"
    );
    assert!(
        !stderr.contains("INFO  [aludel] Detected removed column"),
        "{all}"
    );
    // After the upgrade ep2 became DOWNLOADED: the trigger counted it (2);
    // the downgrade kept the counts and brought `title` back.
    let feeds: Vec<String> = stdout
        .lines()
        .filter(|l| {
            l.starts_with(&format!("news{separator}")) || l.starts_with(&format!("talk{separator}"))
        })
        .map(|l| l.replace(separator, "|"))
        .collect();
    assert_eq!(
        feeds,
        [
            "news|Daily News|1",
            "talk|Talk Show|2",
            "news|Daily News|1",
            "talk|Talk Show|2"
        ],
        "{all}"
    );
    let versions = work.join("migrations").join("versions");
    let generated: String = std::fs::read_dir(&versions)
        .expect("versions folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains("_feed_name_and_tags"))
        .map(|p| std::fs::read_to_string(p).expect("read the generated revision"))
        .collect();
    assert!(generated.contains("RENAME COLUMN"), "{generated}");
    assert!(generated.contains("title"), "{generated}");
    assert!(generated.contains("tags"), "{generated}");
    assert!(generated.contains("idx_download_published"), "{generated}");
}
