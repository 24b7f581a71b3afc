//! `dev_url`: the user's own empty database on the server, for loading the
//! desired schema where aludel may not create databases. Runs using it are
//! serialised by a lock (PostgreSQL: an advisory lock in that database;
//! MySQL/MariaDB: `GET_LOCK('aludel:dev:<database>')`), it must be empty
//! (anything in it is refused, naming it), and it is left empty: on
//! PostgreSQL the schema is loaded inside a transaction that is rolled
//! back; on MySQL/MariaDB, whose DDL commits at once, everything loaded is
//! dropped afterwards, also after an error.

use std::time::{Duration, Instant};

use super::conn::{Conn, Server, literal, quote};
use crate::driver::{AnyDb, DbConnection, DbError};
use crate::error::Error;
use crate::url::{Backend, DatabaseUrl};

/// How often a busy dev-database lock is tried again (PostgreSQL).
const POLL: Duration = Duration::from_millis(100);

/// The first object in a PostgreSQL database that is not the server's or
/// an extension's (a schema other than `public`, an extension other than
/// `plpgsql`, a relation, function or type).
const PG_FIRST_OBJECT: &str = "SELECT o.what FROM (\
  SELECT 'schema ' || n.nspname::text AS what, n.oid AS oid, \
         'pg_catalog.pg_namespace'::regclass AS cls \
    FROM pg_catalog.pg_namespace n \
   WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
  UNION ALL \
  SELECT 'extension ' || e.extname::text, e.oid, 'pg_catalog.pg_extension'::regclass \
    FROM pg_catalog.pg_extension e WHERE e.extname <> 'plpgsql' \
  UNION ALL \
  SELECT 'relation ' || n.nspname::text || '.' || c.relname::text, c.oid, \
         'pg_catalog.pg_class'::regclass \
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
   WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' \
  UNION ALL \
  SELECT 'function ' || n.nspname::text || '.' || p.proname::text, p.oid, \
         'pg_catalog.pg_proc'::regclass \
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
   WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' \
  UNION ALL \
  SELECT 'type ' || n.nspname::text || '.' || t.typname::text, t.oid, \
         'pg_catalog.pg_type'::regclass \
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
   WHERE t.typtype IN ('e', 'd', 'r', 'm') AND n.nspname <> 'information_schema' \
     AND n.nspname NOT LIKE 'pg\\_%' \
) o WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d \
   WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype = 'e') \
ORDER BY 1 LIMIT 1";

/// Every object of the current MySQL/MariaDB database: kind and name.
const MYSQL_OBJECTS: &str = "SELECT TABLE_TYPE, TABLE_NAME FROM information_schema.TABLES \
   WHERE TABLE_SCHEMA = DATABASE() \
 UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES \
   WHERE ROUTINE_SCHEMA = DATABASE() \
 UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS \
   WHERE EVENT_SCHEMA = DATABASE()";

/// The dev database, locked for this run.
pub(crate) struct DevDb {
    pub(crate) conn: Conn,
    backend: Backend,
    /// How the lock is released.
    unlock: String,
    /// The URL, password hidden, for messages.
    shown: String,
}

impl DevDb {
    /// Connects to `url`, takes its lock (waiting at most `wait`) and
    /// checks that it is empty.
    pub(crate) async fn open(url: &DatabaseUrl, wait: Duration) -> Result<DevDb, Error> {
        let shown = url.redacted();
        let server = Server::from_url(url)?.ok_or_else(|| {
            Error::Usage(format!(
                "dev_url {shown} is not a PostgreSQL or MySQL/MariaDB database"
            ))
        })?;
        let backend = server.backend();
        let mut conn = server.connect(None).await.map_err(|e| scrubbed(url, e))?;
        let unlock = match lock(&mut conn.db(), backend, wait, &shown).await {
            Ok(unlock) => unlock,
            Err(e) => {
                conn.close().await;
                return Err(e);
            }
        };
        let mut dev = DevDb {
            conn,
            backend,
            unlock,
            shown,
        };
        if let Err(e) = dev.check_empty().await {
            dev.close().await;
            return Err(e);
        }
        Ok(dev)
    }

    /// The engine of the dev database's server.
    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// Refuses a dev database that holds anything.
    async fn check_empty(&mut self) -> Result<(), Error> {
        let mut db = self.conn.db();
        let first = match self.backend {
            Backend::MySql => db.fetch_text_rows(MYSQL_OBJECTS).await.map(|rows| {
                rows.into_iter().next().map(|r| {
                    let text = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
                    format!("{} {}", text(0).to_lowercase(), text(1))
                })
            }),
            _ => db.fetch_text_rows(PG_FIRST_OBJECT).await.map(|rows| {
                rows.into_iter()
                    .next()
                    .and_then(|r| r.into_iter().next().flatten())
            }),
        }
        .map_err(|e| Error::database(format!("reading what dev_url {} holds", self.shown), e))?;
        match first {
            None => Ok(()),
            Some(object) => Err(Error::Usage(format!(
                "dev_url {} is not empty (it holds {object}): it must be an empty database \
                 aludel may load the target schema into",
                self.shown
            ))),
        }
    }

