//! Indexes: `CREATE INDEX` (concurrently on a table that exists before
//! the migration, when asked and no new foreign key needs it) and `DROP
//! INDEX` (concurrently in a downgrade, which runs it first), and the
//! unique indexes a foreign key needs, dropped after that key.

use super::Ctx;
use super::alter::block;
use super::ddl::{create_index, index_name};
use super::notes::exclusive;
use super::quote::quote_name;
use crate::model::{Index, ObjectName};
use crate::render::Block;

pub(crate) fn create_index_block(ctx: &Ctx, table: &ObjectName, index: &Index) -> Block {
    let title = format!("Create index {} on {table}", index.name);
    let existing = !ctx.created.contains(table);
    let needed = index.unique && ctx.fk_needs(table, &key_columns(index));
    if ctx.concurrently && !ctx.downgrade && existing && !needed {
        let mut b = block(
            title,
            vec![create_index(table, index, true)],
            vec![format!(
                "CONCURRENTLY: takes a SHARE UPDATE EXCLUSIVE lock on {table}; reads and writes go on while the index is built (outside a transaction; a failed build leaves an INVALID index to drop)"
            )],
        );
        b.transactional = false;
        return b;
    }
    let notes = if existing {
        vec![format!(
            "takes a SHARE lock on {table}: writes wait until the index is built"
        )]
    } else {
        Vec::new()
    };
    block(title, vec![create_index(table, index, false)], notes)
}

pub(crate) fn drop_index_block(ctx: &Ctx, table: &ObjectName, index: &Index) -> Block {
    let title = format!("Drop index {} on {table}", index.name);
    let stays = !ctx.dropped.contains(table);
    let backs_fk = backs_foreign_key(ctx.before, table, index);
    let name = quote_name(&index_name(table, index));
    if ctx.concurrently && ctx.downgrade && stays && !backs_fk {
        let mut b = block(
            title,
            vec![format!("DROP INDEX CONCURRENTLY {name}")],
            vec![format!(
                "CONCURRENTLY: takes a SHARE UPDATE EXCLUSIVE lock on {table} (outside a transaction)"
            )],
        );
        b.transactional = false;
        return b;
    }
    block(
        title,
        vec![format!("DROP INDEX {name}")],
        vec![exclusive(table)],
    )
}

/// Whether a foreign key of `schema` needs the unique index `index` of
/// `table` (PostgreSQL refuses to drop it while the key exists).
pub(crate) fn backs_foreign_key(
    schema: &crate::model::Schema,
    table: &ObjectName,
    index: &Index,
) -> bool {
    index.unique
        && schema.tables.values().any(|t| {
            t.foreign_keys.iter().any(|fk| {
                fk.referenced_table == *table
                    && fk.referenced_columns.iter().eq(key_columns(index).iter())
            })
        })
}

/// The drops of unique indexes foreign keys needed, after the table
/// changes dropped those keys.
pub(crate) fn late_index_drops(ctx: &Ctx) -> Vec<Block> {
    ctx.late_drops
        .iter()
        .map(|(table, index)| drop_index_block(ctx, table, index))
        .collect()
}

/// The plain columns an index keys (expressions left out).
pub(crate) fn key_columns(index: &Index) -> Vec<String> {
    index
        .parts
        .iter()
        .filter_map(|p| match &p.key {
            crate::model::IndexKey::Column(c) => Some(c.clone()),
            crate::model::IndexKey::Expr(_) => None,
        })
        .collect()
}
