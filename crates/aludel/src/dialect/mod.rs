//! The SQL a database engine needs for aludel's bookkeeping: the version table,
//! the history table and offline transaction markers.
//!
//! Architecture invariant: a dialect only writes SQL text; it never talks to a
//! database, and it is compiled whatever engines are enabled (offline SQL for
//! any engine needs no driver). Adding an engine means one `Dialect` here and
//! one connection in [`crate::driver`].

mod mysql;
mod postgres;
mod sqlite;

use std::fmt;

use aludel_graph::VersionOp;
use aludel_script::Flavor;

pub use mysql::{MySqlDialect, MySqlOnlineDialect};
pub use postgres::PostgresDialect;
pub use sqlite::SqliteDialect;

use crate::url::Backend;

/// Name of aludel's own history table (Alembic ignores it).
pub const HISTORY_TABLE: &str = "aludel_history";

/// Name of aludel's progress table, on engines whose DDL commits implicitly:
/// the statements of a migration that has started but not finished.
pub const PROGRESS_TABLE: &str = "aludel_progress";

/// One statement of a migration in aludel's progress table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRecord<'a> {
    /// The revision being applied or undone.
    pub revision: &'a str,
    /// `upgrade` or `downgrade`.
    pub direction: &'a str,
    /// 1-based number of the statement in its section.
    pub statement: usize,
    /// 1-based line of the file where it starts.
    pub line: usize,
    /// SHA-256 (hex) of the statement's text.
    pub sha256: &'a str,
    /// The statement's first line (at most 200 characters), for messages.
    pub first_line: &'a str,
    /// UTC time it was started, RFC 3339.
    pub started_at: &'a str,
}

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

/// The version table: its name and, on engines with schemas, the schema it
/// lives in (`version_table_schema`; none means the connection's default,
/// e.g. PostgreSQL's `search_path`). aludel's history table lives beside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionTable {
    /// Table name (`alembic_version`).
    pub name: String,
    /// Schema holding it, if one is configured.
    pub schema: Option<String>,
}

impl VersionTable {
    /// A version table in the connection's default schema.
    pub fn new(name: impl Into<String>) -> VersionTable {
        VersionTable {
            name: name.into(),
            schema: None,
        }
    }

    /// A version table in `schema` (none: the default schema).
    pub fn in_schema(name: impl Into<String>, schema: Option<String>) -> VersionTable {
        VersionTable {
            name: name.into(),
            schema,
        }
    }

    /// aludel's history table, in the same schema.
    pub fn history(&self) -> VersionTable {
        VersionTable {
            name: HISTORY_TABLE.to_string(),
            schema: self.schema.clone(),
        }
    }

    /// aludel's progress table, in the same schema.
    pub fn progress(&self) -> VersionTable {
        VersionTable {
            name: PROGRESS_TABLE.to_string(),
            schema: self.schema.clone(),
        }
    }
}

impl fmt::Display for VersionTable {
    /// `schema.name`, or `name`, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// The dialect of an engine, whether or not its driver is compiled in.
pub fn for_backend(backend: Backend) -> &'static dyn Dialect {
    match backend {
        Backend::Sqlite => &SqliteDialect,
        Backend::Postgres => &PostgresDialect,
        Backend::MySql => &MySqlDialect,
    }
}

/// SQL text generation for one database engine.
pub trait Dialect: Send + Sync {
    /// Short engine name used in messages (`sqlite`).
    fn name(&self) -> &'static str;

    /// How this engine reads SQL text: where comments, strings and
    /// statements end (the revision files' sections are split this way).
    fn flavor(&self) -> Flavor;

    /// Whether DDL statements run inside a transaction and roll back with it
    /// (SQLite, PostgreSQL), or commit implicitly (MySQL/MariaDB), in which
    /// case the runner records progress statement by statement.
    fn transactional_ddl(&self) -> bool;

    /// Quotes an identifier if, and only if, it needs quoting.
    fn quote_ident(&self, ident: &str) -> String {
        if is_plain_ident(ident) {
            ident.to_string()
        } else {
            format!("\"{}\"", ident.replace('"', "\"\""))
        }
    }

