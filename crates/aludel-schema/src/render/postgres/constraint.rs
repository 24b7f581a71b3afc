//! Constraints added and dropped: names PostgreSQL would give, lock notes,
//! the `NOT VALID` + `VALIDATE CONSTRAINT` form, and the foreign keys that
//! wait for what they reference.

use super::Ctx;
use super::alter::block;
use super::ddl::foreign_key;
use super::notes::exclusive;
use super::quote::{quote_ident, quote_name};
use crate::model::{ForeignKey, ObjectName};
use crate::render::Block;

/// The deferred foreign keys of created tables, one block each.
pub(crate) fn deferred_foreign_keys(ctx: &Ctx) -> Vec<Block> {
    let mut out = Vec::new();
    for (table, fk, existing) in &ctx.deferred {
        let fk = named_fk(table, fk);
        let fname = fk.name.clone().unwrap_or_default();
        let title = format!("Add foreign key {fname} on {table} (after what it references)");
        if *existing {
            out.extend(add_validated(
                ctx,
                table,
                title,
                &fname,
                foreign_key(&fk),
                fk_lock(table, &fk),
            ));
        } else {
            out.push(block(
                title,
                vec![format!(
                    "ALTER TABLE {} ADD {}",
                    quote_name(table),
                    foreign_key(&fk)
                )],
                Vec::new(),
            ));
        }
    }
    out
}

/// The name PostgreSQL gives a constraint without one:
/// `<table>_<col>[_<col>…]_<suffix>`.
pub(crate) fn default_name(table: &ObjectName, columns: &[String], suffix: &str) -> String {
    let mut parts = vec![table.name.clone()];
    parts.extend(columns.iter().cloned());
    parts.push(suffix.to_string());
    parts.join("_")
}

pub(crate) fn named_fk(table: &ObjectName, fk: &ForeignKey) -> ForeignKey {
    let mut fk = fk.clone();
    if fk.name.is_none() {
        fk.name = Some(default_name(table, &fk.columns, "fkey"));
    }
    fk
}

pub(crate) fn fk_lock(table: &ObjectName, fk: &ForeignKey) -> String {
    format!(
        "takes a SHARE ROW EXCLUSIVE lock on {table} and on {} (writes wait)",
        fk.referenced_table
    )
}

pub(crate) fn drop_constraint(table: &ObjectName, name: &str, what: &str) -> Block {
    block(
        format!("Drop {what} {name} on {table}"),
        vec![format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            quote_name(table),
            quote_ident(name)
        )],
        vec![exclusive(table)],
    )
}

/// A constraint added `NOT VALID` (transactional) then validated outside
/// the transaction, when the safe forms are asked for; else plainly.
pub(crate) fn add_validated(
    ctx: &Ctx,
    table: &ObjectName,
    title: String,
    name: &str,
    clause: String,
    lock: String,
) -> Vec<Block> {
    let t = quote_name(table);
    if !ctx.concurrently || ctx.downgrade {
        return vec![block(
            title,
            vec![format!("ALTER TABLE {t} ADD {clause}")],
            vec![lock, super::notes::scans(table)],
        )];
    }
    let first = block(
        title.clone(),
        vec![format!("ALTER TABLE {t} ADD {clause} NOT VALID")],
        vec![
            lock,
            "NOT VALID: only new rows are checked until VALIDATE CONSTRAINT runs".into(),
        ],
    );
    let mut second = block(
        format!("Validate {name} on {table}"),
        vec![format!(
            "ALTER TABLE {t} VALIDATE CONSTRAINT {}",
            quote_ident(name)
        )],
        vec![format!(
            "takes a SHARE UPDATE EXCLUSIVE lock on {table}: reads and writes go on during the scan"
        )],
    );
    second.transactional = false;
    vec![first, second]
}
