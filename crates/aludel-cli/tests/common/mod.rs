//! The fixture every CLI test shares: a throw-away project folder with an
//! `aludel.toml` whose `database_url` points at a SQLite file inside it (or,
//! with [`Project::on`], a fresh database on a server of
//! `aludel_testkit::driver_engines()`), helpers to write revision files, to run the
//! `aludel` binary there, and to look into the database (SQLite through the
//! sqlx that the `aludel` crate re-exports, servers through the testkit).
//!
//! Where engines differ in what a test expects, the difference lives in one
//! small per-engine helper here (e.g. [`Project::no_such_table`]), never in a
//! copy of the test.

#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use aludel::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use aludel::sqlx::{self, AssertSqlSafe, ConnectOptions, Connection};
#[allow(unused_imports)]
pub use aludel_testkit::{Engine, TestDb, engines};

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

/// A temporary project: `aludel.toml`, `migrations/versions/`, and its
/// database: `app.db`, or a fresh database on a server.
pub struct Project {
    /// The server database (dropped after the folder's project), if any.
    server: Option<TestDb>,
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty project whose database is `app.db` in the project folder.
    pub fn new() -> Project {
        Project::with_config("")
    }

    /// Like [`Project::new`], with `extra` appended to `aludel.toml`.
    pub fn with_config(extra: &str) -> Project {
        Project::with_config_on(Engine::Sqlite, extra)
    }

    /// An empty project whose database is on `engine`: `app.db` for SQLite,
    /// a fresh database on the server otherwise.
    pub fn on(engine: Engine) -> Project {
        Project::with_config_on(engine, "")
    }

    /// Like [`Project::on`], with `extra` appended to `aludel.toml`.
    pub fn with_config_on(engine: Engine, extra: &str) -> Project {
        let dir = tempfile::tempdir().expect("temporary folder");
        let server = (engine != Engine::Sqlite).then(|| TestDb::new(engine, dir.path()));
        let project = Project { server, dir };
        std::fs::create_dir_all(project.versions_dir()).expect("create versions folder");
        project.write_config(&format!(
            "script_location = \"migrations\"\ndatabase_url = \"{}\"\n{extra}",
            project.db_url()
        ));
        project
    }

    /// The engine of the project's database.
    pub fn engine(&self) -> Engine {
        self.server.as_ref().map_or(Engine::Sqlite, |db| db.engine)
    }

    /// The server database, for server projects.
    pub fn server(&self) -> Option<&TestDb> {
        self.server.as_ref()
    }

    /// What the engine says about a table that does not exist.
    pub fn no_such_table(&self, name: &str) -> String {
        match self.engine() {
            Engine::Sqlite => format!("no such table: {name}"),
            Engine::Postgres => format!("{name}\" does not exist"),
            Engine::MySql => format!("{name}' doesn't exist"),
        }
    }

    /// The Anypod project on `engine`: the example's files on SQLite, the same
    /// revisions in PostgreSQL's SQL on PostgreSQL.
    pub fn anypod_on(engine: Engine) -> Project {
        if engine == Engine::Sqlite {
            return Project::anypod();
        }
        let p = Project::on(engine);
        let (base_up, head_up) = anypod_sql(engine);
        let head_down = match engine {
            Engine::MySql => {
                "DROP TRIGGER download_counts_insert;\nDROP TRIGGER download_counts_update;\n"
            }
            _ => "DROP TRIGGER download_counts ON download;\nDROP FUNCTION count_downloads();\n",
        };
        let revs: [Rev; 2] = [
            rev(ANYPOD_BASE, &[])
                .message("Initial schema from SQLModels")
                .upgrade(base_up)
                .downgrade("DROP TABLE download;\nDROP TABLE feed;\n"),
            rev(ANYPOD_HEAD, &[ANYPOD_BASE])
                .message("Add database triggers.")
                .upgrade(head_up)
                .downgrade(head_down),
        ];
        p.write_revs(&revs);
        p
    }

