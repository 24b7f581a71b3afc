//! Test support for aludel: one suite, run on every engine.
//!
//! [`engines`] lists the engines a test runs on: SQLite always, PostgreSQL
//! when `ALUDEL_TEST_POSTGRES_URL` is set, MySQL/MariaDB when
//! `ALUDEL_TEST_MYSQL_URL` is set (e.g. `postgres://postgres@127.0.0.1:5432/postgres`,
//! `mysql://root@127.0.0.1:3306/mysql`: a server URL whose user may create
//! databases). Without them the server cases are skipped and say so on
//! stderr; with `ALUDEL_TEST_REQUIRE_SERVERS=1` (CI) a missing variable fails
//! the test instead. [`TestDb`] is a fresh database per test, dropped after.
//!
//! Architecture invariant: test support only; no aludel code depends on it.

use std::path::{Path, PathBuf};
use std::sync::Once;

use sqlx::{AssertSqlSafe, Connection};

/// An engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// SQLite: a file in the test's scratch folder.
    Sqlite,
    /// The PostgreSQL server at `ALUDEL_TEST_POSTGRES_URL`.
    Postgres,
    /// The MySQL/MariaDB server at `ALUDEL_TEST_MYSQL_URL`.
    MySql,
}

/// Environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "ALUDEL_TEST_POSTGRES_URL";
/// Environment variable naming the MySQL/MariaDB server for tests.
pub const MYSQL_ENV: &str = "ALUDEL_TEST_MYSQL_URL";
/// Set to `1` where no server test may be skipped (CI).
pub const REQUIRE_ENV: &str = "ALUDEL_TEST_REQUIRE_SERVERS";

impl Engine {
    /// Every engine, whether or not its server is configured.
    pub const ALL: [Engine; 3] = [Engine::Sqlite, Engine::Postgres, Engine::MySql];

    /// Short name for messages and database names.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
            Engine::MySql => "mysql",
        }
    }

    /// The server URL tests create their databases on (`None` for SQLite or
    /// when the variable is unset).
    pub fn server_url(self) -> Option<String> {
        let var = match self {
            Engine::Sqlite => return None,
            Engine::Postgres => POSTGRES_ENV,
            Engine::MySql => MYSQL_ENV,
        };
        std::env::var(var).ok().filter(|u| !u.is_empty())
    }

    /// Whether DDL commits implicitly on this engine.
    pub fn ddl_commits(self) -> bool {
        self == Engine::MySql
    }
}

static SKIP_NOTICE: [Once; 3] = [Once::new(), Once::new(), Once::new()];

/// The engines to run a test on: SQLite, and each server whose variable is
/// set. A server left out is said once per test binary on stderr; under
/// `ALUDEL_TEST_REQUIRE_SERVERS=1` it fails the test.
pub fn engines() -> Vec<Engine> {
    let require = std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1");
    let mut found = vec![Engine::Sqlite];
    for (i, engine) in [Engine::Postgres, Engine::MySql].into_iter().enumerate() {
        if engine.server_url().is_some() {
            found.push(engine);
            continue;
        }
        let var = if engine == Engine::Postgres {
            POSTGRES_ENV
        } else {
            MYSQL_ENV
        };
        assert!(
            !require,
            "{REQUIRE_ENV}=1 but {var} is not set: the {} tests cannot run",
            engine.name()
        );
        SKIP_NOTICE[i + 1].call_once(|| {
            // Straight to the process's stderr: the test harness captures
            // `eprintln!` of passing tests, and this note must be seen.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr().lock(),
                "note: {} cases skipped: set {var} to run them",
                engine.name()
            );
        });
    }
    found
}

/// The engines aludel has a driver for. Suites that run aludel on a
/// database iterate [`driver_engines`], so that an engine's tests start
/// running the day its driver is added here.
pub const WITH_DRIVER: &[Engine] = &[Engine::Sqlite, Engine::Postgres, Engine::MySql];

/// [`engines`] restricted to those in [`WITH_DRIVER`].
pub fn driver_engines() -> Vec<Engine> {
    engines()
        .into_iter()
        .filter(|e| WITH_DRIVER.contains(e))
        .collect()
}

/// A fresh, empty database for one test, dropped when the value is.
pub struct TestDb {
    /// Its engine.
    pub engine: Engine,
    /// The URL aludel and the test connect with.
    pub url: String,
    /// The database's name on a server (empty for SQLite).
    pub name: String,
    server: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A new database on `engine`: a file in `dir` for SQLite (`dir` is
    /// kept by the caller), `aludel_t_<random>` on a server.
    pub fn new(engine: Engine, dir: &Path) -> TestDb {
        match engine.server_url() {
            None => TestDb {
                engine,
                url: format!("sqlite://{}", dir.join("db.sqlite").display()),
                name: String::new(),
                server: None,
                _dir: None,
            },
            Some(server) => {
                let name = format!("aludel_t_{}", random_suffix());
                let ddl = format!("CREATE DATABASE {name}");
                block_on(admin(engine, &server, &ddl))
                    .unwrap_or_else(|e| panic!("creating {name} on {}: {e}", engine.name()));
                TestDb {
                    engine,
                    url: database_url(&server, &name),
                    name,
                    server: Some(server),
                    _dir: None,
                }
            }
        }
    }

    /// A new database with its own scratch folder (for tests that need no
    /// other files).
    pub fn scratch(engine: Engine) -> TestDb {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let mut db = TestDb::new(engine, dir.path());
        db._dir = Some(dir);
        db
    }

    /// The SQLite file, for SQLite databases.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.url.strip_prefix("sqlite://").map(PathBuf::from)
    }

