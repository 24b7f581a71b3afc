//! The migration lock across processes: every command that changes the
//! version table holds it for its whole run, a wait is reported on stderr, and
//! `lock_timeout` ends it with an error.

mod common;

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Engine, Project, engines, hold, migration_lock_rows, rev, with_application_name};

/// A `transaction:false` upgrade that creates `t4`, then works for a while
/// without holding the database's write lock (on PostgreSQL it builds an
/// index with `CREATE INDEX CONCURRENTLY`, which cannot run in a transaction;
/// on MySQL it sleeps).
fn slow_t4(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => {
            "CREATE TABLE t4 (n INTEGER);\n\
             CREATE INDEX CONCURRENTLY t4_n ON t4 (n);\n\
             SELECT pg_sleep(1.5);\n"
        }
        Engine::MySql => "CREATE TABLE t4 (n INTEGER);\nSELECT SLEEP(1.5);\n",
        _ => {
            "CREATE TABLE t4 (n INTEGER);\n\
             SELECT count(*) FROM (WITH RECURSIVE c(x) AS \
             (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c);\n"
        }
    }
}

fn lock_file(p: &Project) -> std::path::PathBuf {
    p.path().join("app.db-aludel-lock")
}

/// Whether some process holds the migration lock right now.
fn lock_is_held(p: &Project) -> bool {
    if let Some(db) = p.server() {
        return !db.column(&migration_lock_rows(db)).is_empty();
    }
    let Ok(file) = OpenOptions::new().read(true).write(true).open(lock_file(p)) else {
        return false;
    };
    matches!(file.try_lock(), Err(TryLockError::WouldBlock))
}

#[test]
fn a_downgrade_waits_for_an_upgrade_inside_a_non_transactional_section() {
    for engine in engines() {
        a_downgrade_waits_for_an_upgrade_on(engine);
    }
}

