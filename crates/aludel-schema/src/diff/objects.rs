//! The server object kinds that live beside tables: schemas (namespaces),
//! extensions, enum types, domains, sequences, functions and procedures.
//! Each goes in one of three places of the change list: `early` (before any
//! table changes: what tables may use), `middle` (after the tables and
//! indexes, before views and triggers: sequence ownership, functions no
//! table expression names) and `late` (drops, in the reverse order of
//! creation, after everything that used them went).

use std::collections::BTreeSet;

use crate::change::{Change, EnumPosition};
use crate::model::{EnumType, Function, ObjectName, Schema, Sequence};
use crate::rename::Renames;
use crate::render::postgres::quote::{split_routine, type_name};

/// Where each object change goes in the diff's output.
#[derive(Debug, Default)]
pub(crate) struct ObjectChanges {
    /// Before any table change (after the view and trigger drops).
    pub(crate) early: Vec<Change>,
    /// After tables and indexes, before views and triggers.
    pub(crate) middle: Vec<Change>,
    /// At the very end.
    pub(crate) late: Vec<Change>,
    /// Base names of functions dropped and created again (not replaceable
    /// in place): the views and triggers that call them are replaced too.
    pub(crate) recreated_functions: Vec<String>,
}

/// The object changes from `current` to `desired`; `renames` maps the
/// tables and columns a sequence's `OWNED BY` names.
pub(crate) fn object_changes(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
) -> ObjectChanges {
    let mut out = ObjectChanges::default();
    schemas(current, desired, &mut out);
    extensions(current, desired, &mut out);
    enums(current, desired, &mut out);
    sequences(current, desired, renames, &mut out);
    functions(current, desired, &mut out);
    domains(current, desired, &mut out);
    // Late drops run in the reverse order of creation: functions first
    // (they may use everything else), schemas last.
    out.late.sort_by_key(late_rank);
    out
}

fn late_rank(change: &Change) -> u8 {
    match change {
        Change::DropFunction(_) => 0,
        Change::DropDomain(_) => 1,
        Change::DropSequence(_) => 2,
        Change::DropEnum(_) => 3,
        Change::DropExtension(_) => 4,
        _ => 5,
    }
}

fn schemas(current: &Schema, desired: &Schema, out: &mut ObjectChanges) {
    let before: BTreeSet<&String> = current.namespaces.iter().collect();
    let after: BTreeSet<&String> = desired.namespaces.iter().collect();
    for name in after.difference(&before) {
        out.early.push(Change::CreateSchema((*name).clone()));
    }
    let gone: Vec<&&String> = before.difference(&after).collect();
    for name in gone.into_iter().rev() {
        out.late.push(Change::DropSchema((*name).clone()));
    }
}

fn extensions(current: &Schema, desired: &Schema, out: &mut ObjectChanges) {
    for (name, ext) in &desired.extensions {
        match current.extensions.get(name) {
            None => out.early.push(Change::CreateExtension(ext.clone())),
            Some(old) if old != ext => {
                out.early.push(Change::DropExtension(old.clone()));
                out.early.push(Change::CreateExtension(ext.clone()));
            }
            Some(_) => {}
        }
    }
    for (name, ext) in current.extensions.iter().rev() {
        if !desired.extensions.contains_key(name) {
            out.late.push(Change::DropExtension(ext.clone()));
        }
    }
}

fn enums(current: &Schema, desired: &Schema, out: &mut ObjectChanges) {
    for (name, after) in &desired.enums {
        let Some(before) = current.enums.get(name) else {
            out.early.push(Change::CreateEnum(after.clone()));
            continue;
        };
        if before.values == after.values {
            continue;
        }
        match added_values(before, after) {
            Some(added) => out.early.extend(added),
            None => out.early.push(Change::RebuildEnum {
                before: before.clone(),
                after: after.clone(),
                columns: enum_columns(current, name),
            }),
        }
    }
    for (name, before) in current.enums.iter().rev() {
        if !desired.enums.contains_key(name) {
            out.late.push(Change::DropEnum(before.clone()));
        }
    }
}