    /// A string literal, escaped as the engine reads literals by default.
    fn literal(&self, value: &str) -> String {
        literal(value)
    }

    /// The table's name as SQL: `schema.name` when a schema is set, each part
    /// quoted if it needs it.
    fn qualified(&self, table: &VersionTable) -> String {
        match &table.schema {
            Some(schema) => format!(
                "{}.{}",
                self.quote_ident(schema),
                self.quote_ident(&table.name)
            ),
            None => self.quote_ident(&table.name),
        }
    }

    /// `CREATE TABLE` for the version table, byte for byte as Alembic writes it.
    fn create_version_table(&self, table: &VersionTable) -> String {
        format!(
            "CREATE TABLE {t} (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT {pk} PRIMARY KEY (version_num)\n)",
            t = self.qualified(table),
            pk = self.quote_ident(&format!("{}_pkc", table.name)),
        )
    }

    /// `DROP TABLE` for the version table (offline downgrade to base).
    fn drop_version_table(&self, table: &VersionTable) -> String {
        format!("DROP TABLE {}", self.qualified(table))
    }

    /// The statement Alembic issues for one change of the version table.
    fn version_op(&self, table: &VersionTable, op: &VersionOp) -> String {
        standard_version_op(self, table, op)
    }

    /// `CREATE TABLE IF NOT EXISTS` for aludel's history table `history`.
    fn create_history_table(&self, history: &VersionTable) -> String;

    /// `INSERT` of one history row into `history`.
    fn insert_history(&self, history: &VersionTable, record: &HistoryRecord) -> String {
        format!(
            "INSERT INTO {} (revision, direction, applied_at, duration_ms, checksum, applied_by) \
             VALUES ({}, {}, {}, {}, {}, {})",
            self.qualified(history),
            self.literal(&record.revision),
            self.literal(record.direction),
            self.literal(&record.applied_at),
            record.duration_ms,
            record
                .checksum
                .as_deref()
                .map_or_else(|| "NULL".to_string(), |c| self.literal(c)),
            self.literal(&record.applied_by),
        )
    }

    /// The latest history row of each revision (the highest `id`), as
    /// `revision, direction, checksum, applied_at, applied_by`: one query,
    /// however long the table.
    fn latest_history_rows(&self, history: &VersionTable) -> String {
        let h = self.qualified(history);
        format!(
            "SELECT revision, direction, checksum, applied_at, applied_by FROM {h} \
             WHERE id IN (SELECT MAX(id) FROM {h} GROUP BY revision)"
        )
    }

