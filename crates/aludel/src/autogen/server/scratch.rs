//! Scratch databases: created on the server for one comparison, named
//! `aludel_scratch_<unix seconds>_<8 random hex>`, and dropped after it
//! (also when it fails). Those a crashed run left behind are dropped by the
//! next run: on PostgreSQL when no session is connected to one and its
//! name's time is more than [`ORPHAN_AGE`] old; on MySQL/MariaDB the owner
//! holds `GET_LOCK('<name>')` for the database's lifetime, so a free lock
//! (and the same age) means its owner is gone.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::conn::{Conn, Server, literal, quote};
use crate::driver::{DbConnection, DbError};
use crate::error::Error;
use crate::url::Backend;

/// What every scratch database's name starts with.
pub const SCRATCH_PREFIX: &str = "aludel_scratch_";

/// How old an unowned scratch database must be (by the time in its name)
/// before another run drops it: a younger one may be about to be used.
pub const ORPHAN_AGE: Duration = Duration::from_secs(60);

/// A database aludel created on the server, with the connection that
/// created it (which, on MySQL, holds the database's lock).
pub(crate) struct ScratchDb {
    /// Its name.
    pub(crate) name: String,
    admin: Conn,
    backend: Backend,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A new scratch database name.
fn new_name() -> String {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.write_u32(std::process::id());
    let random = hasher.finish() as u32;
    format!("{SCRATCH_PREFIX}{}_{random:08x}", now_secs())
}

/// The time in a scratch database's name, if it is one.
fn created_at(name: &str) -> Option<u64> {
    let rest = name.strip_prefix(SCRATCH_PREFIX)?;
    let (secs, hex) = rest.split_once('_')?;
    if hex.len() != 8 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    secs.parse().ok()
}

/// Whether a scratch database named `name` is old enough to be an orphan.
fn old_enough(name: &str) -> bool {
    created_at(name).is_some_and(|t| now_secs().saturating_sub(t) > ORPHAN_AGE.as_secs())
}

/// The error of a statement aludel runs to manage a scratch database.
fn failed(what: String) -> impl FnOnce(DbError) -> Error {
    move |e| Error::database(what, e)
}

/// Drops the scratch databases of crashed runs that `admin` can see (see
/// the module doc); a database it cannot drop is left for a later run.
pub(crate) async fn drop_orphans(admin: &mut Conn, backend: Backend) -> Result<(), Error> {
    let mut db = admin.db();
    let sql = match backend {
        Backend::MySql => {
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME LIKE 'aludel\\_scratch\\_%'"
        }
        _ => {
            "SELECT d.datname::text FROM pg_catalog.pg_database d \
             WHERE d.datname LIKE 'aludel\\_scratch\\_%' AND NOT EXISTS \
             (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid)"
        }
    };
    let rows = db
        .fetch_text_rows(sql)
        .await
        .map_err(failed("listing scratch databases".into()))?;
    for name in rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
    {
        if !old_enough(&name) {
            continue;
        }
        let drop = format!("DROP DATABASE IF EXISTS {}", quote(backend, &name));
        if backend == Backend::MySql {
            // Taking its lock proves no live run owns it, and keeps one
            // from starting on it while it is dropped.
            let lock = format!("SELECT GET_LOCK({}, 0)", literal(backend, &name));
            let taken = db.fetch_text_rows(&lock).await.ok();
            if taken.and_then(|r| r.into_iter().next()?.into_iter().next()?)
                != Some("1".to_string())
            {
                continue;
            }
            let dropped = db.execute(&drop).await;
            let release = format!("SELECT RELEASE_LOCK({})", literal(backend, &name));
            let _ = db.fetch_text_rows(&release).await;
            log_left(&name, dropped.err());
        } else {
            log_left(&name, db.execute(&drop).await.err());
        }
    }
    Ok(())
}

/// Tells (as a `tracing` warning) that an orphan could not be dropped.
fn log_left(name: &str, error: Option<DbError>) {
    if let Some(e) = error {
        tracing::warn!(target: crate::events::TARGET, "could not drop the leftover scratch database {name}: {e}");
    }
}

impl ScratchDb {
    /// Creates a scratch database on `server` (after dropping orphans),
    /// on MySQL/MariaDB with the default character set and collation of
    /// the database `server`'s options name (the one compared, so that
    /// both sides read the same defaults).
    pub(crate) async fn create(server: &Server) -> Result<ScratchDb, Error> {
        let backend = server.backend();
        let mut admin = server.connect(None).await?;
        let created = ScratchDb::create_on(&mut admin, backend).await;
        match created {
            Ok(name) => Ok(ScratchDb {
                name,
                admin,
                backend,
            }),
            Err(e) => {
                admin.close().await;
                Err(e)
            }
        }
    }

    async fn create_on(admin: &mut Conn, backend: Backend) -> Result<String, Error> {
        drop_orphans(admin, backend).await?;
        let name = new_name();
        let mut db = admin.db();
        let create = format!("CREATE DATABASE {}", quote(backend, &name));
        let what = format!(
            "creating the scratch database {name} (a user that may not create databases \
             needs dev_url: an empty database on the same server)"
        );
        if backend == Backend::MySql {
            let lock = format!("SELECT GET_LOCK({}, 0)", literal(backend, &name));
            db.fetch_text_rows(&lock)
                .await
                .map_err(failed(what.clone()))?;
            let charset = db
                .fetch_text_rows(
                    "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME \
                     FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()",
                )
                .await
                .map_err(failed(what.clone()))?;
            let mut create = create;
            if let Some([Some(set), Some(collation)]) = charset.first().map(Vec::as_slice) {
                create.push_str(&format!(
                    " CHARACTER SET {} COLLATE {}",
                    quote(backend, set),
                    quote(backend, collation)
                ));
            }
            db.execute(&create).await.map_err(failed(what))?;
        } else {
            db.execute(&create).await.map_err(failed(what))?;
        }
        Ok(name)
    }

    /// Opens a connection to the scratch database.
    pub(crate) async fn connect(&self, server: &Server) -> Result<Conn, Error> {
        server.connect(Some(&self.name)).await
    }

    /// Drops the database (every connection to it must be closed) and
    /// closes the connection that created it.
    pub(crate) async fn drop(mut self) -> Result<(), Error> {
        let sql = format!(
            "DROP DATABASE IF EXISTS {}",
            quote(self.backend, &self.name)
        );
        let dropped = {
            let mut db = self.admin.db();
            let dropped = db.execute(&sql).await.map(|_| ()).map_err(failed(format!(
                "dropping the scratch database {}",
                self.name
            )));
            if self.backend == Backend::MySql {
                let release = format!("SELECT RELEASE_LOCK({})", literal(self.backend, &self.name));
                let _ = db.fetch_text_rows(&release).await;
            }
            dropped
        };
        self.admin.close().await;
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_time() {
        let name = new_name();
        assert!(name.starts_with(SCRATCH_PREFIX), "{name}");
        let t = created_at(&name).expect("a scratch name");
        assert!(now_secs() - t < 5);
        assert!(!old_enough(&name));
        assert!(old_enough("aludel_scratch_1000_0123abcd"));
        assert!(!old_enough("aludel_scratch_1000_xyz"));
        assert!(!old_enough("aludel_scratchy"));
    }
}
