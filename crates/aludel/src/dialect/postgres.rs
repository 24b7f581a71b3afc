//! PostgreSQL's bookkeeping SQL.

use aludel_graph::VersionOp;
use aludel_script::Flavor;

use super::{Dialect, VersionTable, standard_version_op};

/// PostgreSQL's SQL (also PostgreSQL-compatible engines).
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDialect;

impl Dialect for PostgresDialect {
    fn name(&self) -> &'static str {
        "postgresql"
    }

    fn flavor(&self) -> Flavor {
        Flavor::Postgres
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    /// As Alembic on PostgreSQL: an `INSERT` ends with
    /// `RETURNING <table>.version_num` (SQLAlchemy's implicit returning).
    fn version_op(&self, table: &VersionTable, op: &VersionOp) -> String {
        let sql = standard_version_op(self, table, op);
        match op {
            VersionOp::Insert(_) => {
                format!("{sql} RETURNING {}.version_num", self.qualified(table))
            }
            _ => sql,
        }
    }

    fn create_history_table(&self, history: &VersionTable) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n\
             \tid BIGSERIAL PRIMARY KEY, \n\
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
    fn a_version_table_schema_qualifies_every_mention() {
        let table = VersionTable::in_schema("alembic_version", Some("App".into()));
        assert_eq!(
            PostgresDialect.version_op(
                &table,
                &VersionOp::Update {
                    from: "a".into(),
                    to: "b".into()
                }
            ),
            "UPDATE \"App\".alembic_version SET version_num='b' WHERE \"App\".alembic_version.version_num = 'a'"
        );
        assert_eq!(
            PostgresDialect.version_op(&table, &VersionOp::Insert("a1".into())),
            "INSERT INTO \"App\".alembic_version (version_num) VALUES ('a1') \
             RETURNING \"App\".alembic_version.version_num"
        );
        assert!(
            PostgresDialect
                .create_history_table(&table.history())
                .starts_with("CREATE TABLE IF NOT EXISTS \"App\".aludel_history (")
        );
    }
}
