//! The diff: the [`Change`]s that turn one schema into another, in the order
//! they must apply.
//!
//! Names match as SQLite matches them, without regard to ASCII case: the
//! current side is spelled as the desired side spells it, so a case-only
//! difference of a name is no difference (`align.rs`).
//! Declared renames go first (never guessed); then tables present on both
//! sides compare column by column (by name: column order is not a
//! difference), constraints as sets; indexes, views and triggers compare by
//! name, and a changed one is dropped, then created. The output order:
//! drop triggers → drop views (dependents first) → drop indexes → rename
//! tables → create tables (referenced first) → alter tables (referenced
//! first) → drop tables (referencing first) → create indexes → create views
//! (dependencies first) → create triggers. Ties go by name, so the same two
//! schemas always give the same list.
//!
//! The server object kinds (`objects.rs`) slot in: after the trigger and
//! view drops, schemas → extensions → enum types (new, labels added in
//! place, or rebuilt) → sequences → functions a table expression calls →
//! domains; after the indexes, sequence ownership and the other functions
//! (before the views and triggers that call them); at the very end, the
//! drops of functions, domains, sequences, enum types, extensions and
//! schemas. A changed function is dropped and created next to each other
//! (the PostgreSQL renderer writes `CREATE OR REPLACE` when the header is
//! unchanged); when it cannot be replaced in place, the views and triggers
//! calling it are replaced around it. `server::expand` adds, for the
//! server renderers, the views over a column whose type changes.

mod align;
mod objects;
mod order;
mod renamed;
mod replaced;
pub(crate) mod server;
mod table;

use thiserror::Error;

use crate::change::Change;
use crate::model::{ObjectName, Schema, Table};
use crate::rename::Renames;

pub(crate) use align::{align, case_renames};
pub(crate) use objects::{enum_columns as type_columns, replaceable};
pub(crate) use order::dependency_order;
pub(crate) use renamed::resolve as resolve_renames;

/// A declared rename that cannot apply to these schemas.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The thing renamed is not in the current schema.
    #[error("--rename {flag}: {what} does not exist in the current schema")]
    RenameSourceMissing {
        /// The rename, as a `--rename` flag.
        flag: String,
        /// The table or column, e.g. `table 'feed'`, `column 'feed.x'`.
        what: String,
    },
    /// The new name is not in the desired schema.
    #[error("--rename {flag}: {what} does not exist in the desired schema")]
    RenameTargetMissing {
        /// The rename, as a `--rename` flag.
        flag: String,
        /// The table or column.
        what: String,
    },
    /// The new name is already taken in the current schema.
    #[error("--rename {flag}: {what} already exists in the current schema")]
    RenameTargetExists {
        /// The rename, as a `--rename` flag.
        flag: String,
        /// The table or column.
        what: String,
    },
    /// The old name is still in the desired schema.
    #[error("--rename {flag}: {what} is still in the desired schema, so it is not renamed")]
    RenameSourceKept {
        /// The rename, as a `--rename` flag.
        flag: String,
        /// The table or column.
        what: String,
    },
    /// Two renames of, or to, the same name.
    #[error("--rename {flag}: {what} is renamed more than once")]
    RenameConflict {
        /// The rename, as a `--rename` flag.
        flag: String,
        /// The table or column.
        what: String,
    },
}

/// The changes that turn `current` into `desired`, `renames` applied first;
/// names differing only in ASCII case are the same name (SQLite).
pub fn diff(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
) -> Result<Vec<Change>, DiffError> {
    diff_names(current, desired, renames, true)
}

/// As [`diff`], for an engine whose names are case-sensitive (PostgreSQL):
/// `feed` and `"Feed"` are two objects, never taken for one.
pub fn diff_case_sensitive(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
) -> Result<Vec<Change>, DiffError> {
    diff_names(current, desired, renames, false)
}

