//! One table of the catalog → [`Table`]: the pragmas' facts (columns, key
//! order, foreign keys, indexes), completed with what its `CREATE TABLE`
//! and `CREATE INDEX` statements say ([`super::parse`]).

use std::collections::BTreeMap;

use super::catalog::{ForeignKeyRow, IndexColumnRow, ObjectRow};
use super::parse::{ParsedTable, parse_index, parse_table};
use super::read::{ReadError, Rows};
use crate::model::{
    Column, FkAction, ForeignKey, Generated, Identity, Index, IndexKey, IndexPart, ObjectName,
    PrimaryKey, Table, TableOptions, UniqueConstraint,
};
use crate::normalize::{normalize_collation, normalize_default, normalize_ident, normalize_type};

fn error(kind: &str, name: &str, message: impl Into<String>) -> ReadError {
    ReadError {
        object: format!("{kind} {name}"),
        message: message.into(),
    }
}

/// Reads one table; what cannot be read goes to `warnings`.
pub(crate) fn read_table(
    object: &ObjectRow,
    rows: &Rows<'_>,
    strict: bool,
    without_rowid: bool,
    warnings: &mut Vec<String>,
) -> Result<Table, ReadError> {
    let raw = object.name.as_str();
    let sql = object.sql.as_deref().unwrap_or_default();
    let parsed = match parse_table(sql) {
        Ok(parsed) => Some(parsed),
        Err(message) => {
            warnings.push(format!(
                "table {raw}: its CREATE TABLE could not be parsed ({message}); read from the \
                 pragmas only: its checks, column collations, generated expressions, constraint \
                 names and foreign-key deferrability are missing from the model"
            ));
            None
        }
    };
    let mut table = Table::new(ObjectName::new(normalize_ident(raw)));
    table.options = TableOptions {
        strict,
        without_rowid,
        ..TableOptions::default()
    };
    let columns = rows.columns.get(raw).map(Vec::as_slice).unwrap_or_default();
    let autoincrement_anywhere = parsed.is_none() && has_autoincrement(sql);
    for row in columns {
        let name = normalize_ident(&row.name);
        let facts = parsed.as_ref().and_then(|p| p.columns.get(&name));
        let generated = match row.hidden {
            2 | 3 => {
                let expr = facts.and_then(|f| f.generated.clone());
                if expr.is_none() {
                    warnings.push(format!(
                        "table {raw}: the expression of generated column {name} is unknown"
                    ));
                }
                Some(Generated {
                    expr: expr.unwrap_or_default(),
                    stored: row.hidden == 3,
                })
            }
            _ => None,
        };
        let autoincrement = facts.is_some_and(|f| f.autoincrement)
            || (autoincrement_anywhere && row.pk == 1 && columns.iter().all(|c| c.pk <= 1));
        let mut column = Column::new(name, normalize_type(&row.data_type));
        column.nullable = !row.notnull;
        column.default = row.dflt_value.as_deref().map(normalize_default);
        column.collation = facts.and_then(|f| f.collation.clone());
        column.generated = generated;
        column.identity = autoincrement.then_some(Identity::AutoIncrement);
        table.columns.push(column);
    }
    let indexes = rows.indexes.get(raw).map(Vec::as_slice).unwrap_or_default();
    let key_columns = |index: &str| -> Vec<&IndexColumnRow> {
        rows.index_columns
            .get(index)
            .map(|v| v.iter().copied().filter(|c| c.key).collect())
            .unwrap_or_default()
    };
    table.primary_key = primary_key(columns, parsed.as_ref(), |table_pk| {
        indexes
            .iter()
            .find(|i| i.origin == "pk")
            .map(|i| key_columns(&i.name))
            .unwrap_or_default()
            .into_iter()
            .find(|c| {
                c.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(table_pk))
            })
            .is_some_and(|c| c.desc)
    });
    let fk_rows = rows
        .foreign_keys
        .get(raw)
        .map(Vec::as_slice)
        .unwrap_or_default();
    table.foreign_keys = foreign_keys(raw, fk_rows, parsed.as_ref())?;
    let mut uniques: Vec<_> = indexes.iter().filter(|i| i.origin == "u").collect();
    uniques.sort_by_key(|i| autoindex_number(&i.name));
    let mut parsed_uniques = parsed
        .as_ref()
        .map(|p| p.uniques.clone())
        .unwrap_or_default();
    for index in uniques {
        let columns: Vec<String> = key_columns(&index.name)
            .iter()
            .map(|c| normalize_ident(c.name.as_deref().unwrap_or("rowid")))
            .collect();
        let name = take(&mut parsed_uniques, |u| u.columns == columns).and_then(|u| u.name);
        table.uniques.push(UniqueConstraint {
            name,
            columns,
            nulls_not_distinct: false,
        });
    }
    table.checks = parsed.map(|p| p.checks).unwrap_or_default();
    for index in indexes.iter().filter(|i| i.origin == "c") {
        let read = read_index(&index.name, index.unique, index.partial, rows, &table)?;
        table.indexes.insert(read.name.clone(), read);
    }
    Ok(table)
}

