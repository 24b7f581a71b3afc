//! `aludel check` and `revision --autogenerate` on PostgreSQL and
//! MySQL/MariaDB: the scratch database the desired schema is loaded into
//! (created, dropped also after an error, leftovers of crashed runs
//! cleaned), `dev_url`, the errors (a schema file's line and the server's
//! message, a database not at head, `--concurrently` off PostgreSQL), and
//! that no password is printed.

mod common;

use std::sync::Mutex;
use std::sync::mpsc;

use common::*;

/// Tests run one at a time: each run drops the leftovers of others, and
/// some count scratch databases.
static SCRATCH: Mutex<()> = Mutex::new(());

fn server_engines() -> Vec<Engine> {
    engines()
        .into_iter()
        .filter(|e| *e != Engine::Sqlite)
        .collect()
}

/// The scratch databases on the server of `engine`.
fn scratch_databases(observer: &TestDb) -> Vec<String> {
    let sql = match observer.engine {
        Engine::Postgres => {
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'aludel\\_scratch\\_%'"
        }
        _ => {
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME LIKE 'aludel\\_scratch\\_%'"
        }
    };
    let mut names = observer.column(sql);
    names.sort();
    names
}

/// The scratch databases that appeared since `before` and stay: what a
/// run left behind. Other processes' runs on the same server (other test
/// binaries) create and drop theirs meanwhile, so a name counts only if it
/// is there at every look during up to 30 seconds.
fn leaked(observer: &TestDb, before: &[String]) -> Vec<String> {
    let new = || -> Vec<String> {
        scratch_databases(observer)
            .into_iter()
            .filter(|n| !before.contains(n))
            .collect()
    };
    let mut staying = new();
    let start = std::time::Instant::now();
    while !staying.is_empty() && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = new();
        staying.retain(|n| now.contains(n));
    }
    staying
}

/// A project on `engine` whose target schema is `schema.sql` holding `ddl`.
fn project(engine: Engine, ddl: &str) -> Project {
    let p = Project::with_config_on(engine, "target_schema = \"schema.sql\"\n");
    p.write_file("schema.sql", ddl);
    p
}

/// A session connected to (PostgreSQL) or holding the lock of (MySQL)
/// the database `name` until the returned sender is dropped.
fn live_session(engine: Engine, name: &str) -> mpsc::Sender<()> {
    let server = engine.server_url().expect("a server");
    let url = aludel_testkit::database_url(&server, name);
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let name = name.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async move {
            use aludel::sqlx::{AssertSqlSafe, Connection};
            match engine {
                Engine::Postgres => {
                    let conn = aludel::sqlx::PgConnection::connect(&url)
                        .await
                        .expect("connect");
                    ready_tx.send(()).expect("ready");
                    let _ = stop_rx.recv();
                    let _ = conn.close().await;
                }
                _ => {
                    let root = aludel_testkit::database_url(&server, "mysql");
                    let mut conn = aludel::sqlx::MySqlConnection::connect(&root)
                        .await
                        .expect("connect");
                    let sql = format!("SELECT GET_LOCK('{name}', 0)");
                    aludel::sqlx::raw_sql(AssertSqlSafe(sql))
                        .execute(&mut conn)
                        .await
                        .expect("lock");
                    ready_tx.send(()).expect("ready");
                    let _ = stop_rx.recv();
                    let _ = conn.close().await;
                }
            }
        });
    });
    ready_rx.recv().expect("the session started");
    stop_tx
}

#[test]
fn a_schema_file_error_names_the_line_and_leaves_no_scratch_database() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let observer = TestDb::scratch(engine);
        let before = scratch_databases(&observer);
        let p = project(
            engine,
            "CREATE TABLE feed (id INT PRIMARY KEY);\n\nCREATE TABLE item (\n  id INT,\n  feed INT REFERENCES nowhere (id)\n);\n",
        );
        let run = p.fails(&["check"]);
        // No position in the error: the line the statement starts on.
        assert!(run.stderr.contains("schema.sql:3: "), "{engine:?}: {run}");
        let said = match engine {
            Engine::Postgres => "relation \"nowhere\" does not exist",
            _ => {
                "Can't create table `item` (errno: 150 \"Foreign key constraint is incorrectly formed\")"
            }
        };
        assert!(run.stderr.contains(said), "{engine:?}: {run}");
        assert!(!run.stderr.contains("aludel_scratch_"), "{engine:?}: {run}");
        let syntax = project(
            engine,
            "CREATE TABLE a (id INT);\nCREATE TABLE b (\n  id INT,\n  x INT NOT NULL DEFALT 1\n);\n",
        );
        let run = syntax.fails(&["revision", "--autogenerate", "-m", "x"]);
        assert!(run.stderr.contains("schema.sql:4: "), "{engine:?}: {run}");
        assert_eq!(
            leaked(&observer, &before),
            Vec::<String>::new(),
            "{engine:?}"
        );
    }
}

#[test]
fn leftovers_of_crashed_runs_are_dropped_and_live_ones_kept() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let observer = TestDb::scratch(engine);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time")
            .as_secs();
        let orphan = "aludel_scratch_1000_0123abcd".to_string();
        let owned = "aludel_scratch_1000_feedf00d".to_string();
        let fresh = format!("aludel_scratch_{now}_0badcafe");
        for name in [&orphan, &owned, &fresh] {
            observer.execute(&format!("CREATE DATABASE {name}"));
        }
        let session = live_session(engine, &owned);
        let p = project(engine, "CREATE TABLE t (id INT PRIMARY KEY);\n");
        let _ = p.run(&["check"]);
        let left = scratch_databases(&observer);
        drop(session);
        assert!(!left.contains(&orphan), "{engine:?}: {left:?}");
        assert!(left.contains(&owned), "{engine:?}: {left:?}");
        assert!(left.contains(&fresh), "{engine:?}: {left:?}");
        for name in [&owned, &fresh] {
            observer.execute(&format!("DROP DATABASE IF EXISTS {name}"));
        }
    }
}

