//! What a server needs beyond the engine-neutral diff: PostgreSQL refuses
//! to change the type or collation of (or drop) a column a view reads, so
//! every view over a table where a column's type or collation changes, a
//! column goes, or an enum type or a domain is rebuilt under a column is
//! dropped before and created again
//! after (with the views that need it, and the triggers on them), and so is
//! every trigger on such a table (its `UPDATE OF` list or `WHEN` condition
//! may name the column). SQLite
//! rebuilds recreate such views themselves, so the diff leaves this to the
//! server renderers.

use std::collections::BTreeSet;

use super::dependency_order;
use crate::change::{Change, TableChange};
use crate::model::{ObjectName, Schema};

/// `changes` (a diff of `before` into `after`) with the views over changed
/// columns replaced around the change.
pub(crate) fn expand(changes: &[Change], before: &Schema, after: &Schema) -> Vec<Change> {
    let tables = changed_tables(changes, before);
    if tables.is_empty() {
        return changes.to_vec();
    }
    let dropped: BTreeSet<&ObjectName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropView(v) => Some(&v.name),
            _ => None,
        })
        .collect();
    let mut views: BTreeSet<ObjectName> = before
        .views
        .values()
        .filter(|v| !dropped.contains(&v.name) && v.depends_on.iter().any(|d| tables.contains(d)))
        .map(|v| v.name.clone())
        .collect();
    loop {
        let more: Vec<ObjectName> = before
            .views
            .values()
            .filter(|v| !views.contains(&v.name) && !dropped.contains(&v.name))
            .filter(|v| v.depends_on.iter().any(|d| views.contains(d)))
            .map(|v| v.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        views.extend(more);
    }
    // Only views that stay (a view the diff drops for good is dropped already).
    views.retain(|v| after.views.contains_key(v));
    let dropped_triggers: BTreeSet<(&ObjectName, &ObjectName)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTrigger(t) => Some((&t.table, &t.name)),
            _ => None,
        })
        .collect();
    let triggers: Vec<&ObjectName> = before
        .triggers
        .iter()
        .filter(|(key, t)| {
            !dropped_triggers.contains(&(&t.table, &t.name))
                && after.triggers.contains_key(*key)
                && (views.contains(&t.table)
                    || t.depends_on.iter().any(|d| views.contains(d))
                    // PostgreSQL also refuses to change a column's type
                    // while a trigger's `UPDATE OF` or `WHEN` names it.
                    || tables.contains(&t.table))
        })
        .map(|(key, _)| key)
        .collect();
    if views.is_empty() && triggers.is_empty() {
        return changes.to_vec();
    }

    let mut out: Vec<Change> = triggers
        .iter()
        .map(|k| Change::DropTrigger(before.triggers[*k].clone()))
        .collect();
    let head = changes
        .iter()
        .take_while(|c| matches!(c, Change::DropTrigger(_) | Change::DropView(_)))
        .count();
    out.extend(changes[..head].iter().cloned());
    let order = dependency_order(views.iter(), |n| {
        before.views[*n].depends_on.iter().collect()
    });
    for name in order.into_iter().rev() {
        out.push(Change::DropView(before.views[name].clone()));
    }
    let rest: Vec<Change> = changes[head..]
        .iter()
        .filter(|c| !matches!(c, Change::CreateView(_)))
        .cloned()
        .collect();
    let tail = rest
        .iter()
        .rev()
        .take_while(|c| {
            matches!(
                c,
                Change::CreateTrigger(_)
                    | Change::DropFunction(_)
                    | Change::DropDomain(_)
                    | Change::DropSequence(_)
                    | Change::DropEnum(_)
                    | Change::DropExtension(_)
                    | Change::DropSchema(_)
            )
        })
        .count();
    let at = rest.len() - tail;
    out.extend(rest[..at].iter().cloned());
    let mut created: BTreeSet<ObjectName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateView(v) => Some(v.name.clone()),
            _ => None,
        })
        .collect();
    created.extend(views.iter().cloned());
    let order = dependency_order(created.iter(), |n| {
        after
            .views
            .get(*n)
            .map(|v| v.depends_on.iter().collect())
            .unwrap_or_default()
    });
    for name in order {
        if let Some(view) = after.views.get(name) {
            out.push(Change::CreateView(view.clone()));
        }
    }
    for key in triggers {
        out.push(Change::CreateTrigger(after.triggers[key].clone()));
    }
    out.extend(rest[at..].iter().cloned());
    out
}

/// The tables (by their name before the migration, and after any rename)
/// where a column's type changes, a column goes or is re-added, or an enum
/// rebuild converts a column.
fn changed_tables(changes: &[Change], before: &Schema) -> BTreeSet<ObjectName> {
    let mut out = BTreeSet::new();
    for change in changes {
        match change {
            // A domain whose type changes converts its columns.
            Change::CreateDomain(new) => {
                let old = changes.iter().find_map(|c| match c {
                    Change::DropDomain(old) if old.name == new.name => Some(old),
                    _ => None,
                });
                if let Some(old) = old
                    && crate::render::postgres::alter_domain(old, new).is_none()
                {
                    out.extend(
                        super::type_columns(before, &old.name)
                            .into_iter()
                            .map(|(t, _)| t),
                    );
                }
            }
            Change::AlterTable { after, changes, .. } => {
                let touched = changes.iter().any(|c| match c {
                    TableChange::DropColumn(_) => true,
                    TableChange::AlterColumn { before, after } => {
                        !before.data_type.eq_ignore_ascii_case(&after.data_type)
                            || before.collation != after.collation
                            || before.generated != after.generated
                    }
                    _ => false,
                });
                if touched {
                    out.insert(after.name.clone());
                }
            }
            Change::RebuildEnum { columns, .. } => {
                out.extend(columns.iter().map(|(t, _)| t.clone()));
            }
            _ => {}
        }
    }
    let renamed: Vec<ObjectName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RenameTable { from, to } if out.contains(to) => Some(from.clone()),
            _ => None,
        })
        .collect();
    out.extend(renamed);
    out
}
