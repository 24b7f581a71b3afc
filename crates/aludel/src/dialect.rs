//! The SQL a database engine needs for aludel's bookkeeping: the version table,
//! the history table and offline transaction markers.
//!
//! Architecture invariant: a dialect only writes SQL text; it never talks to a
//! database. Adding an engine means one `Dialect` here and one connection in
//! [`crate::driver`].

use aludel_graph::VersionOp;
use aludel_script::Flavor;

/// Name of aludel's own history table (Alembic ignores it).
pub const HISTORY_TABLE: &str = "aludel_history";

/// One row of aludel's history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    /// Revision applied, undone or stamped.
    pub revision: String,
    /// `upgrade`, `downgrade`, `stamp`, or `accept` (an edited file accepted
    /// as it is now; see [`crate::runner::verify`]).
    pub direction: &'static str,
    /// UTC time the step finished, RFC 3339.
    pub applied_at: String,
    /// Milliseconds the step's statements took.
    pub duration_ms: u64,
    /// SHA-256 of the revision file with line endings normalised, if a file ran.
    pub checksum: Option<String>,
    /// `user@host` that ran the step.
    pub applied_by: String,
}

/// SQL text generation for one database engine.
pub trait Dialect: Send + Sync {
    /// Short engine name used in messages (`sqlite`).
    fn name(&self) -> &'static str;

    /// How this engine reads SQL text: where comments, strings and
    /// statements end (the revision files' sections are split this way).
    fn flavor(&self) -> Flavor;

    /// Quotes an identifier if, and only if, it needs quoting.
    fn quote_ident(&self, ident: &str) -> String {
        let plain = !ident.is_empty()
            && ident
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && ident
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if plain {
            ident.to_string()
        } else {
            format!("\"{}\"", ident.replace('"', "\"\""))
        }
    }

    /// `CREATE TABLE` for the version table, byte for byte as Alembic writes it.
    fn create_version_table(&self, table: &str) -> String {
        format!(
            "CREATE TABLE {t} (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT {pk} PRIMARY KEY (version_num)\n)",
            t = self.quote_ident(table),
            pk = self.quote_ident(&format!("{table}_pkc")),
        )
    }

    /// `DROP TABLE` for the version table (offline downgrade to base).
    fn drop_version_table(&self, table: &str) -> String {
        format!("DROP TABLE {}", self.quote_ident(table))
    }

    /// The statement Alembic issues for one change of the version table.
    fn version_op(&self, table: &str, op: &VersionOp) -> String {
        let t = self.quote_ident(table);
        match op {
            VersionOp::Insert(rev) => {
                format!("INSERT INTO {t} (version_num) VALUES ({})", literal(rev))
            }
            VersionOp::Delete(rev) => {
                format!("DELETE FROM {t} WHERE {t}.version_num = {}", literal(rev))
            }
            VersionOp::Update { from, to } => format!(
                "UPDATE {t} SET version_num={} WHERE {t}.version_num = {}",
                literal(to),
                literal(from)
            ),
        }
    }

    /// `CREATE TABLE IF NOT EXISTS` for aludel's history table.
    fn create_history_table(&self) -> String;

    /// `INSERT` of one history row.
    fn insert_history(&self, record: &HistoryRecord) -> String {
        format!(
            "INSERT INTO {HISTORY_TABLE} (revision, direction, applied_at, duration_ms, checksum, applied_by) \
             VALUES ({}, {}, {}, {}, {}, {})",
            literal(&record.revision),
            literal(record.direction),
            literal(&record.applied_at),
            record.duration_ms,
            record
                .checksum
                .as_deref()
                .map_or_else(|| "NULL".to_string(), literal),
            literal(&record.applied_by),
        )
    }

    /// The latest history row of each revision (the highest `id`), as
    /// `revision, direction, checksum, applied_at, applied_by`: one query,
    /// however long the table.
    fn latest_history_rows(&self) -> String {
        format!(
            "SELECT revision, direction, checksum, applied_at, applied_by FROM {HISTORY_TABLE} \
             WHERE id IN (SELECT MAX(id) FROM {HISTORY_TABLE} GROUP BY revision)"
        )
    }

    /// The statement that opens a transaction in offline SQL.
    fn offline_begin(&self) -> &'static str {
        "BEGIN;"
    }

    /// The statement that closes a transaction in offline SQL.
    fn offline_commit(&self) -> &'static str {
        "COMMIT;"
    }
}

/// A SQL string literal with quotes doubled.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

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

    fn create_history_table(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\n\
             \tid INTEGER PRIMARY KEY, \n\
             \trevision VARCHAR(255) NOT NULL, \n\
             \tdirection VARCHAR(16) NOT NULL, \n\
             \tapplied_at VARCHAR(40) NOT NULL, \n\
             \tduration_ms INTEGER NOT NULL, \n\
             \tchecksum VARCHAR(64), \n\
             \tapplied_by VARCHAR(255) NOT NULL\n)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_table_matches_alembic_bytes() {
        let sql = SqliteDialect.create_version_table("alembic_version");
        assert_eq!(
            sql,
            "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"
        );
    }

    #[test]
    fn version_ops_match_alembic() {
        let d = SqliteDialect;
        assert_eq!(
            d.version_op(
                "alembic_version",
                &VersionOp::Update {
                    from: "a1".into(),
                    to: "b2".into()
                }
            ),
            "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'"
        );
        assert_eq!(
            d.version_op("alembic_version", &VersionOp::Insert("it's".into())),
            "INSERT INTO alembic_version (version_num) VALUES ('it''s')"
        );
        assert_eq!(
            d.version_op("Vers", &VersionOp::Delete("x".into())),
            "DELETE FROM \"Vers\" WHERE \"Vers\".version_num = 'x'"
        );
    }
}
