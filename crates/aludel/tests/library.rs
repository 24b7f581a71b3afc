//! The library's contract (SPEC §7): the same embedded migrations, given a
//! URL, an application's pool or one of its connections, on every enabled
//! engine, do the same — the same version and history rows, the same
//! answers from `pending` and `is_at_head`, the application's settings given
//! back — and fail the same, with the database's error kept as the source.

use std::error::Error as _;
use std::str::FromStr;
use std::time::Duration;

use aludel::driver::DbError;
use aludel::sqlx::pool::PoolOptions;
use aludel::sqlx::sqlite::SqliteConnectOptions;
use aludel::sqlx::{self, ConnectOptions, Database, Pool, Sqlite};
use aludel::{EngineConnection, Error, Migrations, RunSummary};
use aludel_testkit::{Engine as TestEngine, TestDb, engines};

static CHAIN: Migrations =
    aludel::embed_migrations!("tests/fixtures/chain").with_version_table("app_version");
static UNIQUE: Migrations = aludel::embed_migrations!("tests/fixtures/unique");
static UNIQUE_WHOLE_RUN: Migrations =
    aludel::embed_migrations!("tests/fixtures/unique").with_transaction_per_migration(false);

/// How the application hands the database to aludel.
enum Via<DB: Database> {
    Url(String),
    Pool(Pool<DB>),
    Connection(DB::Connection),
}

/// An engine as the application sees it: its pool and connections, opened
/// with settings of the application's own (which a run must give back).
trait App: aludel::Engine<Connection: EngineConnection> {
    /// Opens a pool of one connection with the application's settings.
    async fn pool(url: &str) -> Pool<Self>;
    /// Opens a connection with the application's settings.
    async fn connection(url: &str) -> Self::Connection;
    /// The settings a run changes, as text.
    async fn settings(conn: &mut Self::Connection) -> String;
}

impl App for Sqlite {
    async fn pool(url: &str) -> Pool<Sqlite> {
        PoolOptions::new()
            .max_connections(1)
            .connect_with(sqlite_options(url))
            .await
            .unwrap()
    }

    async fn connection(url: &str) -> sqlx::SqliteConnection {
        sqlite_options(url).connect().await.unwrap()
    }

    async fn settings(conn: &mut sqlx::SqliteConnection) -> String {
        let mut shown = Vec::new();
        for pragma in ["foreign_keys", "busy_timeout"] {
            let value: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("PRAGMA {pragma}")))
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            shown.push(format!("{pragma}={value}"));
        }
        shown.join(",")
    }
}

/// Foreign keys on and a busy timeout of 1234 ms: not what aludel migrates with.
fn sqlite_options(url: &str) -> SqliteConnectOptions {
    SqliteConnectOptions::from_str(url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(Duration::from_millis(1234))
}

impl<DB: App> Via<DB> {
    /// The three ways in to the database at `url`.
    async fn all(url: &str) -> [Via<DB>; 3] {
        [
            Via::Url(url.to_string()),
            Via::Pool(DB::pool(url).await),
            Via::Connection(DB::connection(url).await),
        ]
    }

    fn name(&self) -> &'static str {
        match self {
            Via::Url(_) => "url",
            Via::Pool(_) => "pool",
            Via::Connection(_) => "connection",
        }
    }

    async fn upgrade(&mut self, m: &Migrations, target: &str) -> Result<RunSummary, Error> {
        match self {
            Via::Url(url) => m.upgrade(url, target).await,
            Via::Pool(pool) => m.upgrade_pool(pool, target).await,
            Via::Connection(conn) => m.upgrade_connection(conn, target).await,
        }
    }

    async fn downgrade(&mut self, m: &Migrations, target: &str) -> Result<RunSummary, Error> {
        match self {
            Via::Url(url) => m.downgrade(url, target).await,
            Via::Pool(pool) => m.downgrade_pool(pool, target).await,
            Via::Connection(conn) => m.downgrade_connection(conn, target).await,
        }
    }

    async fn current(&mut self, m: &Migrations) -> Result<Vec<String>, Error> {
        match self {
            Via::Url(url) => m.current(url).await,
            Via::Pool(pool) => m.current_pool(pool).await,
            Via::Connection(conn) => m.current_connection(conn).await,
        }
    }

    async fn pending(&mut self, m: &Migrations, target: &str) -> Result<Vec<String>, Error> {
        let plan = match self {
            Via::Url(url) => m.pending(url, target).await,
            Via::Pool(pool) => m.pending_pool(pool, target).await,
            Via::Connection(conn) => m.pending_connection(conn, target).await,
        }?;
        Ok(plan.revisions().into_iter().map(String::from).collect())
    }

    async fn is_at_head(&mut self, m: &Migrations) -> Result<bool, Error> {
        match self {
            Via::Url(url) => m.is_at_head(url).await,
            Via::Pool(pool) => m.is_at_head_pool(pool).await,
            Via::Connection(conn) => m.is_at_head_connection(conn).await,
        }
    }

    /// The application's settings on its connection (none for a URL).
    async fn settings(&mut self) -> Option<String> {
        match self {
            Via::Url(_) => None,
            Via::Pool(pool) => Some(DB::settings(&mut pool.acquire().await.unwrap()).await),
            Via::Connection(conn) => Some(DB::settings(conn).await),
        }
    }
}

