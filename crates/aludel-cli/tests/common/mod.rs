//! The fixture every CLI test shares: a throw-away project folder with an
//! `aludel.toml` whose `database_url` points at a SQLite file inside it, helpers
//! to write revision files, to run the `aludel` binary there, and to look into
//! the database (through the sqlx that the `aludel` crate re-exports).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use aludel::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use aludel::sqlx::{self, AssertSqlSafe, ConnectOptions, Connection};

/// The version table exactly as Alembic creates it on SQLite.
pub const ALEMBIC_VERSION_DDL: &str = "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)";

/// The version table's DDL in Alembic's offline (`--sql`) output, which
/// prints tabs as four spaces.
pub const OFFLINE_VERSION_DDL: &str = "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)";

/// The Anypod example of this repository.
pub fn anypod_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/anypod")
}

/// The Anypod revision ids, oldest first.
pub const ANYPOD_BASE: &str = "423d964333d1";
pub const ANYPOD_HEAD: &str = "78f7e4e33398";

/// One finished run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit status (`-1` if killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A revision file to write, built up field by field.
#[derive(Debug, Clone)]
pub struct Rev {
    pub id: String,
    pub message: String,
    pub revises: Vec<String>,
    pub labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub upgrade: String,
    pub downgrade: String,
    pub upgrade_marker: String,
}

/// A revision `id` revising `revises` whose upgrade creates table `t_<id>` and
/// whose downgrade drops it.
pub fn rev(id: &str, revises: &[&str]) -> Rev {
    Rev {
        id: id.to_string(),
        message: format!("create t_{id}"),
        revises: revises.iter().map(|s| s.to_string()).collect(),
        labels: Vec::new(),
        depends_on: Vec::new(),
        upgrade: format!("CREATE TABLE t_{id} (x INTEGER);\n"),
        downgrade: format!("DROP TABLE t_{id};\n"),
        upgrade_marker: "-- migrate:upgrade".to_string(),
    }
}

impl Rev {
    pub fn message(mut self, m: &str) -> Rev {
        self.message = m.to_string();
        self
    }
    pub fn labels(mut self, labels: &[&str]) -> Rev {
        self.labels = labels.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn depends_on(mut self, deps: &[&str]) -> Rev {
        self.depends_on = deps.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn upgrade(mut self, sql: &str) -> Rev {
        self.upgrade = sql.to_string();
        self
    }
    pub fn downgrade(mut self, sql: &str) -> Rev {
        self.downgrade = sql.to_string();
        self
    }
    /// Marks the upgrade section `transaction:false`.
    pub fn no_transaction(mut self) -> Rev {
        self.upgrade_marker = "-- migrate:upgrade transaction:false".to_string();
        self
    }
    /// The file's text, in the format of the SPEC.
    pub fn render(&self) -> String {
        let mut text = format!(
            "-- {}\n--\n-- Revision ID: {}\n-- Revises: {}\n",
            self.message,
            self.id,
            self.revises.join(", ")
        );
        if !self.labels.is_empty() {
            text.push_str(&format!("-- Branch Labels: {}\n", self.labels.join(", ")));
        }
        if !self.depends_on.is_empty() {
            text.push_str(&format!("-- Depends On: {}\n", self.depends_on.join(", ")));
        }
        text.push_str("-- Create Date: 2025-01-01 00:00:00.000000\n\n");
        text.push_str(&self.upgrade_marker);
        text.push('\n');
        text.push_str(&self.upgrade);
        if !self.upgrade.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("\n-- migrate:downgrade\n");
        text.push_str(&self.downgrade);
        if !self.downgrade.ends_with('\n') {
            text.push('\n');
        }
        text
    }
    /// The file name the fixture writes it under.
    pub fn file_name(&self) -> String {
        format!("{}_rev.sql", self.id)
    }
}

/// A temporary project: `aludel.toml`, `migrations/versions/`, `app.db`.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty project whose database is `app.db` in the project folder.
    pub fn new() -> Project {
        Project::with_config("")
    }

    /// Like [`Project::new`], with `extra` appended to `aludel.toml`.
    pub fn with_config(extra: &str) -> Project {
        let dir = tempfile::tempdir().expect("temporary folder");
        let project = Project { dir };
        std::fs::create_dir_all(project.versions_dir()).expect("create versions folder");
        project.write_config(&format!(
            "script_location = \"migrations\"\ndatabase_url = \"{}\"\n{extra}",
            project.db_url()
        ));
        project
    }

    /// A project holding a copy of the Anypod example's `migrations` folder.
    pub fn anypod() -> Project {
        let project = Project::new();
        copy_dir(
            &anypod_dir().join("migrations"),
            &project.path().join("migrations"),
        );
        project
    }

    /// A folder with nothing in it (for `init`).
    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn versions_dir(&self) -> PathBuf {
        self.path().join("migrations").join("versions")
    }

    pub fn db_path(&self) -> PathBuf {
        self.path().join("app.db")
    }

    /// `sqlite://` + the absolute path of `app.db` (i.e. `sqlite:///…`).
    pub fn db_url(&self) -> String {
        format!("sqlite://{}", self.db_path().display())
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.path().join("aludel.toml"), text).expect("write aludel.toml");
    }