fn a_downgrade_waits_for_an_upgrade_on(engine: Engine) {
    let p = Project::on(engine);
    p.write_revs(&[
        rev("r1", &[]),
        rev("r2", &["r1"])
            .no_transaction()
            .upgrade(slow_t4(engine))
            .downgrade("DROP TABLE t4;"),
    ]);
    p.ok(&["upgrade", "r1"]);
    let upgrader = p
        .std_cmd()
        .args(["upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aludel");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !lock_is_held(&p) {
        assert!(Instant::now() < deadline, "the upgrade never took the lock");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The upgrade holds the migration lock (it is in, or about to enter, its
    // slow section): the downgrade must wait for it and then undo r2.
    let down = p.run(&["downgrade", "-1"]);
    let up = upgrader.wait_with_output().expect("wait for aludel");
    assert!(
        up.status.success(),
        "the upgrade failed:\n{}",
        String::from_utf8_lossy(&up.stderr)
    );
    assert_eq!(down.code, 0, "{down}");
    assert!(down.stderr.contains("Running downgrade r2 -> r1"), "{down}");
    assert_eq!(p.versions(), ["r1"]);
    assert!(!p.has_table("t4"), "the version table and the schema agree");
    assert!(p.has_table("t_r1"));
    let rows = p.history_rows();
    let expected: Vec<(String, String)> =
        [("r1", "upgrade"), ("r2", "upgrade"), ("r2", "downgrade")]
            .iter()
            .map(|(r, d)| (r.to_string(), d.to_string()))
            .collect();
    assert_eq!(rows, expected);
}

/// Takes the migration lock as another migrator would, naming itself
/// (`someone_elsewhere` on a server); returns what keeps it held and how
/// aludel names the holder.
fn hold_lock(p: &Project) -> (Box<dyn std::any::Any>, &'static str) {
    if let Some(db) = p.server().filter(|db| db.engine == Engine::MySql) {
        let take = format!("SELECT GET_LOCK('aludel:{}.alembic_version', 0)", db.name);
        let held = hold(db.engine, &db.url, &take);
        return (Box::new(held), "(GET_LOCK), held by connection");
    }
    if let Some(db) = p.server() {
        let key = aludel::driver::advisory_lock_key("public", "alembic_version");
        let url = with_application_name(&db.url, "someone_elsewhere");
        let held = hold(db.engine, &url, &format!("SELECT pg_advisory_lock({key})"));
        return (Box::new(held), "application_name 'someone_elsewhere'");
    }
    (
        Box::new(hold_lock_file(p)),
        "held by pid 4242 (someone@elsewhere)",
    )
}

/// Takes the lock file as another migrator would, naming itself.
fn hold_lock_file(p: &Project) -> File {
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_file(p))
        .expect("open the lock file");
    file.lock().expect("take the lock");
    write!(file, "pid 4242 (someone@elsewhere)").expect("name the holder");
    file
}

#[test]
fn a_held_migration_lock_is_reported_and_ends_every_writing_command_after_lock_timeout() {
    for engine in engines() {
        a_held_migration_lock_is_reported_on(engine);
    }
}

fn a_held_migration_lock_is_reported_on(engine: Engine) {
    let p = Project::with_config_on(engine, "lock_timeout = 1.5\n");
    p.write_rev(&rev("r1", &[]));
    p.ok(&["ensure-version"]);
    let (held, holder) = hold_lock(&p);
    for args in [
        &["upgrade", "head"][..],
        &["downgrade", "base"],
        &["stamp", "head"],
        &["ensure-version"],
    ] {
        let run = p.fails(args);
        assert!(
            run.stderr
                .contains("INFO  [aludel] Waiting for the migration lock ",)
                && run.stderr.contains("held by ")
                && run.stderr.contains(holder),
            "{args:?}: {run}"
        );
        assert!(
            run.stderr.contains("FAILED: gave up after waiting")
                && run.stderr.contains("(lock_timeout)"),
            "{args:?}: {run}"
        );
    }
    assert!(p.versions().is_empty(), "nothing was recorded");
    drop(held);
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["r1"]);
}

#[test]
fn a_lock_held_by_another_program_names_no_past_holder() {
    let p = Project::with_config("lock_timeout = 1.5\n");
    p.write_rev(&rev("r1", &[]));
    p.ok(&["ensure-version"]);
    assert_eq!(
        std::fs::read_to_string(lock_file(&p)).expect("the lock file stays"),
        "",
        "a released lock names no holder"
    );
    // Locked by a program that does not write its name (as `flock` does).
    let file = OpenOptions::new()
        .write(true)
        .open(lock_file(&p))
        .expect("open the lock file");
    file.lock().expect("take the lock");
    let run = p.fails(&["upgrade", "head"]);
    assert!(
        run.stderr.contains("Waiting for the migration lock ") && !run.stderr.contains("pid "),
        "the aludel process that held the lock before is not blamed: {run}"
    );
}

/// A `sqlite3` shell holding an exclusive lock on the project's database
/// (no other connection can even read it) until it is dropped.
struct ExclusiveHolder(std::process::Child);

impl ExclusiveHolder {
    fn take(p: &Project) -> ExclusiveHolder {
        use std::io::BufRead;
        let mut child = std::process::Command::new("sqlite3")
            .arg(p.path().join("app.db"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the sqlite3 shell is installed");
        let stdin = child.stdin.as_mut().expect("piped stdin");
        stdin
            .write_all(b"BEGIN EXCLUSIVE;\nCREATE TABLE held (x INTEGER);\n.print locked\n")
            .expect("write to sqlite3");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().expect("piped stdout"))
            .read_line(&mut line)
            .expect("sqlite3 answers");
        assert_eq!(line.trim(), "locked");
        ExclusiveHolder(child)
    }
}

impl Drop for ExclusiveHolder {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

#[test]
fn read_commands_report_a_held_database_lock_and_give_up_after_lock_timeout() {
    let p = Project::with_config("lock_timeout = 1.5\n");
    p.write_rev(&rev("r1", &[]));
    p.ok(&["upgrade", "head"]);
    let held = ExclusiveHolder::take(&p);
    for args in [
        &["current"][..],
        &["current", "--verify"],
        &["history", "-i"],
    ] {
        let started = Instant::now();
        let run = p.fails(args);
        assert!(
            run.stderr
                .contains("INFO  [aludel] Waiting for the lock on ")
                && run.stderr.contains("giving up after 1.5s, lock_timeout"),
            "{args:?}: {run}"
        );
        assert!(
            run.stderr.contains("FAILED: gave up after waiting")
                && run.stderr.contains("(lock_timeout)"),
            "{args:?}: {run}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{args:?} waited for lock_timeout, not SQLite's own busy timeout"
        );
    }
    drop(held);
    let run = p.ok(&["current"]);
    assert!(run.stdout.contains("r1 (head)"), "{run}");
    assert!(!run.stderr.contains("Waiting"), "{run}");
}

#[test]
fn a_read_with_no_lock_held_reports_no_wait_even_with_a_zero_lock_timeout() {
    let p = Project::with_config("lock_timeout = 0\n");
    p.write_rev(&rev("r1", &[]));
    p.ok(&["upgrade", "head"]);
    for args in [
        &["current"][..],
        &["current", "--verify"],
        &["upgrade", "head"],
    ] {
        let run = p.ok(args);
        assert!(!run.stderr.contains("Waiting"), "{args:?}: {run}");
    }
    let held = ExclusiveHolder::take(&p);
    let run = p.fails(&["current"]);
    assert!(
        run.stderr.contains("FAILED: gave up after waiting") && !run.stderr.contains("Waiting"),
        "no time to wait, so nothing to announce: {run}"
    );
    drop(held);
}

#[test]
fn a_lock_timeout_that_is_not_a_number_of_seconds_is_refused() {
    let p = Project::with_config("lock_timeout = \"soon\"\n");
    p.write_rev(&rev("r1", &[]));
    let run = p.fails(&["upgrade", "head"]);
    assert!(run.stderr.contains("lock_timeout"), "{run}");
}