/// Runs `body` on a fresh database of each engine through each of the
/// three ways in (a new database for each).
macro_rules! on_every_path {
    (|$db:ident, $via:ident| $body:block) => {
        for engine in engines() {
            for index in 0..3 {
                let $db = TestDb::scratch(engine);
                match engine {
                    TestEngine::Sqlite => {
                        let mut all = Via::<Sqlite>::all(&$db.url).await;
                        let $via = &mut all[index];
                        $body
                    }
                    other => eprintln!("note: no {} driver in this build yet", other.name()),
                }
            }
        }
    };
}

fn joined(revisions: &[String]) -> String {
    revisions.join(",")
}

#[tokio::test]
async fn every_path_runs_the_same_migrations_and_gives_the_connection_back() {
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    on_every_path!(|db, via| {
        let before = via.settings().await;
        let mut transcript = Vec::new();
        let mut note = |line: String| transcript.push(line);
        note(format!(
            "pending {}",
            joined(&via.pending(&CHAIN, "head").await.unwrap())
        ));
        note(format!("at head {}", via.is_at_head(&CHAIN).await.unwrap()));
        let up = via.upgrade(&CHAIN, "c2").await.unwrap();
        note(format!(
            "applied {} -> {}",
            joined(&up.applied),
            joined(&up.heads)
        ));
        note(format!(
            "pending {}",
            joined(&via.pending(&CHAIN, "head").await.unwrap())
        ));
        let up = via.upgrade(&CHAIN, "head").await.unwrap();
        note(format!(
            "applied {} -> {}",
            joined(&up.applied),
            joined(&up.heads)
        ));
        note(format!("at head {}", via.is_at_head(&CHAIN).await.unwrap()));
        let down = via.downgrade(&CHAIN, "-1").await.unwrap();
        note(format!(
            "undid {} -> {}",
            joined(&down.applied),
            joined(&down.heads)
        ));
        note(format!(
            "current {}",
            joined(&via.current(&CHAIN).await.unwrap())
        ));
        note(format!(
            "rows {}",
            db.column("SELECT version_num FROM app_version").join(",")
        ));
        for row in db.query("SELECT revision, direction FROM aludel_history ORDER BY id") {
            let row: Vec<String> = row.into_iter().map(Option::unwrap_or_default).collect();
            note(format!("history {}", row.join(" ")));
        }
        assert_eq!(
            via.settings().await,
            before,
            "settings given back ({})",
            via.name()
        );
        seen.push((format!("{} {}", db.engine.name(), via.name()), transcript));
    });
    let expected = [
        "pending c1,c2,c3",
        "at head false",
        "applied c1,c2 -> c2",
        "pending c3",
        "applied c3 -> c3",
        "at head true",
        "undid c3 -> c2",
        "current c2",
        "rows c2",
        "history c1 upgrade",
        "history c2 upgrade",
        "history c3 upgrade",
        "history c3 downgrade",
    ];
    assert!(seen.len() >= 3, "SQLite runs through all three paths");
    for (path, transcript) in &seen {
        assert_eq!(transcript, &expected, "{path}");
    }
}

/// The code each engine gives a UNIQUE violation.
fn unique_violation(engine: TestEngine) -> &'static str {
    match engine {
        TestEngine::Sqlite => "2067",
        TestEngine::Postgres => "23505",
        TestEngine::MySql => "1062",
    }
}

#[tokio::test]
async fn a_failed_statement_keeps_the_databases_error_as_source_with_its_code() {
    on_every_path!(|db, via| {
        let err = via.upgrade(&UNIQUE, "head").await.unwrap_err();
        let Error::Statement(failure) = &err else {
            panic!("{}: expected a statement failure, got {err:?}", via.name());
        };
        assert_eq!(failure.revision, "u2");
        assert_eq!((failure.line, failure.direction), (10, "upgrade"));
        assert_eq!(err.db_code(), Some(unique_violation(db.engine)), "{err}");
        let source = err.source().expect("a source");
        let db_error = source.downcast_ref::<DbError>().expect("a DbError");
        assert_eq!(db_error.code(), err.db_code());
        let sqlx_error = db_error.source().expect("the sqlx error");
        let sqlx_error = sqlx_error
            .downcast_ref::<sqlx::Error>()
            .expect("sqlx::Error");
        assert!(
            matches!(sqlx_error, sqlx::Error::Database(_)),
            "{sqlx_error}"
        );
        assert!(err.sqlx_error().is_some());
        // One transaction per migration: u1 stays, u2 is undone whole.
        assert_eq!(db.versions(), ["u1"]);
        assert_eq!(db.column("SELECT k FROM keyed"), ["a"]);
        if !db.engine.ddl_commits() {
            assert!(!db.has_table("other"), "{}", via.name());
        }
    });
}

#[tokio::test]
async fn one_transaction_for_the_run_is_honoured_on_every_path() {
    on_every_path!(|db, via| {
        let err = via.upgrade(&UNIQUE_WHOLE_RUN, "head").await.unwrap_err();
        assert_eq!(err.db_code(), Some(unique_violation(db.engine)), "{err}");
        if !db.engine.ddl_commits() {
            assert!(!db.has_table("keyed"), "u1 undone too ({})", via.name());
            assert!(!db.has_table("alembic_version"), "{}", via.name());
        }
    });
}
