//! What differs inside one table present on both sides.

use crate::change::TableChange;
use crate::model::{Column, Table};

/// Whether two columns (of the same name) have the same definition; the type
/// compares case-insensitively (`integer` and `INTEGER` are one type),
/// except for quoted text in it (MySQL `enum('a','b')` labels keep case).
pub(crate) fn same_column(a: &Column, b: &Column) -> bool {
    let same_type = if a.data_type.contains('\'') || b.data_type.contains('\'') {
        a.data_type == b.data_type
    } else {
        a.data_type.eq_ignore_ascii_case(&b.data_type)
    };
    same_type
        && Column {
            data_type: String::new(),
            ..a.clone()
        } == Column {
            data_type: String::new(),
            ..b.clone()
        }
}

/// The changes that make `before` (the current table, declared renames
/// already applied to it) into `after`, in the order they apply: column
/// renames, dropped constraints, primary key, dropped columns, added
/// columns, altered columns, added constraints, options, comment. Column
/// order is not a difference; constraints compare as sets, by value (name
/// included).
pub(crate) fn table_changes(
    before: &Table,
    after: &Table,
    column_renames: &[(String, String)],
) -> Vec<TableChange> {
    let mut out: Vec<TableChange> = column_renames
        .iter()
        .map(|(from, to)| TableChange::RenameColumn {
            from: from.clone(),
            to: to.clone(),
        })
        .collect();
    for fk in &before.foreign_keys {
        if !after.foreign_keys.contains(fk) {
            out.push(TableChange::DropForeignKey(fk.clone()));
        }
    }
    for unique in &before.uniques {
        if !after.uniques.contains(unique) {
            out.push(TableChange::DropUnique(unique.clone()));
        }
    }
    for check in &before.checks {
        if !after.checks.contains(check) {
            out.push(TableChange::DropCheck(check.clone()));
        }
    }
    for exclusion in &before.exclusions {
        if !after.exclusions.contains(exclusion) {
            out.push(TableChange::DropExclusion(exclusion.clone()));
        }
    }
    if before.primary_key != after.primary_key {
        out.push(TableChange::AlterPrimaryKey {
            before: before.primary_key.clone(),
            after: after.primary_key.clone(),
        });
    }
    for column in &before.columns {
        if after.column(&column.name).is_none() {
            out.push(TableChange::DropColumn(column.clone()));
        }
    }
    for column in &after.columns {
        if before.column(&column.name).is_none() {
            out.push(TableChange::AddColumn(column.clone()));
        }
    }
    for column in &after.columns {
        if let Some(old) = before.column(&column.name)
            && !same_column(old, column)
        {
            out.push(TableChange::AlterColumn {
                before: Box::new(old.clone()),
                after: Box::new(column.clone()),
            });
        }
    }
    for unique in &after.uniques {
        if !before.uniques.contains(unique) {
            out.push(TableChange::AddUnique(unique.clone()));
        }
    }
    for check in &after.checks {
        if !before.checks.contains(check) {
            out.push(TableChange::AddCheck(check.clone()));
        }
    }
    for exclusion in &after.exclusions {
        if !before.exclusions.contains(exclusion) {
            out.push(TableChange::AddExclusion(exclusion.clone()));
        }
    }
    for fk in &after.foreign_keys {
        if !before.foreign_keys.contains(fk) {
            out.push(TableChange::AddForeignKey(fk.clone()));
        }
    }
    if before.options != after.options {
        out.push(TableChange::AlterOptions {
            before: before.options.clone(),
            after: after.options.clone(),
        });
    }
    if before.comment != after.comment {
        out.push(TableChange::AlterComment {
            before: before.comment.clone(),
            after: after.comment.clone(),
        });
    }
    out
}