fn diff_names(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
    fold_case: bool,
) -> Result<Vec<Change>, DiffError> {
    let current = &if fold_case {
        align(current, desired)
    } else {
        current.clone()
    };
    let renames = &renamed::resolve(current, desired, renames);
    renamed::check(current, desired, renames)?;
    let mut renamed = renamed::apply(current, renames);
    if fold_case {
        let case_only = case_renames(&renamed, desired, &Renames::default());
        renamed = renamed::apply(&renamed, &case_only);
        align::constraint_names(&mut renamed, desired);
    }
    let mut out = Vec::new();

    // Triggers and views that go or change (or need a view that does) are
    // dropped first.
    let objects = objects::object_changes(current, desired, renames);
    let (replaced_views, replaced_triggers) =
        replaced::replaced(current, desired, &objects.recreated_functions);
    for name in &replaced_triggers {
        out.push(Change::DropTrigger(current.triggers[name].clone()));
    }
    let order = dependency_order(replaced_views.iter(), |n| {
        current.views[*n].depends_on.iter().collect()
    });
    for name in order.into_iter().rev() {
        out.push(Change::DropView(current.views[name].clone()));
    }

    // Schemas, extensions, enum types, sequences, functions a table
    // expression calls, domains: what the tables may need.
    out.extend(objects.early);

    // Indexes of tables on both sides that go or change (before any rename:
    // named by the table's current name).
    for (name, after) in &desired.tables {
        let Some(before) = renamed.tables.get(name) else {
            continue;
        };
        for (index_name, index_as_renamed) in &before.indexes {
            if after.indexes.get(index_name) != Some(index_as_renamed) {
                let old_name = renames.old_table_name(name);
                let index = current
                    .tables
                    .get(old_name)
                    .and_then(|t| t.indexes.get(index_name));
                out.push(Change::DropIndex {
                    table: old_name.clone(),
                    index: index.cloned().unwrap_or_else(|| index_as_renamed.clone()),
                });
            }
        }
    }

    let mut table_renames = renames.tables.clone();
    table_renames.sort();
    for (from, to) in table_renames {
        out.push(Change::RenameTable { from, to });
    }

    let created = desired
        .tables
        .keys()
        .filter(|n| !renamed.tables.contains_key(n));
    for name in dependency_order(created.cloned(), |n| references(&desired.tables[n])) {
        let mut table = desired.tables[&name].clone();
        table.indexes.clear();
        out.push(Change::CreateTable(table));
    }

    let kept = desired
        .tables
        .keys()
        .filter(|n| renamed.tables.contains_key(n));
    for name in dependency_order(kept.cloned(), |n| references(&desired.tables[n])) {
        let (before, after) = (&renamed.tables[&name], &desired.tables[&name]);
        let mut column_renames: Vec<(String, String)> = renames
            .columns
            .iter()
            .filter(|c| c.table == name)
            .map(|c| (c.from.clone(), c.to.clone()))
            .collect();
        column_renames.sort();
        let changes = table::table_changes(before, after, &column_renames);
        if !changes.is_empty() {
            out.push(Change::AlterTable {
                before: Box::new(before.clone()),
                after: Box::new(after.clone()),
                changes,
            });
        }
    }

    let dropped = renamed
        .tables
        .keys()
        .filter(|n| !desired.tables.contains_key(n));
    let order = dependency_order(dropped.cloned(), |n| references(&renamed.tables[n]));
    for name in order.into_iter().rev() {
        out.push(Change::DropTable(renamed.tables[&name].clone()));
    }

    for (name, after) in &desired.tables {
        let before = renamed.tables.get(name);
        for (index_name, index) in &after.indexes {
            if before.and_then(|t| t.indexes.get(index_name)) != Some(index) {
                out.push(Change::CreateIndex {
                    table: name.clone(),
                    index: index.clone(),
                });
            }
        }
    }

    // Sequence ownership, the other functions: after the tables, before
    // the views and triggers that may call them.
    out.extend(objects.middle);

    let created_views = desired
        .views
        .keys()
        .filter(|n| !current.views.contains_key(n) || replaced_views.contains(n));
    let order = dependency_order(created_views, |n| {
        desired.views[*n].depends_on.iter().collect()
    });
    for name in order {
        out.push(Change::CreateView(desired.views[name].clone()));
    }
    for (name, trigger) in &desired.triggers {
        if !current.triggers.contains_key(name) || replaced_triggers.contains(name) {
            out.push(Change::CreateTrigger(trigger.clone()));
        }
    }
    // What nothing uses any more: functions, domains, sequences, enum
    // types, extensions, schemas.
    out.extend(objects.late);
    Ok(out)
}

/// The other tables a table's foreign keys reference.
fn references(table: &Table) -> Vec<ObjectName> {
    table
        .foreign_keys
        .iter()
        .map(|fk| fk.referenced_table.clone())
        .filter(|t| *t != table.name)
        .collect()
}
