//! Every command on MariaDB/MySQL, offline SQL the `mariadb` client accepts,
//! bad input, and concurrent migrators kept apart by `GET_LOCK` (run with
//! `ALUDEL_TEST_MYSQL_URL` set).

mod mysql_fixture;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use mysql_fixture::{Project, client, finish};

fn chain(project: &Project) {
    project.write_rev("a1", "", "CREATE TABLE t1 (x INT);", "DROP TABLE t1;");
    project.write_rev(
        "b2",
        "a1",
        "CREATE TABLE t2 (x INT);\nINSERT INTO t2 VALUES (1);",
        "DROP TABLE t2;",
    );
}

#[test]
fn every_command_works_on_the_server() {
    let Some(project) = Project::new("") else {
        return;
    };
    chain(&project);
    let ok = |args: &[&str]| {
        let run = project.run(args);
        assert_eq!(run.code, 0, "{args:?}: {run}");
        run
    };
    ok(&["ensure-version"]);
    assert!(project.db.has_table("alembic_version"));
    assert!(project.db.versions().is_empty());
    assert_eq!(project.run(&["current", "--check-heads"]).code, 1);
    let run = ok(&["upgrade", "+1"]);
    assert!(run.stderr.contains("Running upgrade  -> a1"), "{run}");
    assert_eq!(project.db.versions(), ["a1"]);
    ok(&["upgrade", "head"]);
    assert_eq!(project.db.versions(), ["b2"]);
    assert_eq!(ok(&["current"]).stdout.trim(), "b2 (head)");
    ok(&["current", "--check-heads"]);
    ok(&["current", "--verify"]);
    assert!(ok(&["history", "-i"]).stdout.contains("(current)"));
    assert!(ok(&["heads"]).stdout.contains("b2 (head)"));
    ok(&["branches"]);
    assert!(ok(&["show", "current"]).stdout.contains("Rev: b2"));
    ok(&["downgrade", "-1"]);
    assert_eq!(project.db.versions(), ["a1"]);
    assert!(!project.db.has_table("t2"));
    ok(&["stamp", "b2"]);
    assert_eq!(project.db.versions(), ["b2"]);
    ok(&["stamp", "--purge", "a1"]);
    assert_eq!(project.db.versions(), ["a1"]);
    ok(&["downgrade", "base"]);
    assert!(project.db.versions().is_empty());
    assert!(!project.db.has_table("t1"));
    let directions = project
        .db
        .column("SELECT direction FROM aludel_history ORDER BY id");
    assert_eq!(
        directions,
        [
            "upgrade",
            "upgrade",
            "downgrade",
            "stamp",
            "stamp",
            "downgrade"
        ]
    );
}