    /// `CREATE TABLE IF NOT EXISTS` for aludel's progress table `progress`:
    /// one row per statement of an unfinished migration, `state` `started`
    /// before the statement runs and `done` after.
    fn create_progress_table(&self, progress: &VersionTable) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n\
             \trevision VARCHAR(255) NOT NULL, \n\
             \tdirection VARCHAR(16) NOT NULL, \n\
             \tstatement INTEGER NOT NULL, \n\
             \tline INTEGER NOT NULL, \n\
             \tsha256 VARCHAR(64) NOT NULL, \n\
             \tstate VARCHAR(8) NOT NULL, \n\
             \tfirst_line VARCHAR(255) NOT NULL, \n\
             \tstarted_at VARCHAR(40) NOT NULL, \n\
             \tPRIMARY KEY (revision, direction, statement)\n)",
            self.qualified(progress)
        )
    }

    /// Records that a statement is about to run (`state` = `started`).
    fn progress_started(&self, progress: &VersionTable, record: &ProgressRecord<'_>) -> String {
        format!(
            "INSERT INTO {} (revision, direction, statement, line, sha256, state, first_line, \
             started_at) VALUES ({}, {}, {}, {}, {}, 'started', {}, {})",
            self.qualified(progress),
            self.literal(record.revision),
            self.literal(record.direction),
            record.statement,
            record.line,
            self.literal(record.sha256),
            self.literal(record.first_line),
            self.literal(record.started_at),
        )
    }

    /// Records that statement `statement` of a migration has run.
    fn progress_done(
        &self,
        progress: &VersionTable,
        revision: &str,
        direction: &str,
        statement: usize,
    ) -> String {
        format!(
            "UPDATE {} SET state = 'done' WHERE revision = {} AND direction = {} AND statement = {statement}",
            self.qualified(progress),
            self.literal(revision),
            self.literal(direction),
        )
    }

    /// Forgets the statements of a migration (with `from`, only those
    /// numbered `from` or more).
    fn progress_clear(
        &self,
        progress: &VersionTable,
        revision: &str,
        direction: &str,
        from: Option<usize>,
    ) -> String {
        let mut sql = format!(
            "DELETE FROM {} WHERE revision = {} AND direction = {}",
            self.qualified(progress),
            self.literal(revision),
            self.literal(direction),
        );
        if let Some(from) = from {
            sql.push_str(&format!(" AND statement >= {from}"));
        }
        sql
    }

    /// Every row of the progress table, as `revision, direction, statement,
    /// line, sha256, state, first_line`, in order.
    fn progress_rows(&self, progress: &VersionTable) -> String {
        format!(
            "SELECT revision, direction, statement, line, sha256, state, first_line FROM {} \
             ORDER BY revision, direction, statement",
            self.qualified(progress)
        )
    }

    /// Whether `statement` (a migration's) may commit the open transaction
    /// by itself, as DDL does on engines without transactional DDL. The
    /// runner commits its progress row right after such a statement, so that
    /// an interruption later does not leave it looking unfinished; a guess
    /// either way is safe (a wrong `true` only commits earlier; a wrong
    /// `false` only leaves the statement reported as "may or may not have
    /// run" after a crash).
    fn may_commit_implicitly(&self, statement: &str) -> bool {
        let _ = statement;
        false
    }

    /// Whether an offline script must wrap a statement holding `;` (a routine
    /// or trigger body) in `DELIMITER` lines, because the engine's
    /// command-line client ends statements at every `;` (MySQL's).
    fn offline_needs_delimiter(&self) -> bool {
        false
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

/// The version-table statement of `op` as Alembic writes it for most
/// dialects (what [`Dialect::version_op`] returns unless a dialect differs).
pub(crate) fn standard_version_op<D: Dialect + ?Sized>(
    dialect: &D,
    table: &VersionTable,
    op: &VersionOp,
) -> String {
    let t = dialect.qualified(table);
    match op {
        VersionOp::Insert(rev) => {
            format!(
                "INSERT INTO {t} (version_num) VALUES ({})",
                dialect.literal(rev)
            )
        }
        VersionOp::Delete(rev) => {
            format!(
                "DELETE FROM {t} WHERE {t}.version_num = {}",
                dialect.literal(rev)
            )
        }
        VersionOp::Update { from, to } => format!(
            "UPDATE {t} SET version_num={} WHERE {t}.version_num = {}",
            dialect.literal(to),
            dialect.literal(from)
        ),
    }
}

/// Whether an identifier can be written without quotes on every engine:
/// lowercase ASCII letters, digits and `_`, not starting with a digit.
pub(crate) fn is_plain_ident(ident: &str) -> bool {
    !ident.is_empty()
        && ident
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A standard SQL string literal: quotes doubled, nothing else escaped.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_table_matches_alembic_bytes() {
        let sql = SqliteDialect.create_version_table(&VersionTable::new("alembic_version"));
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
                &VersionTable::new("alembic_version"),
                &VersionOp::Update {
                    from: "a1".into(),
                    to: "b2".into()
                }
            ),
            "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'"
        );
        assert_eq!(
            d.version_op(
                &VersionTable::new("alembic_version"),
                &VersionOp::Insert("it's".into())
            ),
            "INSERT INTO alembic_version (version_num) VALUES ('it''s')"
        );
        assert_eq!(
            d.version_op(&VersionTable::new("Vers"), &VersionOp::Delete("x".into())),
            "DELETE FROM \"Vers\" WHERE \"Vers\".version_num = 'x'"
        );
    }
}
