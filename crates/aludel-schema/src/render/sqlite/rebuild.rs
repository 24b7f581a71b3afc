//! The SQLite table rebuild, for what `ALTER TABLE` cannot do: create the
//! new table, copy the rows with explicit column lists, drop the old one,
//! rename the new one, recreate every index, view and trigger the drop took
//! with it, then check the foreign keys. Checks run as inserts into
//! temporary tables whose named CHECK constraint is the error message
//! (SQLite reports `CHECK constraint failed: <name>`), so they work in a
//! plain SQL script too.

use std::collections::BTreeSet;

use super::native::same;
use super::rowid::keeps_rowid;
use super::sql::{
    autoincrement_column, create_index, create_table, is_literal, parenthesized, quote_ident,
    quote_literal, quote_name, verbatim,
};
use super::{Plan, drop_column_warning};
use crate::change::TableChange;
use crate::diff::dependency_order;
use crate::model::{ObjectName, Table};
use crate::render::Block;

/// The guard's message: foreign keys must be off during a rebuild.
const FK_OFF: &str = "run with PRAGMA foreign_keys=OFF: rebuilding tables with foreign keys on \
                      would fire their ON DELETE actions";

/// One rebuild of `before` into `after` making every change of `rest`;
/// `forced` are those that made it necessary (named in the title).
pub(crate) fn rebuild(
    plan: &Plan<'_>,
    before: &Table,
    after: &Table,
    rest: &[&TableChange],
    forced: &[&TableChange],
) -> Block {
    let name = &after.name;
    let table = quote_name(name);
    let new_name = ObjectName {
        schema: name.schema.clone(),
        name: format!("_aludel_new_{}", name.name),
    };
    let new_table = quote_name(&new_name);
    let mut checks: Vec<String> = vec!["_aludel_guard".to_string()];
    let mut out = vec![
        format!(
            "-- guard: foreign keys must be OFF, else DROP TABLE would fire ON DELETE actions \
             (the runner sets it; offline runs must too)\n{}",
            check_table("_aludel_guard", FK_OFF)
        ),
        "INSERT INTO _aludel_guard SELECT foreign_keys FROM pragma_foreign_keys".to_string(),
    ];

    // Columns that must not hold NULL (or must not meet existing rows).
    let mut copied = Vec::new();
    let mut selected = Vec::new();
    for column in after.columns.iter().filter(|c| c.generated.is_none()) {
        let col = quote_ident(&column.name);
        match before.column(&column.name) {
            Some(old) => {
                copied.push(col.clone());
                let tightened = old.nullable && !column.nullable;
                match (&column.default, tightened) {
                    (Some(default), true) => {
                        let default = if is_literal(default) {
                            default.trim().to_string()
                        } else {
                            parenthesized(default)
                        };
                        selected.push(format!("COALESCE({col}, {default})"));
                    }
                    (None, true) => {
                        selected.push(col.clone());
                        let check = format!("_aludel_check_null_{}_{}", name.name, column.name);
                        let message = format!(
                            "{name}.{} becomes NOT NULL but rows have NULL in it: fill them \
                             (UPDATE {table} SET {col} = ... WHERE {col} IS NULL) or give it a default",
                            column.name
                        );
                        out.push(check_table(&check, &message));
                        out.push(format!(
                            "INSERT INTO {} SELECT count(*) FROM {table} WHERE {col} IS NULL",
                            quote_ident(&check)
                        ));
                        checks.push(check);
                    }
                    (_, false) => selected.push(col.clone()),
                }
            }
            None if !column.nullable && column.default.is_none() => {
                let check = format!("_aludel_check_empty_{}_{}", name.name, column.name);
                let message = format!(
                    "{name}.{} is added NOT NULL without a default but {name} has rows: \
                     give it a default",
                    column.name
                );
                out.push(check_table(&check, &message));
                out.push(format!(
                    "INSERT INTO {} SELECT count(*) FROM {table}",
                    quote_ident(&check)
                ));
                checks.push(check);
            }
            None => {}
        }
    }

    // Views and triggers that name the table (through views, transitively)
    // go before the drop and come back after it.
    let (views, triggers_elsewhere, triggers_on) = dependents(plan, name);
    for trigger in &triggers_elsewhere {
        out.push(format!("DROP TRIGGER {}", quote_name(trigger)));
    }
    for view in views.iter().rev() {
        out.push(format!("DROP VIEW {}", quote_name(view)));
    }

    out.push(create_table(after, &new_name));
    if !copied.is_empty() && keeps_rowid(before, after) {
        copied.insert(0, "rowid".to_string());
        selected.insert(0, "rowid".to_string());
    }
    if !copied.is_empty() {
        out.push(format!(
            "INSERT INTO {new_table} ({}) SELECT {} FROM {table}",
            copied.join(", "),
            selected.join(", ")
        ));
    }
    if autoincrement_column(before).is_some() && autoincrement_column(after).is_some() {
        out.push(format!(
            "DELETE FROM sqlite_sequence WHERE name = {}",
            quote_literal(&new_name.name)
        ));
        out.push(format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {}",
            quote_literal(&new_name.name),
            quote_literal(&name.name)
        ));
    }
    out.push(format!("DROP TABLE {table}"));
    out.push(format!(
        "ALTER TABLE {new_table} RENAME TO {}",
        quote_ident(&name.name)
    ));
    for index in after.indexes.values() {
        if !plan.created_indexes.contains(&(name, index.name.as_str())) {
            out.push(create_index(name, index));
        }
    }
    for view in &views {
        out.push(verbatim(&plan.after.views[view].sql));
    }
    let triggers: BTreeSet<ObjectName> =
        triggers_on.into_iter().chain(triggers_elsewhere).collect();
    for trigger in triggers {
        out.push(verbatim(&plan.after.triggers[&trigger].sql));
    }
    // The table's own foreign keys, then those of tables that reference a
    // key the rebuild may have changed (children are not scanned otherwise).
    let mut checked: Vec<&ObjectName> = Vec::new();
    if !after.foreign_keys.is_empty() {
        checked.push(name);
    }
    checked.extend(
        children_to_check(plan, before, after)
            .into_iter()
            .filter(|c| !same(c, name)),
    );
    for table in checked {
        let check = format!("_aludel_check_fk_{}", table.name);
        let message = if same(table, name) {
            format!("foreign key violations after rebuilding {name}")
        } else {
            format!("foreign key violations in {table} after rebuilding {name}")
        };
        out.push(check_table(&check, &message));
        out.push(format!(
            "INSERT INTO {} SELECT count(*) FROM pragma_foreign_key_check({})",
            quote_ident(&check),
            quote_literal(&table.name)
        ));
        checks.push(check);
    }
    for check in &checks {
        out.push(format!("DROP TABLE {}", quote_ident(check)));
    }

    let mut why = reasons(forced);
    if why.is_empty() {
        why.push("definition".to_string());
    }
    let mut block = Block::new(
        format!(
            "Rebuild table \"{name}\": {} (SQLite cannot ALTER these)",
            why.join(", ")
        ),
        out,
    );
    for change in rest {
        if let TableChange::DropColumn(c) = change {
            block.warnings.push(drop_column_warning(name, &c.name));
        }
    }
    block
}

