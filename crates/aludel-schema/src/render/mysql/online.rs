//! Which `ALTER TABLE` changes the server documents as instant
//! (`ALGORITHM=INSTANT`) or in place without locking writes
//! (`ALGORITHM=INPLACE, LOCK=NONE`). Conservative on purpose: a claimed
//! algorithm the server cannot use fails the statement, so only what the
//! InnoDB online-DDL documentation of MariaDB and MySQL guarantees is
//! claimed, and each claim is exercised on MariaDB by the tests.

use super::Plan;
use super::ddl::is_bare_default;
use crate::model::{Column, Identity, Index, IndexKey, Schema, Table};
use crate::mysql::MySqlServer;

/// InnoDB (the online-DDL rules are InnoDB's).
fn innodb(table: &Table) -> bool {
    table
        .options
        .engine
        .as_deref()
        .is_none_or(|e| e.eq_ignore_ascii_case("InnoDB"))
}

/// A table with a FULLTEXT index (its hidden `FTS_DOC_ID` rules out
/// instant column changes).
fn has_fulltext(table: &Table) -> bool {
    table.indexes.values().any(|i| {
        i.method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("FULLTEXT"))
    })
}

/// `ADD COLUMN` instantly: at the end, MariaDB 10.3.2+, MySQL 8.0.12+;
/// anywhere (`at_end` false), MariaDB 10.4+, MySQL 8.0.29+; an ordinary
/// column (not generated, not AUTO_INCREMENT) with no default or a literal
/// one.
pub(super) fn instant_add_column(
    server: &MySqlServer,
    before: &Table,
    column: &Column,
    at_end: bool,
) -> bool {
    let supported = if at_end {
        server.mariadb_at_least((10, 3, 2)) || server.mysql_at_least((8, 0, 12))
    } else {
        server.mariadb_at_least((10, 4, 0)) || server.mysql_at_least((8, 0, 29))
    };
    supported
        && innodb(before)
        && !has_fulltext(before)
        && column.generated.is_none()
        && column.identity.is_none()
        && column.on_update.is_none()
        && column
            .default
            .as_deref()
            .is_none_or(|d| is_bare_default(d) && !is_current_time(d))
}

/// Whether a default is the current time (not a constant).
fn is_current_time(default: &str) -> bool {
    let upper = default.trim().to_ascii_uppercase();
    ["CURRENT_TIMESTAMP", "NOW", "LOCALTIME"]
        .iter()
        .any(|w| upper.starts_with(w))
}

/// Whether `column` of `table` is in a key, an index the plan keeps, a
/// foreign key, or another column's generated expression.
fn in_use(plan: &Plan<'_>, table: &Table, column: &str) -> bool {
    let named = |cols: &[String]| cols.iter().any(|c| c == column);
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| named(&pk.columns))
        || table.uniques.iter().any(|u| named(&u.columns))
        || table.foreign_keys.iter().any(|fk| named(&fk.columns))
        || table.indexes.values().any(|i| {
            !plan
                .dropped_indexes
                .contains(&(table.name.clone(), i.name.clone()))
                && i.parts.iter().any(|p| match &p.key {
                    IndexKey::Column(c) => c == column,
                    IndexKey::Expr(e) => e.contains(column),
                })
        })
        || table.columns.iter().any(|c| {
            c.name != column
                && c.generated
                    .as_ref()
                    .is_some_and(|g| g.expr.contains(column))
        })
}

/// `DROP COLUMN` instantly: MariaDB 10.4+, MySQL 8.0.29+; an ordinary
/// column in no key or index.
pub(super) fn instant_drop_column(plan: &Plan<'_>, before: &Table, column: &Column) -> bool {
    let server = plan.server;
    (server.mariadb_at_least((10, 4, 0)) || server.mysql_at_least((8, 0, 29)))
        && innodb(before)
        && !has_fulltext(before)
        && column.generated.is_none()
        && column.identity != Some(Identity::AutoIncrement)
        && !in_use(plan, before, &column.name)
}

