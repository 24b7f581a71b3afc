//! The autogenerate workflow end to end on PostgreSQL and MySQL/MariaDB:
//! `check` exits 0 and 1, `revision --autogenerate` writes a revision that
//! upgrades and downgrades, `--concurrently` (and its config key) writes a
//! second, non-transactional revision that runs, `--offline` replays on
//! the server, `dev_url` is used and left empty, and renames are declared
//! or warned about as on SQLite.

mod common;

use std::sync::Mutex;

use common::*;

/// One test at a time: each run drops the leftovers of others.
static SERIAL: Mutex<()> = Mutex::new(());

fn server_engines() -> Vec<Engine> {
    engines()
        .into_iter()
        .filter(|e| *e != Engine::Sqlite)
        .collect()
}

const FEED: &str = "CREATE TABLE feed (id INT PRIMARY KEY, title VARCHAR(20) NOT NULL);\n";

/// A project on `engine` at head of one revision creating `feed`, whose
/// target schema is `schema.sql` (also `feed`), plus `extra` config.
fn at_head(engine: Engine, extra: &str) -> Project {
    let p = Project::with_config_on(engine, &format!("target_schema = \"schema.sql\"\n{extra}"));
    p.write_rev(&rev("a1", &[]).upgrade(FEED).downgrade("DROP TABLE feed;\n"));
    p.write_file("schema.sql", FEED);
    p.ok(&["upgrade", "head"]);
    p
}

/// The revision files written, without `a1`, oldest name first.
fn new_files(p: &Project) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(p.versions_dir())
        .expect("versions")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("a1_"))
        .collect();
    names.sort();
    names
}

fn read(p: &Project, name: &str) -> String {
    std::fs::read_to_string(p.versions_dir().join(name)).expect("revision file")
}

fn has_column(p: &Project, table: &str, column: &str) -> bool {
    let db = p.server().expect("a server project");
    let sql = match db.engine {
        Engine::Postgres => format!(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' \
             AND column_name = '{column}'"
        ),
        _ => format!(
            "SELECT column_name FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = '{table}' \
             AND column_name = '{column}'"
        ),
    };
    !db.query(&sql).is_empty()
}

#[test]
fn check_and_autogenerate_round_trip() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let p = at_head(engine, "");
        let run = p.ok(&["check"]);
        assert!(
            run.stdout.contains("No new upgrade operations detected."),
            "{engine:?}: {run}"
        );
        p.ok(&["check", "--offline"]);
        p.write_file(
            "schema.sql",
            "CREATE TABLE feed (id INT PRIMARY KEY, title VARCHAR(20) NOT NULL, url TEXT);\n\
             CREATE INDEX feed_title ON feed (title);\n",
        );
        for args in [&["check"][..], &["check", "--offline"]] {
            let run = p.run(args);
            assert_eq!(run.code, 1, "{engine:?} {args:?}: {run}");
            assert!(
                run.stderr.contains("Detected added column 'feed.url'"),
                "{engine:?}: {run}"
            );
        }
        let run = p.ok(&["revision", "--autogenerate", "-m", "add url"]);
        assert_eq!(
            run.stdout.matches("Generating ").count(),
            1,
            "{engine:?}: {run}"
        );
        let files = new_files(&p);
        assert_eq!(files.len(), 1, "{engine:?}: {files:?}");
        let text = read(&p, &files[0]);
        assert!(text.contains("-- migrate:upgrade\n"), "{engine:?}: {text}");
        p.ok(&["upgrade", "head"]);
        assert!(has_column(&p, "feed", "url"), "{engine:?}");
        p.ok(&["check"]);
        p.ok(&["check", "--offline"]);
        p.ok(&["downgrade", "-1"]);
        assert!(!has_column(&p, "feed", "url"), "{engine:?}");
        p.ok(&["upgrade", "head"]);
        p.ok(&["check"]);
    }
}

