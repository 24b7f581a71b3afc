//! Declared renames: checked against both schemas, then applied to the
//! current one the way the engine applies them (SQLite's `ALTER TABLE …
//! RENAME` rewrites foreign keys, indexes and constraints that name the
//! table or column), so the rest of the diff compares like with like.

use std::collections::BTreeSet;

use super::DiffError;
use crate::ident::rename_in_expr;
use crate::model::{IndexKey, ObjectName, Schema, Table};
use crate::normalize::normalize_ident;
use crate::rename::{ColumnRename, Renames};

/// The renames with each name spelled as the schemas spell it: a name
/// matches exactly, else the one name that matches without regard to ASCII
/// case (SQLite's identifiers are case-insensitive; a catalog reader may
/// report them lowercased). Names that match nothing stay as given, for
/// [`check`] to report.
pub(crate) fn resolve(current: &Schema, desired: &Schema, renames: &Renames) -> Renames {
    let table = |schema: &Schema, name: &ObjectName| -> ObjectName {
        spelled(schema.tables.keys(), name, |n| n).unwrap_or_else(|| name.clone())
    };
    let tables: Vec<(ObjectName, ObjectName)> = renames
        .tables
        .iter()
        .map(|(from, to)| (table(current, from), table(desired, to)))
        .collect();
    let resolved_tables = Renames {
        tables: tables.clone(),
        columns: Vec::new(),
    };
    let columns = renames
        .columns
        .iter()
        .map(|c| {
            let new_table = table(desired, &c.table);
            let old_table = resolved_tables.old_table_name(&new_table).clone();
            let column = |schema: &Schema, t: &ObjectName, name: &str| -> String {
                schema
                    .tables
                    .get(t)
                    .and_then(|t| spelled(t.columns.iter(), &name.to_string(), |c| &c.name))
                    .unwrap_or_else(|| name.to_string())
            };
            ColumnRename {
                from: column(current, &old_table, &c.from),
                to: column(desired, &new_table, &c.to),
                table: new_table,
            }
        })
        .collect();
    Renames { tables, columns }
}

/// The item whose key is `name`, exactly or else as the only one equal
/// without regard to ASCII case.
fn spelled<'a, T: 'a, K: Ord + Clone + Spelling + 'a>(
    items: impl Iterator<Item = &'a T> + Clone,
    name: &K,
    key: impl Fn(&'a T) -> &'a K,
) -> Option<K> {
    if let Some(exact) = items.clone().map(&key).find(|k| *k == name) {
        return Some(exact.clone());
    }
    let mut loose = items.map(key).filter(|k| k.same_spelling(name));
    match (loose.next(), loose.next()) {
        (Some(only), None) => Some(only.clone()),
        _ => None,
    }
}

/// Names that compare without regard to ASCII case.
trait Spelling {
    fn same_spelling(&self, other: &Self) -> bool;
}

impl Spelling for ObjectName {
    fn same_spelling(&self, other: &Self) -> bool {
        self.schema == other.schema && self.name.eq_ignore_ascii_case(&other.name)
    }
}

impl Spelling for String {
    fn same_spelling(&self, other: &Self) -> bool {
        self.eq_ignore_ascii_case(other)
    }
}

