//! Tables and indexes: `CREATE TABLE`, `DROP TABLE`, renames, every
//! [`TableChange`] as native `ALTER TABLE`, `CREATE INDEX` / `DROP INDEX`
//! (concurrently where that is safe and asked for).

use super::Ctx;
use super::column::{add_column, alter_column, drop_column};
use super::constraint::{add_validated, default_name, drop_constraint, fk_lock, named_fk};
use super::ddl::{check, comment_on_table, create_table, foreign_key, primary_key, unique};
use super::index::{create_index_block, drop_index_block};
use super::notes::exclusive;
use super::quote::{quote_ident, quote_name};
use crate::change::{Change, TableChange};
use crate::model::{ForeignKey, ObjectName, PrimaryKey, Table};
use crate::render::Block;
use crate::render::sqlite::drop_table_warning;

/// A transactional block with notes.
pub(crate) fn block(title: String, statements: Vec<String>, notes: Vec<String>) -> Block {
    let mut b = Block::new(title, statements);
    b.notes = notes;
    b
}

/// The blocks of a table or index change.
pub(crate) fn blocks(ctx: &Ctx, change: &Change) -> Vec<Block> {
    match change {
        Change::CreateTable(t) => {
            let deferred: Vec<&ForeignKey> = ctx
                .deferred
                .iter()
                .filter(|(n, _, _)| **n == t.name)
                .map(|(_, fk, _)| *fk)
                .collect();
            vec![Block::new(
                format!("Create table {}", t.name),
                create_table(t, &deferred),
            )]
        }
        Change::DropTable(t) => {
            // A table dropped later that references this one (a cycle)
            // loses that key first.
            let mut statements: Vec<String> = dropped_later(ctx, &t.name)
                .into_iter()
                .flat_map(|other| {
                    other
                        .foreign_keys
                        .iter()
                        .filter(|fk| fk.referenced_table == t.name)
                        .map(|fk| {
                            format!(
                                "ALTER TABLE {} DROP CONSTRAINT {}",
                                quote_name(&other.name),
                                quote_ident(&named_fk(&other.name, fk).name.unwrap_or_default())
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            statements.push(format!("DROP TABLE {}", quote_name(&t.name)));
            let mut b = block(
                format!("Drop table {}", t.name),
                statements,
                vec![exclusive(&t.name)],
            );
            b.warnings.push(drop_table_warning(t));
            vec![b]
        }
        Change::RenameTable { from, to } => {
            let mut statement = format!(
                "ALTER TABLE {} RENAME TO {}",
                quote_name(from),
                quote_ident(&to.name)
            );
            let mut out = Vec::new();
            if from.schema != to.schema {
                // Moved to another schema (then renamed there).
                let moved = ObjectName {
                    schema: to.schema.clone(),
                    name: from.name.clone(),
                };
                out.push(format!(
                    "ALTER TABLE {} SET SCHEMA {}",
                    quote_name(from),
                    to.schema
                        .as_deref()
                        .map_or("public".to_string(), quote_ident)
                ));
                statement = format!(
                    "ALTER TABLE {} RENAME TO {}",
                    quote_name(&moved),
                    quote_ident(&to.name)
                );
            }
            if from.name != to.name {
                out.push(statement);
            }
            vec![block(
                format!("Rename table {from} to {to}"),
                out,
                vec![exclusive(from)],
            )]
        }
        Change::AlterTable {
            before,
            after,
            changes,
        } => alter_table(ctx, before, after, changes),
        Change::CreateIndex { table, index } => vec![create_index_block(ctx, table, index)],
        Change::DropIndex { table, index } => {
            if ctx
                .late_drops
                .iter()
                .any(|(t, i)| *t == table && *i == index)
            {
                return Vec::new();
            }
            vec![drop_index_block(ctx, table, index)]
        }
        _ => Vec::new(),
    }
}

/// The tables the plan drops after `table`.
fn dropped_later<'a>(ctx: &Ctx<'a>, table: &ObjectName) -> Vec<&'a Table> {
    let mut out = Vec::new();
    let mut seen = false;
    for change in ctx.changes {
        if let Change::DropTable(t) = change {
            if seen {
                out.push(t);
            }
            seen |= t.name == *table;
        }
    }
    out
}

/// A key that only changes its name (a renamed table's `<table>_pkey`).
fn renamed_key(old: &PrimaryKey, new: &PrimaryKey) -> bool {
    old.name.is_some()
        && new.name.is_some()
        && old.name != new.name
        && old.columns == new.columns
        && old.descending == new.descending
}

fn alter_table(ctx: &Ctx, before: &Table, after: &Table, changes: &[TableChange]) -> Vec<Block> {
    let name = &after.name;
    let t = quote_name(name);
    let mut out = Vec::new();
    for change in changes {
        if let TableChange::RenameColumn { from, to } = change {
            out.push(block(
                format!("Rename column {name}.{from} to {to}"),
                vec![format!(
                    "ALTER TABLE {t} RENAME COLUMN {} TO {}",
                    quote_ident(from),
                    quote_ident(to)
                )],
                vec![exclusive(name)],
            ));
        }
    }
    for change in changes {
        match change {
            TableChange::DropForeignKey(fk) => out.push(drop_constraint(
                name,
                &named_fk(name, fk).name.unwrap_or_default(),
                "foreign key",
            )),
            TableChange::DropUnique(u) => out.push(drop_constraint(
                name,
                &u.name
                    .clone()
                    .unwrap_or_else(|| default_name(name, &u.columns, "key")),
                "unique constraint",
            )),
            TableChange::DropCheck(c) => out.push(drop_constraint(
                name,
                &c.name
                    .clone()
                    .unwrap_or_else(|| default_name(name, &[], "check")),
                "check constraint",
            )),
            TableChange::DropExclusion(x) => {
                out.push(drop_constraint(name, &x.name, "exclusion constraint"))
            }
            TableChange::AlterPrimaryKey {
                before: Some(old),
                after: Some(new),
            } if renamed_key(old, new) => out.push(block(
                format!("Rename primary key of {name}"),
                vec![format!(
                    "ALTER TABLE {t} RENAME CONSTRAINT {} TO {}",
                    quote_ident(old.name.as_deref().unwrap_or_default()),
                    quote_ident(new.name.as_deref().unwrap_or_default())
                )],
                vec![exclusive(name)],
            )),
            TableChange::AlterPrimaryKey {
                before: Some(pk), ..
            } => out.push(drop_constraint(
                name,
                &pk.name
                    .clone()
                    .unwrap_or_else(|| default_name(name, &[], "pkey")),
                "primary key",
            )),
            _ => {}
        }
    }
    for change in changes {
        if let TableChange::DropColumn(c) = change {
            out.push(drop_column(name, c));
        }
    }
    for change in changes {
        if let TableChange::AddColumn(c) = change {
            out.push(add_column(name, c));
        }
    }
    for change in changes {
        if let TableChange::AlterColumn {
            before: b,
            after: a,
        } = change
        {
            out.extend(alter_column(ctx, before, after, b, a));
        }
    }
    for change in changes {
        match change {
            TableChange::AlterPrimaryKey {
                before,
                after: Some(pk),
            } if !before.as_ref().is_some_and(|old| renamed_key(old, pk)) => out.push(block(
                format!("Add primary key on {name}"),
                vec![format!("ALTER TABLE {t} ADD {}", primary_key(pk))],
                vec![exclusive(name), format!("builds the key's index on {name}")],
            )),
            TableChange::AddUnique(u) => out.push(block(
                format!("Add unique constraint on {name}"),
                vec![format!("ALTER TABLE {t} ADD {}", unique(u))],
                vec![
                    exclusive(name),
                    format!("builds the constraint's index on {name}"),
                ],
            )),
            TableChange::AddExclusion(x) => out.push(block(
                format!("Add exclusion constraint {} on {name}", x.name),
                vec![format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {} {}",
                    quote_ident(&x.name),
                    x.definition.trim()
                )],
                vec![
                    exclusive(name),
                    format!("builds the constraint's index on {name}"),
                ],
            )),
            _ => {}
        }
    }
    for change in changes {
        match change {
            TableChange::AddCheck(c) => {
                let mut c = c.clone();
                let cname = c
                    .name
                    .get_or_insert_with(|| default_name(name, &[], "check"))
                    .clone();
                out.extend(add_validated(
                    ctx,
                    name,
                    format!("Add check constraint {cname} on {name}"),
                    &cname,
                    check(&c),
                    exclusive(name),
                ));
            }
            TableChange::AddForeignKey(fk) if !ctx.is_deferred(name, fk) => {
                let fk = named_fk(name, fk);
                let fname = fk.name.clone().unwrap_or_default();
                let lock = fk_lock(name, &fk);
                out.extend(add_validated(
                    ctx,
                    name,
                    format!("Add foreign key {fname} on {name}"),
                    &fname,
                    foreign_key(&fk),
                    lock,
                ));
            }
            _ => {}
        }
    }
    for change in changes {
        if let TableChange::AlterComment { after: comment, .. } = change {
            out.push(Block::new(
                format!("Comment on table {name}"),
                vec![comment_on_table(name, comment.as_ref())],
            ));
        }
    }
    out
}
