//! Review of autogenerate on the servers: the revisions it writes are
//! applied, undone one step at a time and applied again on real servers.

mod common;

use common::*;

/// A PostgreSQL project whose target schema is `schema.sql` holding `ddl`,
/// or None when no PostgreSQL server is configured.
fn postgres_project(ddl: &str) -> Option<Project> {
    if !engines().contains(&Engine::Postgres) {
        return None;
    }
    let p = Project::with_config_on(Engine::Postgres, "target_schema = \"schema.sql\"\n");
    p.write_file("schema.sql", ddl);
    Some(p)
}

#[test]
fn a_concurrent_not_null_downgrades_one_revision_at_a_time() {
    let Some(p) = postgres_project("CREATE TABLE t (id INT PRIMARY KEY, v INT);\n") else {
        return;
    };
    p.ok(&["revision", "--autogenerate", "-m", "first"]);
    p.ok(&["upgrade", "head"]);
    let db = p.server().expect("a server");
    db.execute("INSERT INTO t VALUES (1, 10), (2, 20)");
    p.write_file(
        "schema.sql",
        "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL);\n",
    );
    p.ok(&[
        "revision",
        "--autogenerate",
        "--concurrently",
        "-m",
        "not null",
    ]);
    p.ok(&["upgrade", "head"]);
    p.ok(&["check"]);
    // The non-transactional part undone alone leaves what the
    // transactional part made, so that both apply again.
    p.ok(&["downgrade", "-1"]);
    p.ok(&["upgrade", "head"]);
    p.ok(&["check"]);
    p.ok(&["downgrade", "-2"]);
    let nullable = db.column(
        "SELECT is_nullable::text FROM information_schema.columns \
         WHERE table_name = 't' AND column_name = 'v'",
    );
    assert_eq!(nullable, ["YES"]);
    let constraints = db.column(
        "SELECT conname::text FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY 1",
    );
    assert_eq!(constraints, ["t_pkey"]);
    assert_eq!(db.column("SELECT count(*)::text FROM t"), ["2"]);
}

/// A MySQL/MariaDB project whose target schema is `schema.sql` holding
/// `ddl`, or None when no MySQL server is configured.
fn mysql_project(ddl: &str) -> Option<Project> {
    if !engines().contains(&Engine::MySql) {
        return None;
    }
    let p = Project::with_config_on(Engine::MySql, "target_schema = \"schema.sql\"\n");
    p.write_file("schema.sql", ddl);
    Some(p)
}

/// Upgrades to the revision `schema.sql` holding `ddl` asks for, checks,
/// goes back one step (`SHOW CREATE TABLE` of `tables` as before), and
/// goes up again.
fn round_trip(p: &Project, ddl: &str, tables: &[&str]) {
    let db = p.server().expect("a server");
    let show = || {
        tables
            .iter()
            .map(|t| db.query(&format!("SHOW CREATE TABLE `{t}`")))
            .collect::<Vec<_>>()
    };
    let before = show();
    p.write_file("schema.sql", ddl);
    p.ok(&["revision", "--autogenerate", "-m", "change"]);
    p.ok(&["upgrade", "head"]);
    p.ok(&["check"]);
    p.ok(&["downgrade", "-1"]);
    assert_eq!(show(), before, "the downgrade of {ddl}");
    p.ok(&["upgrade", "head"]);
    p.ok(&["check"]);
}

#[test]
fn a_generated_column_turned_stored_or_regular_on_mysql() {
    let first = "CREATE TABLE g (id INT PRIMARY KEY, a INT, b INT AS (a + 1) VIRTUAL, c INT, KEY kb (b));\n";
    let Some(p) = mysql_project(first) else {
        return;
    };
    p.ok(&["revision", "--autogenerate", "-m", "first"]);
    p.ok(&["upgrade", "head"]);
    let db = p.server().expect("a server");
    db.execute("INSERT INTO g (id, a, c) VALUES (1, 10, 7), (2, 20, 8)");
    let stored =
        "CREATE TABLE g (id INT PRIMARY KEY, a INT, b INT AS (a + 1) STORED, c INT, KEY kb (b));\n";
    round_trip(&p, stored, &["g"]);
    let regular = "CREATE TABLE g (id INT PRIMARY KEY, a INT, b INT, c INT AS (a + 2) VIRTUAL, KEY kb (b));\n";
    round_trip(&p, regular, &["g"]);
    assert_eq!(
        db.column("SELECT CONCAT(id, ':', COALESCE(b, 'null')) FROM g ORDER BY id")
            .len(),
        2
    );
}