    /// Drops everything in the (MySQL/MariaDB) dev database.
    pub(crate) async fn empty(&mut self) -> Result<(), Error> {
        let mut db = self.conn.db();
        let fail = |e: DbError| Error::database("emptying the dev_url database", e);
        let rows = db.fetch_text_rows(MYSQL_OBJECTS).await.map_err(fail)?;
        let mut statements = Vec::new();
        for row in rows {
            let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            let (kind, name) = (text(0), quote(Backend::MySql, &text(1)));
            let drop = match kind.as_str() {
                "VIEW" => format!("DROP VIEW IF EXISTS {name}"),
                "SEQUENCE" => format!("DROP SEQUENCE IF EXISTS {name}"),
                "FUNCTION" => format!("DROP FUNCTION IF EXISTS {name}"),
                "PROCEDURE" => format!("DROP PROCEDURE IF EXISTS {name}"),
                "EVENT" => format!("DROP EVENT IF EXISTS {name}"),
                _ => format!("DROP TABLE IF EXISTS {name}"),
            };
            // Views first: a table a view names goes after it.
            if kind == "VIEW" {
                statements.insert(0, drop);
            } else {
                statements.push(drop);
            }
        }
        db.execute("SET @aludel_fk = @@foreign_key_checks, foreign_key_checks = 0")
            .await
            .map_err(fail)?;
        let mut result = Ok(());
        for sql in &statements {
            if let Err(e) = db.execute(sql).await {
                result = Err(fail(e));
                break;
            }
        }
        db.execute("SET foreign_key_checks = @aludel_fk")
            .await
            .map_err(fail)?;
        result
    }

    /// Releases the lock and closes the connection.
    pub(crate) async fn close(mut self) {
        let _ = self.conn.db().fetch_text_rows(&self.unlock).await;
        self.conn.close().await;
    }
}

/// `e` (an error of connecting to `url`) with any secret of the URL hidden.
fn scrubbed(url: &DatabaseUrl, e: Error) -> Error {
    match e {
        Error::Database { context, source } => Error::Database {
            context: format!("{context} (dev_url {url})"),
            source: {
                let message = url.scrub(source.message());
                source.with_message(message)
            },
        },
        other => other,
    }
}

/// Takes the dev database's lock, waiting at most `wait`; returns the
/// query that releases it.
async fn lock(
    db: &mut AnyDb<'_>,
    backend: Backend,
    wait: Duration,
    shown: &str,
) -> Result<String, Error> {
    let fail = |e: DbError| Error::database(format!("locking dev_url {shown}"), e);
    let busy = || Error::LockTimeout {
        lock: format!("the lock of dev_url {shown} (another aludel run is using it)"),
        holder: None,
        waited: wait,
    };
    if backend == Backend::MySql {
        let rows = db
            .fetch_text_rows("SELECT DATABASE()")
            .await
            .map_err(fail)?;
        let database = rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
            .ok_or_else(|| Error::Usage(format!("dev_url {shown} names no database")))?;
        let name = literal(backend, &lock_name(&database));
        let secs = wait.as_secs_f64().ceil() as u64;
        let taken = db
            .fetch_text_rows(&format!("SELECT GET_LOCK({name}, {secs})"))
            .await
            .map_err(fail)?;
        if taken.first().and_then(|r| r.first()).cloned().flatten() != Some("1".into()) {
            return Err(busy());
        }
        return Ok(format!("SELECT RELEASE_LOCK({name})"));
    }
    let key = hash_key("aludel:dev_url");
    let start = Instant::now();
    loop {
        let taken = db
            .fetch_text_rows(&format!("SELECT pg_try_advisory_lock({key})::text"))
            .await
            .map_err(fail)?;
        if taken.first().and_then(|r| r.first()).cloned().flatten() == Some("true".into()) {
            return Ok(format!("SELECT pg_advisory_unlock({key})::text"));
        }
        if start.elapsed() >= wait {
            return Err(busy());
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The `GET_LOCK` name of a dev database (at most 64 characters).
fn lock_name(database: &str) -> String {
    let name = format!("aludel:dev:{database}");
    if name.chars().count() <= 64 {
        return name;
    }
    format!("aludel:dev:{:x}", hash_key(database))
}

/// A stable 64-bit key for `text` (the first 8 bytes of its SHA-256).
fn hash_key(text: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}
