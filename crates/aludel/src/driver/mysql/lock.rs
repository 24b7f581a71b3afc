//! The migration lock of a MySQL/MariaDB database: `GET_LOCK` on the
//! migrating connection. It belongs to the session, so the implicit commits
//! of DDL do not release it, and the server releases it when the session ends
//! (a migrator killed with SIGKILL frees it as soon as the server sees the
//! connection drop).

use sha2::{Digest, Sha256};
use sqlx::mysql::MySqlConnection;

use super::db_err;
use crate::driver::{Attempt, DbError, MigrationLock};

/// `GET_LOCK` names are server-wide and at most 64 characters.
const MAX_NAME: usize = 64;

/// The lock's name: `aludel:<database>.<version table>`, so that migrators of
/// different databases (or different version tables of one database) on one
/// server do not wait for each other. A longer name than `GET_LOCK` takes is
/// `aludel:` and the start of its SHA-256 in hex.
pub(super) fn lock_name(database: &str, table: &str) -> String {
    let name = format!("aludel:{database}.{table}");
    if name.chars().count() <= MAX_NAME {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("aludel:{}", &hex[..MAX_NAME - "aludel:".len()])
}

/// Tries once, without waiting, to take the lock `name`. `GET_LOCK` answers 1
/// (taken), 0 (another session holds it) or NULL (an error, e.g. the server
/// was killing the session).
pub(super) async fn try_lock(
    conn: &mut MySqlConnection,
    name: &str,
) -> Result<Attempt<MigrationLock>, DbError> {
    let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 0)")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    match got {
        Some(1) => Ok(Attempt::Acquired(MigrationLock::server(name))),
        Some(0) => Ok(Attempt::Busy {
            lock: describe(conn, name).await,
        }),
        other => Err(DbError::new(format!(
            "GET_LOCK('{name}') answered {} instead of 1 or 0",
            other.map_or_else(|| "NULL".to_string(), |v| v.to_string())
        ))),
    }
}

/// `the migration lock 'aludel:app.alembic_version' (GET_LOCK), held by
/// connection 42 (root@10.0.0.5:51234, in state "executing" for 12 s)`; less
/// when the server does not say (the holder may have just released it, or
/// the user may not see other users' sessions without the PROCESS privilege).
async fn describe(conn: &mut MySqlConnection, name: &str) -> String {
    let base = format!("the migration lock '{name}' (GET_LOCK)");
    let holder: Option<i64> = match sqlx::query_scalar("SELECT CAST(IS_USED_LOCK(?) AS SIGNED)")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
    {
        Ok(id) => id,
        Err(_) => return base,
    };
    let Some(id) = holder else {
        return base;
    };
    let row: Option<(Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT CAST(USER AS CHAR), CAST(HOST AS CHAR), CAST(TIME AS SIGNED) \
         FROM information_schema.PROCESSLIST WHERE ID = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .ok()
    .flatten();
    match row {
        Some((user, host, time)) => format!(
            "{base}, held by connection {id} ({}@{}, running for {} s)",
            user.unwrap_or_default(),
            host.unwrap_or_default(),
            time.unwrap_or_default()
        ),
        None => format!("{base}, held by connection {id}"),
    }
}

/// Releases the lock `name`: `RELEASE_LOCK` answers 1 when this session held
/// it.
pub(super) async fn release(conn: &mut MySqlConnection, name: &str) -> Result<(), DbError> {
    let released: Option<i64> = sqlx::query_scalar("SELECT RELEASE_LOCK(?)")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    if released == Some(1) {
        return Ok(());
    }
    Err(DbError::new(format!(
        "RELEASE_LOCK('{name}') answered {}: this connection did not hold the migration lock",
        released.map_or_else(|| "NULL".to_string(), |v| v.to_string())
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_hashed_to_64_characters() {
        assert_eq!(
            lock_name("app", "alembic_version"),
            "aludel:app.alembic_version"
        );
        let long = lock_name(&"d".repeat(64), "alembic_version");
        assert_eq!(long.len(), 64);
        assert!(long.starts_with("aludel:"));
        assert_ne!(long, lock_name(&"e".repeat(64), "alembic_version"));
    }
}