/// Whether an unparsed `CREATE TABLE` says `AUTOINCREMENT` outside strings
/// and quoted names.
fn has_autoincrement(sql: &str) -> bool {
    crate::normalize::normalize_sql(sql)
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '\''))
        .any(|w| w == "autoincrement")
}

/// The first element of `list` that `matches`, removed from it.
fn take<T>(list: &mut Vec<T>, matches: impl Fn(&T) -> bool) -> Option<T> {
    let at = list.iter().position(matches)?;
    Some(list.remove(at))
}

/// `sqlite_autoindex_t_12` → 12 (declaration order of unique constraints).
fn autoindex_number(name: &str) -> (u64, String) {
    let n = name
        .rsplit('_')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    (n, name.to_string())
}

fn primary_key(
    columns: &[&super::catalog::ColumnRow],
    parsed: Option<&ParsedTable>,
    descending: impl Fn(&str) -> bool,
) -> Option<PrimaryKey> {
    let mut key: Vec<_> = columns.iter().filter(|c| c.pk > 0).collect();
    if key.is_empty() {
        return None;
    }
    key.sort_by_key(|c| c.pk);
    Some(PrimaryKey {
        name: parsed.and_then(|p| p.pk_name.clone()),
        columns: key.iter().map(|c| normalize_ident(&c.name)).collect(),
        descending: key.iter().map(|c| descending(&c.name)).collect(),
    })
}

fn action(table: &str, text: &str) -> Result<FkAction, ReadError> {
    Ok(match text.to_ascii_uppercase().as_str() {
        "NO ACTION" | "" => FkAction::NoAction,
        "RESTRICT" => FkAction::Restrict,
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        other => {
            return Err(error(
                "table",
                table,
                format!("unknown foreign key action {other}"),
            ));
        }
    })
}

/// Foreign keys in declaration order (SQLite numbers them last first).
fn foreign_keys(
    table: &str,
    rows: &[&ForeignKeyRow],
    parsed: Option<&ParsedTable>,
) -> Result<Vec<ForeignKey>, ReadError> {
    let mut by_id: BTreeMap<i64, Vec<&ForeignKeyRow>> = BTreeMap::new();
    for row in rows {
        by_id.entry(row.id).or_default().push(row);
    }
    let mut parsed_keys = parsed.map(|p| p.foreign_keys.clone()).unwrap_or_default();
    let mut out = Vec::new();
    for key_rows in by_id.values().rev() {
        let first = key_rows[0];
        let columns: Vec<String> = key_rows.iter().map(|r| normalize_ident(&r.from)).collect();
        let referenced = normalize_ident(&first.referenced_table);
        let facts = take(&mut parsed_keys, |k| {
            k.columns == columns && k.referenced_table == referenced
        });
        out.push(ForeignKey {
            name: facts.as_ref().and_then(|f| f.name.clone()),
            columns,
            referenced_table: ObjectName::new(referenced),
            referenced_columns: key_rows
                .iter()
                .filter_map(|r| r.to.as_deref().map(normalize_ident))
                .collect(),
            on_update: action(table, &first.on_update)?,
            on_delete: action(table, &first.on_delete)?,
            deferrable: facts.map(|f| f.deferrable).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// An index made with `CREATE INDEX`: columns from the pragmas, expressions
/// and the predicate from its statement.
fn read_index(
    raw: &str,
    unique: bool,
    partial: bool,
    rows: &Rows<'_>,
    table: &Table,
) -> Result<Index, ReadError> {
    let keys: Vec<&IndexColumnRow> = rows
        .index_columns
        .get(raw)
        .map(|v| v.iter().copied().filter(|c| c.key).collect())
        .unwrap_or_default();
    let needs_sql = partial || keys.iter().any(|k| k.cid == -2);
    let parsed = match rows.index_sql.get(raw) {
        Some(sql) if needs_sql => Some(parse_index(sql).map_err(|m| error("index", raw, m))?),
        None if needs_sql => return Err(error("index", raw, "no CREATE INDEX statement")),
        _ => None,
    };
    let mut parts = Vec::new();
    for k in keys {
        let coll = k.coll.as_deref().and_then(normalize_collation);
        let (key, collation) = match (k.cid, &k.name) {
            (-2, _) => {
                let expr = parsed
                    .as_ref()
                    .and_then(|p| p.parts.get(k.seqno as usize).cloned())
                    .ok_or_else(|| error("index", raw, "an expression part was not parsed"))?;
                (IndexKey::Expr(expr), coll)
            }
            (_, Some(name)) => {
                let name = normalize_ident(name);
                let column_coll = table.column(&name).and_then(|c| c.collation.clone());
                let collation = match coll == column_coll {
                    true => None,
                    false => Some(coll.unwrap_or_else(|| "BINARY".into())),
                };
                (IndexKey::Column(name), collation)
            }
            (_, None) => (IndexKey::Column("rowid".into()), coll),
        };
        parts.push(IndexPart {
            key,
            descending: k.desc,
            collation,
            prefix_length: None,
            nulls_first: None,
        });
    }
    Ok(Index {
        name: normalize_ident(raw),
        unique,
        parts,
        predicate: parsed.and_then(|p| p.predicate),
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    })
}
