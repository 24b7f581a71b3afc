//! The SQLite renderer: native `ALTER TABLE` where SQLite allows the change,
//! else a table rebuild: create the new table, copy the rows with explicit
//! column lists, drop the old one, rename the new one, recreate every index,
//! view and trigger the drop took along, check the foreign keys; guards (a
//! temporary table whose named CHECK constraint is the message) fail it when
//! foreign keys are on, when a column becoming NOT NULL holds NULLs, or on
//! foreign key violations. `CREATE TABLE`/`INDEX` are written from the
//! model, views and triggers from their statements as written.

mod native;
mod rebuild;
mod rowid;
mod sql;

use std::collections::BTreeSet;

use super::{Block, Renderer};
use crate::change::{Change, TableChange};
use crate::model::{ObjectName, Schema, Table};

pub(crate) use sql::parenthesized as sql_parenthesized;
pub use sql::{quote_ident, quote_literal, quote_name};

/// Renders changes as SQLite SQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteRenderer;

impl Renderer for SqliteRenderer {
    fn render(&self, changes: &[Change], _before: &Schema, after: &Schema) -> Vec<Block> {
        // Everything a rebuild needs of the starting schema is in the
        // changes (each AlterTable carries its table's `before`).
        let plan = Plan::new(changes, after);
        changes.iter().flat_map(|c| plan.blocks(c)).collect()
    }
}

/// A change list with what a rebuild needs to know about the rest of it.
pub(crate) struct Plan<'a> {
    /// The schema they end at.
    pub(crate) after: &'a Schema,
    /// Indexes the plan drops: (table, index).
    pub(crate) dropped_indexes: BTreeSet<(&'a ObjectName, &'a str)>,
    /// Indexes the plan creates: (table, index).
    pub(crate) created_indexes: BTreeSet<(&'a ObjectName, &'a str)>,
    /// Views the plan creates.
    pub(crate) created_views: BTreeSet<&'a ObjectName>,
    /// Triggers the plan creates.
    pub(crate) created_triggers: BTreeSet<&'a ObjectName>,
}

impl<'a> Plan<'a> {
    fn new(changes: &'a [Change], after: &'a Schema) -> Plan<'a> {
        let mut plan = Plan {
            after,
            dropped_indexes: BTreeSet::new(),
            created_indexes: BTreeSet::new(),
            created_views: BTreeSet::new(),
            created_triggers: BTreeSet::new(),
        };
        for change in changes {
            match change {
                Change::DropIndex { table, index } => {
                    plan.dropped_indexes.insert((table, &index.name));
                }
                Change::CreateIndex { table, index } => {
                    plan.created_indexes.insert((table, &index.name));
                }
                Change::CreateView(v) => {
                    plan.created_views.insert(&v.name);
                }
                Change::CreateTrigger(t) => {
                    plan.created_triggers.insert(&t.name);
                }
                _ => {}
            }
        }
        plan
    }

    fn blocks(&self, change: &Change) -> Vec<Block> {
        use sql::{create_index, create_table, quote_name, verbatim};
        let one = |title: String, statement: String| vec![Block::new(title, vec![statement])];
        match change {
            Change::CreateTable(t) => {
                one(format!("Create table {}", t.name), create_table(t, &t.name))
            }
            Change::DropTable(t) => {
                let mut block = Block::new(
                    format!("Drop table {}", t.name),
                    vec![format!("DROP TABLE {}", quote_name(&t.name))],
                );
                block.warnings.push(drop_table_warning(t));
                vec![block]
            }
            Change::RenameTable { from, to } => one(
                format!("Rename table {from} to {to}"),
                format!(
                    "ALTER TABLE {} RENAME TO {}",
                    quote_name(from),
                    quote_name(to)
                ),
            ),
            Change::AlterTable {
                before,
                after,
                changes,
            } => self.alter_table(before, after, changes),
            Change::CreateIndex { table, index } => one(
                format!("Create index {} on {table}", index.name),
                create_index(table, index),
            ),
            Change::DropIndex { table, index } => one(
                format!("Drop index {} on {table}", index.name),
                format!("DROP INDEX {}", quote_ident(&index.name)),
            ),
            Change::CreateView(v) => one(format!("Create view {}", v.name), verbatim(&v.sql)),
            Change::DropView(v) => one(
                format!("Drop view {}", v.name),
                format!("DROP VIEW {}", quote_name(&v.name)),
            ),
            Change::CreateTrigger(t) => one(format!("Create trigger {}", t.name), verbatim(&t.sql)),
            Change::DropTrigger(t) => one(
                format!("Drop trigger {}", t.name),
                format!("DROP TRIGGER {}", quote_name(&t.name)),
            ),
            // Server-only kinds (schemas, extensions, enum types, domains,
            // sequences, functions): the SQLite reader never produces them.
            _ => Vec::new(),
        }
    }

    /// Column renames natively, then the rest natively when SQLite can,
    /// else one rebuild for all of it.
    fn alter_table(&self, before: &Table, after: &Table, changes: &[TableChange]) -> Vec<Block> {
        use sql::{column_def, quote_name};
        let name = &after.name;
        let table = quote_name(name);
        let mut blocks = Vec::new();
        for change in changes {
            if let TableChange::RenameColumn { from, to } = change {
                blocks.push(Block::new(
                    format!("Rename column {name}.{from} to {to}"),
                    vec![format!(
                        "ALTER TABLE {table} RENAME COLUMN {} TO {}",
                        quote_ident(from),
                        quote_ident(to)
                    )],
                ));
            }
        }
        let rest: Vec<&TableChange> = changes
            .iter()
            .filter(|c| {
                !matches!(
                    c,
                    TableChange::RenameColumn { .. } | TableChange::AlterComment { .. }
                )
            })
            .collect();
        let forced: Vec<&TableChange> = rest
            .iter()
            .copied()
            .filter(|c| !native::allowed(self, before, after, c))
            .collect();
        if !forced.is_empty() {
            blocks.push(rebuild::rebuild(self, before, after, &rest, &forced));
            return blocks;
        }
        for change in rest {
            match change {
                TableChange::AddColumn(c) => blocks.push(Block::new(
                    format!("Add column {name}.{}", c.name),
                    vec![format!(
                        "ALTER TABLE {table} ADD COLUMN {}",
                        column_def(c, None)
                    )],
                )),
                TableChange::DropColumn(c) => {
                    let mut block = Block::new(
                        format!("Drop column {name}.{}", c.name),
                        vec![format!(
                            "ALTER TABLE {table} DROP COLUMN {}",
                            quote_ident(&c.name)
                        )],
                    );
                    block.warnings.push(drop_column_warning(name, &c.name));
                    blocks.push(block);
                }
                _ => {}
            }
        }
        blocks
    }
}

/// The warning on a dropped table.
pub(crate) fn drop_table_warning(table: &Table) -> String {
    let n = table.columns.len();
    let columns = if n == 1 { "column" } else { "columns" };
    format!(
        "drops table '{}' and its {n} {columns}: data is lost",
        table.name
    )
}

/// The warning on a dropped column.
pub(crate) fn drop_column_warning(table: &ObjectName, column: &str) -> String {
    format!(
        "DATA LOSS: drops column '{table}.{column}', if this was a rename, \
         re-run with --rename {table}.{column}=NEW_NAME"
    )
}
