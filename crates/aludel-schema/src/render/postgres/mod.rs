//! The PostgreSQL renderer: native `ALTER TABLE` for every table change,
//! `CREATE TABLE`/`INDEX` written from the model, views, functions,
//! triggers and domains from their statements as the catalog printed them,
//! enum types changed in place (`ADD VALUE`) or rebuilt, and notes on the
//! locks each block takes and whether it rewrites the table.
//!
//! With `concurrently`, what would block a live table is written the
//! non-blocking way in non-transactional blocks (`CREATE INDEX
//! CONCURRENTLY`, `VALIDATE CONSTRAINT` after a `NOT VALID` add, `SET NOT
//! NULL` through a validated check); they come after every transactional
//! block of an upgrade, and a downgrade's `DROP INDEX CONCURRENTLY` comes
//! before its transactional blocks.

mod alter;
mod column;
mod constraint;
mod ddl;
mod domain;
mod index;
mod notes;
mod objects;
pub mod quote;

use std::collections::BTreeSet;

use super::{Block, Renderer};
use crate::change::{Change, TableChange};
use crate::model::{ForeignKey, ObjectName, Schema};

pub(crate) use domain::alter_domain;
pub use quote::{quote_ident, quote_literal, quote_name};

/// Renders changes as PostgreSQL SQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresRenderer {
    /// Write index creation and constraint validation on existing tables
    /// the non-blocking way, in non-transactional blocks.
    pub concurrently: bool,
}

impl Renderer for PostgresRenderer {
    fn render(&self, changes: &[Change], before: &Schema, after: &Schema) -> Vec<Block> {
        self.render_as(changes, before, after, false)
    }

    fn case_sensitive_names(&self) -> bool {
        true
    }

    fn render_downgrade(&self, changes: &[Change], before: &Schema, after: &Schema) -> Vec<Block> {
        self.render_as(changes, before, after, true)
    }
}

impl PostgresRenderer {
    fn render_as(
        &self,
        changes: &[Change],
        before: &Schema,
        after: &Schema,
        downgrade: bool,
    ) -> Vec<Block> {
        let changes = crate::diff::server::expand(changes, before, after);
        let ctx = Ctx::new(self.concurrently, downgrade, &changes, before);
        let mut blocks = Vec::new();
        for (i, change) in changes.iter().enumerate() {
            blocks.extend(ctx.blocks(change));
            if Some(i) == ctx.late_drops_at {
                blocks.extend(index::late_index_drops(&ctx));
            }
            if Some(i) == ctx.deferred_at {
                blocks.extend(constraint::deferred_foreign_keys(&ctx));
            }
        }
        objects::warn_enum_values_used(&changes, &mut blocks);
        let (tx, non_tx): (Vec<Block>, Vec<Block>) =
            blocks.into_iter().partition(|b| b.transactional);
        if downgrade {
            non_tx.into_iter().chain(tx).collect()
        } else {
            tx.into_iter().chain(non_tx).collect()
        }
    }
}

/// What rendering one change needs to know about the rest of the plan.
pub(crate) struct Ctx<'a> {
    /// Write the non-blocking forms.
    pub(crate) concurrently: bool,
    /// Rendering a downgrade (its non-transactional blocks run first).
    pub(crate) downgrade: bool,
    /// Every change of the plan.
    pub(crate) changes: &'a [Change],
    /// The schema the plan starts from.
    pub(crate) before: &'a Schema,
    /// Tables the plan creates.
    pub(crate) created: BTreeSet<&'a ObjectName>,
    /// Tables the plan drops.
    pub(crate) dropped: BTreeSet<&'a ObjectName>,
    /// Foreign keys added after every table and index change (they need a
    /// table, key or unique index made later): (table, key, whether the
    /// table exists before the plan).
    pub(crate) deferred: Vec<(&'a ObjectName, &'a ForeignKey, bool)>,
    /// After which change the deferred foreign keys go.
    pub(crate) deferred_at: Option<usize>,
    /// Unique indexes a foreign key of the starting schema needs, dropped
    /// after the table changes (which drop that key): (table, index).
    pub(crate) late_drops: Vec<(&'a ObjectName, &'a crate::model::Index)>,
    /// After which change they go.
    pub(crate) late_drops_at: Option<usize>,
    /// (table, columns) a foreign key added by the plan references.
    pub(crate) referenced: BTreeSet<(&'a ObjectName, &'a [String])>,
}

