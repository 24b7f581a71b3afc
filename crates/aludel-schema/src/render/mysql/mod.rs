//! The MySQL/MariaDB renderer.
//!
//! Every change is its own block, one statement where the server allows
//! it (DDL commits implicitly, so a failure leaves a clear state). Tables
//! are created from the model, views, triggers and routines from their
//! statements; an `ALTER TABLE` says `ALGORITHM=INSTANT` or
//! `ALGORITHM=INPLACE, LOCK=NONE` where the server's documentation
//! guarantees it for the change (`online.rs`), and otherwise carries a note
//! that it copies the table. The index a foreign key brings along (which
//! the reader leaves out of the model) is dropped with the key.

mod alter;
mod ddl;
mod generated;
mod indexes;
mod online;
mod options;

use std::collections::BTreeSet;

use super::sqlite::{drop_column_warning, drop_table_warning};
use super::{Block, Renderer};
use crate::change::{Change, TableChange};
use crate::model::{Index, IndexKey, ObjectName, Schema, Table};
use crate::mysql::{MySqlServer, quote_ident};

/// Renders changes as MySQL or MariaDB SQL.
#[derive(Debug, Clone, Copy)]
pub struct MySqlRenderer {
    /// The server the SQL is for.
    pub server: MySqlServer,
}

/// The note on a statement that copies the table.
pub(crate) const COPIES: &str =
    "copies the table (ALGORITHM=COPY): writes are blocked while it runs";

/// The note on an index build that is not claimed to allow writes
/// (FULLTEXT, SPATIAL, expression key parts).
pub(crate) const BLOCKS_WRITES: &str = "builds the index without ALGORITHM=INPLACE, LOCK=NONE: writes may be blocked (or the table copied) while it runs";

impl Renderer for MySqlRenderer {
    fn render(&self, changes: &[Change], before: &Schema, after: &Schema) -> Vec<Block> {
        let plan = Plan::new(self.server, changes, before, after);
        changes.iter().flat_map(|c| plan.blocks(c)).collect()
    }
}

/// A change list with what rendering one change needs to know of the rest.
pub(crate) struct Plan<'a> {
    pub(crate) server: MySqlServer,
    /// The schema the changes start from.
    pub(crate) before: &'a Schema,
    /// The schema the changes end at.
    pub(crate) after: &'a Schema,
    /// Indexes dropped by this plan: (table, index).
    pub(crate) dropped_indexes: BTreeSet<(ObjectName, String)>,
    /// Indexes whose drop waits for the foreign key they serve to go
    /// (dropped in the same statement): (table, index).
    pub(crate) deferred_index_drops: Vec<(ObjectName, Index)>,
}

