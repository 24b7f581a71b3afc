//! What only PostgreSQL has: bad connections and privileges, the lock modes
//! for transaction-pooling proxies, schemas and the `search_path`,
//! `CREATE INDEX CONCURRENTLY`, and the `application_name` aludel connects
//! with. Each test runs when `ALUDEL_TEST_POSTGRES_URL` names a server.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Engine, Project, Run, engines, hold, rev, with_application_name};

/// A project on PostgreSQL, if a server is configured.
fn pg_project(extra_config: &str) -> Option<Project> {
    engines()
        .contains(&Engine::Postgres)
        .then(|| Project::with_config_on(Engine::Postgres, extra_config))
}

/// Runs `args`, which must fail with status 2 naming every culprit, never
/// print `secret`, and leave the database as it was.
fn fails_cleanly(p: &Project, args: &[&str], culprits: &[&str], secret: &str) -> Run {
    let before = p.snapshot();
    let run = p.fails(args);
    for culprit in culprits {
        assert!(
            run.stderr.contains(culprit),
            "should name {culprit:?}:\n{run}"
        );
    }
    assert!(
        !run.stderr.contains(secret),
        "the password was printed:\n{run}"
    );
    assert!(
        !run.stdout.contains(secret),
        "the password was printed:\n{run}"
    );
    assert!(!run.stderr.contains("panicked"), "{run}");
    assert_eq!(p.snapshot(), before, "the database changed");
    run
}

/// `url` with user and password replaced.
fn as_user(url: &str, user: &str, password: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("postgres://{user}:{password}@{host}")
}

#[test]
fn bad_connections_exit_2_naming_the_server_and_never_the_password() {
    let Some(p) = pg_project("") else { return };
    p.write_rev(&rev("a1", &[]));
    p.ok(&["upgrade", "head"]);
    let url = p.db_url();
    let secret = "s3cr3t-pw";
    // Nothing listens on port 1.
    let unreachable = format!("postgres://postgres:{secret}@127.0.0.1:1/{}", "x");
    // A role the server does not know (the test server trusts every
    // password, so a wrong one cannot be tried).
    let no_role = as_user(&url, "aludel_no_such_role", secret);
    let db_name = p.server().map(|d| d.name.clone()).unwrap_or_default();
    let no_db = as_user(&url, "postgres", secret).replace(&db_name, "aludel_no_such_db");
    for (bad, culprits) in [
        (&unreachable, &["127.0.0.1:1"][..]),
        (&no_role, &["aludel_no_such_role"]),
        (&no_db, &["aludel_no_such_db", "does not exist"]),
    ] {
        for args in [&["upgrade", "head"][..], &["current"], &["stamp", "a1"]] {
            let mut full = vec!["--url", bad.as_str()];
            full.extend_from_slice(args);
            fails_cleanly(&p, &full, culprits, secret);
        }
    }
    assert_eq!(p.versions(), ["a1"]);
}

#[test]
fn a_role_without_create_privilege_is_refused_cleanly() {
    let Some(p) = pg_project("") else { return };
    let db = p.server().expect("a server database");
    let role = format!("{}_ro", db.name);
    db.execute(&format!("CREATE ROLE {role} LOGIN"));
    // PostgreSQL 15 grants no CREATE on `public` to others; say so anyway.
    db.execute(&format!(
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}"
    ));
    p.write_rev(&rev("a1", &[]));
    let url = as_user(&p.db_url(), &role, "pw-not-shown");
    let run = fails_cleanly(
        &p,
        &["--url", &url, "upgrade", "head"],
        &["permission denied for schema public"],
        "pw-not-shown",
    );
    assert!(run.stderr.contains("version table"), "{run}");
    assert!(!db.has_table("alembic_version"));
    db.execute(&format!("DROP ROLE {role}"));
}

#[test]
fn a_mysql_delimiter_file_fails_cleanly() {
    let Some(p) = pg_project("") else { return };
    p.write_rev(&rev("a1", &[]));
    p.ok(&["upgrade", "head"]);
    p.write_rev(&rev("b2", &["a1"]).upgrade(
        "CREATE TABLE kept_out (x INTEGER);\nDELIMITER $$\n\
         CREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n",
    ));
    // PostgreSQL's reading of SQL has no `DELIMITER`: the file is refused
    // before anything runs, naming the line and what the command is.
    let run = fails_cleanly(
        &p,
        &["upgrade", "head"],
        &["b2_rev.sql:9:", "`DELIMITER` is a MySQL client command"],
        "\u{0}",
    );
    assert!(!p.has_table("kept_out"), "{run}");
    assert_eq!(p.versions(), ["a1"]);
}

