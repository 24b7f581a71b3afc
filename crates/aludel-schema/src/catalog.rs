//! What every engine's catalog reader shares: the rows a catalog query
//! returns, and what reading them gives ([`Read`]) or why it cannot
//! ([`ReadError`]).
//!
//! The server readers ([`crate::postgres`], [`crate::mysql`]) take their
//! catalog as plain text rows: each of the engine's fixed catalog queries
//! selects text columns only, the library runs each once and hands the rows
//! here in query order, so this crate stays free of I/O and drivers.

use crate::model::Schema;

/// One row of a catalog query: its columns as text, `None` for SQL `NULL`.
pub type Row = Vec<Option<String>>;

/// Every row one catalog query returned.
pub type Rows = Vec<Row>;

/// A catalog that cannot be read into a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{object}: {message}")]
pub struct ReadError {
    /// The object at fault (`table feed`, `index ix_feed`).
    pub object: String,
    /// What is wrong.
    pub message: String,
}

/// A model and what the reader could not read fully (each warning names the
/// object and what is missing from its model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The schema.
    pub schema: Schema,
    /// What could not be read (e.g. a `CREATE TABLE` sqlparser does not
    /// parse: its checks, collations and constraint names are missing).
    pub warnings: Vec<String>,
}
