//! The three ways an application hands a database to aludel — a URL, its
//! pool, one of its connections — behind one interface, and
//! `on_every_path!`, which runs a test body through each on every engine.

#![allow(dead_code)]

use std::str::FromStr;
use std::time::Duration;

use aludel::sqlx::pool::PoolOptions;
use aludel::sqlx::sqlite::SqliteConnectOptions;
use aludel::sqlx::{self, ConnectOptions, Database, Pool, Sqlite};
use aludel::{EngineConnection, Error, Migrations, RunSummary};

/// How the application hands the database to aludel.
pub enum Via<DB: Database> {
    Url(String),
    Pool(Pool<DB>),
    Connection(DB::Connection),
}

/// An engine as the application sees it: its pool and connections, opened
/// with settings of the application's own (which a run must give back).
pub trait App: aludel::Engine<Connection: EngineConnection> {
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

#[cfg(feature = "postgres")]
impl App for aludel::sqlx::Postgres {
    async fn pool(url: &str) -> Pool<aludel::sqlx::Postgres> {
        PoolOptions::new()
            .max_connections(1)
            .connect_with(postgres_options(url))
            .await
            .unwrap()
    }

    async fn connection(url: &str) -> sqlx::PgConnection {
        postgres_options(url).connect().await.unwrap()
    }

    /// The session's lock timeout, and the advisory locks it holds (a run
    /// must give back the migration lock).
    async fn settings(conn: &mut sqlx::PgConnection) -> String {
        let row: (String, i64) = sqlx::query_as(
            "SELECT current_setting('lock_timeout'), \
             (SELECT count(*) FROM pg_locks \
              WHERE locktype = 'advisory' AND pid = pg_backend_pid())",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        format!("lock_timeout={},advisory_locks={}", row.0, row.1)
    }
}

/// A lock timeout of 1234 ms, which aludel's per-transaction one must not replace.
#[cfg(feature = "postgres")]
fn postgres_options(url: &str) -> sqlx::postgres::PgConnectOptions {
    sqlx::postgres::PgConnectOptions::from_str(url)
        .unwrap()
        .options([("lock_timeout", "1234ms")])
}

#[cfg(feature = "mysql")]
impl App for aludel::sqlx::MySql {
    async fn pool(url: &str) -> Pool<aludel::sqlx::MySql> {
        PoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql(MYSQL_SETTINGS).execute(conn).await?;
                    Ok(())
                })
            })
            .connect(url)
            .await
            .unwrap()
    }

    async fn connection(url: &str) -> sqlx::MySqlConnection {
        let mut conn = sqlx::mysql::MySqlConnectOptions::from_str(url)
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::raw_sql(MYSQL_SETTINGS)
            .execute(&mut conn)
            .await
            .unwrap();
        conn
    }

    /// The settings a run changes, and whether it left the migration lock
    /// (`GET_LOCK`) held.
    async fn settings(conn: &mut sqlx::MySqlConnection) -> String {
        let row: (i64, i64, i64) = sqlx::query_as(
            "SELECT CAST(@@SESSION.autocommit AS SIGNED), \
             CAST(@@SESSION.lock_wait_timeout AS SIGNED), \
             CAST(@@SESSION.innodb_lock_wait_timeout AS SIGNED)",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        format!(
            "autocommit={},lock_wait_timeout={},innodb_lock_wait_timeout={}",
            row.0, row.1, row.2
        )
    }
}

/// Settings of the application's own, none of them what aludel migrates with.
#[cfg(feature = "mysql")]
const MYSQL_SETTINGS: &str = "SET SESSION lock_wait_timeout = 1234, innodb_lock_wait_timeout = 77";

impl<DB: App> Via<DB> {
    /// Way in number `index` (0: URL, 1: pool, 2: connection) to the
    /// database at `url`; only the pool and the connection open it.
    pub async fn open(url: &str, index: usize) -> Via<DB> {
        match index {
            0 => Via::Url(url.to_string()),
            1 => Via::Pool(DB::pool(url).await),
            _ => Via::Connection(DB::connection(url).await),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Via::Url(_) => "url",
            Via::Pool(_) => "pool",
            Via::Connection(_) => "connection",
        }
    }