#[test]
fn privileges_and_column_statistics_are_warned_about_on_postgresql() {
    let Some(p) = postgres_project(
        "CREATE TABLE t (id INT PRIMARY KEY, v INT);\n\
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\
         GRANT SELECT ON t TO PUBLIC;\n\
         GRANT UPDATE (v) ON t TO PUBLIC;\n\
         REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;\n\
         ALTER TABLE t ALTER COLUMN v SET STATISTICS 500;\n",
    ) else {
        return;
    };
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1, "{run}");
    for said in [
        "table t: privileges (GRANT/REVOKE) are not modelled",
        "column t.v: privileges (GRANT/REVOKE) are not modelled",
        "function f(): privileges (GRANT/REVOKE) are not modelled",
        "column t.v: its statistics target (SET STATISTICS 500) is not modelled",
    ] {
        assert!(run.stderr.contains(said), "{said}: {run}");
    }
}

#[test]
fn a_json_column_keeps_its_collation_when_mariadb_converts_the_table() {
    let first = "CREATE TABLE j (id INT PRIMARY KEY, doc JSON, name VARCHAR(20)) \
                 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n";
    let Some(p) = mysql_project(first) else {
        return;
    };
    let db = p.server().expect("a server");
    let mariadb = db.column("SELECT VERSION()")[0].contains("MariaDB");
    if !mariadb {
        return;
    }
    p.ok(&["revision", "--autogenerate", "-m", "first"]);
    p.ok(&["upgrade", "head"]);
    db.execute("INSERT INTO j VALUES (1, '{\"a\": 1}', 'x')");
    let collation = || {
        db.column(
            "SELECT COLLATION_NAME FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'j' AND COLUMN_NAME = 'doc'",
        )
    };
    assert_eq!(collation(), ["utf8mb4_bin"]);
    let converted = "CREATE TABLE j (id INT PRIMARY KEY, doc JSON, name VARCHAR(20)) \
                     DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n";
    p.write_file("schema.sql", converted);
    p.ok(&["revision", "--autogenerate", "-m", "collation"]);
    p.ok(&["upgrade", "head"]);
    p.ok(&["check"]);
    assert_eq!(collation(), ["utf8mb4_bin"], "after the upgrade");
    p.ok(&["downgrade", "-1"]);
    assert_eq!(collation(), ["utf8mb4_bin"], "after the downgrade");
}

#[test]
fn names_differing_in_case_are_different_objects_on_postgresql() {
    let first = "CREATE TABLE feed (id INT PRIMARY KEY, title TEXT);\n";
    let Some(p) = postgres_project(first) else {
        return;
    };
    p.ok(&["revision", "--autogenerate", "-m", "first"]);
    p.ok(&["upgrade", "head"]);
    let db = p.server().expect("a server");
    db.execute("INSERT INTO feed VALUES (1, 'a')");
    // "Feed" and "Title" are other names than feed and title there.
    let quoted = "CREATE TABLE \"Feed\" (id INT PRIMARY KEY, \"Title\" TEXT);\n";
    p.write_file("schema.sql", quoted);
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1, "{run}");
    p.ok(&[
        "revision",
        "--autogenerate",
        "-m",
        "quoted",
        "--rename",
        "feed=Feed",
        "--rename",
        "Feed.title=Title",
    ]);
    p.ok(&["upgrade", "head"]);
    p.ok(&["check"]);
    assert_eq!(db.column("SELECT \"Title\" FROM \"Feed\""), ["a"]);
    p.ok(&["downgrade", "-1"]);
    assert_eq!(db.column("SELECT title FROM feed"), ["a"]);
}

#[test]
fn an_enum_value_removed_on_mysql_is_a_data_loss_warning() {
    let first = "CREATE TABLE e (id INT PRIMARY KEY, v ENUM('a','b','it''s') NOT NULL);\n";
    let Some(p) = mysql_project(first) else {
        return;
    };
    p.ok(&["revision", "--autogenerate", "-m", "first"]);
    p.ok(&["upgrade", "head"]);
    p.write_file(
        "schema.sql",
        "CREATE TABLE e (id INT PRIMARY KEY, v ENUM('a','b') NOT NULL);\n",
    );
    let run = p.ok(&["revision", "--autogenerate", "-m", "fewer"]);
    assert!(run.stderr.contains("WARNING: DATA LOSS"), "{run}");
    assert!(run.stderr.contains("'it''s'"), "{run}");
    p.ok(&["upgrade", "head"]);
    p.write_file(
        "schema.sql",
        "CREATE TABLE e (id INT PRIMARY KEY, v ENUM('a','b','c') NOT NULL);\n",
    );
    let run = p.ok(&["revision", "--autogenerate", "-m", "more"]);
    assert!(!run.stderr.contains("WARNING"), "{run}");
}
