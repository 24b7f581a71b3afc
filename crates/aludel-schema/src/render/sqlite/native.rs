//! Which table changes SQLite's `ALTER TABLE` can make in place
//! (sqlite.org/lang_altertable.html); everything else is a rebuild.

use super::Plan;
use super::sql::is_constant;
use crate::change::TableChange;
use crate::ident::mentions;
use crate::model::{Column, IndexKey, ObjectName, Table};

/// Whether `change` (not a column rename) can be made with `ALTER TABLE`.
pub(crate) fn allowed(
    plan: &Plan<'_>,
    before: &Table,
    after: &Table,
    change: &TableChange,
) -> bool {
    match change {
        TableChange::AddColumn(c) => can_add(after, c),
        TableChange::DropColumn(c) => can_drop(plan, before, c),
        TableChange::RenameColumn { .. } | TableChange::AlterComment { .. } => true,
        _ => false,
    }
}

/// `ADD COLUMN`: not in the key or a unique constraint, no foreign key or
/// check on it, a constant default (non-NULL when NOT NULL), not a stored
/// generated column.
fn can_add(after: &Table, c: &Column) -> bool {
    let named = |cols: &[String]| cols.contains(&c.name);
    if after
        .primary_key
        .as_ref()
        .is_some_and(|pk| named(&pk.columns))
        || after.uniques.iter().any(|u| named(&u.columns))
        || after.foreign_keys.iter().any(|fk| named(&fk.columns))
        || after.checks.iter().any(|k| mentions(&k.expr, &c.name))
        || c.identity.is_some()
    {
        return false;
    }
    if let Some(generated) = &c.generated {
        return !generated.stored && c.default.is_none();
    }
    match &c.default {
        None => c.nullable,
        Some(d) => is_constant(d) && (c.nullable || !d.trim().eq_ignore_ascii_case("NULL")),
    }
}

/// `DROP COLUMN`: not in the key, a unique constraint, a foreign key, an
/// index (key or predicate), a check, another column's generated
/// expression, nor in a view or trigger on the table; not a stored
/// generated column.
fn can_drop(plan: &Plan<'_>, before: &Table, c: &Column) -> bool {
    let name = &c.name;
    let named = |cols: &[String]| cols.contains(name);
    if before
        .primary_key
        .as_ref()
        .is_some_and(|pk| named(&pk.columns))
        || before.uniques.iter().any(|u| named(&u.columns))
        || before.foreign_keys.iter().any(|fk| named(&fk.columns))
        || before.checks.iter().any(|k| mentions(&k.expr, name))
        || c.generated.as_ref().is_some_and(|g| g.stored)
        || before.columns.iter().any(|o| {
            o.name != *name
                && o.generated
                    .as_ref()
                    .is_some_and(|g| mentions(&g.expr, name))
        })
    {
        return false;
    }
    let remaining = before.indexes.values().filter(|i| {
        !plan
            .dropped_indexes
            .contains(&(&before.name, i.name.as_str()))
    });
    for index in remaining {
        let in_key = index.parts.iter().any(|p| match &p.key {
            IndexKey::Column(k) => k == name,
            IndexKey::Expr(e) => mentions(e, name),
        });
        if in_key || index.predicate.as_ref().is_some_and(|p| mentions(p, name)) {
            return false;
        }
    }
    let referenced_elsewhere = plan.after.tables.values().any(|t| {
        t.foreign_keys
            .iter()
            .any(|fk| fk.referenced_table == before.name && named(&fk.referenced_columns))
    });
    !referenced_elsewhere && !named_by_dependents(plan, &before.name, name)
}

/// Whether a view or trigger that stays (not created by the plan) and that
/// names `table` also names `column`.
fn named_by_dependents(plan: &Plan<'_>, table: &ObjectName, column: &str) -> bool {
    let views = plan.after.views.values().filter(|v| {
        !plan.created_views.contains(&v.name) && v.depends_on.iter().any(|d| same(d, table))
    });
    let triggers = plan.after.triggers.values().filter(|t| {
        !plan.created_triggers.contains(&t.name)
            && (same(&t.table, table) || t.depends_on.iter().any(|d| same(d, table)))
    });
    views
        .map(|v| &v.sql)
        .chain(triggers.map(|t| &t.sql))
        .any(|sql| mentions(sql, column))
}

/// SQLite names compare case-insensitively.
pub(crate) fn same(a: &ObjectName, b: &ObjectName) -> bool {
    a.schema == b.schema && a.name.eq_ignore_ascii_case(&b.name)
}
