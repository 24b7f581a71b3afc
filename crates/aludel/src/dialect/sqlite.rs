//! SQLite's bookkeeping SQL.

use aludel_script::Flavor;

use super::{Dialect, VersionTable};

/// SQLite's SQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDialect;

impl Dialect for SqliteDialect {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn flavor(&self) -> Flavor {
        Flavor::Sqlite
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn create_history_table(&self, history: &VersionTable) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n\
             \tid INTEGER PRIMARY KEY, \n\
             \trevision VARCHAR(255) NOT NULL, \n\
             \tdirection VARCHAR(16) NOT NULL, \n\
             \tapplied_at VARCHAR(40) NOT NULL, \n\
             \tduration_ms INTEGER NOT NULL, \n\
             \tchecksum VARCHAR(64), \n\
             \tapplied_by VARCHAR(255) NOT NULL\n)",
            self.qualified(history)
        )
    }
}
