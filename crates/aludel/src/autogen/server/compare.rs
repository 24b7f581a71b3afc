//! Comparisons whose two sides are read on a server: the database (or the
//! migrations replayed there) against the desired schema loaded there.

use aludel_schema::Schema;

use crate::autogen::{
    Comparison, Engine, SchemaSource, ServerAccess, current, desired_exclusions, side_warnings,
};
use crate::driver::{AnyDb, SessionSettings};
use crate::error::Error;
use crate::history::History;
use crate::url::DatabaseUrl;

/// The database `db` is connected to against `desired` loaded on its
/// server.
pub(crate) async fn on_database(
    db: &mut AnyDb<'_>,
    server: Option<ServerAccess>,
    dev_url: Option<&DatabaseUrl>,
    history: &History,
    desired: &[SchemaSource],
    settings: &SessionSettings,
) -> Result<Comparison, Error> {
    current::check_at_head(db, history, settings).await?;
    let server = match (server, dev_url) {
        (Some(server), _) => server.0,
        (None, Some(dev)) => super::Server::from_url(dev)?.ok_or_else(|| no_server(db))?,
        (None, None) => return Err(no_server(db)),
    };
    // The desired side first: an error in a schema file shows before
    // a large database is read.
    let desired = desired_side(&server, dev_url, desired, settings).await?;
    let (current, mut warnings, engine) = super::current(db, settings).await?;
    side_warnings(&mut warnings, "database");
    Ok(comparison(current, warnings, engine, desired))
}

/// The migrations replayed on `server` against `desired` loaded there.
pub(crate) async fn replayed(
    server: &super::Server,
    dev_url: Option<&DatabaseUrl>,
    history: &History,
    desired: &[SchemaSource],
    settings: &SessionSettings,
) -> Result<Comparison, Error> {
    let desired = desired_side(server, dev_url, desired, settings).await?;
    let (current, mut warnings, engine) = super::replay(server, history, settings).await?;
    side_warnings(&mut warnings, "migrations replayed");
    Ok(comparison(current, warnings, engine, desired))
}

/// The desired schema loaded on `server` and its warnings.
async fn desired_side(
    server: &super::Server,
    dev_url: Option<&DatabaseUrl>,
    desired: &[SchemaSource],
    settings: &SessionSettings,
) -> Result<(Schema, Vec<String>), Error> {
    let exclude = desired_exclusions(settings);
    let (desired, mut warnings, _) =
        super::desired(server, dev_url, desired, &exclude, settings).await?;
    side_warnings(&mut warnings, "target schema");
    Ok((desired, warnings))
}

fn comparison(
    current: Schema,
    mut warnings: Vec<String>,
    engine: Engine,
    (desired, mut more): (Schema, Vec<String>),
) -> Comparison {
    warnings.append(&mut more);
    Comparison {
        current,
        desired,
        warnings,
        engine,
    }
}

/// A server connection alone cannot open another database.
fn no_server(db: &AnyDb<'_>) -> Error {
    let engine = match db {
        #[cfg(feature = "postgres")]
        AnyDb::Postgres(_) => "PostgreSQL",
        _ => "MySQL/MariaDB",
    };
    Error::Usage(format!(
        "comparing a {engine} connection needs a database to load the desired schema \
         into: give a dev_url (an empty database on the same server), or compare through \
         a URL or a pool, whose server aludel creates a scratch database on"
    ))
}