/// `RENAME COLUMN` instantly. MariaDB 10.5+ (where `RENAME COLUMN`
/// exists): any InnoDB column (renaming is instant there since 10.3,
/// foreign keys, generated columns and FULLTEXT tables included, as the
/// tests run it). MySQL 8.0.28+: conservatively, a column no foreign key
/// (of any table) names and no generated column reads, in a table without
/// FULLTEXT index.
pub(super) fn instant_rename_column(
    plan: &Plan<'_>,
    before: &Table,
    after: &Schema,
    from: &str,
    to: &str,
) -> bool {
    let server = plan.server;
    if server.mariadb {
        return server.mariadb_at_least((10, 5, 0)) && innodb(before);
    }
    let referenced = after.tables.values().any(|t| {
        t.foreign_keys.iter().any(|fk| {
            fk.referenced_table == before.name
                && fk.referenced_columns.iter().any(|c| c == from || c == to)
        })
    });
    server.mysql_at_least((8, 0, 28))
        && innodb(before)
        && !has_fulltext(before)
        && !referenced
        && !before
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.iter().any(|c| c == from))
        && !before
            .columns
            .iter()
            .any(|c| c.generated.as_ref().is_some_and(|g| g.expr.contains(from)))
}

/// Whether two columns differ in their default only, the new one absent
/// or a literal (`ALTER COLUMN … SET/DROP DEFAULT`, instant on both
/// servers).
pub(super) fn default_only(before: &Column, after: &Column) -> bool {
    before.default != after.default
        && Column {
            default: None,
            ..before.clone()
        } == Column {
            default: None,
            ..after.clone()
        }
        && before.generated.is_none()
        && after
            .default
            .as_deref()
            .is_none_or(|d| is_bare_default(d) && !is_current_time(d))
}

/// Whether `after` is `before` with ENUM members appended at the end (and
/// nothing else changed), within 255 members so the storage size stays:
/// instant on both servers.
pub(super) fn enum_append(before: &Column, after: &Column) -> bool {
    let (b, a) = (&before.data_type, &after.data_type);
    let lower = b.to_ascii_lowercase();
    if !lower.starts_with("enum(") || !b.ends_with(')') || a.len() <= b.len() {
        return false;
    }
    let head = &b[..b.len() - 1];
    let appended = a.starts_with(head) && a[head.len()..].starts_with(',') && a.ends_with(')');
    let members = a.matches("','").count() + 1;
    appended
        && members <= 255
        && Column {
            data_type: String::new(),
            ..before.clone()
        } == Column {
            data_type: String::new(),
            ..after.clone()
        }
}

/// The values of an `enum(...)` or `set(...)` type, as written (quoted),
/// None for any other type.
fn enum_values(data_type: &str) -> Option<Vec<&str>> {
    let lower = data_type.to_ascii_lowercase();
    let open = ["enum(", "set("]
        .into_iter()
        .find(|p| lower.starts_with(p))?;
    let list = data_type.get(open.len()..data_type.len().checked_sub(1)?)?;
    let (mut values, mut start, mut quoted) = (Vec::new(), 0, false);
    let bytes = list.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'\'' if quoted && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b'\'' => quoted = !quoted,
            b',' if !quoted => {
                values.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    values.push(list[start..].trim());
    Some(values)
}

/// The values of `before`'s enum (or set) type that `after`'s lacks: rows
/// holding one make the `MODIFY` fail (strict mode) or lose the value. A
/// value spelled in another case maps to it (the usual `_ci` collations).
pub(super) fn removed_enum_values(before: &Column, after: &Column) -> Vec<String> {
    match (
        enum_values(&before.data_type),
        enum_values(&after.data_type),
    ) {
        (Some(old), Some(new)) => old
            .into_iter()
            .filter(|v| !new.iter().any(|n| n.eq_ignore_ascii_case(v)))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// `ADD INDEX` or `DROP INDEX` in place without blocking writes: a B-tree
/// index over columns (not FULLTEXT or SPATIAL, not an expression); a
/// unique one only on a table with a primary key (without one, InnoDB
/// clusters the rows on the first unique NOT NULL index, and changing it
/// rebuilds the table).
pub(super) fn inplace_index(table: Option<&Table>, index: &Index) -> bool {
    table.is_some_and(|t| innodb(t) && (!index.unique || t.primary_key.is_some()))
        && index.method.is_none()
        && index
            .parts
            .iter()
            .all(|p| matches!(p.key, IndexKey::Column(_)))
}

/// `DROP INDEX` in place without blocking writes: as for `ADD INDEX`, but
/// FULLTEXT and SPATIAL indexes too (dropping only changes metadata).
pub(super) fn inplace_drop_index(table: Option<&Table>, index: &Index) -> bool {
    inplace_index(
        table,
        &Index {
            method: None,
            ..index.clone()
        },
    )
}
