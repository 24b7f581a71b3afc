//! MySQL and MariaDB: the catalog queries introspection runs (a fixed
//! number, whatever the number of tables) and how their rows read into the
//! model.
//!
//! Objects of the connection's current database get names without a schema
//! (`ObjectName::new`), so a scratch database and the real one read the
//! same.

use crate::catalog::{Read, ReadError, Rows};

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
}

/// The catalog queries for `server`, in the order their rows go to
/// [`read_catalog`]. Each selects text columns only and takes no parameters.
pub fn catalog_queries(server: &MySqlServer) -> Vec<&'static str> {
    let _ = server;
    Vec::new()
}

/// Reads the rows of [`catalog_queries`] (in their order) into a schema.
pub fn read_catalog(server: &MySqlServer, results: &[Rows]) -> Result<Read, ReadError> {
    let _ = (server, results);
    Err(ReadError {
        object: "catalog".into(),
        message: "the MySQL catalog reader is not built yet".into(),
    })
}