#[test]
fn concurrently_writes_a_second_non_transactional_revision_that_runs() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        if engine != Engine::Postgres {
            continue;
        }
        for (extra, flag) in [("", true), ("autogenerate_concurrently = true\n", false)] {
            let p = at_head(engine, extra);
            p.write_file(
                "schema.sql",
                "CREATE TABLE feed (id INT PRIMARY KEY, title VARCHAR(20) NOT NULL, url TEXT);\n\
                 CREATE INDEX feed_title ON feed (title);\n",
            );
            let mut args = vec!["revision", "--autogenerate", "-m", "add url"];
            if flag {
                args.push("--concurrently");
            }
            let run = p.ok(&args);
            assert_eq!(run.stdout.matches("Generating ").count(), 2, "{run}");
            assert_eq!(run.stdout.matches(" ...  done").count(), 2, "{run}");
            let files = new_files(&p);
            assert_eq!(files.len(), 2, "{files:?}");
            let (first, second) = if read(&p, &files[0]).contains("non-transactional part") {
                (read(&p, &files[1]), read(&p, &files[0]))
            } else {
                (read(&p, &files[0]), read(&p, &files[1]))
            };
            assert!(first.starts_with("-- add url\n"), "{first}");
            assert!(first.contains("ADD COLUMN url"), "{first}");
            assert!(!first.contains("CONCURRENTLY"), "{first}");
            let first_id = first
                .lines()
                .find_map(|l| l.strip_prefix("-- Revision ID: "))
                .expect("an id");
            assert!(
                second.starts_with("-- add url (non-transactional part)\n"),
                "{second}"
            );
            assert!(
                second.contains(&format!("-- Revises: {first_id}\n")),
                "{second}"
            );
            assert!(
                second.contains("-- migrate:upgrade transaction:false\n"),
                "{second}"
            );
            assert!(
                second.contains("-- migrate:downgrade transaction:false\n"),
                "{second}"
            );
            assert!(second.contains("CREATE INDEX CONCURRENTLY"), "{second}");
            p.ok(&["upgrade", "head"]);
            p.ok(&["check"]);
            p.ok(&["downgrade", "a1"]);
            assert!(!has_column(&p, "feed", "url"));
            p.ok(&["upgrade", "head"]);
        }
    }
    // The config key is PostgreSQL's only: elsewhere it changes nothing.
    for engine in server_engines() {
        if engine != Engine::MySql {
            continue;
        }
        let p = at_head(engine, "autogenerate_concurrently = true\n");
        p.write_file(
            "schema.sql",
            "CREATE TABLE feed (id INT PRIMARY KEY, title VARCHAR(20) NOT NULL);\n\
             CREATE INDEX feed_title ON feed (title);\n",
        );
        p.ok(&["revision", "--autogenerate", "-m", "idx"]);
        assert_eq!(new_files(&p).len(), 1);
    }
}

#[test]
fn a_dev_url_is_used_and_left_empty() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let dev = TestDb::scratch(engine);
        let p = at_head(engine, &format!("dev_url = \"{}\"\n", dev.url));
        p.ok(&["check"]);
        p.ok(&["check", "--offline"]);
        p.write_file(
            "schema.sql",
            &format!("{FEED}CREATE TABLE item (id INT PRIMARY KEY);\n"),
        );
        let run = p.run(&["check"]);
        assert_eq!(run.code, 1, "{engine:?}: {run}");
        assert!(
            run.stderr.contains("Detected added table 'item'"),
            "{engine:?}: {run}"
        );
        assert!(
            !dev.has_table("feed") && !dev.has_table("item"),
            "{engine:?}"
        );
    }
}

#[test]
fn renames_are_declared_or_warned_about() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for engine in server_engines() {
        let p = at_head(engine, "");
        p.write_file(
            "schema.sql",
            "CREATE TABLE feed (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL);\n",
        );
        let run = p.run(&["check"]);
        assert_eq!(run.code, 1, "{engine:?}: {run}");
        assert!(
            run.stderr
                .contains("WARNING: column 'feed.title' is dropped and 'feed.name' added"),
            "{engine:?}: {run}"
        );
        let run = p.ok(&[
            "revision",
            "--autogenerate",
            "-m",
            "rename",
            "--rename",
            "feed.title=name",
        ]);
        assert!(!run.stderr.contains("WARNING"), "{engine:?}: {run}");
        let files = new_files(&p);
        let text = read(&p, &files[0]);
        assert!(text.contains("RENAME COLUMN"), "{engine:?}: {text}");
        p.exec_on_server("INSERT INTO feed (id, title) VALUES (1, 'kept')");
        p.ok(&["upgrade", "head"]);
        assert!(has_column(&p, "feed", "name"), "{engine:?}");
        let kept = p.server().expect("server").column("SELECT name FROM feed");
        assert_eq!(kept, vec!["kept".to_string()], "{engine:?}");
        p.ok(&["check"]);
    }
}

trait ServerExec {
    fn exec_on_server(&self, sql: &str);
}

impl ServerExec for Project {
    fn exec_on_server(&self, sql: &str) {
        self.server().expect("a server project").execute(sql);
    }
}