/// Checks every declared rename; the first one that cannot apply is the error.
pub(crate) fn check(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
) -> Result<(), DiffError> {
    let mut sources = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for (from, to) in &renames.tables {
        let flag = format!("{from}={to}");
        let table = |name: &ObjectName| format!("table '{name}'");
        if !sources.insert(from) {
            return Err(DiffError::RenameConflict {
                flag,
                what: table(from),
            });
        }
        if !targets.insert(to) {
            return Err(DiffError::RenameConflict {
                flag,
                what: table(to),
            });
        }
        if !current.tables.contains_key(from) {
            return Err(DiffError::RenameSourceMissing {
                flag,
                what: table(from),
            });
        }
        if !desired.tables.contains_key(to) {
            return Err(DiffError::RenameTargetMissing {
                flag,
                what: table(to),
            });
        }
        if current.tables.contains_key(to) {
            return Err(DiffError::RenameTargetExists {
                flag,
                what: table(to),
            });
        }
        if desired.tables.contains_key(from) {
            return Err(DiffError::RenameSourceKept {
                flag,
                what: table(from),
            });
        }
    }
    let mut sources = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for rename in &renames.columns {
        let (name, from, to) = (&rename.table, &rename.from, &rename.to);
        let flag = format!("{name}.{from}={to}");
        let old_name = renames.old_table_name(name);
        let Some(after) = desired.tables.get(name) else {
            let what = format!("table '{name}'");
            return Err(DiffError::RenameTargetMissing { flag, what });
        };
        let Some(before) = current.tables.get(old_name) else {
            let what = format!("table '{old_name}'");
            return Err(DiffError::RenameSourceMissing { flag, what });
        };
        let column = |table: &ObjectName, column: &str| format!("column '{table}.{column}'");
        if !sources.insert((name, from)) {
            let what = column(name, from);
            return Err(DiffError::RenameConflict { flag, what });
        }
        if !targets.insert((name, to)) {
            let what = column(name, to);
            return Err(DiffError::RenameConflict { flag, what });
        }
        if before.column(from).is_none() {
            let what = column(old_name, from);
            return Err(DiffError::RenameSourceMissing { flag, what });
        }
        if after.column(to).is_none() {
            let what = column(name, to);
            return Err(DiffError::RenameTargetMissing { flag, what });
        }
        if before.column(to).is_some() {
            let what = column(old_name, to);
            return Err(DiffError::RenameTargetExists { flag, what });
        }
        if after.column(from).is_some() {
            let what = column(name, from);
            return Err(DiffError::RenameSourceKept { flag, what });
        }
    }
    Ok(())
}

/// The current schema's tables as they are once the (checked) renames ran.
pub(crate) fn apply(current: &Schema, renames: &Renames) -> Schema {
    let mut schema = current.clone();
    for (from, to) in &renames.tables {
        if let Some(mut table) = schema.tables.remove(from) {
            table.name = to.clone();
            schema.tables.insert(to.clone(), table);
        }
        for table in schema.tables.values_mut() {
            for fk in &mut table.foreign_keys {
                if fk.referenced_table == *from {
                    fk.referenced_table = to.clone();
                }
            }
        }
    }
    for rename in &renames.columns {
        rename_column(&mut schema, &rename.table, &rename.from, &rename.to);
    }
    schema
}

/// Renames a column and every reference the engine rewrites with it.
fn rename_column(schema: &mut Schema, name: &ObjectName, from: &str, to: &str) {
    let swap = |c: &mut String| {
        if c == from {
            *c = to.to_string();
        }
    };
    for table in schema.tables.values_mut() {
        for fk in &mut table.foreign_keys {
            if fk.referenced_table == *name {
                fk.referenced_columns.iter_mut().for_each(swap);
            }
        }
    }
    let Some(table) = schema.tables.get_mut(name) else {
        return;
    };
    rename_in_table(table, from, to);
}

/// A (normalised) expression with the column renamed; the new name is
/// lowercased there, as the reader normalises expressions (`Title` in a
/// check reads as `title`).
fn renamed_expr(expr: &str, from: &str, to: &str) -> String {
    rename_in_expr(expr, from, &normalize_ident(to))
}

fn rename_in_table(table: &mut Table, from: &str, to: &str) {
    let swap = |c: &mut String| {
        if c == from {
            *c = to.to_string();
        }
    };
    for column in &mut table.columns {
        swap(&mut column.name);
        if let Some(generated) = &mut column.generated {
            generated.expr = renamed_expr(&generated.expr, from, to);
        }
    }
    if let Some(pk) = &mut table.primary_key {
        pk.columns.iter_mut().for_each(swap);
    }
    for fk in &mut table.foreign_keys {
        fk.columns.iter_mut().for_each(swap);
    }
    for unique in &mut table.uniques {
        unique.columns.iter_mut().for_each(swap);
    }
    for check in &mut table.checks {
        check.expr = renamed_expr(&check.expr, from, to);
    }
    for index in table.indexes.values_mut() {
        for part in &mut index.parts {
            match &mut part.key {
                IndexKey::Column(c) => swap(c),
                IndexKey::Expr(e) => *e = renamed_expr(e, from, to),
            }
        }
        if let Some(predicate) = &mut index.predicate {
            *predicate = renamed_expr(predicate, from, to);
        }
    }
}