#[test]
fn offline_sql_runs_in_the_mariadb_client() {
    let Some(project) = Project::new("") else {
        return;
    };
    project.write_rev(
        "a1",
        "",
        "CREATE TABLE t1 (x INT, s VARCHAR(20));\nINSERT INTO t1 VALUES (1, 'it''s');",
        "DROP TABLE t1;",
    );
    project.write_rev(
        "b2",
        "a1",
        "ALTER TABLE t1 ADD y INT;",
        "ALTER TABLE t1 DROP y;",
    );
    let run = project.run(&["upgrade", "head", "--sql"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("INSERT INTO alembic_version (version_num) VALUES ('a1');")
    );
    pipe_into_client(&project, &run.stdout);
    assert_eq!(project.db.versions(), ["b2"]);
    assert_eq!(project.db.column("SELECT s FROM t1"), ["it's"]);
    // aludel goes on from what the script did.
    let run = project.run(&["current"]);
    assert_eq!(run.stdout.trim(), "b2 (head)", "{run}");
    // The other offline scripts replay too: downgrade, stamp, ensure-version.
    let down = project.run(&["downgrade", "b2:base", "--sql"]);
    assert_eq!(down.code, 0, "{down}");
    pipe_into_client(&project, &down.stdout);
    assert!(project.db.versions().is_empty());
    assert!(!project.db.has_table("t1"));
    // An offline stamp creates the version table, as Alembic's does: it
    // replays on a database without one.
    project.db.execute("DROP TABLE alembic_version");
    let stamp = project.run(&["stamp", "a1", "--sql"]);
    assert_eq!(stamp.code, 0, "{stamp}");
    pipe_into_client(&project, &stamp.stdout);
    assert_eq!(project.db.versions(), ["a1"]);
    let ensure = project.run(&["ensure-version", "--sql"]);
    assert_eq!(ensure.code, 0, "{ensure}");
    assert!(
        ensure.stdout.contains("CREATE TABLE alembic_version"),
        "{ensure}"
    );
}

/// Pipes `sql` into the `mariadb` client on the project's database, which
/// must accept all of it.
fn pipe_into_client(project: &Project, sql: &str) {
    let mut child = client(&project.db.url, &project.db.name)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mariadb client");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(sql.as_bytes())
        .expect("piping the SQL");
    let piped = finish(child.wait_with_output().expect("the client finishes"));
    assert_eq!(piped.code, 0, "{piped}\n{sql}");
}

#[test]
fn bad_connections_name_the_database_and_never_the_password() {
    let Some(project) = Project::new("") else {
        return;
    };
    chain(&project);
    let (host, port, _) = mysql_fixture::server_parts(&project.db.url);
    let user = format!("u_{}", &project.db.name[9..]);
    project.db.execute(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY 'Sekr1t-pw'; \
         GRANT SELECT ON {}.* TO '{user}'@'%'",
        project.db.name
    ));
    let cases = [
        (
            format!("mysql://root:Sekr1t-pw@127.0.0.1:1/{}", project.db.name),
            "opening mysql://root:***@127.0.0.1:1/",
        ),
        (
            format!(
                "mysql://{user}:Wrong-Sekr1t-pw@{host}:{port}/{}",
                project.db.name
            ),
            "Access denied",
        ),
        (
            format!("mysql://{user}:Sekr1t-pw@{host}:{port}/no_such_db_aludel"),
            "no_such_db_aludel",
        ),
        (
            format!("mysql://{user}:Sekr1t-pw@{host}:{port}/{}", project.db.name),
            "creating the version table",
        ),
    ];
    for (url, expected) in cases {
        let run = project.run(&["--url", &url, "upgrade", "head"]);
        assert_eq!(run.code, 2, "{url}: {run}");
        assert!(run.stderr.contains(expected), "{expected}: {run}");
        assert!(!run.stderr.contains("Sekr1t"), "password shown: {run}");
        assert!(!run.stdout.contains("Sekr1t"), "password shown: {run}");
    }
    project.db.execute(&format!("DROP USER '{user}'@'%'"));
    assert!(!project.db.has_table("alembic_version"));
}

#[test]
fn postgres_lock_modes_are_refused() {
    let Some(project) = Project::new("lock_mode = \"transaction\"") else {
        return;
    };
    chain(&project);
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("lock_mode = \"transaction\" is for PostgreSQL; MySQL and MariaDB take"),
        "{run}"
    );
    assert!(!project.db.has_table("t1"));
}

