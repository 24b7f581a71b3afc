//! Names that differ only in ASCII case: SQLite takes them for the same
//! object, and the catalog reader keeps names as declared. Before comparing,
//! the current schema is spelled as the desired schema spells it: tables,
//! views, triggers and indexes ([`align`]), columns ([`case_renames`],
//! applied like declared renames but producing no change) and constraint
//! names ([`constraint_names`]). A case-only difference of a name is no
//! difference: SQLite refuses `ALTER TABLE feed RENAME TO Feed`, and for
//! columns the team's corpus counts `ID` vs `id` as formatting (it would be
//! `ALTER TABLE t RENAME COLUMN id TO ID`, which SQLite accepts, were it
//! drift). A rebuild writes the desired spelling, so whatever a migration
//! rebuilds comes out as declared.

use std::collections::BTreeMap;

use crate::model::{ObjectName, Schema};
use crate::rename::{ColumnRename, Renames};

/// `name` as one of `names` spells it: exactly, else the only one equal
/// without regard to ASCII case.
fn respelled<'a>(
    names: impl Iterator<Item = &'a ObjectName> + Clone,
    name: &ObjectName,
) -> Option<ObjectName> {
    if names.clone().any(|n| n == name) {
        return None;
    }
    let mut loose =
        names.filter(|n| n.schema == name.schema && n.name.eq_ignore_ascii_case(&name.name));
    match (loose.next(), loose.next()) {
        (Some(only), None) => Some(only.clone()),
        _ => None,
    }
}

/// The new spelling of each object name of `current` that `desired` spells
/// differently (objects of one kind matched by kind).
fn spellings<'a, T: 'a>(
    current: impl Iterator<Item = &'a ObjectName>,
    desired: &'a BTreeMap<ObjectName, T>,
) -> BTreeMap<ObjectName, ObjectName> {
    current
        .filter_map(|n| respelled(desired.keys(), n).map(|to| (n.clone(), to)))
        .collect()
}

/// `current` with its tables, views, triggers and indexes (and every
/// reference to them) spelled as `desired` spells them.
pub(crate) fn align(current: &Schema, desired: &Schema) -> Schema {
    let mut names = spellings(current.tables.keys(), &desired.tables);
    names.extend(spellings(current.views.keys(), &desired.views));
    let triggers = spellings(current.triggers.keys(), &desired.triggers);
    if names.is_empty() && triggers.is_empty() && !indexes_differ(current, desired) {
        return current.clone();
    }
    let fix = |n: &mut ObjectName| {
        if let Some(to) = names.get(n) {
            *n = to.clone();
        }
    };
    let mut out = current.clone();
    out.tables = std::mem::take(&mut out.tables)
        .into_values()
        .map(|mut table| {
            fix(&mut table.name);
            table
                .foreign_keys
                .iter_mut()
                .for_each(|fk| fix(&mut fk.referenced_table));
            if let Some(after) = desired.tables.get(&table.name) {
                let keys: Vec<ObjectName> =
                    after.indexes.keys().cloned().map(ObjectName::new).collect();
                table.indexes = std::mem::take(&mut table.indexes)
                    .into_values()
                    .map(|mut index| {
                        if let Some(to) = respelled(keys.iter(), &ObjectName::new(&index.name)) {
                            index.name = to.name;
                        }
                        (index.name.clone(), index)
                    })
                    .collect();
            }
            (table.name.clone(), table)
        })
        .collect();
    out.views = std::mem::take(&mut out.views)
        .into_values()
        .map(|mut view| {
            fix(&mut view.name);
            view.depends_on.iter_mut().for_each(fix);
            (view.name.clone(), view)
        })
        .collect();
    out.triggers = std::mem::take(&mut out.triggers)
        .into_iter()
        .map(|(key, mut trigger)| {
            // SQLite and MySQL key a trigger by its name; PostgreSQL by
            // `<table>.<trigger>` (the key is respelled, the name kept).
            let key = match triggers.get(&key) {
                Some(to) => {
                    if trigger.name == key {
                        trigger.name = to.clone();
                    }
                    to.clone()
                }
                None => key,
            };
            fix(&mut trigger.table);
            trigger.depends_on.iter_mut().for_each(fix);
            (key, trigger)
        })
        .collect();
    out
}

/// Whether some table on both sides has an index spelled differently.
fn indexes_differ(current: &Schema, desired: &Schema) -> bool {
    current.tables.iter().any(|(name, table)| {
        desired
            .tables
            .get(name)
            .is_some_and(|after| table.indexes.keys().any(|i| !after.indexes.contains_key(i)))
    })
}

/// `renames` with, for every table on both sides, each column whose name
/// differs only in ASCII case renamed to the desired spelling (unless a
/// declared rename already moves either name); the diff applies them to
/// the current side, and [`crate::rename_candidates`] takes them as declared
/// (a case-only difference is never a rename to ask about).
pub(crate) fn case_renames(current: &Schema, desired: &Schema, renames: &Renames) -> Renames {
    let mut out = renames.clone();
    for after in desired.tables.values() {
        let old_name = renames.old_table_name(&after.name);
        let Some(before) = current.tables.get(old_name) else {
            continue;
        };
        let declared = |name: &str| {
            renames
                .columns
                .iter()
                .any(|r| r.table == after.name && (r.from == name || r.to == name))
        };
        for column in &after.columns {
            if before.column(&column.name).is_some() || declared(&column.name) {
                continue;
            }
            let mut loose = before
                .columns
                .iter()
                .filter(|c| c.name.eq_ignore_ascii_case(&column.name));
            let (Some(old), None) = (loose.next(), loose.next()) else {
                continue;
            };
            if after.column(&old.name).is_none() && !declared(&old.name) {
                out.columns.push(ColumnRename {
                    table: after.name.clone(),
                    from: old.name.clone(),
                    to: column.name.clone(),
                });
            }
        }
    }
    out
}

/// Each constraint of `current`'s tables that `desired` has with a name
/// differing only in ASCII case takes the desired name (SQLite does not
/// tell such names apart either).
pub(crate) fn constraint_names(current: &mut Schema, desired: &Schema) {
    for (name, table) in &mut current.tables {
        let Some(after) = desired.tables.get(name) else {
            continue;
        };
        respell(&mut table.foreign_keys, &after.foreign_keys, |c| {
            &mut c.name
        });
        respell(&mut table.uniques, &after.uniques, |c| &mut c.name);
        respell(&mut table.checks, &after.checks, |c| &mut c.name);
        if let (Some(before), Some(key)) = (&mut table.primary_key, &after.primary_key) {
            respell(
                std::slice::from_mut(before),
                std::slice::from_ref(key),
                |c| &mut c.name,
            );
        }
    }
}

/// `before`'s items not in `after` that are in it once named as there.
fn respell<T: Clone + PartialEq>(
    before: &mut [T],
    after: &[T],
    name: impl Fn(&mut T) -> &mut Option<String>,
) {
    for item in before.iter_mut() {
        if after.contains(item) {
            continue;
        }
        let own = name(item).clone();
        let found = after.iter().find(|a| {
            let mut a = (*a).clone();
            let theirs = name(&mut a).clone();
            *name(&mut a) = own.clone();
            a == *item
                && match (&own, &theirs) {
                    (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                    _ => false,
                }
        });
        if let Some(found) = found {
            *item = found.clone();
        }
    }
}