/// A temporary table whose one column must be 0; its CHECK constraint's name
/// is `message`, so a failed check reports it.
fn check_table(name: &str, message: &str) -> String {
    format!(
        "CREATE TEMP TABLE IF NOT EXISTS {} (n INTEGER CONSTRAINT {} CHECK (n = 0))",
        quote_ident(name),
        format_args!("\"{}\"", message.replace('"', "\"\""))
    )
}

/// What names `table` and stays through the plan: views (dependencies
/// first), triggers on other tables or on those views, triggers on the
/// table itself.
fn dependents(
    plan: &Plan<'_>,
    table: &ObjectName,
) -> (Vec<ObjectName>, Vec<ObjectName>, Vec<ObjectName>) {
    let after = plan.after;
    let staying_views = || {
        after
            .views
            .values()
            .filter(|v| !plan.created_views.contains(&v.name))
    };
    let mut named: Vec<ObjectName> = vec![table.clone()];
    loop {
        let more: Vec<ObjectName> = staying_views()
            .filter(|v| !named.iter().any(|n| same(n, &v.name)))
            .filter(|v| {
                v.depends_on
                    .iter()
                    .any(|d| named.iter().any(|n| same(n, d)))
            })
            .map(|v| v.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        named.extend(more);
    }
    let views = dependency_order(named[1..].iter().cloned(), |v| {
        after
            .views
            .get(v)
            .map(|v| v.depends_on.clone())
            .unwrap_or_default()
    });
    let names = |n: &ObjectName| named.iter().any(|m| same(m, n));
    let staying_triggers = after
        .triggers
        .values()
        .filter(|t| !plan.created_triggers.contains(&t.name));
    let mut elsewhere = Vec::new();
    let mut on = Vec::new();
    for trigger in staying_triggers {
        if same(&trigger.table, table) {
            on.push(trigger.name.clone());
        } else if names(&trigger.table) || trigger.depends_on.iter().any(names) {
            elsewhere.push(trigger.name.clone());
        }
    }
    (views, elsewhere, on)
}

/// Tables whose foreign keys reference `after` through a key the rebuild may
/// change: the referenced columns (the primary key when none are named) lose
/// their key, change type or collation, or go. Values are copied as they are,
/// so other references cannot break.
fn children_to_check<'a>(plan: &Plan<'a>, before: &Table, after: &Table) -> Vec<&'a ObjectName> {
    let key_of = |table: &Table, fk_columns: &[String]| -> Vec<String> {
        if !fk_columns.is_empty() {
            return fk_columns.to_vec();
        }
        table
            .primary_key
            .as_ref()
            .map(|pk| pk.columns.clone())
            .unwrap_or_default()
    };
    let still_keyed = |columns: &[String]| -> bool {
        let pk = after.primary_key.as_ref().map(|pk| &pk.columns);
        let unique = |c: &Vec<String>| same_columns(c, columns);
        pk.is_some_and(unique)
            || after.uniques.iter().any(|u| unique(&u.columns))
            || after
                .indexes
                .values()
                .any(|i| i.unique && i.predicate.is_none() && index_columns_are(i, columns))
    };
    let unchanged = |column: &str| match (before.column(column), after.column(column)) {
        (Some(b), Some(a)) => {
            b.data_type.eq_ignore_ascii_case(&a.data_type) && b.collation == a.collation
        }
        _ => false,
    };
    let mut out: Vec<&'a ObjectName> = Vec::new();
    for table in plan.after.tables.values() {
        for fk in &table.foreign_keys {
            if !same(&fk.referenced_table, &after.name) {
                continue;
            }
            let referenced = key_of(after, &fk.referenced_columns);
            let intact = still_keyed(&referenced)
                && referenced.iter().all(|c| unchanged(c))
                && key_of(before, &fk.referenced_columns) == referenced;
            if !intact && !out.iter().any(|t| same(t, &table.name)) {
                out.push(&table.name);
            }
        }
    }
    out
}

