//! Keys, indexes and constraints: `STATISTICS` (primary key, unique
//! constraints, other indexes), foreign keys, check constraints; the
//! MariaDB `JSON` check; the index a foreign key brought along.

use std::collections::BTreeMap;

use super::text::quote_ident;
use super::{cell, required, table_mut};
use crate::catalog::{ReadError, Row, Rows};
use crate::model::{
    CheckConstraint, FkAction, ForeignKey, Index, IndexKey, IndexPart, ObjectName, PrimaryKey,
    Table, UniqueConstraint,
};

/// Rows grouped by their first two columns (table, object), in order.
fn grouped(rows: &Rows) -> Vec<((&str, &str), Vec<&Row>)> {
    let mut out: Vec<((&str, &str), Vec<&Row>)> = Vec::new();
    for row in rows {
        let key = (
            cell(row, 0).unwrap_or_default(),
            cell(row, 1).unwrap_or_default(),
        );
        match out.last_mut() {
            Some((k, group)) if *k == key => group.push(row),
            _ => out.push((key, vec![row])),
        }
    }
    out
}

/// Primary keys, unique constraints (unique B-tree indexes on whole
/// columns, ascending) and the other indexes.
pub(super) fn indexes(
    tables: &mut BTreeMap<ObjectName, Table>,
    rows: &Rows,
) -> Result<(), ReadError> {
    for ((table_name, index_name), group) in grouped(rows) {
        let object = format!("index {index_name} on table {table_name}");
        let table = table_mut(tables, table_name, &format!("index {index_name}"))?;
        let mut parts = Vec::new();
        for row in &group {
            let key = match (cell(row, 4), cell(row, 8)) {
                (Some(column), _) => IndexKey::Column(column.to_string()),
                (None, Some(expr)) => IndexKey::Expr(expr.to_string()),
                (None, None) => {
                    return Err(ReadError {
                        object,
                        message: "a key part with neither column nor expression".into(),
                    });
                }
            };
            let prefix_length = match cell(row, 6) {
                Some(n) => Some(n.parse::<u32>().map_err(|_| ReadError {
                    object: object.clone(),
                    message: format!("prefix length `{n}` is not a number"),
                })?),
                None => None,
            };
            parts.push(IndexPart {
                key,
                descending: cell(row, 5) == Some("D"),
                collation: None,
                prefix_length,
                nulls_first: None,
            });
        }
        let first = group[0];
        let unique = cell(first, 2) == Some("0");
        let kind = required(first, 7, &object)?.to_ascii_uppercase();
        if kind == "SPATIAL" {
            // MariaDB reports a SPATIAL key part's internal length (32) as
            // its prefix; the key cannot be declared with one.
            parts.iter_mut().for_each(|p| p.prefix_length = None);
        }
        let plain: Option<Vec<String>> = parts
            .iter()
            .map(|p| match (&p.key, p.descending, p.prefix_length) {
                (IndexKey::Column(c), false, None) => Some(c.clone()),
                _ => None,
            })
            .collect();
        if index_name == "PRIMARY" {
            table.primary_key = Some(PrimaryKey {
                name: None,
                descending: parts.iter().map(|p| p.descending).collect(),
                columns: parts
                    .iter()
                    .map(|p| match &p.key {
                        IndexKey::Column(c) | IndexKey::Expr(c) => c.clone(),
                    })
                    .collect(),
            });
            continue;
        }
        if let (true, "BTREE", Some(columns)) = (unique, kind.as_str(), plain) {
            table.uniques.push(UniqueConstraint {
                name: Some(index_name.to_string()),
                columns,
                nulls_not_distinct: false,
            });
            continue;
        }
        let index = Index {
            name: index_name.to_string(),
            unique,
            parts,
            predicate: None,
            method: (kind != "BTREE").then_some(kind),
            include: Vec::new(),
            nulls_not_distinct: false,
        };
        table.indexes.insert(index.name.clone(), index);
    }
    Ok(())
}

