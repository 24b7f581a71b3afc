//! Tables: their columns, constraints and indexes.

use super::Query;
use super::read::{Cells, rows};
use super::text::{json_strings, split_check};
use crate::catalog::{ReadError, Rows};
use crate::model::{
    CheckConstraint, Column, Deferrable, ExclusionConstraint, FkAction, ForeignKey, Generated,
    Identity, Index, IndexKey, IndexPart, ObjectName, PrimaryKey, Schema, Table, UniqueConstraint,
};

/// Reads tables, then their columns, constraints and indexes.
pub(crate) fn read_tables(
    results: &[Rows],
    schema: &mut Schema,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    for row in rows(results, Query::Tables)? {
        let name = row.name(0)?;
        let mut table = Table::new(name.clone());
        table.comment = row.text(2)?;
        schema.tables.insert(name, table);
    }
    for row in rows(results, Query::Columns)? {
        let table = row.name(0)?;
        let column = read_column(&row)?;
        table_mut(schema, &table, &row)?.columns.push(column);
    }
    for row in rows(results, Query::Constraints)? {
        read_constraint(&row, schema, warnings)?;
    }
    read_indexes(results, schema, warnings)
}

/// The table a row belongs to, which the tables query must have listed.
fn table_mut<'s>(
    schema: &'s mut Schema,
    name: &ObjectName,
    row: &Cells<'_>,
) -> Result<&'s mut Table, ReadError> {
    schema.tables.get_mut(name).ok_or_else(|| {
        row.error(
            format!("table {name}"),
            "its columns, constraints or indexes were read but not the table",
        )
    })
}

fn read_column(row: &Cells<'_>) -> Result<Column, ReadError> {
    let mut column = Column::new(row.req(2)?, row.req(3)?);
    column.nullable = row.flag(4)?;
    column.default = row.text(5)?;
    column.collation = row.text(6)?;
    column.comment = row.text(9)?;
    if let Some(kind @ ("s" | "v")) = row.opt(7)? {
        column.generated = column.default.take().map(|expr| Generated {
            expr,
            stored: kind == "s",
        });
    }
    column.identity = match row.opt(8)? {
        Some("a") => Some(Identity::Always),
        Some("d") => Some(Identity::ByDefault),
        _ => None,
    };
    if row.opt(11)?.is_some() {
        column.identity = Some(Identity::Serial {
            sequence: row.name(10)?,
        });
        column.default = None;
    }
    Ok(column)
}

fn names(row: &Cells<'_>, i: usize, object: &str) -> Result<Vec<String>, ReadError> {
    let text = row.req(i)?;
    json_strings(text)
        .ok_or_else(|| row.error(object.to_string(), format!("unreadable column list {text}")))
}