impl<'a> Plan<'a> {
    fn new(
        server: MySqlServer,
        changes: &'a [Change],
        before: &'a Schema,
        after: &'a Schema,
    ) -> Plan<'a> {
        let mut plan = Plan {
            server,
            before,
            after,
            dropped_indexes: BTreeSet::new(),
            deferred_index_drops: Vec::new(),
        };
        for change in changes {
            if let Change::DropIndex { table, index } = change {
                plan.dropped_indexes
                    .insert((table.clone(), index.name.clone()));
                let serves_dropped_key = before.tables.get(table).is_some_and(|t| {
                    dropped_foreign_keys(changes, table)
                        .any(|cols| covers(index, cols) && other_covers(t, index, cols).is_empty())
                });
                if serves_dropped_key {
                    plan.deferred_index_drops
                        .push((table.clone(), index.clone()));
                }
            }
        }
        plan
    }

    fn blocks(&self, change: &Change) -> Vec<Block> {
        let one = |title: String, statement: String| vec![Block::new(title, vec![statement])];
        match change {
            Change::CreateTable(t) => one(format!("Create table {}", t.name), ddl::create_table(t)),
            Change::DropTable(t) => {
                let mut block = Block::new(
                    format!("Drop table {}", t.name),
                    vec![format!("DROP TABLE {}", quote_ident(&t.name.name))],
                );
                block.warnings.push(drop_table_warning(t));
                vec![block]
            }
            Change::RenameTable { from, to } => one(
                format!("Rename table {from} to {to}"),
                format!(
                    "RENAME TABLE {} TO {}",
                    quote_ident(&from.name),
                    quote_ident(&to.name)
                ),
            ),
            Change::AlterTable {
                before,
                after,
                changes,
            } => alter::alter_table(self, before, after, changes),
            Change::CreateIndex { table, index } => vec![indexes::create_index(self, table, index)],
            Change::DropIndex { table, index } => {
                if self
                    .deferred_index_drops
                    .iter()
                    .any(|(t, i)| t == table && i.name == index.name)
                {
                    return Vec::new();
                }
                vec![indexes::drop_index(self, table, index)]
            }
            Change::CreateView(v) => one(format!("Create view {}", v.name), verbatim(&v.sql)),
            Change::DropView(v) => one(
                format!("Drop view {}", v.name),
                format!("DROP VIEW {}", quote_ident(&v.name.name)),
            ),
            Change::CreateTrigger(t) => one(format!("Create trigger {}", t.name), verbatim(&t.sql)),
            Change::DropTrigger(t) => one(
                format!("Drop trigger {}", t.name),
                format!("DROP TRIGGER {}", quote_ident(&t.name.name)),
            ),
            Change::CreateFunction(f) => {
                let kind = if f.procedure { "procedure" } else { "function" };
                one(format!("Create {kind} {}", f.name), verbatim(&f.sql))
            }
            Change::DropFunction(f) => {
                let (kind, word) = if f.procedure {
                    ("procedure", "PROCEDURE")
                } else {
                    ("function", "FUNCTION")
                };
                one(
                    format!("Drop {kind} {}", f.name),
                    format!("DROP {word} {}", quote_ident(&f.name.name)),
                )
            }
            // PostgreSQL-only kinds (schemas, extensions, enum types,
            // domains, sequences): the MySQL reader never produces them.
            _ => Vec::new(),
        }
    }
}

/// The columns of each foreign key `changes` drops from `table`.
fn dropped_foreign_keys<'c>(
    changes: &'c [Change],
    table: &'c ObjectName,
) -> impl Iterator<Item = &'c [String]> + 'c {
    changes.iter().flat_map(move |c| match c {
        Change::AlterTable { after, changes, .. } if after.name == *table => changes
            .iter()
            .filter_map(|tc| match tc {
                TableChange::DropForeignKey(fk) => Some(fk.columns.as_slice()),
                _ => None,
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    })
}

/// Whether `index` can serve a foreign key on `columns`: they are its
/// leading whole-column parts, in order.
pub(crate) fn covers(index: &Index, columns: &[String]) -> bool {
    index.method.is_none()
        && index.parts.len() >= columns.len()
        && index
            .parts
            .iter()
            .zip(columns)
            .all(|(p, c)| p.key == IndexKey::Column(c.clone()) && p.prefix_length.is_none())
}

/// The names of the keys and indexes of `table` other than `except` that
/// can serve a foreign key on `columns` (`PRIMARY` for the primary key).
pub(crate) fn other_covers(table: &Table, except: &Index, columns: &[String]) -> Vec<String> {
    let leading =
        |cols: &[String]| cols.len() >= columns.len() && cols[..columns.len()] == *columns;
    let mut out = Vec::new();
    if table
        .primary_key
        .as_ref()
        .is_some_and(|pk| leading(&pk.columns))
    {
        out.push("PRIMARY".to_string());
    }
    for unique in &table.uniques {
        if leading(&unique.columns) && unique.name.as_deref() != Some(except.name.as_str()) {
            out.push(unique.name.clone().unwrap_or_default());
        }
    }
    for index in table.indexes.values() {
        if index.name != except.name && covers(index, columns) {
            out.push(index.name.clone());
        }
    }
    out
}

/// A statement as written, without a final `;`.
fn verbatim(sql: &str) -> String {
    sql.trim().trim_end_matches(';').trim_end().to_string()
}

/// The warning on a dropped column (shared with SQLite).
pub(crate) fn dropped_column(table: &ObjectName, column: &str) -> String {
    drop_column_warning(table, column)
}
