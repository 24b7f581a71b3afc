//! The README's autogenerate walk-through, `examples/anypod/workflow.sh`, run
//! as written with this build's `aludel` (in a temporary copy of the
//! example): every step succeeds, the rows inserted at the start are all
//! there after the upgrade and after the downgrade, the rename keeps the
//! titles, and `check` exits 1 on drift and 0 after the upgrade.

mod common;

use std::process::Command;

use common::anypod_dir;

/// The walk-through's output, or a panic with everything it printed.
fn run_workflow(work: &std::path::Path) -> (String, String) {
    let script = anypod_dir().join("workflow.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(work)
        .env("ALUDEL", env!("CARGO_BIN_EXE_aludel"))
        .output()
        .expect("run bash examples/anypod/workflow.sh (bash and the sqlite3 shell are needed)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "workflow.sh failed ({}):\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}",
        out.status
    );
    (stdout, stderr)
}

#[test]
fn the_readme_walk_through_runs_and_keeps_every_row() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let work = dir.path().join("anypod");
    let (stdout, stderr) = run_workflow(&work);
    let all = format!("--- stdout ---\n{stdout}--- stderr ---\n{stderr}");

    // Row counts after each step: nothing lost by the rebuild of `download`,
    // the rename of `feed.title`, or the way back.
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

    // Drift is exit 1 before the revision exists; check passes after upgrade
    // (the script runs under `set -e`, so a failing check would have stopped it).
    assert!(
        stdout.contains("aludel check exited 1 (the database differs from schema.sql)"),
        "{all}"
    );
    // `check` (no rename declared) warns that feed.title's data would be
    // lost; the revision, with --rename, renames it: the titles moved to
    // `name` and back to `title`, and the triggers still counted the downloads.
    assert!(
        stderr.contains("WARNING: column 'feed.title' is dropped and 'feed.name' added"),
        "{all}"
    );
    assert!(
        stderr.contains("INFO  [aludel] Detected renamed column 'feed.title' to 'feed.name'"),
        "{all}"
    );
    assert!(
        !stderr.contains("INFO  [aludel] Detected removed column"),
        "{all}"
    );
    let titles: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("news|") || l.starts_with("talk|"))
        .collect();
    assert_eq!(
        titles,
        [
            "news|Daily News|1",
            "talk|Talk Show|1",
            "news|Daily News|1",
            "talk|Talk Show|1"
        ],
        "{all}"
    );

    // The generated revision: a native rename, a native ADD COLUMN, and a
    // rebuild of `download` (nullability and type) that keeps its triggers.
    let versions = work.join("migrations").join("versions");
    let generated: Vec<_> = std::fs::read_dir(&versions)
        .expect("versions folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with("_feed_name_and_tags.sql"))
        .collect();
    assert_eq!(generated.len(), 1, "{generated:?}");
    let text = std::fs::read_to_string(&generated[0]).expect("read the generated revision");
    assert!(text.contains("RENAME COLUMN title TO name"), "{text}");
    assert!(text.contains("ADD COLUMN tags"), "{text}");
    assert!(text.contains("_aludel_new_download"), "{text}");
    assert!(
        text.contains("CREATE TRIGGER downloads_update_downloaded_at"),
        "{text}"
    );
    // The repository's example is untouched: the script worked in its copy.
    let example_schema =
        std::fs::read_to_string(anypod_dir().join("schema.sql")).expect("read schema.sql");
    assert!(example_schema.contains("\ttitle VARCHAR,\n"));
}