fn action(code: Option<&str>) -> FkAction {
    match code {
        Some("r") => FkAction::Restrict,
        Some("c") => FkAction::Cascade,
        Some("n") => FkAction::SetNull,
        Some("d") => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

fn read_constraint(
    row: &Cells<'_>,
    schema: &mut Schema,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    let table_name = row.name(0)?;
    let name = row.req(2)?.to_string();
    let object = format!("constraint {name} on table {table_name}");
    let definition = row.req(13)?;
    let deferrable = match (row.flag(11)?, row.flag(12)?) {
        (false, _) => Deferrable::No,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    };
    let kind = row.req(3)?;
    if deferrable != Deferrable::No && matches!(kind, "p" | "u") {
        warnings.push(format!(
            "table {table_name}: constraint {name} is DEFERRABLE, which is not modelled \
             for primary keys and unique constraints"
        ));
    }
    if matches!(kind, "p" | "u") && definition.contains(" INCLUDE (") {
        warnings.push(format!(
            "table {table_name}: the INCLUDE columns of constraint {name} are not modelled \
             ({definition})"
        ));
    }
    // PostgreSQL 18's temporal keys and unenforced foreign keys.
    let later = ["WITHOUT OVERLAPS", "PERIOD ", "NOT ENFORCED"];
    if matches!(kind, "p" | "u" | "f") && later.iter().any(|w| definition.contains(w)) {
        warnings.push(format!(
            "table {table_name}: constraint {name} is not modelled fully ({definition})"
        ));
    }
    let columns = names(row, 4, &object)?;
    let table = table_mut(schema, &table_name, row)?;
    match kind {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                name: Some(name),
                descending: vec![false; columns.len()],
                columns,
            })
        }
        "u" => table.uniques.push(UniqueConstraint {
            name: Some(name),
            columns,
            nulls_not_distinct: row.flag(14)?,
        }),
        "f" => {
            if row.opt(10)? == Some("f")
                || definition.contains("SET NULL (")
                || definition.contains("SET DEFAULT (")
            {
                warnings.push(format!(
                    "table {table_name}: foreign key {name} uses MATCH FULL or column lists \
                     in its actions, which are not modelled ({definition})"
                ));
            }
            table.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns,
                referenced_table: row.name(5)?,
                referenced_columns: names(row, 7, &object)?,
                on_update: action(row.opt(8)?),
                on_delete: action(row.opt(9)?),
                deferrable,
            })
        }
        "c" => {
            let (expr, rest) = split_check(definition)
                .ok_or_else(|| row.error(object.clone(), format!("unreadable {definition}")))?;
            let rest = rest.trim_end_matches("NOT VALID").trim();
            if !rest.is_empty() {
                warnings.push(format!(
                    "table {table_name}: check {name} is {rest}, which is not modelled"
                ));
            }
            table.checks.push(CheckConstraint {
                name: Some(name),
                expr: expr.to_string(),
            })
        }
        "x" => table.exclusions.push(ExclusionConstraint {
            name,
            definition: definition.to_string(),
        }),
        other => {
            return Err(row.error(object, format!("unknown constraint type {other}")));
        }
    }
    Ok(())
}

/// Indexes backing no constraint, one row per index column.
fn read_indexes(
    results: &[Rows],
    schema: &mut Schema,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    for row in rows(results, Query::Indexes)? {
        let table_name = row.name(0)?;
        let index_name = row.req(2)?.to_string();
        let object = format!("index {index_name} on {table_name}");
        let position: usize = number(&row, 10, &object)?;
        let key_count: usize = number(&row, 5, &object)?;
        if row.opt(9)? == Some("m") {
            if position == 1 {
                warnings.push(format!(
                    "materialized view {table_name}: index {index_name} is not modelled"
                ));
            }
            continue;
        }
        let table = table_mut(schema, &table_name, &row)?;
        let index = table
            .indexes
            .entry(index_name.clone())
            .or_insert_with(|| Index {
                name: index_name.clone(),
                unique: false,
                parts: Vec::new(),
                predicate: None,
                method: None,
                include: Vec::new(),
                nulls_not_distinct: false,
            });
        if position == 1 {
            index.unique = row.flag(3)?;
            index.method = row.text(4)?.filter(|m| m != "btree");
            index.predicate = row.text(6)?;
            index.nulls_not_distinct = row.flag(7)?;
            if let Some(options) = row.text(8)? {
                warnings.push(format!(
                    "table {table_name}: storage parameters of index {index_name} \
                     (WITH ({options})) are not modelled"
                ));
            }
        }
        let column = row.text(11)?;
        if position > key_count {
            let include =
                column.ok_or_else(|| row.error(object.clone(), "an INCLUDE column has no name"))?;
            index.include.push(include);
            continue;
        }
        if let Some(opclass) = row.text(15)? {
            warnings.push(format!(
                "table {table_name}: operator class {opclass} of index {index_name} \
                 is not modelled"
            ));
        }
        let option: u32 = number(&row, 13, &object)?;
        let descending = option & 1 != 0;
        let nulls_first = option & 2 != 0;
        index.parts.push(IndexPart {
            key: match column {
                Some(c) => IndexKey::Column(c),
                None => IndexKey::Expr(row.req(12)?.to_string()),
            },
            descending,
            collation: row.text(14)?,
            prefix_length: None,
            nulls_first: (nulls_first != descending).then_some(nulls_first),
        });
    }
    Ok(())
}

fn number<T: std::str::FromStr>(row: &Cells<'_>, i: usize, object: &str) -> Result<T, ReadError> {
    let text = row.req(i)?;
    text.parse()
        .map_err(|_| row.error(object.to_string(), format!("{text} is not a number")))
}
