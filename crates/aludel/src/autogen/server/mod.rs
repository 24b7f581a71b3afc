//! Comparisons on PostgreSQL and MySQL/MariaDB: both sides are read from
//! the same server. The desired schema is loaded into a scratch database
//! aludel creates and drops ([`scratch`]), or into the user's empty
//! `dev_url` database ([`dev`]); offline, the migrations are replayed by
//! the normal runner into another scratch database.

pub(crate) mod compare;
pub(crate) mod conn;
mod dev;
mod load;
pub(crate) mod scratch;

use aludel_schema::Schema;

use conn::Conn;
pub(crate) use conn::Server;
use dev::DevDb;
use scratch::ScratchDb;

use super::introspect::server::introspect;
use super::{Engine, SchemaSource};
use crate::driver::{AnyDb, DbConnection, SessionSettings};
use crate::error::Error;
use crate::history::History;
use crate::url::{Backend, DatabaseUrl};

/// A schema read from a server, what could not be read, and which engine.
pub(crate) type ServerRead = (Schema, Vec<String>, Engine);

/// The desired schema: `sources` loaded on `server` (into `dev_url` when
/// given, else into a scratch database) and read back without the
/// bookkeeping tables `exclude` names.
pub(crate) async fn desired(
    server: &Server,
    dev_url: Option<&DatabaseUrl>,
    sources: &[SchemaSource],
    exclude: &[&str],
    settings: &SessionSettings,
) -> Result<ServerRead, Error> {
    let namespace = settings.version_table.schema.as_deref();
    let Some(dev_url) = dev_url else {
        let (scratch, mut conn) = open_scratch(server).await?;
        let read = async {
            let mut db = conn.db();
            let engine = Engine::of(&mut db).await?;
            let (schema, warnings) = load_and_read(
                &mut db,
                server.backend(),
                &engine,
                sources,
                exclude,
                namespace,
            )
            .await?;
            Ok((schema, warnings, engine))
        }
        .await;
        let read = read.map_err(|e| without_scratch_name(e, &scratch.name));
        return close_scratch(scratch, conn, read).await;
    };
    let mut dev = DevDb::open(dev_url, settings.lock_timeout).await?;
    if dev.backend() != server.backend() {
        dev.close().await;
        return Err(Error::Usage(format!(
            "dev_url {dev_url} is not on the same kind of server as the database compared"
        )));
    }
    let backend = dev.backend();
    let read = async {
        let mut db = dev.conn.db();
        let engine = Engine::of(&mut db).await?;
        if backend == Backend::MySql {
            let read = load_and_read(&mut db, backend, &engine, sources, exclude, namespace).await;
            drop(db);
            let emptied = dev.empty().await;
            let (schema, warnings) = read?;
            emptied?;
            return Ok((schema, warnings, engine));
        }
        // PostgreSQL: everything in one transaction, rolled back.
        db.execute("BEGIN")
            .await
            .map_err(|e| Error::database("starting a transaction in dev_url", e))?;
        let read = load_and_read(&mut db, backend, &engine, sources, exclude, namespace).await;
        let rolled_back = db
            .execute("ROLLBACK")
            .await
            .map_err(|e| Error::database("rolling back the dev_url transaction", e));
        let (schema, warnings) = read?;
        rolled_back?;
        Ok((schema, warnings, engine))
    }
    .await;
    dev.close().await;
    read
}

/// Loads `sources` on `db` and reads its schema.
async fn load_and_read(
    db: &mut AnyDb<'_>,
    backend: Backend,
    engine: &Engine,
    sources: &[SchemaSource],
    exclude: &[&str],
    namespace: Option<&str>,
) -> Result<(Schema, Vec<String>), Error> {
    load::load(db, backend, sources).await?;
    if backend == Backend::Postgres {
        // A dump may have set `search_path` (pg_dump empties it): read the
        // schema as the connection's own settings see it.
        db.execute("RESET ALL")
            .await
            .map_err(|e| Error::database("resetting the session after loading", e))?;
    }
    introspect(db, engine, exclude, namespace).await
}

/// The schema every migration of `history` builds, replayed by the normal
/// runner into a scratch database on `server`, read without the version
/// and aludel's tables.
pub(crate) async fn replay(
    server: &Server,
    history: &History,
    settings: &SessionSettings,
) -> Result<ServerRead, Error> {
    let (scratch, mut conn) = open_scratch(server).await?;
    let read = async {
        let mut db = conn.db();
        let engine = Engine::of(&mut db).await?;
        let session = super::current::replay(&mut db, history, settings).await?;
        let exclude = [session.version_table.name.as_str()];
        let (schema, warnings) = introspect(&mut db, &engine, &exclude, None).await?;
        Ok((schema, warnings, engine))
    }
    .await;
    close_scratch(scratch, conn, read).await
}

/// The schema of the database `db` is connected to, which must be at
/// `history`'s heads, without the version table and aludel's own.
pub(crate) async fn database(
    db: &mut AnyDb<'_>,
    history: &History,
    settings: &SessionSettings,
) -> Result<ServerRead, Error> {
    super::current::check_at_head(db, history, settings).await?;
    current(db, settings).await
}

/// The schema of the database `db` is connected to, without the version
/// table and aludel's own.
pub(crate) async fn current(
    db: &mut AnyDb<'_>,
    settings: &SessionSettings,
) -> Result<ServerRead, Error> {
    let engine = Engine::of(db).await?;
    let exclude = [settings.version_table.name.as_str()];
    let namespace = settings.version_table.schema.as_deref();
    let (schema, warnings) = introspect(db, &engine, &exclude, namespace).await?;
    Ok((schema, warnings, engine))
}

/// `e` without the scratch database's name (MySQL names the table at
/// fault with its database: `` `aludel_scratch_…`.`item` ``), which means
/// nothing to the user.
fn without_scratch_name(e: Error, name: &str) -> Error {
    match e {
        Error::SchemaSource {
            origin,
            line,
            message,
        } => Error::SchemaSource {
            origin,
            line,
            message: message
                .replace(&format!("`{name}`."), "")
                .replace(&format!("\"{name}\"."), "")
                .replace(name, "the scratch database"),
        },
        other => other,
    }
}

/// A new scratch database on `server` and a connection to it.
async fn open_scratch(server: &Server) -> Result<(ScratchDb, Conn), Error> {
    let scratch = ScratchDb::create(server).await?;
    match scratch.connect(server).await {
        Ok(conn) => Ok((scratch, conn)),
        Err(e) => {
            let _ = scratch.drop().await;
            Err(e)
        }
    }
}

/// Closes `conn` and drops the scratch database, whatever `result` is;
/// `result`'s error comes first.
async fn close_scratch<T>(
    scratch: ScratchDb,
    conn: Conn,
    result: Result<T, Error>,
) -> Result<T, Error> {
    conn.close().await;
    let dropped = scratch.drop().await;
    let value = result?;
    dropped?;
    Ok(value)
}
