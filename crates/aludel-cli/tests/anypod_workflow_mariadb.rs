//! The Anypod autogenerate walk-through on MariaDB,
//! `examples/anypod/mariadb/workflow.sh`, run as written with this build's
//! `aludel` on a fresh database of the server `ALUDEL_TEST_MYSQL_URL`
//! names (skipped with a note when unset; a failure under
//! `ALUDEL_TEST_REQUIRE_SERVERS=1`): every step succeeds, `check` exits 1 on
//! drift and 0 after the upgrade, the rename keeps the titles, the triggers
//! still count downloads after the migration, and every row survives the
//! upgrade and the downgrade.

mod common;

use std::process::Command;

use common::{Engine, TestDb, anypod_dir, engines};

#[test]
fn the_mariadb_walk_through_runs_and_keeps_every_row() {
    if !engines().contains(&Engine::MySql) {
        return;
    }
    let db = TestDb::scratch(Engine::MySql);
    let dir = tempfile::tempdir().expect("temporary folder");
    let work = dir.path().join("anypod");
    let out = Command::new("bash")
        .arg(anypod_dir().join("mariadb/workflow.sh"))
        .arg(&work)
        .env("ALUDEL", env!("CARGO_BIN_EXE_aludel"))
        .env("DATABASE_URL", &db.url)
        .output()
        .expect(
            "run bash examples/anypod/mariadb/workflow.sh (bash and the mariadb client are needed)",
        );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let all = format!("--- stdout ---\n{stdout}--- stderr ---\n{stderr}");
    assert!(
        out.status.success(),
        "workflow.sh failed ({}):\n{all}",
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
    let feeds: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("news\t") || l.starts_with("talk\t"))
        .collect();
    assert_eq!(
        feeds,
        [
            "news\tDaily News\t1",
            "talk\tTalk Show\t2",
            "news\tDaily News\t1",
            "talk\tTalk Show\t2"
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
    assert!(generated.contains("tags"), "{generated}");
    assert!(generated.contains("idx_download_published"), "{generated}");
}
