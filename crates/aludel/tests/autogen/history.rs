//! A two-revision history in a scratch folder — `r1` creates the `before`
//! schema, `r2` is the generated (or reviewed) migration — run through the
//! real runner on a SQLite file, or rendered by the offline renderer
//! (`upgrade --sql`) and run as a script.

use std::path::{Path, PathBuf};

use aludel::dialect::{self, VersionTable};
use aludel::driver::{self, SessionSettings};
use aludel::history::History;
use aludel::offline::{self, OfflineOptions};
use aludel::runner::{self, Direction, RunOptions};
use aludel::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteSynchronous};
use aludel::sqlx::{self, AssertSqlSafe, Connection};
use aludel::{Backend, DatabaseUrl};

/// The first revision: the `before` schema.
pub const BEFORE: &str = "r1";
/// The second revision: the migration under test.
pub const MIGRATION: &str = "r2";

/// A scratch folder with the two revisions and room for databases.
pub struct Revisions {
    /// Removed when dropped.
    pub dir: tempfile::TempDir,
    /// The loaded history.
    pub history: History,
    /// A history of `r1` alone (what an autogenerate would start from).
    pub before_only: History,
}

/// One generated revision after `r1`.
#[derive(Debug, Clone)]
pub struct Step {
    /// Its upgrade.
    pub upgrade: String,
    /// Its downgrade.
    pub downgrade: String,
    /// Whether it runs in a transaction (`false`: the sections say
    /// `transaction:false`, as the CLI writes a migration's
    /// non-transactional part).
    pub transactional: bool,
}

fn revision_text(id: &str, parent: &str, step: &Step) -> String {
    let option = if step.transactional {
        ""
    } else {
        " transaction:false"
    };
    format!(
        "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\n\
         -- migrate:upgrade{option}\n{}\n\n-- migrate:downgrade{option}\n{}\n",
        step.upgrade, step.downgrade
    )
}

impl Revisions {
    /// Writes `r1` (upgrade: `before`) and `r2` (`upgrade`/`downgrade`),
    /// and `r1` alone in another folder.
    pub fn write(before: &str, upgrade: &str, downgrade: &str) -> Result<Revisions, String> {
        let step = Step {
            upgrade: upgrade.to_string(),
            downgrade: downgrade.to_string(),
            transactional: true,
        };
        Revisions::write_steps(before, &[step])
    }

    /// Writes `r1` (upgrade: `before`) and one revision per step after it
    /// (`r2`, `r3`, …, each revising the previous one), and `r1` alone in
    /// another folder.
    pub fn write_steps(before: &str, steps: &[Step]) -> Result<Revisions, String> {
        // A memory file system where there is one: the runner waits for the
        // disk at each commit, and these databases are thrown away.
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .map_err(|e| e.to_string())?;
        let write = |folder: &str, id: &str, text: String| {
            let folder = dir.path().join(folder);
            std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
            std::fs::write(folder.join(format!("{id}.sql")), text).map_err(|e| e.to_string())
        };
        let setup = Step {
            upgrade: before.to_string(),
            downgrade: "SELECT 1;".to_string(),
            transactional: true,
        };
        let first = revision_text(BEFORE, "", &setup);
        write("versions", BEFORE, first.clone())?;
        let mut parent = BEFORE.to_string();
        for (i, step) in steps.iter().enumerate() {
            let id = format!("r{}", i + 2);
            write("versions", &id, revision_text(&id, &parent, step))?;
            parent = id;
        }
        write("before_only", BEFORE, first)?;
        let load =
            |folder: &str| History::load(&[dir.path().join(folder)]).map_err(|e| e.to_string());
        let history = load("versions")?;
        let before_only = load("before_only")?;
        Ok(Revisions {
            dir,
            history,
            before_only,
        })
    }

    /// A database file in the scratch folder.
    pub fn database(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.sqlite"))
    }

    /// Runs the runner on the database file `path` to `target`.
    pub async fn migrate(
        &self,
        path: &Path,
        direction: Direction,
        target: &str,
    ) -> Result<(), String> {
        let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display()))
            .map_err(|e| e.to_string())?;
        self.migrate_url(&url, direction, target).await
    }

    /// Runs the runner on the database at `url` to `target`.
    pub async fn migrate_url(
        &self,
        url: &DatabaseUrl,
        direction: Direction,
        target: &str,
    ) -> Result<(), String> {
        let mut db = driver::connect(url, true)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no database")?;
        let mut log = |_: &str| {};
        let result = runner::migrate(
            &mut db,
            &self.history,
            direction,
            target,
            RunOptions {
                session: SessionSettings::default(),
                transaction_per_migration: true,
                on_step: &mut log,
                accept_edited: false,
            },
        )
        .await;
        db.close().await;
        result.map(drop).map_err(|e| format!("{e:#}"))
    }

    /// The `upgrade --sql` script from `start` (no heads: base) to `target`.
    pub fn offline_upgrade(&self, start: &[&str], target: &str) -> Result<String, String> {
        self.offline_upgrade_for(Backend::Sqlite, start, target)
    }

    /// The `upgrade --sql` script for `backend` from `start` to `target`.
    pub fn offline_upgrade_for(
        &self,
        backend: Backend,
        start: &[&str],
        target: &str,
    ) -> Result<String, String> {
        let plan = self
            .history
            .graph()
            .plan_upgrade(start, target)
            .map_err(|e| e.to_string())?;
        offline::render(
            &self.history,
            dialect::for_backend(backend),
            &plan,
            &OfflineOptions {
                version_table: &version_table(),
                transaction_per_migration: true,
                start_heads: start.iter().map(|s| s.to_string()).collect(),
            },
            &mut |_| {},
        )
        .map_err(|e| e.to_string())
    }
}

/// The version table the runner uses by default.
pub fn version_table() -> VersionTable {
    SessionSettings::default().version_table
}

/// Opens the SQLite file `path` (creating it) with foreign keys as asked,
/// without waiting for the disk at each commit (scratch files).
pub async fn open(path: &Path, foreign_keys: bool) -> Result<SqliteConnection, String> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(foreign_keys)
        .synchronous(SqliteSynchronous::Off);
    SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| format!("opening {}: {e}", path.display()))
}

/// Closes a connection opened by [`open`].
pub async fn close(conn: SqliteConnection) -> Result<(), String> {
    conn.close().await.map_err(|e| e.to_string())
}

/// Runs a script of several statements.
pub async fn run_script(conn: &mut SqliteConnection, script: &str) -> Result<(), String> {
    if script.trim().is_empty() {
        return Ok(());
    }
    sqlx::raw_sql(AssertSqlSafe(script.to_string()))
        .execute(conn)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Runs each statement of `script` (one per line-ending `;`, comments
/// skipped), every one, and fails unless each returns the single value 1.
pub async fn assert_true(conn: &mut SqliteConnection, script: &str) -> Result<(), String> {
    let mut wrong = Vec::new();
    for query in script
        .lines()
        .filter(|line| !line.trim_start().starts_with("--") && !line.trim().is_empty())
    {
        let value = sqlx::query_scalar::<_, i64>(AssertSqlSafe(query.to_string()))
            .fetch_one(&mut *conn)
            .await;
        match value {
            Ok(1) => {}
            Ok(other) => wrong.push(format!("{query} returned {other}, not 1")),
            Err(e) => wrong.push(format!("{query}: {e}")),
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
