//! PostgreSQL: the catalog queries introspection runs (a fixed number,
//! whatever the number of tables) and how their rows read into the model.
//!
//! Objects in the connection's `current_schema()` get names without a
//! schema (`ObjectName::new`), so a scratch database and the real one read
//! the same; objects in other schemas are qualified. System schemas and
//! objects that belong to an extension are not read.

use crate::catalog::{Read, ReadError, Rows};

/// The catalog queries for a server whose `server_version_num` is given,
/// in the order their rows go to [`read_catalog`]. Each selects text
/// columns only and takes no parameters.
pub fn catalog_queries(server_version_num: u32) -> Vec<&'static str> {
    let _ = server_version_num;
    Vec::new()
}

/// Reads the rows of [`catalog_queries`] (in their order) into a schema.
pub fn read_catalog(results: &[Rows]) -> Result<Read, ReadError> {
    let _ = results;
    Err(ReadError {
        object: "catalog".into(),
        message: "the PostgreSQL catalog reader is not built yet".into(),
    })
}
