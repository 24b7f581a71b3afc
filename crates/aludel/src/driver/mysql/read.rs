//! Reading a MySQL/MariaDB database: the first read on a connection aludel
//! opened, rows as text, the version table's values, and the error of
//! opening a URL.

use std::time::Duration;

use sqlx::Row;
use sqlx::mysql::MySqlRow;

use super::{MySqlDb, db_err};
use crate::driver::DbError;
use crate::error::Error;
use crate::url::DatabaseUrl;

impl MySqlDb<'_> {
    /// The first read on a connection aludel opened to `url`: the database
    /// the URL names must exist and be selected (MySQL URLs may name none).
    /// MySQL has no database-wide lock a reader waits for, so `timeout` and
    /// `log` are not needed here; lock waits are bounded by the session's
    /// `lock_wait_timeout` once a run starts.
    pub async fn wait_until_readable(
        &mut self,
        url: &DatabaseUrl,
        timeout: Duration,
        log: &mut (dyn FnMut(&str) + Send),
    ) -> Result<(), Error> {
        let _ = (timeout, log);
        let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
            .fetch_one(self.raw())
            .await
            .map_err(|e| crate::driver::server::opening_failed(url, e))?;
        if database.is_none() {
            return Err(Error::Usage(format!(
                "{url} names no database: add it to the URL, e.g. mysql://user@host/app"
            )));
        }
        Ok(())
    }
}

/// A cell as text: MySQL reports integers as integers even where the query
/// asked for text in a portable way.
pub(super) fn text_cell(row: &MySqlRow, i: usize) -> Result<Option<String>, DbError> {
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return Ok(v);
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map(|n| n.to_string()));
    }
    if let Ok(v) = row.try_get::<Option<u64>, _>(i) {
        return Ok(v.map(|n| n.to_string()));
    }
    row.try_get::<Option<Vec<u8>>, _>(i)
        .map(|v| v.map(|b| String::from_utf8_lossy(&b).into_owned()))
        .map_err(db_err)
}

pub(super) fn version_of(row: &MySqlRow, table: &str) -> Result<String, DbError> {
    match text_cell(row, 0)? {
        Some(v) => Ok(v),
        None => Err(DbError::new(format!(
            "the version table `{table}` holds a NULL version_num"
        ))),
    }
}