/// The `ADD VALUE`s that turn `before` into `after` when the old labels
/// keep their order (`None`: a label goes or moves, so the type is rebuilt).
fn added_values(before: &EnumType, after: &EnumType) -> Option<Vec<Change>> {
    let mut old = before.values.iter().peekable();
    for value in &after.values {
        if old.peek() == Some(&value) {
            old.next();
        }
    }
    if old.next().is_some() || before.values.iter().any(|v| !after.values.contains(v)) {
        return None;
    }
    let mut out = Vec::new();
    for (i, value) in after.values.iter().enumerate() {
        if before.values.contains(value) {
            continue;
        }
        let later_old = after.values[i + 1..]
            .iter()
            .find(|v| before.values.contains(v));
        let position = match (later_old, i) {
            (None, _) => EnumPosition::End,
            (Some(next), 0) => EnumPosition::Before(next.clone()),
            (Some(_), _) => EnumPosition::After(after.values[i - 1].clone()),
        };
        out.push(Change::AddEnumValue {
            name: after.name.clone(),
            value: value.clone(),
            position,
        });
    }
    Some(out)
}

/// Every (table, column) of `schema` whose type is the type `name` (an
/// enum or a domain) or an array of it, as `format_type` prints the name.
pub(crate) fn enum_columns(schema: &Schema, name: &ObjectName) -> Vec<(ObjectName, String)> {
    let spelled = type_name(name);
    let array = format!("{spelled}[]");
    let mut out = Vec::new();
    for table in schema.tables.values() {
        for column in &table.columns {
            if column.data_type == spelled || column.data_type == array {
                out.push((table.name.clone(), column.name.clone()));
            }
        }
    }
    out
}

fn sequences(current: &Schema, desired: &Schema, renames: &Renames, out: &mut ObjectChanges) {
    let owner = |seq: &Sequence| -> Option<(ObjectName, String)> {
        let (table, column) = seq.owned_by.clone()?;
        let new_table = renames
            .tables
            .iter()
            .find(|(from, _)| *from == table)
            .map(|(_, to)| to.clone())
            .unwrap_or(table);
        let new_column = renames
            .columns
            .iter()
            .find(|c| c.table == new_table && c.from == column)
            .map(|c| c.to.clone())
            .unwrap_or(column);
        Some((new_table, new_column))
    };
    for (name, after) in &desired.sequences {
        let Some(old) = current.sequences.get(name) else {
            let bare = Sequence {
                owned_by: None,
                ..after.clone()
            };
            out.early.push(Change::CreateSequence(bare.clone()));
            if after.owned_by.is_some() {
                out.middle.push(Change::AlterSequence {
                    before: bare,
                    after: after.clone(),
                });
            }
            continue;
        };
        let before = Sequence {
            owned_by: owner(old),
            ..old.clone()
        };
        let owner_changes = before.owned_by != after.owned_by;
        let mid = Sequence {
            definition: after.definition.clone(),
            owned_by: if owner_changes {
                None
            } else {
                before.owned_by.clone()
            },
            ..before.clone()
        };
        if mid != before {
            out.early.push(Change::AlterSequence {
                before: before.clone(),
                after: mid.clone(),
            });
        }
        if mid != *after {
            out.middle.push(Change::AlterSequence {
                before: mid,
                after: after.clone(),
            });
        }
    }
    for (name, old) in current.sequences.iter().rev() {
        if !desired.sequences.contains_key(name) {
            out.late.push(Change::DropSequence(old.clone()));
        }
    }
}

