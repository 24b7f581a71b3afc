//! MySQL's and MariaDB's bookkeeping SQL.

use aludel_script::Flavor;

use super::{Dialect, VersionTable, is_plain_ident};

/// MySQL's and MariaDB's SQL: backtick-quoted identifiers, and literals
/// escaped for the server's default `sql_mode` (backslash is an escape
/// character unless `NO_BACKSLASH_ESCAPES` is set; escaping it is right
/// either way only with quotes doubled, so both are done).
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlDialect;

impl Dialect for MySqlDialect {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn flavor(&self) -> Flavor {
        // Until the MySQL reading rules land in aludel-script, MySQL files
        // are read with PostgreSQL's (same quotes, comments and routines).
        Flavor::Postgres
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    fn quote_ident(&self, ident: &str) -> String {
        if is_plain_ident(ident) {
            ident.to_string()
        } else {
            format!("`{}`", ident.replace('`', "``"))
        }
    }

    fn literal(&self, value: &str) -> String {
        format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    }

    fn create_history_table(&self, history: &VersionTable) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n\
             \tid BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \n\
             \trevision VARCHAR(255) NOT NULL, \n\
             \tdirection VARCHAR(16) NOT NULL, \n\
             \tapplied_at VARCHAR(40) NOT NULL, \n\
             \tduration_ms BIGINT NOT NULL, \n\
             \tchecksum VARCHAR(64), \n\
             \tapplied_by VARCHAR(255) NOT NULL\n)",
            self.qualified(history)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_backslashes_and_quotes() {
        assert_eq!(MySqlDialect.literal(r"a\'b"), r"'a\\''b'");
        assert_eq!(MySqlDialect.quote_ident("Ver`s"), "`Ver``s`");
    }
}