    /// Writes `text` to `rel` (relative to the project folder).
    pub fn write_file(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// Writes a revision into `migrations/versions/`; returns its path
    /// relative to the project folder (as aludel names it in messages).
    pub fn write_rev(&self, rev: &Rev) -> String {
        let rel = format!("migrations/versions/{}", rev.file_name());
        self.write_file(&rel, &rev.render());
        rel
    }

    /// Writes every revision of `revs`.
    pub fn write_revs(&self, revs: &[Rev]) {
        for r in revs {
            self.write_rev(r);
        }
    }

    /// The binary, run in the project folder, with a clean environment
    /// (no `DATABASE_URL`, `ALUDEL_CONFIG` or `EDITOR` from the caller).
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("aludel").expect("the aludel binary");
        cmd.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .timeout(std::time::Duration::from_secs(120));
        cmd
    }

    /// A plain `std::process::Command` for the binary (to spawn concurrently).
    pub fn std_cmd(&self) -> StdCommand {
        let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_aludel"));
        cmd.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG")
            .env_remove("EDITOR")
            .env_remove("VISUAL");
        cmd
    }

    /// Runs `aludel ARGS…` and collects its exit status and output.
    pub fn run(&self, args: &[&str]) -> Run {
        run_assert_cmd(self.cmd().args(args))
    }