#[test]
fn a_dev_url_that_holds_anything_is_refused() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let dev = TestDb::scratch(engine);
        dev.execute("CREATE TABLE leftover (id INT)");
        let p = Project::with_config_on(
            engine,
            &format!(
                "target_schema = \"schema.sql\"\ndev_url = \"{}\"\n",
                dev.url
            ),
        );
        p.write_file("schema.sql", "CREATE TABLE t (id INT PRIMARY KEY);\n");
        let run = p.fails(&["check"]);
        assert!(run.stderr.contains("is not empty"), "{engine:?}: {run}");
        assert!(run.stderr.contains("leftover"), "{engine:?}: {run}");
        assert!(dev.has_table("leftover"), "{engine:?}");
    }
}

#[test]
fn a_dev_url_is_left_empty_and_no_scratch_database_is_made() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let observer = TestDb::scratch(engine);
        let before = scratch_databases(&observer);
        let dev = TestDb::scratch(engine);
        let p = Project::with_config_on(
            engine,
            &format!(
                "target_schema = \"schema.sql\"\ndev_url = \"{}\"\n",
                dev.url
            ),
        );
        p.write_file(
            "schema.sql",
            "CREATE TABLE feed (id INT PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM feed;\n",
        );
        let _ = p.run(&["check"]);
        assert!(!dev.has_table("feed"), "{engine:?}");
        // The same after a failing load.
        p.write_file(
            "schema.sql",
            "CREATE TABLE feed (id INT PRIMARY KEY);\nCREATE TABLE feed (id INT);\n",
        );
        let run = p.fails(&["check"]);
        assert!(run.stderr.contains("schema.sql:2: "), "{engine:?}: {run}");
        assert!(!dev.has_table("feed"), "{engine:?}");
        assert_eq!(
            leaked(&observer, &before),
            Vec::<String>::new(),
            "{engine:?}"
        );
    }
}

#[test]
fn a_database_behind_head_is_not_up_to_date() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let p = project(engine, "CREATE TABLE t (id INT PRIMARY KEY);\n");
        p.write_rev(&rev("aaa111", &[]).upgrade("CREATE TABLE t (id INT PRIMARY KEY);\n"));
        let run = p.fails(&["check"]);
        assert!(
            run.stderr.contains("Target database is not up to date."),
            "{engine:?}: {run}"
        );
        let run = p.fails(&["revision", "--autogenerate", "-m", "x"]);
        assert!(run.stderr.contains("not up to date"), "{engine:?}: {run}");
    }
}

#[test]
fn concurrently_is_refused_off_postgresql() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::with_config("target_schema = \"schema.sql\"\n");
    p.write_file("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    let run = p.fails(&["revision", "--autogenerate", "--concurrently", "-m", "x"]);
    assert!(
        run.stderr.contains("--concurrently is for PostgreSQL"),
        "{run}"
    );
    assert!(run.stderr.contains("SQLite"), "{run}");
    let run = p.fails(&["revision", "--concurrently", "-m", "x"]);
    assert!(run.stderr.contains("--autogenerate"), "{run}");
    for engine in server_engines() {
        if engine != Engine::MySql {
            continue;
        }
        let p = project(engine, "CREATE TABLE t (id INT PRIMARY KEY);\n");
        let run = p.fails(&["revision", "--autogenerate", "--concurrently", "-m", "x"]);
        assert!(
            run.stderr.contains("--concurrently is for PostgreSQL"),
            "{run}"
        );
    }
}

#[test]
fn no_password_is_printed() {
    let _serial = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let p = project(
            engine,
            "CREATE TABLE t (id INT PRIMARY KEY);\nCREATE TABLE t (id INT);\n",
        );
        let url = p.db_url();
        let with_password = url
            .replacen("://postgres@", "://postgres:s3cret@", 1)
            .replacen("://root@", "://root:s3cret@", 1);
        assert!(with_password.contains("s3cret"), "{with_password}");
        for args in [
            vec!["--url", with_password.as_str(), "check"],
            vec!["--url", with_password.as_str(), "check", "--offline"],
            vec![
                "--url",
                with_password.as_str(),
                "revision",
                "--autogenerate",
                "-m",
                "x",
            ],
        ] {
            let run = p.run(&args);
            assert_eq!(run.code, 2, "{engine:?} {args:?}: {run}");
            assert!(!run.stdout.contains("s3cret"), "{engine:?} {args:?}: {run}");
            assert!(!run.stderr.contains("s3cret"), "{engine:?} {args:?}: {run}");
        }
        // dev_url with a password, in errors too.
        let dev = TestDb::scratch(engine);
        dev.execute("CREATE TABLE leftover (id INT)");
        let dev_url = dev
            .url
            .replacen("://postgres@", "://postgres:s3cret@", 1)
            .replacen("://root@", "://root:s3cret@", 1);
        let q = Project::with_config_on(
            engine,
            &format!("target_schema = \"schema.sql\"\ndev_url = \"{dev_url}\"\n"),
        );
        q.write_file("schema.sql", "CREATE TABLE t (id INT PRIMARY KEY);\n");
        let run = q.fails(&["check"]);
        assert!(
            !run.stdout.contains("s3cret") && !run.stderr.contains("s3cret"),
            "{engine:?}: {run}"
        );
    }
}
