//! Column changes as `ALTER TABLE`: add, drop, and every attribute of an
//! altered column (generation, identity, type, default, nullability,
//! comment), the non-blocking `SET NOT NULL` when asked for.

use super::Ctx;
use super::alter::block;
use super::ddl::{collation, column_def, comment_on_column, create_index, nextval};
use super::notes::{exclusive, rewrites, scans, type_change_rewrites, volatile};
use super::quote::{quote_ident, quote_literal, quote_name};
use crate::model::{Column, Identity, IndexKey, ObjectName, Table};
use crate::render::Block;
use crate::render::sqlite::drop_column_warning;

/// `ADD COLUMN`, with the sequence a non-`serial` default needs.
pub(crate) fn add_column(table: &ObjectName, column: &Column) -> Block {
    let def = column_def(table, column);
    let mut statements = def.before;
    statements.push(format!(
        "ALTER TABLE {} ADD COLUMN {}",
        quote_name(table),
        def.def
    ));
    statements.extend(def.after);
    if column.comment.is_some() {
        statements.push(comment_on_column(table, column));
    }
    let mut notes = vec![exclusive(table)];
    let rewrite = column.generated.is_some()
        || column.identity.is_some()
        || column.default.as_deref().is_some_and(volatile);
    if rewrite {
        notes.push(rewrites(table));
    }
    let mut b = block(
        format!("Add column {table}.{}", column.name),
        statements,
        notes,
    );
    if !column.nullable
        && column.default.is_none()
        && column.generated.is_none()
        && column.identity.is_none()
    {
        b.warnings.push(format!(
            "column '{table}.{}' is added NOT NULL without a default: this fails while the table has rows (give it a default, or add it nullable, fill it, then set NOT NULL)",
            column.name
        ));
    }
    b
}

/// `DROP COLUMN`, with the data-loss warning.
pub(crate) fn drop_column(table: &ObjectName, column: &Column) -> Block {
    let mut b = block(
        format!("Drop column {table}.{}", column.name),
        vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            quote_name(table),
            quote_ident(&column.name)
        )],
        vec![exclusive(table)],
    );
    b.warnings.push(drop_column_warning(table, &column.name));
    b
}

/// Whether an index of `table` keys or filters on `column`.
fn index_uses(index: &crate::model::Index, column: &str) -> bool {
    let text_uses = |text: &str| {
        text.to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == column.to_lowercase())
    };
    index.parts.iter().any(|p| match &p.key {
        IndexKey::Column(c) => c == column,
        IndexKey::Expr(e) => text_uses(e),
    }) || index.predicate.as_deref().is_some_and(text_uses)
}

/// A generated column whose expression PostgreSQL 15 cannot change in
/// place: dropped and added again, its indexes recreated.
fn readd_generated(ctx: &Ctx, table: &Table, before: &Column, after: &Column) -> Block {
    let name = &table.name;
    let mut b = drop_column(name, before);
    b.warnings.clear();
    let add = add_column(name, after);
    b.title = format!("Re-add generated column {name}.{}", after.name);
    b.statements.extend(add.statements);
    for index in table.indexes.values() {
        let created = ctx.changes.iter().any(|c| {
            matches!(c, crate::change::Change::CreateIndex { table: t, index: i } if t == name && i.name == index.name)
        });
        if index_uses(index, &after.name) && !created {
            b.statements.push(create_index(name, index, false));
        }
    }
    b.notes.push(rewrites(name));
    b.warnings.push(if before.generated.is_some() {
        format!(
            "column '{name}.{}' is dropped and added again: PostgreSQL before 17 cannot change a generation expression in place; its values are computed again",
            after.name
        )
    } else {
        format!(
            "DATA LOSS: column '{name}.{}' becomes generated: it is dropped and added again, its stored values replaced by computed ones",
            after.name
        )
    });
    b
}