    /// Runs `aludel ARGS…` and insists on exit status 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "aludel {args:?} should succeed:\n{run}");
        run
    }

    /// Runs `aludel ARGS…` and insists on exit status 2 with `FAILED: ` on stderr.
    pub fn fails(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code, 2,
            "aludel {args:?} should fail with status 2:\n{run}"
        );
        assert!(
            run.stderr.contains("FAILED: ") || run.stderr.contains("error:"),
            "aludel {args:?} should print an error on stderr:\n{run}"
        );
        run
    }

    /// Whether the database file exists.
    pub fn db_exists(&self) -> bool {
        self.db_path().exists()
    }

    /// Runs `f` with an open connection to the database (which must exist).
    pub fn with_db<T>(&self, f: impl AsyncFnOnce(&mut SqliteConnection) -> T) -> T {
        block_on(async {
            let mut conn = SqliteConnectOptions::new()
                .filename(self.db_path())
                .create_if_missing(false)
                .connect()
                .await
                .expect("open app.db");
            let out = f(&mut conn).await;
            conn.close().await.expect("close app.db");
            out
        })
    }

    /// Runs SQL (several statements allowed), creating the database if needed.
    pub fn exec(&self, sql: &str) {
        block_on(async {
            let mut conn = SqliteConnectOptions::new()
                .filename(self.db_path())
                .create_if_missing(true)
                .connect()
                .await
                .expect("open app.db");
            sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("executing SQL failed: {e}\n{sql}"));
            conn.close().await.expect("close app.db");
        })
    }

    /// The first column of every row of `sql`, as text.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        let sql = sql.to_string();
        self.with_db(async move |conn| {
            sqlx::query_scalar::<_, String>(AssertSqlSafe(sql.clone()))
                .fetch_all(conn)
                .await
                .unwrap_or_else(|e| panic!("query failed: {e}\n{sql}"))
        })
    }

    /// The single integer `sql` returns.
    pub fn int(&self, sql: &str) -> i64 {
        let sql = sql.to_string();
        self.with_db(async move |conn| {
            sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql.clone()))
                .fetch_one(conn)
                .await
                .unwrap_or_else(|e| panic!("query failed: {e}\n{sql}"))
        })
    }

    /// Whether a table exists.
    pub fn has_table(&self, name: &str) -> bool {
        self.int(&format!(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'"
        )) == 1
    }

    /// Rows of `alembic_version`, sorted; empty if the table does not exist.
    pub fn versions(&self) -> Vec<String> {
        if !self.has_table("alembic_version") {
            return Vec::new();
        }
        let mut v = self.strings("SELECT version_num FROM alembic_version");
        v.sort();
        v
    }

    /// Names of the user tables (`t_…`, Anypod's), sorted, without aludel's,
    /// Alembic's and SQLite's own.
    pub fn user_tables(&self) -> Vec<String> {
        self.strings(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT IN ('alembic_version', 'aludel_history') \
             AND substr(name, 1, 7) != 'sqlite_' ORDER BY name",
        )
    }

    /// `(revision, direction)` of every `aludel_history` row, in id order.
    pub fn history_rows(&self) -> Vec<(String, String)> {
        self.with_db(async |conn| {
            sqlx::query_as::<_, (String, String)>(
                "SELECT revision, direction FROM aludel_history ORDER BY id",
            )
            .fetch_all(conn)
            .await
            .expect("read aludel_history")
        })
    }

    /// A textual dump of the database's state: `sqlite_master` (every object
    /// with its SQL), the version table's rows and every table's row count.
    /// `None` if the database file does not exist.
    pub fn snapshot(&self) -> Option<String> {
        if !self.db_exists() {
            return None;
        }
        Some(self.with_db(async |conn| {
            let objects: Vec<(String, String, Option<String>)> =
                sqlx::query_as("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
                    .fetch_all(&mut *conn)
                    .await
                    .expect("read sqlite_master");
            let mut dump = String::new();
            for (kind, name, sql) in &objects {
                // One line per object, so that a dump can be filtered by name.
                let sql = sql.as_deref().unwrap_or("").replace('\n', "\\n");
                dump.push_str(&format!("{kind} {name}: {sql}"));
                if kind == "table" {
                    let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                        "SELECT COUNT(*) FROM \"{name}\""
                    )))
                    .fetch_one(&mut *conn)
                    .await
                    .expect("count rows");
                    dump.push_str(&format!(" (rows: {n})"));
                }
                dump.push('\n');
            }
            if objects.iter().any(|(_, n, _)| n == "alembic_version") {
                let mut rows: Vec<String> =
                    sqlx::query_scalar("SELECT version_num FROM alembic_version")
                        .fetch_all(&mut *conn)
                        .await
                        .expect("read alembic_version");
                rows.sort();
                dump.push_str(&format!("alembic_version = {rows:?}\n"));
            }
            dump
        }))
    }

    /// The database file's bytes (`None` if it does not exist).
    pub fn db_bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(self.db_path()).ok()
    }
}

/// Runs a prepared `assert_cmd` command and collects its result.
pub fn run_assert_cmd(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("run aludel");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs a future to completion on a small runtime of its own.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The upgrade (or downgrade) section of a revision file: the text between the
/// `-- migrate:upgrade` line and the `-- migrate:downgrade` line (or the end).
pub fn section(file_text: &str, upgrade: bool) -> String {
    let (_, after_up) = file_text
        .split_once("-- migrate:upgrade")
        .expect("an upgrade section");
    let (up, down) = after_up
        .split_once("-- migrate:downgrade")
        .expect("a downgrade section");
    let body = if upgrade { up } else { down };
    // Drop the rest of the marker line (options such as `transaction:false`).
    body.split_once('\n')
        .map_or("", |(_, rest)| rest)
        .to_string()
}

/// The text of one of the Anypod revision files, by revision id.
pub fn anypod_file(id: &str) -> String {
    let dir = anypod_dir().join("migrations").join("versions");
    for entry in std::fs::read_dir(&dir).expect("read Anypod versions") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().contains(id) {
            return std::fs::read_to_string(path).expect("read Anypod revision");
        }
    }
    panic!("no Anypod revision file for {id}");
}

/// Sorted lines of a text (for outputs whose order the contract leaves open).
pub fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::to_string).collect();
    v.sort();
    v
}