    /// Runs SQL text (one or more statements) on the database.
    pub fn execute(&self, sql: &str) {
        block_on(run_sql(self.engine, &self.url, sql)).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The rows of a query, every column read as text (NULL as `None`).
    pub fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        block_on(query_text(self.engine, &self.url, sql)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first column of a query's rows, as text.
    pub fn column(&self, sql: &str) -> Vec<String> {
        self.query(sql)
            .into_iter()
            .map(|row| row.into_iter().next().flatten().unwrap_or_default())
            .collect()
    }

    /// Whether a table exists (in the database's default schema).
    pub fn has_table(&self, table: &str) -> bool {
        let sql = match self.engine {
            Engine::Sqlite => {
                format!("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
            }
            Engine::Postgres => format!(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '{table}'"
            ),
            Engine::MySql => format!(
                "SELECT table_name FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_name = '{table}'"
            ),
        };
        !self.query(&sql).is_empty()
    }

    /// The rows of the version table `alembic_version`, sorted.
    pub fn versions(&self) -> Vec<String> {
        let mut rows = self.column("SELECT version_num FROM alembic_version");
        rows.sort();
        rows
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(server) = &self.server {
            let ddl = match self.engine {
                Engine::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
                _ => format!("DROP DATABASE IF EXISTS {}", self.name),
            };
            let _ = block_on(admin(self.engine, server, &ddl));
        }
    }
}

/// `server` with its database replaced by `name`.
pub fn database_url(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs `future` to completion on a runtime of its own, on a thread of its
/// own (so that it works inside and outside a test's runtime).
pub fn block_on<F>(future: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime")
                    .block_on(future)
            })
            .join()
            .expect("the database thread")
    })
}

async fn admin(engine: Engine, server: &str, sql: &str) -> Result<(), sqlx::Error> {
    run_sql(engine, server, sql).await
}

async fn run_sql(engine: Engine, url: &str, sql: &str) -> Result<(), sqlx::Error> {
    let sql = AssertSqlSafe(sql.to_string());
    match engine {
        Engine::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc")).await?;
            sqlx::raw_sql(sql).execute(&mut c).await?;
            c.close().await
        }
        Engine::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await?;
            sqlx::raw_sql(sql).execute(&mut c).await?;
            c.close().await
        }
        Engine::MySql => {
            let mut c = sqlx::MySqlConnection::connect(url).await?;
            sqlx::raw_sql(sql).execute(&mut c).await?;
            c.close().await
        }
    }
}

async fn query_text(
    engine: Engine,
    url: &str,
    sql: &str,
) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
    use sqlx::Row;
    let sql = AssertSqlSafe(sql.to_string());
    macro_rules! rows {
        ($conn:expr) => {{
            let mut c = $conn;
            let rows = sqlx::query(sql).fetch_all(&mut c).await?;
            let mut out = Vec::new();
            for row in &rows {
                let mut cells = Vec::new();
                for i in 0..row.len() {
                    cells.push(text_cell(row, i));
                }
                out.push(cells);
            }
            c.close().await?;
            Ok(out)
        }};
    }
    match engine {
        Engine::Sqlite => rows!(sqlx::SqliteConnection::connect(url).await?),
        Engine::Postgres => rows!(sqlx::PgConnection::connect(url).await?),
        Engine::MySql => rows!(sqlx::MySqlConnection::connect(url).await?),
    }
}

/// A cell as text, whatever its type (integers and text are what tests read).
fn text_cell<R: sqlx::Row>(row: &R, i: usize) -> Option<String>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v;
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map(|n| n.to_string());
    }
    if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
        return v.map(|n| n.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_replaces_the_database() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            database_url("mysql://root@127.0.0.1:3306", "x"),
            "mysql://root@127.0.0.1:3306/x"
        );
        assert_eq!(
            database_url("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }

    #[test]
    fn a_server_database_is_created_and_dropped() {
        for engine in engines() {
            let db = TestDb::scratch(engine);
            db.execute("CREATE TABLE t (x INTEGER)");
            db.execute("INSERT INTO t VALUES (7)");
            assert_eq!(db.column("SELECT x FROM t"), ["7"]);
            assert!(db.has_table("t"));
            let (name, server) = (db.name.clone(), engine.server_url());
            drop(db);
            if let Some(server) = server {
                let probe = TestDb {
                    engine,
                    url: server,
                    name: String::new(),
                    server: None,
                    _dir: None,
                };
                let sql = match engine {
                    Engine::Postgres => {
                        format!("SELECT datname::text FROM pg_database WHERE datname = '{name}'")
                    }
                    _ => format!(
                        "SELECT schema_name FROM information_schema.schemata WHERE schema_name = '{name}'"
                    ),
                };
                assert!(probe.query(&sql).is_empty(), "{name} was dropped");
            }
        }
    }
}