/// The blocks that turn column `b` of `table` into `a`.
pub(crate) fn alter_column(
    ctx: &Ctx,
    before_table: &Table,
    table: &Table,
    b: &Column,
    a: &Column,
) -> Vec<Block> {
    let name = &table.name;
    let _ = before_table;
    if a.generated.is_some() && b.generated != a.generated {
        return vec![readd_generated(ctx, table, b, a)];
    }
    let t = quote_name(name);
    let c = quote_ident(&a.name);
    let alter = |action: String| format!("ALTER TABLE {t} ALTER COLUMN {c} {action}");
    let mut statements = Vec::new();
    let mut after_statements = Vec::new();
    let mut notes = vec![exclusive(name)];
    if b.generated.is_some() && a.generated.is_none() {
        statements.push(alter("DROP EXPRESSION".into()));
    }
    let serial = |col: &Column| matches!(col.identity, Some(Identity::Serial { .. }));
    let identity_changes = b.identity != a.identity;
    let swap_kind = matches!(
        (&b.identity, &a.identity),
        (
            Some(Identity::Always | Identity::ByDefault),
            Some(Identity::Always | Identity::ByDefault)
        )
    );
    // A serial column whose sequence is named anew (its table was
    // renamed): the sequence is renamed.
    let renamed_sequence = match (&b.identity, &a.identity) {
        (Some(Identity::Serial { sequence: old }), Some(Identity::Serial { sequence: new }))
            if old != new && old.schema == new.schema =>
        {
            statements.push(format!(
                "ALTER SEQUENCE {} RENAME TO {}",
                quote_name(old),
                quote_ident(&new.name)
            ));
            true
        }
        _ => false,
    };
    let identity_changes = identity_changes && !renamed_sequence;
    if identity_changes && !swap_kind {
        match &b.identity {
            Some(Identity::Always | Identity::ByDefault) => {
                statements.push(alter("DROP IDENTITY".into()))
            }
            Some(Identity::Serial { sequence }) => {
                statements.push(alter("DROP DEFAULT".into()));
                // A sequence the plan keeps (as a sequence of its own) is
                // only disowned.
                after_statements.push(if ctx.serial_sequence_kept(sequence) {
                    format!("ALTER SEQUENCE {} OWNED BY NONE", quote_name(sequence))
                } else {
                    format!("DROP SEQUENCE {}", quote_name(sequence))
                });
            }
            _ => {}
        }
    }
    let type_changes = !b.data_type.eq_ignore_ascii_case(&a.data_type);
    let default_of = |col: &Column| {
        if serial(col) {
            None
        } else {
            col.default.clone()
        }
    };
    let mut default_done = false;
    if type_changes || b.collation != a.collation {
        let collate = a
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {}", collation(c)))
            .unwrap_or_default();
        let using = if type_changes {
            format!(" USING {c}::{}", a.data_type)
        } else {
            String::new()
        };
        let old_default = default_of(b).filter(|_| type_changes);
        if old_default.is_some() {
            statements.push(alter("DROP DEFAULT".into()));
        }
        statements.push(alter(format!("TYPE {}{collate}{using}", a.data_type)));
        if old_default.is_some() {
            if let Some(d) = default_of(a) {
                statements.push(alter(format!("SET DEFAULT {}", d.trim())));
            }
            default_done = true;
        }
        if type_changes && type_change_rewrites(&b.data_type, &a.data_type) {
            notes.push(rewrites(name));
        }
    }
    if !default_done && default_of(b) != default_of(a) {
        statements.push(match default_of(a) {
            Some(d) => alter(format!("SET DEFAULT {}", d.trim())),
            None => alter("DROP DEFAULT".into()),
        });
    }
    let adds_identity = identity_changes
        && matches!(a.identity, Some(Identity::Always | Identity::ByDefault))
        && !swap_kind;
    let mut later = None;
    if b.nullable && !a.nullable {
        let safe = ctx.concurrently && !ctx.downgrade && !adds_identity;
        if safe {
            let check = format!("{}_{}_not_null_check", name.name, a.name);
            statements.push(format!(
                "ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({c} IS NOT NULL) NOT VALID",
                quote_ident(&check)
            ));
            let mut second = block(
                format!("Set NOT NULL on {name}.{} (validated first)", a.name),
                vec![
                    format!(
                        "ALTER TABLE {t} VALIDATE CONSTRAINT {}",
                        quote_ident(&check)
                    ),
                    alter("SET NOT NULL".into()),
                    format!("ALTER TABLE {t} DROP CONSTRAINT {}", quote_ident(&check)),
                ],
                vec![
                    format!(
                        "VALIDATE takes a SHARE UPDATE EXCLUSIVE lock on {name}: reads and writes go on during the scan"
                    ),
                    format!(
                        "SET NOT NULL then takes an ACCESS EXCLUSIVE lock on {name} briefly: the validated check spares it the scan"
                    ),
                ],
            );
            second.transactional = false;
            later = Some(second);
        } else {
            statements.push(alter("SET NOT NULL".into()));
            notes.push(scans(name));
        }
    } else if !b.nullable && a.nullable {
        // Undoing a non-blocking SET NOT NULL: its non-transactional part
        // (first in the downgrade) puts back the NOT VALID check the
        // transactional part added, which that part then drops, so each
        // of the two revisions undoes only what it did.
        let upgrade_added_identity = identity_changes
            && matches!(b.identity, Some(Identity::Always | Identity::ByDefault))
            && !swap_kind;
        if ctx.concurrently && ctx.downgrade && !upgrade_added_identity {
            let check = quote_ident(&format!("{}_{}_not_null_check", name.name, b.name));
            let bc = quote_ident(&b.name);
            statements.push(format!("ALTER TABLE {t} DROP CONSTRAINT {check}"));
            let mut first = block(
                format!("Drop NOT NULL on {name}.{} (the check back)", a.name),
                vec![
                    format!(
                        "ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({bc} IS NOT NULL) NOT VALID"
                    ),
                    format!("ALTER TABLE {t} ALTER COLUMN {bc} DROP NOT NULL"),
                ],
                vec![exclusive(name)],
            );
            first.transactional = false;
            later = Some(first);
        } else {
            statements.push(alter("DROP NOT NULL".into()));
        }
    }
    if identity_changes {
        match &a.identity {
            Some(Identity::Always) if swap_kind => {
                statements.push(alter("SET GENERATED ALWAYS".into()))
            }
            Some(Identity::ByDefault) if swap_kind => {
                statements.push(alter("SET GENERATED BY DEFAULT".into()))
            }
            Some(kind @ (Identity::Always | Identity::ByDefault)) => {
                let kind = if *kind == Identity::Always {
                    "ALWAYS"
                } else {
                    "BY DEFAULT"
                };
                statements.push(alter(format!("ADD GENERATED {kind} AS IDENTITY")));
                statements.push(format!(
                    "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(max({c}), 0) + 1, false) FROM {t}",
                    quote_literal(&t),
                    quote_literal(&a.name)
                ));
            }
            Some(Identity::Serial { sequence }) if ctx.before.sequences.contains_key(sequence) => {
                // An existing sequence becomes the column's own.
                statements.push(alter(format!("SET DEFAULT {}", nextval(sequence))));
                statements.push(format!(
                    "ALTER SEQUENCE {} OWNED BY {t}.{c}",
                    quote_name(sequence)
                ));
            }
            Some(Identity::Serial { sequence }) => {
                statements.push(format!(
                    "CREATE SEQUENCE {} AS {} OWNED BY {t}.{c}",
                    quote_name(sequence),
                    a.data_type
                ));
                statements.push(alter(format!("SET DEFAULT {}", nextval(sequence))));
                statements.push(format!(
                    "SELECT setval({}, COALESCE(max({c}), 0) + 1, false) FROM {t}",
                    quote_literal(&quote_name(sequence))
                ));
            }
            _ => {}
        }
    }
    statements.extend(after_statements);
    if b.comment != a.comment {
        statements.push(comment_on_column(name, a));
    }
    let mut out = Vec::new();
    if !statements.is_empty() {
        out.push(block(
            format!("Alter column {name}.{}", a.name),
            statements,
            notes,
        ));
    }
    out.extend(later);
    out
}
