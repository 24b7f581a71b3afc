//! Review findings on autogenerate/check: an offline rebuild script fed to
//! a client that goes on after an error (the `sqlite3` shell without
//! `-bail`) with foreign keys ON, tables the comparison cannot see, and the
//! data-loss warnings of a generated file repeated on stderr.

mod autogen_fixture;
mod common;

use aludel::sqlx::{self, AssertSqlSafe};
use autogen_fixture::generated;
use common::{Project, rev};

const PARENT_CHILD: &str = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n\
     CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id) ON DELETE CASCADE);";

#[test]
fn offline_rebuild_run_with_foreign_keys_on_keeps_cascaded_children() {
    let p = Project::with_config("target_schema = \"schema.sql\"\n");
    p.write_rev(
        &rev("f1", &[])
            .upgrade(PARENT_CHILD)
            .downgrade("DROP TABLE child;\nDROP TABLE parent;"),
    );
    p.write_file(
        "schema.sql",
        &PARENT_CHILD.replace("name TEXT)", "name TEXT NOT NULL DEFAULT 'x')"),
    );
    p.ok(&["upgrade", "head"]);
    p.exec(
        "INSERT INTO parent VALUES (1, 'a'), (2, NULL); INSERT INTO child VALUES (1, 1), (2, 2);",
    );
    p.ok(&["revision", "--autogenerate", "-m", "parent name not null"]);
    assert_eq!(generated(&p).len(), 1);
    let script = p.ok(&["upgrade", "--sql", "f1:head"]).stdout;
    let begin = script.find("BEGIN;").expect("a transaction");
    let pragma = script
        .find("PRAGMA foreign_keys = OFF;")
        .unwrap_or_else(|| panic!("no foreign_keys pragma:\n{script}"));
    assert!(pragma < begin, "the pragma must precede BEGIN:\n{script}");
    // Like the shell: one statement at a time, an error does not stop the
    // script, and the connection has foreign keys ON (sqlx's default).
    let errors = p.with_db(async |conn| {
        let mut errors = Vec::new();
        for statement in script.split(";\n\n").filter(|s| !s.trim().is_empty()) {
            let sql = AssertSqlSafe(format!("{statement};"));
            if let Err(e) = sqlx::raw_sql(sql).execute(&mut *conn).await {
                errors.push(format!("{e}"));
            }
        }
        errors
    });
    assert!(errors.is_empty(), "{errors:?}\n{script}");
    assert_eq!(p.int("SELECT count(*) FROM child"), 2);
    assert_eq!(p.int("SELECT count(*) FROM parent WHERE name = 'x'"), 1);
}

/// A virtual table is left out of the comparison: `check` must say so on
/// stderr, naming it, instead of reporting a clean "no operations".
#[test]
fn check_warns_about_a_virtual_table_it_cannot_compare() {
    let p = Project::with_config("target_schema = \"schema.sql\"\n");
    p.write_rev(
        &rev("f1", &[])
            .upgrade("CREATE TABLE k (name TEXT);")
            .downgrade("DROP TABLE k;"),
    );
    p.write_file(
        "schema.sql",
        "CREATE TABLE k (name TEXT);\nCREATE VIRTUAL TABLE f USING fts5(name, content='k');",
    );
    p.ok(&["upgrade", "head"]);
    let run = p.run(&["check"]);
    assert!(
        run.stderr
            .contains("WARNING: target schema: table f: virtual tables are not compared"),
        "{run}"
    );
}

/// A column dropped without a rename candidate loses its data: the file's
/// `DATA LOSS` warning is on stderr too, even with `-q`.
#[test]
fn a_dropped_column_warns_about_data_loss_on_stderr() {
    let p = Project::with_config("target_schema = \"schema.sql\"\n");
    p.write_rev(
        &rev("f1", &[])
            .upgrade("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b TEXT);")
            .downgrade("DROP TABLE t;"),
    );
    p.write_file(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT);",
    );
    p.ok(&["upgrade", "head"]);
    let run = p.ok(&["-q", "revision", "--autogenerate", "-m", "drop a"]);
    assert!(
        run.stderr
            .contains("WARNING: DATA LOSS: drops column 't.a'"),
        "{run}"
    );
}
