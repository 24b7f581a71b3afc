//! Renames in `aludel check` and `revision --autogenerate`: declared with
//! `--rename` (the data is kept), mistyped (refused before anything else), or
//! left undeclared (a drop and an add, with a warning on stderr).

mod autogen_fixture;
mod common;

use autogen_fixture::{generated, only_generated, project};

#[test]
fn a_declared_column_rename_keeps_the_data() {
    let p = project("CREATE TABLE feed (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    p.ok(&["upgrade", "head"]);
    p.exec("INSERT INTO feed (id, title) VALUES (1, 'kept');");
    let run = p.ok(&[
        "revision",
        "--autogenerate",
        "-m",
        "rename",
        "--rename",
        "feed.title=name",
    ]);
    assert!(!run.stderr.contains("WARNING"), "{run}");
    let text = only_generated(&p);
    assert!(text.contains("RENAME COLUMN"), "{text}");
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.strings("SELECT name FROM feed"), ["kept"]);
    p.ok(&["check"]);
    p.ok(&["downgrade", "-1"]);
    assert_eq!(p.strings("SELECT title FROM feed"), ["kept"]);
}

#[test]
fn a_declared_table_rename_keeps_the_data() {
    let p = project("CREATE TABLE channel (id INTEGER PRIMARY KEY, title TEXT NOT NULL);");
    p.ok(&["upgrade", "head"]);
    p.exec("INSERT INTO feed (id, title) VALUES (1, 'kept');");
    p.ok(&[
        "revision",
        "--autogenerate",
        "-m",
        "rename",
        "--rename",
        "feed=channel",
    ]);
    let text = only_generated(&p);
    assert!(text.contains("RENAME TO"), "{text}");
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.strings("SELECT title FROM channel"), ["kept"]);
    p.ok(&["check"]);
}

#[test]
fn a_rename_that_names_nothing_fails_before_any_warning() {
    let p = project("CREATE TABLE feed (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    p.ok(&["upgrade", "head"]);
    let run = p.fails(&["check", "--rename", "feed.nope=name"]);
    assert!(
        run.stderr.contains(
            "--rename feed.nope=name: column 'feed.nope' does not exist in the current schema"
        ),
        "{run}"
    );
    assert!(!run.stderr.contains("WARNING"), "{run}");
    let run = p.fails(&["revision", "--autogenerate", "-m", "x", "--rename", "feed="]);
    assert!(run.stderr.contains("--rename \"feed=\""), "{run}");
    assert!(generated(&p).is_empty());
}

#[test]
fn an_undeclared_rename_is_a_drop_and_an_add_with_a_warning() {
    let p = project("CREATE TABLE feed (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    p.ok(&["upgrade", "head"]);
    // assert_cmd's stdin is not a terminal: nothing is asked.
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains(
            "WARNING: column 'feed.title' is dropped and 'feed.name' added: data in 'feed.title' \
             will be lost; if it was renamed, re-run with --rename feed.title=name"
        ),
        "{run}"
    );
    assert!(!run.stderr.contains("[y/N]"), "{run}");
    let run = p.ok(&["revision", "--autogenerate", "-m", "replace"]);
    assert!(run.stderr.contains("WARNING: column 'feed.title'"), "{run}");
    assert!(
        run.stderr.contains("Detected removed column 'feed.title'"),
        "{run}"
    );
    assert!(
        run.stderr.contains("Detected added column 'feed.name'"),
        "{run}"
    );
}