    /// The number of triggers in the database.
    pub fn trigger_count(&self) -> i64 {
        match self.engine() {
            Engine::Sqlite => self.int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"),
            Engine::Postgres => self.int("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal"),
            Engine::MySql => self.int(
                "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
            ),
        }
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
            server: None,
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

    /// `sqlite://` + the absolute path of `app.db` (i.e. `sqlite:///…`), or
    /// the server database's URL.
    pub fn db_url(&self) -> String {
        match &self.server {
            Some(db) => db.url.clone(),
            None => format!("sqlite://{}", self.db_path().display()),
        }
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

    /// Whether the database file exists (a server database always does).
    pub fn db_exists(&self) -> bool {
        self.server.is_some() || self.db_path().exists()
    }

    /// Whether nothing was made: no database file (SQLite), or a server
    /// database without a single table, index or routine.
    pub fn db_is_empty(&self) -> bool {
        self.snapshot().is_none_or(|s| s.is_empty())
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
        if let Some(db) = &self.server {
            return db.execute(sql);
        }
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
        if let Some(db) = &self.server {
            return db.column(sql);
        }
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
        if let Some(db) = &self.server {
            let text = db.column(sql).into_iter().next().unwrap_or_default();
            return text
                .parse()
                .unwrap_or_else(|_| panic!("{sql} gave {text:?}, not an integer"));
        }
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
        if let Some(db) = &self.server {
            return db.has_table(name);
        }
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
        if let Some(db) = &self.server {
            let mut tables: Vec<String> = server_tables(db)
                .into_iter()
                .filter(|t| {
                    !["alembic_version", "aludel_history", "aludel_progress"].contains(&t.as_str())
                })
                .collect();
            tables.sort();
            return tables;
        }
        self.strings(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT IN ('alembic_version', 'aludel_history') \
             AND substr(name, 1, 7) != 'sqlite_' ORDER BY name",
        )
    }

    /// `(revision, direction)` of every `aludel_history` row, in id order.
    pub fn history_rows(&self) -> Vec<(String, String)> {
        if let Some(db) = &self.server {
            return db
                .query("SELECT revision, direction FROM aludel_history ORDER BY id")
                .into_iter()
                .map(|row| {
                    let mut cells = row.into_iter().map(Option::unwrap_or_default);
                    let revision = cells.next().unwrap_or_default();
                    (revision, cells.next().unwrap_or_default())
                })
                .collect();
        }
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
        if let Some(db) = &self.server {
            return Some(server_snapshot(db));
        }
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

/// The tables of a server database's default schema.
fn server_tables(db: &TestDb) -> Vec<String> {
    db.column(&format!(
        "SELECT table_name FROM information_schema.tables \
         WHERE table_schema = {} AND table_type = 'BASE TABLE' ORDER BY table_name",
        schema_expr(db.engine)
    ))
}

/// The SQL naming the default schema (PostgreSQL) or database (MySQL).
fn schema_expr(engine: Engine) -> &'static str {
    match engine {
        Engine::MySql => "DATABASE()",
        _ => "current_schema()",
    }
}

/// A server database's state as text: every column of every table of the
/// default schema with its type, default and nullability, every index and
/// routine, each table's row count, and the version table's rows.
fn server_snapshot(db: &TestDb) -> String {
    let schema = schema_expr(db.engine);
    let mut dump = String::new();
    let columns = db.query(&format!(
        "SELECT table_name, column_name, data_type, column_default, is_nullable \
         FROM information_schema.columns WHERE table_schema = {schema} \
         ORDER BY table_name, ordinal_position"
    ));
    for row in columns {
        let cells: Vec<String> = row.into_iter().map(|c| c.unwrap_or_default()).collect();
        dump.push_str(&format!("column {}\n", cells.join(" ")));
    }
    let indexes = match db.engine {
        Engine::MySql => format!(
            "SELECT table_name, index_name, column_name FROM information_schema.statistics \
             WHERE table_schema = {schema} ORDER BY table_name, index_name, seq_in_index"
        ),
        _ => format!(
            "SELECT tablename, indexname, indexdef FROM pg_indexes \
             WHERE schemaname = {schema} ORDER BY tablename, indexname"
        ),
    };
    for row in db.query(&indexes) {
        let cells: Vec<String> = row.into_iter().map(|c| c.unwrap_or_default()).collect();
        dump.push_str(&format!("index {}\n", cells.join(" ")));
    }
    let routines = format!(
        "SELECT routine_name, routine_type FROM information_schema.routines \
         WHERE routine_schema = {schema} ORDER BY routine_name"
    );
    for row in db.query(&routines) {
        let cells: Vec<String> = row.into_iter().map(|c| c.unwrap_or_default()).collect();
        dump.push_str(&format!("routine {}\n", cells.join(" ")));
    }
    for table in server_tables(db) {
        let n = db.column(&format!("SELECT COUNT(*) FROM {table}"));
        dump.push_str(&format!("rows {table}: {n:?}\n"));
        if table == "alembic_version" {
            dump.push_str(&format!("alembic_version = {:?}\n", db.versions()));
        }
    }
    dump
}

/// Anypod's initial schema, in PostgreSQL's SQL.
pub const PG_ANYPOD_BASE_UP: &str = "CREATE TABLE feed (\n\
    id VARCHAR NOT NULL PRIMARY KEY,\n\
    source_type VARCHAR(12) NOT NULL,\n\
    source_url VARCHAR NOT NULL,\n\
    total_downloads INTEGER DEFAULT 0 NOT NULL\n);\n\
CREATE TABLE download (\n\
    feed_id VARCHAR NOT NULL REFERENCES feed (id),\n\
    id VARCHAR NOT NULL,\n    source_url VARCHAR NOT NULL,\n    title VARCHAR NOT NULL,\n\
    published TIMESTAMP NOT NULL,\n    ext VARCHAR NOT NULL,\n    mime_type VARCHAR NOT NULL,\n\
    filesize INTEGER NOT NULL,\n    duration INTEGER NOT NULL,\n    status VARCHAR NOT NULL,\n\
    PRIMARY KEY (feed_id, id)\n);\n\
CREATE INDEX idx_feed_status ON download (feed_id, status);\n";

/// Anypod's trigger revision, in PostgreSQL's SQL: one trigger keeps
/// `feed.total_downloads`, and a backfill recomputes it.
pub const PG_ANYPOD_HEAD_UP: &str = "CREATE FUNCTION count_downloads() RETURNS trigger AS $$\n\
BEGIN\n\
    UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
        WHERE feed_id = NEW.feed_id AND status = 'DOWNLOADED') WHERE id = NEW.feed_id;\n\
    RETURN NEW;\n\
END;\n\
$$ LANGUAGE plpgsql;\n\
CREATE TRIGGER download_counts AFTER INSERT OR UPDATE ON download\n\
    FOR EACH ROW EXECUTE FUNCTION count_downloads();\n\
UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
    WHERE download.feed_id = feed.id AND status = 'DOWNLOADED');\n";

/// The number of triggers the head revision makes.
pub fn anypod_head_triggers(engine: Engine) -> i64 {
    match engine {
        Engine::Sqlite => 7,
        Engine::Postgres => 1,
        Engine::MySql => 2,
    }
}

/// Anypod's two upgrade sections on a server `engine`: the schema, then the
/// triggers that keep `feed.total_downloads` and the backfill.
pub fn anypod_sql(engine: Engine) -> (&'static str, &'static str) {
    match engine {
        Engine::MySql => (MYSQL_ANYPOD_BASE_UP, MYSQL_ANYPOD_HEAD_UP),
        _ => (PG_ANYPOD_BASE_UP, PG_ANYPOD_HEAD_UP),
    }
}

/// Anypod's initial schema, in MySQL's SQL.
pub const MYSQL_ANYPOD_BASE_UP: &str = "CREATE TABLE feed (\n\
    id VARCHAR(255) NOT NULL PRIMARY KEY,\n\
    source_type VARCHAR(12) NOT NULL,\n\
    source_url VARCHAR(1024) NOT NULL,\n\
    total_downloads INTEGER DEFAULT 0 NOT NULL\n);\n\
CREATE TABLE download (\n\
    feed_id VARCHAR(255) NOT NULL,\n\
    id VARCHAR(255) NOT NULL,\n    source_url VARCHAR(1024) NOT NULL,\n\
    title VARCHAR(1024) NOT NULL,\n    published DATETIME NOT NULL,\n\
    ext VARCHAR(16) NOT NULL,\n    mime_type VARCHAR(64) NOT NULL,\n\
    filesize INTEGER NOT NULL,\n    duration INTEGER NOT NULL,\n    status VARCHAR(32) NOT NULL,\n\
    PRIMARY KEY (feed_id, id),\n    FOREIGN KEY (feed_id) REFERENCES feed (id)\n);\n\
CREATE INDEX idx_feed_status ON download (feed_id, status);\n";

/// Anypod's trigger revision, in MySQL's SQL: one trigger per event.
pub const MYSQL_ANYPOD_HEAD_UP: &str = "CREATE TRIGGER download_counts_insert AFTER INSERT ON download\n\
    FOR EACH ROW UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
        WHERE feed_id = NEW.feed_id AND status = 'DOWNLOADED') WHERE id = NEW.feed_id;\n\