/// A `UPDATE_RULE`/`DELETE_RULE` value.
fn action(rule: Option<&str>) -> FkAction {
    match rule.unwrap_or_default().to_ascii_uppercase().as_str() {
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        "RESTRICT" => FkAction::Restrict,
        _ => FkAction::NoAction,
    }
}

/// Foreign keys; a referenced table of another database keeps its
/// database as schema.
pub(super) fn foreign_keys(
    database: &str,
    tables: &mut BTreeMap<ObjectName, Table>,
    rows: &Rows,
) -> Result<(), ReadError> {
    for ((table_name, fk_name), group) in grouped(rows) {
        let object = format!("foreign key {fk_name} on table {table_name}");
        let table = table_mut(tables, table_name, &format!("foreign key {fk_name}"))?;
        let first = group[0];
        let referenced = required(first, 5, &object)?;
        let referenced_table = match cell(first, 4) {
            Some(db) if db != database => ObjectName::qualified(db, referenced),
            _ => ObjectName::new(referenced),
        };
        let mut fk = ForeignKey {
            name: Some(fk_name.to_string()),
            columns: Vec::new(),
            referenced_table,
            referenced_columns: Vec::new(),
            on_update: action(cell(first, 7)),
            on_delete: action(cell(first, 8)),
            deferrable: Default::default(),
        };
        for row in group {
            fk.columns.push(required(row, 2, &object)?.to_string());
            fk.referenced_columns
                .push(required(row, 6, &object)?.to_string());
        }
        table.foreign_keys.push(fk);
    }
    Ok(())
}

/// Check constraints. On MariaDB the automatic `CHECK (json_valid(col))`
/// of a `JSON` column (named after it) is no check: the column reads as
/// type `json`, as written.
pub(super) fn checks(
    tables: &mut BTreeMap<ObjectName, Table>,
    rows: &Rows,
) -> Result<(), ReadError> {
    for row in rows {
        let table_name = required(row, 0, "check constraint")?;
        let name = required(row, 1, &format!("check constraint on table {table_name}"))?;
        let object = format!("check constraint {name} on table {table_name}");
        let clause = required(row, 2, &object)?;
        let table = table_mut(tables, table_name, &format!("check constraint {name}"))?;
        if cell(row, 3) == Some("Column")
            && clause == format!("json_valid({})", quote_ident(name))
            && let Some(column) = table.columns.iter_mut().find(|c| c.name == name)
            && column.data_type.eq_ignore_ascii_case("longtext")
        {
            column.data_type = "json".into();
            column.charset = None;
            column.collation = None;
            continue;
        }
        table.checks.push(CheckConstraint {
            name: Some(name.to_string()),
            expr: clause.to_string(),
        });
    }
    Ok(())
}

/// Whether `index` is the one the server made for `fk`: named like the key,
/// not unique, a B-tree over exactly the key's columns.
pub(crate) fn is_foreign_key_index(index: &Index, fk: &ForeignKey) -> bool {
    fk.name.as_deref() == Some(index.name.as_str())
        && !index.unique
        && index.method.is_none()
        && index.parts.len() == fk.columns.len()
        && index.parts.iter().zip(&fk.columns).all(|(p, c)| {
            p.key == IndexKey::Column(c.clone()) && !p.descending && p.prefix_length.is_none()
        })
}

/// Leaves out of each table the index its foreign key brought along (see
/// [`is_foreign_key_index`]): the model says what the user wrote, and
/// adding the key makes the index again.
pub(super) fn hide_foreign_key_indexes(tables: &mut BTreeMap<ObjectName, Table>) {
    for table in tables.values_mut() {
        let fks = &table.foreign_keys;
        table
            .indexes
            .retain(|_, index| !fks.iter().any(|fk| is_foreign_key_index(index, fk)));
    }
}