#[test]
fn create_index_concurrently_builds_a_valid_index_under_the_migration_lock() {
    let Some(p) = pg_project("") else { return };
    p.write_revs(&[
        rev("c1", &[]).upgrade(
            "CREATE TABLE big (n INTEGER);\nINSERT INTO big SELECT generate_series(1, 1000);\n",
        ),
        rev("c2", &["c1"])
            .no_transaction()
            .upgrade("CREATE INDEX CONCURRENTLY big_n ON big (n);\n")
            .downgrade("DROP INDEX big_n;\n"),
        rev("c3", &["c2"]),
    ]);
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["c3"]);
    assert_eq!(
        p.strings("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'big_n'::regclass"),
        ["true"]
    );
    p.ok(&["downgrade", "c1"]);
    assert!(
        p.strings("SELECT to_regclass('big_n')::text")
            .iter()
            .all(String::is_empty)
    );
}

#[test]
fn lock_modes_for_transaction_pooling_keep_concurrent_migrators_apart() {
    for mode in ["transaction", "table", "session"] {
        let extra = format!("lock_mode = \"{mode}\"\n");
        let Some(p) = pg_project(&extra) else { return };
        let chain: Vec<String> = (0..20).map(|i| format!("m{i:02}")).collect();
        for (i, id) in chain.iter().enumerate() {
            let parents: Vec<&str> = chain[..i].last().map(String::as_str).into_iter().collect();
            p.write_rev(&rev(id, &parents));
        }
        let children: Vec<_> = (0..4)
            .map(|_| {
                p.std_cmd()
                    .args(["upgrade", "head"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn aludel")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait for aludel");
            assert!(
                out.status.success(),
                "{mode}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(p.history_rows().len(), chain.len(), "{mode}");
        assert_eq!(p.versions(), ["m19"], "{mode}");
    }
}

#[test]
fn a_held_transaction_lock_or_table_lock_names_its_holder() {
    let key = aludel::driver::advisory_lock_key("public", "alembic_version");
    for (mode, take) in [
        (
            "transaction",
            format!("BEGIN; SELECT pg_advisory_xact_lock({key})"),
        ),
        (
            "table",
            "BEGIN; LOCK TABLE alembic_version IN EXCLUSIVE MODE".to_string(),
        ),
    ] {
        let extra = format!("lock_mode = \"{mode}\"\nlock_timeout = 1.5\n");
        let Some(p) = pg_project(&extra) else { return };
        p.write_rev(&rev("a1", &[]));
        p.ok(&["ensure-version"]);
        let db = p.server().expect("a server database");
        let url = with_application_name(&db.url, "other_tool");
        let held = hold(Engine::Postgres, &url, &take);
        let started = Instant::now();
        let run = p.fails(&["upgrade", "head"]);
        assert!(started.elapsed() >= Duration::from_millis(1400), "{run}");
        assert!(
            run.stderr.contains("gave up after waiting")
                && run.stderr.contains("application_name 'other_tool'")
                && run.stderr.contains("in a transaction since"),
            "{mode}: {run}"
        );
        assert!(p.versions().is_empty());
        drop(held);
        p.ok(&["upgrade", "head"]);
        assert_eq!(p.versions(), ["a1"], "{mode}");
    }
}

#[test]
fn version_table_schema_puts_both_tables_in_that_schema() {
    let Some(p) = pg_project("version_table_schema = \"app\"\n") else {
        return;
    };
    p.exec("CREATE SCHEMA app");
    p.write_revs(&[rev("s1", &[]), rev("s2", &["s1"])]);
    p.ok(&["upgrade", "head"]);
    assert!(!p.has_table("alembic_version"), "nothing in public");
    assert_eq!(
        p.strings("SELECT version_num FROM app.alembic_version"),
        ["s2"]
    );
    assert_eq!(p.int("SELECT count(*) FROM app.aludel_history"), 2);
    // A version table in `public` is another application's: not read.
    p.exec(
        "CREATE TABLE public.alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);\
         INSERT INTO public.alembic_version VALUES ('zz')",
    );
    assert_eq!(p.ok(&["current"]).stdout, "s2 (head)\n");
    p.ok(&["downgrade", "s1"]);
    assert_eq!(
        p.strings("SELECT version_num FROM app.alembic_version"),
        ["s1"]
    );
    assert_eq!(
        p.strings("SELECT version_num FROM public.alembic_version"),
        ["zz"]
    );
}

#[test]
fn a_search_path_in_the_url_places_the_version_table() {
    let Some(p) = pg_project("") else { return };
    p.exec("CREATE SCHEMA app");
    p.write_rev(&rev("s1", &[]));
    let url = format!("{}?options=-csearch_path%3Dapp", p.db_url());
    p.ok(&["--url", &url, "upgrade", "head"]);
    assert_eq!(
        p.strings("SELECT version_num FROM app.alembic_version"),
        ["s1"]
    );
    assert_eq!(
        p.strings("SELECT to_regclass('app.t_s1')::text"),
        ["app.t_s1"]
    );
    assert!(!p.has_table("alembic_version"), "nothing in public");
    assert_eq!(p.ok(&["--url", &url, "current"]).stdout, "s1 (head)\n");
    // Without the option the database is not at s1 (its public schema is
    // empty), and the migration lock is another one.
    assert_eq!(p.ok(&["current"]).stdout, "");
}

#[test]
fn aludel_connects_as_application_aludel_unless_the_url_names_one() {
    let Some(p) = pg_project("") else { return };
    p.write_rev(&rev("w1", &[]).upgrade("SELECT pg_sleep(2);\n"));
    let db = p.server().expect("a server database");
    let names = format!(
        "SELECT application_name FROM pg_stat_activity WHERE datname = '{}' \
         AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%'",
        db.name
    );
    for (url, expected) in [
        (p.db_url(), "aludel"),
        (with_application_name(&p.db_url(), "deployer"), "deployer"),
    ] {
        p.ok(&["--url", &url, "stamp", "base", "--purge"]);
        let child = p
            .std_cmd()
            .args(["--url", &url, "upgrade", "head"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn aludel");
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while seen.is_empty() && Instant::now() < deadline {
            seen = db.column(&names);
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().expect("wait for aludel");
        assert!(out.status.success());
        assert_eq!(seen, [expected]);
    }
}

/// Through PgBouncer with `pool_mode = transaction` (when
/// `ALUDEL_TEST_PGBOUNCER_URL` names one in front of the test server, e.g.
/// `postgres://postgres@127.0.0.1:6433/postgres`): `lock_mode =
/// "transaction"` keeps concurrent migrators apart; with `session` no
/// migration runs twice, and when a migrator notices that its session lock
/// is not held by the server connection its transaction runs on, it stops
/// naming `lock_mode = "transaction"` (a lock taken on a pooled server
/// connection may stay there and time the others out).
#[test]
fn through_a_transaction_pooling_pgbouncer() {
    let Some(bouncer) = std::env::var("ALUDEL_TEST_PGBOUNCER_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: PgBouncer case skipped: set ALUDEL_TEST_PGBOUNCER_URL to run it"
        );
        return;
    };
    for mode in ["transaction", "session"] {
        let Some(p) = pg_project("") else { return };
        let name = p.server().map(|d| d.name.clone()).unwrap_or_default();
        let url = aludel_testkit::database_url(&bouncer, &name);
        p.write_config(&format!(
            "script_location = \"migrations\"\ndatabase_url = \"{url}\"\n\
             lock_mode = \"{mode}\"\nlock_timeout = 5\n"
        ));
        let chain: Vec<String> = (0..30).map(|i| format!("b{i:02}")).collect();
        for (i, id) in chain.iter().enumerate() {
            let parents: Vec<&str> = chain[..i].last().map(String::as_str).into_iter().collect();
            p.write_rev(&rev(id, &parents));
        }
        let children: Vec<_> = (0..6)
            .map(|_| {
                p.std_cmd()
                    .args(["upgrade", "head"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn aludel")
            })
            .collect();
        let mut failures = Vec::new();
        for child in children {
            let out = child.wait_with_output().expect("wait for aludel");
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            if !out.status.success() {
                assert_eq!(out.status.code(), Some(2), "{mode}: {stderr}");
                failures.push(stderr);
            }
        }
        assert!(
            failures.is_empty()
                || (mode == "session"
                    && failures
                        .iter()
                        .any(|f| f.contains("lock_mode = \"transaction\""))),
            "{mode}: {failures:#?}"
        );
        let revisions: Vec<String> = p.history_rows().into_iter().map(|(r, _)| r).collect();
        let mut once = revisions.clone();
        once.dedup();
        assert_eq!(revisions, once, "{mode}: a migration ran twice");
        if mode == "transaction" {
            assert_eq!(revisions, chain);
        }
    }
}
