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