impl<'a> Ctx<'a> {
    fn new(
        concurrently: bool,
        downgrade: bool,
        changes: &'a [Change],
        before: &'a Schema,
    ) -> Ctx<'a> {
        let mut ctx = Ctx {
            concurrently,
            downgrade,
            changes,
            before,
            created: BTreeSet::new(),
            dropped: BTreeSet::new(),
            deferred: Vec::new(),
            deferred_at: None,
            late_drops: Vec::new(),
            late_drops_at: None,
            referenced: BTreeSet::new(),
        };
        let mut needs_later = BTreeSet::new();
        for change in changes {
            match change {
                Change::CreateTable(t) => {
                    ctx.created.insert(&t.name);
                    for fk in &t.foreign_keys {
                        ctx.referenced
                            .insert((&fk.referenced_table, &fk.referenced_columns[..]));
                    }
                }
                Change::DropTable(t) => {
                    ctx.dropped.insert(&t.name);
                }
                Change::AlterTable { after, changes, .. } => {
                    needs_later.insert(&after.name);
                    for c in changes {
                        if let TableChange::AddForeignKey(fk) = c {
                            ctx.referenced
                                .insert((&fk.referenced_table, &fk.referenced_columns[..]));
                        }
                    }
                }
                Change::CreateIndex { table, index } if index.unique => {
                    needs_later.insert(table);
                }
                _ => {}
            }
        }
        // A created table's foreign key waits when what it references is
        // made or changed later in the plan, and any new foreign key waits
        // for a unique index the plan creates (PostgreSQL checks the key
        // exists when the constraint is made).
        let unique_indexes: BTreeSet<(&ObjectName, Vec<String>)> = changes
            .iter()
            .filter_map(|c| match c {
                Change::CreateIndex { table, index } if index.unique => {
                    Some((table, index::key_columns(index)))
                }
                _ => None,
            })
            .collect();
        let on_new_index = |fk: &ForeignKey| {
            unique_indexes.contains(&(&fk.referenced_table, fk.referenced_columns.clone()))
        };
        let mut seen = BTreeSet::new();
        for change in changes {
            match change {
                Change::CreateTable(t) => {
                    seen.insert(&t.name);
                    for fk in &t.foreign_keys {
                        let target = &fk.referenced_table;
                        let later = ctx.created.contains(target) && !seen.contains(target);
                        if later || needs_later.contains(target) || on_new_index(fk) {
                            ctx.deferred.push((&t.name, fk, false));
                        }
                    }
                }
                Change::AlterTable { after, changes, .. } => {
                    for c in changes {
                        if let TableChange::AddForeignKey(fk) = c
                            && on_new_index(fk)
                        {
                            ctx.deferred.push((&after.name, fk, true));
                        }
                    }
                }
                _ => {}
            }
        }
        for change in changes {
            if let Change::DropIndex { table, index } = change
                && index::backs_foreign_key(before, table, index)
            {
                ctx.late_drops.push((table, index));
            }
        }
        if !ctx.late_drops.is_empty() {
            ctx.late_drops_at = changes.iter().rposition(|c| {
                matches!(
                    c,
                    Change::CreateTable(_)
                        | Change::AlterTable { .. }
                        | Change::DropTable(_)
                        | Change::RenameTable { .. }
                )
            });
            if ctx.late_drops_at.is_none() {
                ctx.late_drops.clear();
            }
        }
        if !ctx.deferred.is_empty() {
            ctx.deferred_at = changes.iter().rposition(|c| {
                matches!(
                    c,
                    Change::CreateTable(_)
                        | Change::AlterTable { .. }
                        | Change::DropTable(_)
                        | Change::CreateIndex { .. }
                        | Change::DropIndex { .. }
                        | Change::RenameTable { .. }
                )
            });
        }
        ctx
    }

    /// Whether the plan keeps `sequence`, a serial column's sequence, as a
    /// sequence of its own (it creates it: the column lets go of it).
    pub(crate) fn serial_sequence_kept(&self, sequence: &ObjectName) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, Change::CreateSequence(s) if s.name == *sequence))
    }

    /// Whether a column altered by the plan uses `sequence` as its serial
    /// sequence before (`before_side`) or after it.
    pub(crate) fn serial_uses(&self, sequence: &ObjectName, before_side: bool) -> bool {
        self.changes.iter().any(|c| match c {
            Change::AlterTable { changes, .. } => changes.iter().any(|t| match t {
                TableChange::AlterColumn { before, after } => {
                    let column = if before_side { before } else { after };
                    matches!(&column.identity, Some(crate::model::Identity::Serial { sequence: s }) if s == sequence)
                }
                _ => false,
            }),
            _ => false,
        })
    }

    /// Whether `fk` of `table` is added after the table and index changes.
    pub(crate) fn is_deferred(&self, table: &ObjectName, fk: &ForeignKey) -> bool {
        self.deferred
            .iter()
            .any(|(t, f, _)| *t == table && *f == fk)
    }

    /// Whether the foreign keys created by the plan need the unique index
    /// `columns` of `table`.
    pub(crate) fn fk_needs(&self, table: &ObjectName, columns: &[String]) -> bool {
        self.referenced
            .iter()
            .any(|(t, c)| *t == table && c.iter().eq(columns.iter()))
    }

    fn blocks(&self, change: &Change) -> Vec<Block> {
        match change {
            Change::CreateTable(_)
            | Change::DropTable(_)
            | Change::RenameTable { .. }
            | Change::AlterTable { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. } => alter::blocks(self, change),
            _ => objects::blocks(self, change),
        }
    }
}
