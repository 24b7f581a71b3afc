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
        Flavor::MySql
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    fn offline_needs_delimiter(&self) -> bool {
        true
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

    /// DDL and the other statements MySQL's manual lists as causing an
    /// implicit commit, by their first keyword; `CALL`, as a procedure may
    /// run any of them.
    fn may_commit_implicitly(&self, statement: &str) -> bool {
        const COMMITTING: [&str; 17] = [
            "ALTER",
            "ANALYZE",
            "CALL",
            "CACHE",
            "CREATE",
            "DROP",
            "FLUSH",
            "GRANT",
            "INSTALL",
            "LOAD",
            "LOCK",
            "OPTIMIZE",
            "RENAME",
            "REPAIR",
            "REVOKE",
            "TRUNCATE",
            "UNINSTALL",
        ];
        let word: String = skip_comments(statement)
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        COMMITTING
            .iter()
            .any(|keyword| keyword.eq_ignore_ascii_case(&word))
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

/// The SQL aludel sends to a live MySQL/MariaDB server for its bookkeeping:
/// [`MySqlDialect`], with every value written as a hex string
/// (`_utf8mb4 X'6131'`), so that it reaches the server byte for byte
/// whatever the session's `sql_mode` (`NO_BACKSLASH_ESCAPES`,
/// `ANSI_QUOTES`) and whatever it holds: nothing in it is ever read as SQL.
/// It stands in for bound parameters, which MySQL's protocol cannot send
/// in the multi-statement packets that keep a migration to one round trip
/// (each prepared statement is a round trip of its own). Offline SQL, which
/// people read, uses [`MySqlDialect`]'s quoted literals.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlOnlineDialect;

impl Dialect for MySqlOnlineDialect {
    fn name(&self) -> &'static str {
        MySqlDialect.name()
    }

    fn flavor(&self) -> Flavor {
        MySqlDialect.flavor()
    }

    fn transactional_ddl(&self) -> bool {
        MySqlDialect.transactional_ddl()
    }

    fn quote_ident(&self, ident: &str) -> String {
        MySqlDialect.quote_ident(ident)
    }

    fn literal(&self, value: &str) -> String {
        if value.is_empty() {
            return "''".to_string();
        }
        let hex: String = value.bytes().map(|b| format!("{b:02X}")).collect();
        format!("_utf8mb4 X'{hex}'")
    }

    fn may_commit_implicitly(&self, statement: &str) -> bool {
        MySqlDialect.may_commit_implicitly(statement)
    }

    fn create_history_table(&self, history: &VersionTable) -> String {
        MySqlDialect.create_history_table(history)
    }
}

/// `text` after leading whitespace and comments (`-- `, `#`, `/* */`).
fn skip_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if text.starts_with("--") || text.starts_with('#') {
            text = text.split_once('\n').map_or("", |(_, rest)| rest);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.split_once("*/").map_or("", |(_, rest)| rest);
        } else {
            return text;
        }
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

    #[test]
    fn online_values_are_hex_strings() {
        assert_eq!(MySqlOnlineDialect.literal("a'\\"), "_utf8mb4 X'61275C'");
        assert_eq!(MySqlOnlineDialect.literal(""), "''");
        assert_eq!(MySqlOnlineDialect.literal("é"), "_utf8mb4 X'C3A9'");
    }

    #[test]
    fn ddl_is_told_from_dml_by_its_first_keyword() {
        let d = MySqlDialect;
        assert!(d.may_commit_implicitly("-- why\n/* x */ create table t (x int)"));
        assert!(d.may_commit_implicitly("ALTER TABLE t ADD y INT"));
        assert!(!d.may_commit_implicitly("INSERT INTO t VALUES (1)"));
        assert!(!d.may_commit_implicitly("# note\nUPDATE t SET x = 1"));
        assert!(!d.may_commit_implicitly("CREATEX"));
    }
}