fn domains(current: &Schema, desired: &Schema, out: &mut ObjectChanges) {
    for (name, after) in &desired.domains {
        match current.domains.get(name) {
            None => out.early.push(Change::CreateDomain(after.clone())),
            Some(old) if old.definition != after.definition => {
                out.early.push(Change::DropDomain(old.clone()));
                out.early.push(Change::CreateDomain(after.clone()));
            }
            Some(_) => {}
        }
    }
    for (name, old) in current.domains.iter().rev() {
        if !desired.domains.contains_key(name) {
            out.late.push(Change::DropDomain(old.clone()));
        }
    }
}

fn functions(current: &Schema, desired: &Schema, out: &mut ObjectChanges) {
    for (name, after) in &desired.functions {
        let base = routine_base(name);
        let place = if used_by_tables(desired, base) {
            &mut out.early
        } else {
            &mut out.middle
        };
        match current.functions.get(name) {
            None => place.push(Change::CreateFunction(after.clone())),
            Some(old) if old.definition != after.definition || old.procedure != after.procedure => {
                place.push(Change::DropFunction(old.clone()));
                place.push(Change::CreateFunction(after.clone()));
                if !replaceable(old, after) {
                    out.recreated_functions.push(base.to_string());
                }
            }
            Some(_) => {}
        }
    }
    for (name, old) in current.functions.iter().rev() {
        if !desired.functions.contains_key(name) {
            out.late.push(Change::DropFunction(old.clone()));
        }
    }
}

/// The function's name without its arguments.
fn routine_base(name: &ObjectName) -> &str {
    split_routine(&name.name).0
}

/// Whether `CREATE OR REPLACE` turns `old` into `new`: the same kind
/// (function or procedure) and the same header (name, argument names and
/// types, result type): PostgreSQL refuses to change those in place.
pub(crate) fn replaceable(old: &Function, new: &Function) -> bool {
    old.procedure == new.procedure && header(&old.sql) == header(&new.sql)
}

/// The text of a `CREATE FUNCTION` before its `LANGUAGE` (or `AS`/body),
/// layout collapsed and lowercased: name, arguments, `RETURNS`.
fn header(sql: &str) -> String {
    let words: Vec<String> = sql.split_whitespace().map(str::to_lowercase).collect();
    let end = words
        .iter()
        .position(|w| {
            matches!(
                w.as_str(),
                "language" | "as" | "begin" | "return" | "immutable" | "stable" | "volatile"
            )
        })
        .unwrap_or(words.len());
    words[..end]
        .join(" ")
        .replace("create or replace", "create")
}

/// Whether an expression of a table in `schema` (default, generated
/// column, check, index key or predicate) calls a function named `base`.
fn used_by_tables(schema: &Schema, base: &str) -> bool {
    schema.tables.values().any(|t| {
        let columns = t.columns.iter().any(|c| {
            c.default.as_deref().is_some_and(|d| calls(d, base))
                || c.generated.as_ref().is_some_and(|g| calls(&g.expr, base))
        });
        let checks = t.checks.iter().any(|c| calls(&c.expr, base));
        let indexes = t.indexes.values().any(|i| {
            i.predicate.as_deref().is_some_and(|p| calls(p, base))
                || i.parts.iter().any(|p| match &p.key {
                    crate::model::IndexKey::Expr(e) => calls(e, base),
                    crate::model::IndexKey::Column(_) => false,
                })
        });
        let exclusions = t.exclusions.iter().any(|x| calls(&x.definition, base));
        columns || checks || indexes || exclusions
    })
}

/// Whether `text` calls `name(`: the name as a whole word (any case, maybe
/// schema-qualified or quoted), then `(`.
pub(crate) fn calls(text: &str, name: &str) -> bool {
    let text = text.to_lowercase();
    let name = name.to_lowercase();
    if name.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(at) = text[from..].find(&name) {
        let start = from + at;
        let end = start + name.len();
        let before_ok = text[..start].chars().next_back().is_none_or(|c| !word(c));
        let rest = text[end..].trim_start_matches('"').trim_start();
        if before_ok && rest.starts_with('(') {
            return true;
        }
        from = end;
    }
    false
}

#[cfg(test)]
#[path = "objects_tests.rs"]
mod tests;
