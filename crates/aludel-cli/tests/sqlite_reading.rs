//! Revision files are read exactly as SQLite reads them (aludel issue 6,
//! items 2 and 3): online and offline runs create what SQLite would.

mod common;

use common::{Project, rev};

/// `/* a /* b */` is a whole comment for SQLite, so the `CREATE TABLE` after
/// it runs; the `-- */` is a line comment.
const NESTED_LOOKING_COMMENT: &str = "/* a /* b */ CREATE TABLE t(x); -- */\n";

/// A trigger body setting unquoted `end` and `begin` columns.
const END_COLUMN_TRIGGER: &str = "CREATE TABLE ev (id INTEGER, end INTEGER, begin INTEGER);\n\
    CREATE TRIGGER ev_ins AFTER INSERT ON ev BEGIN\n\
    \x20 UPDATE ev SET end = NEW.id, begin = 1 WHERE id = NEW.id;\n\
    END;\n\
    INSERT INTO ev (id) VALUES (5);\n";

fn project() -> Project {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]).upgrade(NESTED_LOOKING_COMMENT));
    p.write_rev(&rev("bbb222", &["aaa111"]).upgrade(END_COLUMN_TRIGGER));
    p
}

#[test]
fn online_upgrade_runs_what_sqlite_reads() {
    let p = project();
    p.ok(&["upgrade", "head"]);
    assert!(
        p.has_table("t"),
        "the CREATE TABLE after `/* a /* b */` must run"
    );
    assert_eq!(p.int("SELECT end FROM ev WHERE id = 5"), 5);
    assert_eq!(p.int("SELECT begin FROM ev WHERE id = 5"), 1);
    assert_eq!(p.versions(), ["bbb222"]);
}

#[test]
fn offline_sql_holds_the_same_statements() {
    let p = project();
    let sql = p.ok(&["upgrade", "head", "--sql"]).stdout;
    assert!(sql.contains("CREATE TABLE t(x);"), "{sql}");
    assert!(sql.contains("WHERE id = NEW.id;\nEND;"), "{sql}");
    p.exec(&sql);
    assert!(p.has_table("t"));
    assert_eq!(p.int("SELECT end FROM ev WHERE id = 5"), 5);
}
