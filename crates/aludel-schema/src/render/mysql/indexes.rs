//! Index changes, and the index a foreign key needs: a key leaves with the
//! index the server made for it, and an index that alone served a kept key
//! is replaced by the one the server would make.

use super::alter::{INPLACE, alter, noted, with_suffix};
use super::ddl::{idents, index_def};
use super::online;
use super::{BLOCKS_WRITES, COPIES, Plan, covers, other_covers};
use crate::model::{ForeignKey, Index, IndexKey, IndexPart, ObjectName, Table};
use crate::mysql::quote_ident;
use crate::render::Block;

/// `ADD INDEX fk (columns)` for each foreign key of `after` that only
/// `dropped` (an index or unique constraint of `before` going now) served:
/// the key needs an index, and this one is what the server would make.
pub(super) fn keep_served(
    plan: &Plan<'_>,
    before: &Table,
    after: &Table,
    dropped: &Index,
) -> Vec<String> {
    let deferred = plan
        .deferred_index_drops
        .iter()
        .any(|(t, i)| *t == before.name && i.name == dropped.name);
    if deferred {
        return Vec::new();
    }
    after
        .foreign_keys
        .iter()
        .filter(|fk| before.foreign_keys.contains(fk))
        .filter(|fk| {
            covers(dropped, &fk.columns) && other_covers(before, dropped, &fk.columns).is_empty()
        })
        .filter_map(|fk| {
            fk.name
                .as_ref()
                .map(|n| format!("ADD INDEX {} ({})", quote_ident(n), idents(&fk.columns)))
        })
        .collect()
}

/// A unique constraint as the index it is.
pub(super) fn unique_index(name: &str, columns: &[String]) -> Index {
    Index {
        name: name.to_string(),
        unique: true,
        parts: columns
            .iter()
            .map(|c| IndexPart {
                key: IndexKey::Column(c.clone()),
                descending: false,
                collation: None,
                prefix_length: None,
                nulls_first: None,
            })
            .collect(),
        predicate: None,
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    }
}

/// `DROP FOREIGN KEY`, with the index the server made for it (it has one
/// when nothing else can serve the key) and any index whose drop waited
/// for the key to go.
pub(super) fn drop_foreign_key(plan: &Plan<'_>, before: &Table, fk: &ForeignKey) -> Block {
    let name = &before.name;
    let fk_name = fk.name.clone().unwrap_or_default();
    let mut clauses = vec![format!("DROP FOREIGN KEY {}", quote_ident(&fk_name))];
    let own = Index {
        name: fk_name.clone(),
        ..unique_index(&fk_name, &fk.columns)
    };
    if other_covers(before, &own, &fk.columns).is_empty() {
        clauses.push(format!("DROP INDEX {}", quote_ident(&fk_name)));
    }
    for (table, index) in &plan.deferred_index_drops {
        if table == name && covers(index, &fk.columns) {
            clauses.push(format!("DROP INDEX {}", quote_ident(&index.name)));
        }
    }
    alter(
        name,
        format!("Drop foreign key {fk_name} on {name}"),
        &clauses.join(", "),
    )
}

/// `ADD INDEX`: in place without blocking writes where the server can.
pub(super) fn create_index(plan: &Plan<'_>, table: &ObjectName, index: &Index) -> Block {
    let block = alter(
        table,
        format!("Create index {} on {table}", index.name),
        &format!("ADD {}", index_def(index)),
    );
    if online::inplace_index(plan.after.tables.get(table), index) {
        with_suffix(block, INPLACE)
    } else {
        noted(block, BLOCKS_WRITES)
    }
}

/// `DROP INDEX` (in place, metadata only), with the index a foreign key
/// needs when this one served it alone.
pub(super) fn drop_index(plan: &Plan<'_>, table: &ObjectName, index: &Index) -> Block {
    let mut clauses = vec![format!("DROP INDEX {}", quote_ident(&index.name))];
    if let Some(after) = plan.after.tables.get(table)
        && let Some(before) = plan.before.tables.get(table)
    {
        clauses.extend(keep_served(plan, before, after, index));
    }
    let block = alter(
        table,
        format!("Drop index {} on {table}", index.name),
        &clauses.join(", "),
    );
    if online::inplace_drop_index(plan.before.tables.get(table), index) {
        with_suffix(block, INPLACE)
    } else {
        noted(block, COPIES)
    }
}
