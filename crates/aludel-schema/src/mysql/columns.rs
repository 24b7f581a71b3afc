//! Tables and their columns: options, types, defaults, generated columns.

use std::collections::BTreeMap;

use super::text::{charset_of, quote_string};
use super::{MySqlServer, cell, required, table_mut};
use crate::catalog::{ReadError, Rows};
use crate::model::{Column, Generated, Identity, ObjectName, Table};

/// Base tables from the `TABLES` rows, with engine, collation, charset and
/// comment; what is not modelled (partitioning, other create options,
/// sequences) becomes a warning naming the table.
pub(super) fn tables(
    rows: &Rows,
    warnings: &mut Vec<String>,
) -> Result<BTreeMap<ObjectName, Table>, ReadError> {
    let mut out = BTreeMap::new();
    for row in rows {
        let name = required(row, 0, "table")?;
        match cell(row, 1).unwrap_or_default() {
            "BASE TABLE" => {}
            "SYSTEM VERSIONED" => warnings.push(format!(
                "table {name}: system versioning is not modelled; read as a plain table"
            )),
            "VIEW" => continue,
            other => {
                warnings.push(format!(
                    "{} {name}: not modelled; autogenerate ignores it",
                    other.to_ascii_lowercase()
                ));
                continue;
            }
        }
        let mut table = Table::new(ObjectName::new(name));
        table.options.engine = cell(row, 2).map(str::to_string);
        if let Some(collation) = cell(row, 3) {
            table.options.charset = Some(charset_of(collation));
            table.options.collation = Some(collation.to_string());
        }
        table.comment = cell(row, 4).filter(|c| !c.is_empty()).map(str::to_string);
        let options = cell(row, 5).unwrap_or_default().trim();
        if options.to_ascii_lowercase().contains("partitioned") {
            warnings.push(format!(
                "table {name}: partitioning is not modelled; autogenerate ignores it"
            ));
        } else if !options.is_empty() {
            warnings.push(format!(
                "table {name}: options `{options}` are not modelled; autogenerate ignores them"
            ));
        }
        out.insert(table.name.clone(), table);
    }
    Ok(out)
}

/// Columns, in `ORDINAL_POSITION` order (the query's order), into their tables.
pub(super) fn columns(
    server: &MySqlServer,
    tables: &mut BTreeMap<ObjectName, Table>,
    rows: &Rows,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    for row in rows {
        let table_name = required(row, 0, "column")?;
        let name = required(row, 1, &format!("column of table {table_name}"))?;
        let object = format!("column {table_name}.{name}");
        let table = table_mut(tables, table_name, &format!("column {name}"))?;
        let column_type = required(row, 5, &object)?;
        let extra = cell(row, 8).unwrap_or_default();
        let lower = extra.to_ascii_lowercase();
        let data_type = cell(row, 11).unwrap_or_default();
        let mut column = Column::new(name, column_type);
        column.nullable = cell(row, 4) == Some("YES");
        if let Some(expr) = cell(row, 9).filter(|e| !e.is_empty()) {
            column.generated = Some(Generated {
                expr: expr.to_string(),
                stored: lower.contains("stored generated") || lower.contains("persistent"),
            });
        } else {
            column.default = default(server, cell(row, 3), data_type, &lower);
        }
        if lower.contains("auto_increment") {
            column.identity = Some(Identity::AutoIncrement);
        }
        if let Some(at) = lower.find("on update ") {
            column.on_update = Some(extra[at + "on update ".len()..].trim().to_string());
        }
        let charset = cell(row, 6);
        if charset.is_some() && charset != table.options.charset.as_deref() {
            column.charset = charset.map(str::to_string);
        }
        let collation = cell(row, 7);
        if collation.is_some() && collation != table.options.collation.as_deref() {
            column.collation = collation.map(str::to_string);
        }
        column.comment = cell(row, 10).filter(|c| !c.is_empty()).map(str::to_string);
        if lower.contains("invisible") {
            warnings.push(format!(
                "column {table_name}.{name}: INVISIBLE is not modelled; read as a visible column"
            ));
        }
        table.columns.push(column);
    }
    Ok(())
}

/// Whether MariaDB reports defaults as SQL text (10.2.7 and later: literal
/// strings quoted, `NULL` as the word) rather than MySQL's bare values.
fn defaults_are_sql(server: &MySqlServer) -> bool {
    server.mariadb_at_least((10, 2, 7))
}

/// `COLUMN_DEFAULT` as SQL text for `DEFAULT …`; `None` for no default and
/// for `DEFAULT NULL` (the same thing on a nullable column).
fn default(
    server: &MySqlServer,
    reported: Option<&str>,
    data_type: &str,
    extra: &str,
) -> Option<String> {
    let text = reported?;
    if defaults_are_sql(server) {
        return (!text.eq_ignore_ascii_case("NULL")).then(|| text.to_string());
    }
    // MySQL: an expression default says DEFAULT_GENERATED in EXTRA;
    // otherwise the value is a literal, bare.
    let temporal = ["timestamp", "datetime"].contains(&data_type.to_ascii_lowercase().as_str());
    if extra.contains("default_generated")
        || (temporal && text.to_ascii_uppercase().starts_with("CURRENT_TIMESTAMP"))
    {
        return Some(text.to_string());
    }
    let numeric = [
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "integer",
        "bigint",
        "decimal",
        "numeric",
        "float",
        "double",
        "real",
        "year",
        "bit",
    ];
    if numeric.contains(&data_type.to_ascii_lowercase().as_str()) {
        Some(text.to_string())
    } else {
        Some(quote_string(text))
    }
}