CREATE TRIGGER download_counts_update AFTER UPDATE ON download\n\
    FOR EACH ROW UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
        WHERE feed_id = NEW.feed_id AND status = 'DOWNLOADED') WHERE id = NEW.feed_id;\n\
UPDATE feed SET total_downloads = (SELECT count(*) FROM download\n\
    WHERE download.feed_id = feed.id AND status = 'DOWNLOADED');\n";

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

/// A connection to a server database, kept open on a thread of its own
/// after running some SQL (taking a lock, say) until this is dropped.
pub struct Holder {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Holder {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `url` with `application_name` set (PostgreSQL), so that a holder can be
/// recognised in aludel's messages.
pub fn with_application_name(url: &str, name: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}application_name={name}")
}

/// Opens a connection to the server database at `url`, runs `sql` on it and
/// keeps it open until the returned value is dropped.
pub fn hold(engine: Engine, url: &str, sql: &str) -> Holder {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let (url, sql) = (url.to_string(), sql.to_string());
    let thread = std::thread::spawn(move || {
        macro_rules! hold_on {
            ($connection:ty) => {{
                let mut conn = <$connection>::connect(&url)
                    .await
                    .unwrap_or_else(|e| panic!("connecting to {url}: {e}"));
                let ran = sqlx::raw_sql(AssertSqlSafe(sql.clone()))
                    .execute(&mut conn)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{sql}: {e}"));
                let _ = ready_tx.send(ran);
                while let Err(std::sync::mpsc::TryRecvError::Empty) = stop_rx.try_recv() {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                let _ = conn.close().await;
            }};
        }
        block_on(async move {
            match engine {
                Engine::Postgres => hold_on!(sqlx::PgConnection),
                Engine::MySql => hold_on!(sqlx::MySqlConnection),
                other => panic!("no holder for {}", other.name()),
            }
        })
    });
    let ready = ready_rx.recv().expect("the holder thread answers");
    if let Err(e) = ready {
        panic!("{e}");
    }
    Holder {
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// A query with one row per connection holding the migration lock of a
/// server database's `alembic_version`, on its engine.
pub fn migration_lock_rows(db: &TestDb) -> String {
    match db.engine {
        Engine::MySql => format!(
            "SELECT CAST(IS_USED_LOCK('aludel:{0}.alembic_version') AS CHAR) FROM DUAL \
             WHERE IS_USED_LOCK('aludel:{0}.alembic_version') IS NOT NULL",
            db.name
        ),
        _ => pg_migration_lock_rows(db),
    }
}

/// A statement that sleeps five seconds, on a server engine.
pub fn sleep_5s(engine: Engine) -> &'static str {
    match engine {
        Engine::MySql => "SELECT SLEEP(5);",
        _ => "SELECT pg_sleep(5);",
    }
}

/// A query with a row while another connection runs [`sleep_5s`].
pub fn sleeping_rows(engine: Engine) -> &'static str {
    match engine {
        Engine::MySql => {
            "SELECT CAST(ID AS CHAR) FROM information_schema.PROCESSLIST \
             WHERE INFO LIKE '%SLEEP(5)%' AND INFO NOT LIKE '%PROCESSLIST%' \
             AND ID <> CONNECTION_ID()"
        }
        _ => {
            "SELECT pid::text FROM pg_stat_activity \
             WHERE query LIKE '%pg_sleep(5)%' AND state = 'active' \
             AND pid <> pg_backend_pid()"
        }
    }
}

/// The `pg_locks` rows of aludel's migration lock of `alembic_version` in the
/// `public` schema of the database `db`.
pub fn pg_migration_lock_rows(db: &TestDb) -> String {
    let key = aludel::driver::advisory_lock_key("public", "alembic_version");
    format!(
        "SELECT pid::text FROM pg_locks WHERE locktype = 'advisory' AND granted \
         AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = '{}') \
         AND classid = ((({key})::bigint >> 32) & 4294967295)::oid \
         AND objid = (({key})::bigint & 4294967295)::oid",
        db.name
    )
}