    pub async fn upgrade(&mut self, m: &Migrations, target: &str) -> Result<RunSummary, Error> {
        match self {
            Via::Url(url) => m.upgrade(url, target).await,
            Via::Pool(pool) => m.upgrade_pool(pool, target).await,
            Via::Connection(conn) => m.upgrade_connection(conn, target).await,
        }
    }

    pub async fn downgrade(&mut self, m: &Migrations, target: &str) -> Result<RunSummary, Error> {
        match self {
            Via::Url(url) => m.downgrade(url, target).await,
            Via::Pool(pool) => m.downgrade_pool(pool, target).await,
            Via::Connection(conn) => m.downgrade_connection(conn, target).await,
        }
    }

    pub async fn current(&mut self, m: &Migrations) -> Result<Vec<String>, Error> {
        match self {
            Via::Url(url) => m.current(url).await,
            Via::Pool(pool) => m.current_pool(pool).await,
            Via::Connection(conn) => m.current_connection(conn).await,
        }
    }

    pub async fn pending(&mut self, m: &Migrations, target: &str) -> Result<Vec<String>, Error> {
        let plan = match self {
            Via::Url(url) => m.pending(url, target).await,
            Via::Pool(pool) => m.pending_pool(pool, target).await,
            Via::Connection(conn) => m.pending_connection(conn, target).await,
        }?;
        Ok(plan.revisions().into_iter().map(String::from).collect())
    }

    pub async fn is_at_head(&mut self, m: &Migrations) -> Result<bool, Error> {
        match self {
            Via::Url(url) => m.is_at_head(url).await,
            Via::Pool(pool) => m.is_at_head_pool(pool).await,
            Via::Connection(conn) => m.is_at_head_connection(conn).await,
        }
    }

    /// The application's settings on its connection (none for a URL).
    pub async fn settings(&mut self) -> Option<String> {
        match self {
            Via::Url(_) => None,
            Via::Pool(pool) => Some(DB::settings(&mut pool.acquire().await.unwrap()).await),
            Via::Connection(conn) => Some(DB::settings(conn).await),
        }
    }
}

/// Whether this build has a way in to `engine`'s databases (its feature and
/// an [`App`] here).
pub fn runs_on(engine: aludel_testkit::Engine) -> bool {
    match engine {
        aludel_testkit::Engine::Sqlite => true,
        aludel_testkit::Engine::Postgres => cfg!(feature = "postgres"),
        aludel_testkit::Engine::MySql => cfg!(feature = "mysql"),
    }
}

/// The engines `on_every_path!` runs on.
pub fn engines() -> Vec<aludel_testkit::Engine> {
    let all = aludel_testkit::engines();
    for engine in &all {
        if !runs_on(*engine) {
            eprintln!(
                "note: {} cases skipped: this build leaves out its engine",
                engine.name()
            );
        }
    }
    all.into_iter().filter(|e| runs_on(*e)).collect()
}

/// Runs `body` on a fresh database of each engine through each of the
/// three ways in (a new database for each). Declare this file as `mod paths`.
macro_rules! on_every_path {
    (|$db:ident, $via:ident| $body:block) => {
        for engine in crate::paths::engines() {
            for index in 0..3 {
                let $db = aludel_testkit::TestDb::scratch(engine);
                match engine {
                    aludel_testkit::Engine::Sqlite => {
                        let mut via =
                            crate::paths::Via::<aludel::sqlx::Sqlite>::open(&$db.url, index).await;
                        let $via = &mut via;
                        $body
                    }
                    #[cfg(feature = "postgres")]
                    aludel_testkit::Engine::Postgres => {
                        let mut via =
                            crate::paths::Via::<aludel::sqlx::Postgres>::open(&$db.url, index)
                                .await;
                        let $via = &mut via;
                        $body
                    }
                    #[cfg(feature = "mysql")]
                    aludel_testkit::Engine::MySql => {
                        let mut via =
                            crate::paths::Via::<aludel::sqlx::MySql>::open(&$db.url, index).await;
                        let $via = &mut via;
                        $body
                    }
                    #[allow(unreachable_patterns)]
                    other => panic!("no way in to {} databases", other.name()),
                }
            }
        }
    };
}
