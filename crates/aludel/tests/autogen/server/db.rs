//! A case's database on a server: a fresh `TestDb` (dropped after), its URL
//! as aludel parses it, and the few statements the checks run themselves
//! (rows in, rows read back as text, the case's assertions).

use aludel::DatabaseUrl;
use aludel::sqlx::mysql::MySqlConnection;
use aludel::sqlx::postgres::PgConnection;
use aludel::sqlx::{self, AssertSqlSafe, Connection, Row};
use aludel_testkit::{Engine, TestDb};

use crate::autogen::rows::{Projection, ServerSql, Side, Snapshot};

/// Which server a corpus runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    MySql,
}

impl Server {
    /// The testkit's engine for this server.
    pub fn engine(self) -> Engine {
        match self {
            Server::Postgres => Engine::Postgres,
            Server::MySql => Engine::MySql,
        }
    }

    /// How rows are read as text on this server.
    pub fn sql(self) -> ServerSql {
        match self {
            Server::Postgres => ServerSql::Postgres,
            Server::MySql => ServerSql::MySql,
        }
    }
}

/// A fresh database for one case.
pub struct CaseDb {
    /// The server.
    pub server: Server,
    /// The database (dropped with this value).
    pub db: TestDb,
    /// Its URL as aludel takes it.
    pub url: DatabaseUrl,
}

impl CaseDb {
    /// A new empty database on `server`.
    pub fn new(server: Server) -> Result<CaseDb, String> {
        let db = TestDb::scratch(server.engine());
        let url = DatabaseUrl::parse(&db.url).map_err(|e| e.to_string())?;
        Ok(CaseDb { server, db, url })
    }

    /// Runs `script` (several statements) on the database.
    pub async fn execute(&self, script: &str) -> Result<(), String> {
        if script.trim().is_empty() {
            return Ok(());
        }
        let sql = AssertSqlSafe(script.to_string());
        match self.server {
            Server::Postgres => {
                let mut c = PgConnection::connect(&self.db.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let done = sqlx::raw_sql(sql).execute(&mut c).await.map(drop);
                let _ = c.close().await;
                done.map_err(|e| e.to_string())
            }
            Server::MySql => {
                let mut c = MySqlConnection::connect(&self.db.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let done = sqlx::raw_sql(sql).execute(&mut c).await.map(drop);
                let _ = c.close().await;
                done.map_err(|e| e.to_string())
            }
        }
    }

    /// The first column of `query`'s rows, as text (NULL: `None`).
    pub async fn texts(&self, query: &str) -> Result<Vec<Option<String>>, String> {
        let sql = AssertSqlSafe(query.to_string());
        let rows = match self.server {
            Server::Postgres => {
                let mut c = PgConnection::connect(&self.db.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let rows = sqlx::query(sql).fetch_all(&mut c).await;
                let _ = c.close().await;
                rows.map_err(|e| format!("{query}: {e}"))?
                    .iter()
                    .map(first_pg)
                    .collect()
            }
            Server::MySql => {
                let mut c = MySqlConnection::connect(&self.db.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let rows = sqlx::query(sql).fetch_all(&mut c).await;
                let _ = c.close().await;
                rows.map_err(|e| format!("{query}: {e}"))?
                    .iter()
                    .map(first_mysql)
                    .collect()
            }
        };
        Ok(rows)
    }

    /// The server's `SELECT VERSION()`.
    pub async fn version(&self) -> Result<String, String> {
        let found = self.texts("SELECT VERSION()").await?;
        Ok(found.into_iter().flatten().next().unwrap_or_default())
    }

    /// The table contents `projection` compares, on `side`.
    pub async fn snapshot(&self, projection: &Projection, side: Side) -> Result<Snapshot, String> {
        let mut snapshot = Snapshot::new();
        for (table, query) in projection.server_queries(self.server.sql(), side) {
            let mut rows: Vec<String> = self
                .texts(&query)
                .await?
                .into_iter()
                .map(|v| v.unwrap_or_else(|| "<NULL>".to_string()))
                .collect();
            rows.sort();
            snapshot.insert(table, rows);
        }
        Ok(snapshot)
    }

    /// Runs each query of `script` (one a line, `--` comments skipped) and
    /// fails unless each returns the single value 1 (or true).
    pub async fn assert_true(&self, script: &str) -> Result<(), String> {
        let mut wrong = Vec::new();
        for query in script
            .lines()
            .filter(|line| !line.trim_start().starts_with("--") && !line.trim().is_empty())
        {
            match self.texts(query.trim().trim_end_matches(';')).await {
                Ok(v) if v.len() == 1 && matches!(v[0].as_deref(), Some("1" | "t" | "true")) => {}
                Ok(v) => wrong.push(format!("{query} returned {v:?}, not 1")),
                Err(e) => wrong.push(e),
            }
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(wrong.join("; "))
        }
    }
}

macro_rules! first_cell {
    ($row:expr) => {{
        let row = $row;
        if row.len() == 0 {
            return None;
        }
        if let Ok(v) = row.try_get::<Option<String>, _>(0) {
            return v;
        }
        if let Ok(v) = row.try_get::<Option<i64>, _>(0) {
            return v.map(|n| n.to_string());
        }
        if let Ok(v) = row.try_get::<Option<i32>, _>(0) {
            return v.map(|n| n.to_string());
        }
        if let Ok(v) = row.try_get::<Option<bool>, _>(0) {
            return v.map(|b| if b { "1" } else { "0" }.to_string());
        }
        if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(0) {
            return v.map(|b| String::from_utf8_lossy(&b).into_owned());
        }
        Some("<undecodable>".to_string())
    }};
}

fn first_pg(row: &sqlx::postgres::PgRow) -> Option<String> {
    first_cell!(row)
}

fn first_mysql(row: &sqlx::mysql::MySqlRow) -> Option<String> {
    first_cell!(row)
}