/// Waits until some connection holds the migration lock of `project`.
fn wait_for_lock_holder(project: &Project) {
    let name = format!("aludel:{}.alembic_version", project.db.name);
    let started = Instant::now();
    while project.db.column(&format!("SELECT IS_USED_LOCK('{name}')")) == [""] {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nobody took {name}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_lock_timeout_names_the_holder() {
    let Some(project) = Project::new("lock_timeout = 1") else {
        return;
    };
    project.write_rev("a1", "", "SELECT SLEEP(4);", "SELECT 1;");
    let holder = project.spawn(&["upgrade", "head"]);
    wait_for_lock_holder(&project);
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    let name = format!(
        "the migration lock 'aludel:{}.alembic_version' (GET_LOCK), held by connection",
        project.db.name
    );
    assert!(run.stderr.contains(&name), "{run}");
    assert!(run.stderr.contains("gave up after waiting"), "{run}");
    let first = finish(holder.wait_with_output().expect("the holder finishes"));
    assert_eq!(first.code, 0, "{first}");
    assert_eq!(project.db.versions(), ["a1"]);
}

#[test]
fn eight_migrators_at_once_apply_each_revision_once() {
    let Some(project) = Project::new("") else {
        return;
    };
    let mut parent = String::new();
    for i in 0..6 {
        let id = format!("r{i}");
        project.write_rev(
            &id,
            &parent,
            &format!("CREATE TABLE t{i} (x INT);\nINSERT INTO t{i} VALUES ({i});"),
            &format!("DROP TABLE t{i};"),
        );
        parent = id;
    }
    let children: Vec<_> = (0..8)
        .map(|_| project.spawn(&["upgrade", "head"]))
        .collect();
    for child in children {
        let run = finish(child.wait_with_output().expect("a migrator finishes"));
        assert_eq!(run.code, 0, "{run}");
    }
    assert_eq!(project.db.versions(), ["r5"]);
    assert_eq!(
        project
            .db
            .column("SELECT COUNT(*) FROM aludel_history WHERE direction = 'upgrade'"),
        ["6"]
    );
    for i in 0..6 {
        assert_eq!(
            project.db.column(&format!("SELECT COUNT(*) FROM t{i}")),
            ["1"]
        );
    }
}

#[test]
fn a_killed_lock_holder_frees_the_lock_for_the_next_migrator() {
    let Some(project) = Project::new("lock_timeout = 30") else {
        return;
    };
    project.write_rev("a1", "", "SELECT SLEEP(5);", "SELECT 1;");
    let mut holder = project.spawn(&["upgrade", "head"]);
    wait_for_lock_holder(&project);
    // SIGKILL: no chance to release anything.
    holder.kill().expect("killing the holder");
    let killed = holder.wait().expect("the holder is gone");
    assert!(!killed.success());
    let started = Instant::now();
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(project.db.versions(), ["a1"]);
    assert_eq!(
        project.db.column("SELECT COUNT(*) FROM aludel_progress"),
        ["0"]
    );
}

#[test]
fn bookkeeping_values_reach_the_server_byte_for_byte() {
    let Some(project) = Project::new("") else {
        return;
    };
    chain(&project);
    let user = r"o'brien\n\";
    let run = finish(
        project
            .command(&["upgrade", "head"])
            .env("USER", user)
            .output()
            .expect("aludel runs"),
    );
    assert_eq!(run.code, 0, "{run}");
    let by = project
        .db
        .column("SELECT DISTINCT applied_by FROM aludel_history");
    assert_eq!(by.len(), 1);
    assert!(by[0].starts_with(&format!("{user}@")), "{by:?}");
}

#[test]
fn a_file_written_for_another_engine_fails_naming_it_and_records_nothing() {
    let Some(project) = Project::new("") else {
        return;
    };
    project.write_rev(
        "a1",
        "",
        "CREATE FUNCTION one() RETURNS integer AS $$ SELECT 1 $$ LANGUAGE sql;",
        "DROP FUNCTION one;",
    );
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("a1.sql:"), "{run}");
    assert!(run.stderr.contains("revision a1"), "{run}");
    assert!(project.db.versions().is_empty());
    assert!(project.progress().is_empty());
}

#[test]
fn a_url_without_a_database_is_refused_in_words() {
    let Some(project) = Project::new("") else {
        return;
    };
    chain(&project);
    let (host, port, user) = mysql_fixture::server_parts(&project.db.url);
    let url = format!("mysql://{user}@{host}:{port}");
    let run = project.run(&["--url", &url, "upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("names no database"), "{run}");
}
