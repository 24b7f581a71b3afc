//! What the server drivers (PostgreSQL, MySQL) share when they open a
//! connection: how long a server may take to answer, and errors that name
//! the URL with its password hidden.

use std::time::Duration;

use sqlx::ConnectOptions;

use super::DbError;
use crate::error::Error;
use crate::url::DatabaseUrl;

/// Longest wait for a server to accept a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The error of a URL the driver cannot read, its password hidden.
pub(super) fn bad_url(url: &DatabaseUrl, e: sqlx::Error) -> Error {
    Error::Url {
        url: url.redacted(),
        message: url.scrub(&e.to_string()),
    }
}

/// The error of opening `url`: the driver's message with any password
/// scrubbed, the server's code and the sqlx error kept.
pub(super) fn opening_failed(url: &DatabaseUrl, e: sqlx::Error) -> Error {
    let message = url.scrub(&e.to_string());
    Error::database(
        format!("opening {url}"),
        DbError::from_sqlx(e).with_message(message),
    )
}

/// Opens a connection to `url` with `options`, giving the server
/// [`CONNECT_TIMEOUT`] to answer.
pub(super) async fn open<O: ConnectOptions>(
    url: &DatabaseUrl,
    options: O,
) -> Result<O::Connection, Error>
where
    O::Connection: Sized,
{
    tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
        .await
        .map_err(|_| {
            Error::database(
                format!("opening {url}"),
                DbError::new(format!(
                    "the server did not answer within {}s",
                    CONNECT_TIMEOUT.as_secs()
                )),
            )
        })?
        .map_err(|e| opening_failed(url, e))
}
