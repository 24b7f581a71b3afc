//! PostgreSQL's locks between migrators: the advisory-lock key of a version
//! table, who holds a lock (for the wait notice and the timeout error), and
//! the check that a session lock is held by the connection that took it.

use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Row};

use super::db_err;
use crate::dialect::{Dialect, PostgresDialect, VersionTable};
use crate::driver::DbError;

/// The PostgreSQL advisory-lock key of the migration lock of the version
/// table `name` in `schema` (with no `version_table_schema`, the first
/// existing schema of the connection's `search_path`, e.g. `public`): the
/// first eight bytes (big-endian, as a signed 64-bit integer) of the SHA-256
/// of `aludel migration lock`, a NUL byte, the schema, a NUL byte and the
/// table name. The formula is part of aludel's contract: every release
/// computes the same key, so that migrators of different releases exclude
/// each other, and an operator can look the lock up in `pg_locks`.
pub fn advisory_lock_key(schema: &str, name: &str) -> i64 {
    let mut hash = Sha256::new();
    hash.update(b"aludel migration lock\0");
    hash.update(schema.as_bytes());
    hash.update(b"\0");
    hash.update(name.as_bytes());
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The `pg_locks` condition matching the advisory lock `key` (a one-bigint
/// advisory lock shows as `classid` = high half, `objid` = low half,
/// `objsubid` = 1) in the current database.
fn advisory_lock_rows(key: i64) -> String {
    format!(
        "l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND l.classid = ((({key})::bigint >> 32) & 4294967295)::oid \
         AND l.objid = (({key})::bigint & 4294967295)::oid"
    )
}

/// The server process of this connection, if it holds the session advisory
/// lock `key`. A transaction-pooling proxy (PgBouncer `pool_mode =
/// transaction`) may run the `pg_try_advisory_lock` and this check on
/// different server connections, which this tells.
pub(super) async fn held_here(
    conn: &mut PgConnection,
    key: i64,
) -> Result<Option<String>, DbError> {
    let sql = format!(
        "SELECT l.pid::text FROM pg_locks l WHERE l.pid = pg_backend_pid() AND {}",
        advisory_lock_rows(key)
    );
    let rows = sqlx::raw_sql(AssertSqlSafe(sql))
        .fetch_all(conn)
        .await
        .map_err(db_err)?;
    Ok(rows.first().and_then(|row| row.try_get(0).ok()))
}

/// The error when the session lock is not held by the server connection a
/// statement ran on.
pub(super) fn pooled_away() -> DbError {
    DbError::new(
        "the session advisory lock aludel took is not held by the server connection \
         this transaction runs on: a proxy with transaction pooling (such as PgBouncer \
         with pool_mode = transaction) is between aludel and PostgreSQL; set \
         lock_mode = \"transaction\" in aludel.toml, or connect to PostgreSQL directly",
    )
}

/// Which session or transaction holds a lock, as found in `pg_locks` and
/// `pg_stat_activity`.
enum Holding {
    /// A session-level advisory lock: "connected since".
    Session,
    /// A transaction's lock: "in a transaction since".
    Transaction,
}

/// `the migration lock (advisory lock K of database D), held by pid N
/// (application_name 'aludel', client 10.0.0.5, connected since …)`; without
/// the holder when it has gone meanwhile.
pub(super) async fn describe_advisory(
    conn: &mut PgConnection,
    key: i64,
    table: &VersionTable,
    session: bool,
) -> String {
    let what = format!(
        "the migration lock on {table} (PostgreSQL advisory lock {key}{})",
        if session { "" } else { ", transaction-level" }
    );
    let condition = advisory_lock_rows(key);
    let holding = if session {
        Holding::Session
    } else {
        Holding::Transaction
    };
    with_holder(conn, what, &condition, holding).await
}

/// `the lock on table T (LOCK TABLE … IN EXCLUSIVE MODE), held by pid N …`.
pub(super) async fn describe_table(conn: &mut PgConnection, table: &VersionTable) -> String {
    let qualified = PostgresDialect.qualified(table);
    let what = format!("the lock on the version table {table} (lock_mode = \"table\")");
    let condition = format!(
        "l.locktype = 'relation' AND l.granted AND l.mode <> 'AccessShareLock' \
         AND l.pid <> pg_backend_pid() AND l.relation = to_regclass({})",
        PostgresDialect.literal(&qualified)
    );
    with_holder(conn, what, &condition, Holding::Transaction).await
}

async fn with_holder(
    conn: &mut PgConnection,
    what: String,
    condition: &str,
    holding: Holding,
) -> String {
    let since = match holding {
        Holding::Session => "a.backend_start",
        Holding::Transaction => "coalesce(a.xact_start, a.backend_start)",
    };
    let sql = format!(
        "SELECT l.pid::text, a.application_name::text, host(a.client_addr), \
         to_char({since} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') \
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE {condition} LIMIT 1"
    );
    // The simple query protocol, as everywhere: a transaction-pooling proxy
    // may send the parts of an extended-protocol query to different servers.
    let rows = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(conn).await;
    let Some(row) = rows.ok().and_then(|rows| rows.into_iter().next()) else {
        return what;
    };
    let text = |i: usize| row.try_get::<Option<String>, _>(i).ok().flatten();
    let Some(pid) = text(0) else {
        return what;
    };
    let mut about = Vec::new();
    if let Some(name) = text(1).filter(|n| !n.is_empty()) {
        about.push(format!("application_name '{name}'"));
    }
    about.push(match text(2) {
        Some(addr) => format!("client {addr}"),
        None => "client on a local socket or not visible to this role".to_string(),
    });
    if let Some(at) = text(3) {
        let label = match holding {
            Holding::Session => "connected since",
            Holding::Transaction => "in a transaction since",
        };
        about.push(format!("{label} {at} UTC"));
    }
    format!("{what}, held by pid {pid} ({})", about.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_stable_and_depends_on_schema_and_name() {
        // The contract: these values never change between releases.
        let key = advisory_lock_key("public", "alembic_version");
        assert_eq!(key, 344836876222327536);
        assert_ne!(key, advisory_lock_key("app", "alembic_version"));
        assert_ne!(key, advisory_lock_key("public", "other_version"));
        // No ambiguity between schema and name boundaries.
        assert_ne!(advisory_lock_key("ab", "c"), advisory_lock_key("a", "bc"));
    }
}
