//! MySQL and MariaDB: the catalog queries introspection runs (a fixed
//! number, whatever the number of tables) and how their rows read into the
//! model.
//!
//! Objects of the connection's current database get names without a schema
//! (`ObjectName::new`), so a scratch database and the real one read the
//! same. What the reader normalises so that the model says what the user
//! wrote, on MariaDB and MySQL alike:
//! - defaults are SQL text the renderer writes after `DEFAULT` (MariaDB
//!   quotes literal strings and reports `NULL` as the word, MySQL 8 reports
//!   literals bare);
//! - a MariaDB `JSON` column (`longtext` with an automatic
//!   `CHECK (json_valid(col))` named after it) reads as type `json`, its
//!   check left out;
//! - the index the server creates for a foreign key (named like it, on its
//!   columns) is left out: adding the key makes it, and the renderer drops
//!   it with the key (see `keys.rs`);
//! - view and trigger bodies lose the `` `db`. `` qualification.

mod columns;
mod keys;
mod objects;
mod queries;
#[cfg(test)]
mod tests;
mod text;

pub use text::{quote_ident, quote_string};

use std::collections::BTreeMap;

use crate::catalog::{Read, ReadError, Row, Rows};
use crate::model::{ObjectName, Schema, Table};

/// Which server, and which version: what the reader and the renderer may
/// rely on differs between MySQL 8 and MariaDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MySqlServer {
    /// MariaDB (else MySQL).
    pub mariadb: bool,
    /// Major, minor, patch.
    pub version: (u32, u32, u32),
}

impl MySqlServer {
    /// Reads `SELECT VERSION()`'s text (`8.0.36`, `10.11.19-MariaDB-0+deb12u1`).
    pub fn parse(version: &str) -> MySqlServer {
        let mariadb = version.to_ascii_lowercase().contains("mariadb");
        let mut numbers = version
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<u32>().unwrap_or(0));
        let mut next = || numbers.next().unwrap_or(0);
        MySqlServer {
            mariadb,
            version: (next(), next(), next()),
        }
    }

    /// Whether the server is MariaDB at least `version` (false on MySQL).
    pub fn mariadb_at_least(&self, version: (u32, u32, u32)) -> bool {
        self.mariadb && self.version >= version
    }

    /// Whether the server is MySQL at least `version` (false on MariaDB).
    pub fn mysql_at_least(&self, version: (u32, u32, u32)) -> bool {
        !self.mariadb && self.version >= version
    }
}

/// The catalog queries for `server`, in the order their rows go to
/// [`read_catalog`]. Each selects text columns only and takes no parameters;
/// their number does not depend on the server or the schema.
pub fn catalog_queries(server: &MySqlServer) -> Vec<&'static str> {
    use queries::*;
    let statistics = if server.mysql_at_least((8, 0, 13)) {
        STATISTICS_EXPRESSIONS
    } else {
        STATISTICS_COLUMNS
    };
    let checks = if server.mariadb_at_least((10, 3, 10)) {
        CHECKS_MARIADB
    } else if server.mysql_at_least((8, 0, 16)) {
        CHECKS_MYSQL
    } else {
        NO_CHECKS
    };
    vec![
        TABLES,
        COLUMNS,
        statistics,
        FOREIGN_KEYS,
        checks,
        VIEWS,
        TRIGGERS,
        ROUTINES,
        PARAMETERS,
        EVENTS,
    ]
}

/// Reads the rows of [`catalog_queries`] (in their order) into a schema.
pub fn read_catalog(server: &MySqlServer, results: &[Rows]) -> Result<Read, ReadError> {
    let expected = catalog_queries(server).len();
    if results.len() != expected {
        return Err(ReadError {
            object: "catalog".into(),
            message: format!(
                "expected the rows of {expected} queries, got {}",
                results.len()
            ),
        });
    }
    let mut warnings = Vec::new();
    let tables = columns::tables(&results[0], &mut warnings)?;
    let database = results[0]
        .first()
        .and_then(|r| cell(r, 6))
        .or_else(|| results[7].first().and_then(|r| cell(r, 8)))
        .unwrap_or_default()
        .to_string();
    let mut schema = Schema {
        tables,
        ..Schema::default()
    };
    columns::columns(server, &mut schema.tables, &results[1], &mut warnings)?;
    keys::indexes(&mut schema.tables, &results[2])?;
    keys::foreign_keys(&database, &mut schema.tables, &results[3])?;
    keys::checks(&mut schema.tables, &results[4])?;
    keys::hide_foreign_key_indexes(&mut schema.tables);
    let views = view_names(&results[0]);
    objects::views(&database, &mut schema, &views, &results[5])?;
    objects::triggers(&database, &mut schema, &views, &results[6], &mut warnings)?;
    objects::routines(&database, &mut schema, &results[7], &results[8])?;
    for row in &results[9] {
        let name = cell(row, 0).unwrap_or_default();
        warnings.push(format!(
            "event {name}: events are not modelled; autogenerate ignores it"
        ));
    }
    Ok(Read { schema, warnings })
}

/// Names of the views in the `TABLES` rows.
fn view_names(rows: &Rows) -> Vec<String> {
    rows.iter()
        .filter(|r| cell(r, 1) == Some("VIEW"))
        .filter_map(|r| cell(r, 0).map(str::to_string))
        .collect()
}

/// Column `i` of a row, `None` for SQL `NULL` or a missing column.
pub(crate) fn cell(row: &Row, i: usize) -> Option<&str> {
    row.get(i).and_then(|c| c.as_deref())
}

/// Column `i` of a row, which must not be `NULL`.
fn required<'a>(row: &'a Row, i: usize, object: &str) -> Result<&'a str, ReadError> {
    cell(row, i).ok_or_else(|| ReadError {
        object: object.to_string(),
        message: format!("catalog column {i} is NULL"),
    })
}

/// The table a catalog row belongs to, which the `TABLES` query must have
/// listed (rows of tables created while the queries ran are an error).
fn table_mut<'a>(
    tables: &'a mut BTreeMap<ObjectName, Table>,
    name: &str,
    what: &str,
) -> Result<&'a mut Table, ReadError> {
    tables
        .get_mut(&ObjectName::new(name))
        .ok_or_else(|| ReadError {
            object: format!("{what} on table {name}"),
            message: "the table is not in the catalog's table list".into(),
        })
}