/// Whether two column lists name the same columns (SQLite names ignore ASCII case).
fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// Whether a unique index covers exactly these plain columns.
fn index_columns_are(index: &crate::model::Index, columns: &[String]) -> bool {
    index.parts.len() == columns.len()
        && index.parts.iter().zip(columns).all(|(p, c)| {
            matches!(&p.key, crate::model::IndexKey::Column(name) if name.eq_ignore_ascii_case(c))
        })
}

/// Why the table is rebuilt, one phrase per reason, in change order.
fn reasons(forced: &[&TableChange]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |reason: String| {
        if !out.contains(&reason) {
            out.push(reason);
        }
    };
    for change in forced {
        match change {
            TableChange::AddColumn(c) => add(format!("new column '{}'", c.name)),
            TableChange::DropColumn(c) => add(format!("dropped column '{}'", c.name)),
            TableChange::AlterColumn {
                before: b,
                after: a,
            } => {
                let n = &a.name;
                if !b.data_type.eq_ignore_ascii_case(&a.data_type) {
                    add(format!("type of '{n}'"));
                }
                if b.nullable != a.nullable {
                    add(format!(
                        "{} on '{n}'",
                        if a.nullable { "NULL" } else { "NOT NULL" }
                    ));
                }
                if b.default != a.default {
                    add(format!("default of '{n}'"));
                }
                if b.collation != a.collation {
                    add(format!("collation of '{n}'"));
                }
                if b.generated != a.generated {
                    add(format!("generated expression of '{n}'"));
                }
                if b.identity != a.identity {
                    add(format!("AUTOINCREMENT of '{n}'"));
                }
            }
            TableChange::AlterPrimaryKey { .. } => add("primary key".to_string()),
            TableChange::AddForeignKey(_) | TableChange::DropForeignKey(_) => {
                add("foreign keys".to_string())
            }
            TableChange::AddUnique(_) | TableChange::DropUnique(_) => {
                add("unique constraints".to_string())
            }
            TableChange::AddCheck(_) | TableChange::DropCheck(_) => {
                add("check constraints".to_string())
            }
            TableChange::AlterOptions {
                before: b,
                after: a,
            } => {
                if b.strict != a.strict {
                    add("STRICT".to_string());
                }
                if b.without_rowid != a.without_rowid {
                    add("WITHOUT ROWID".to_string());
                }
            }
            _ => add("definition".to_string()),
        }
    }
    out
}
