//! Everything but tables and indexes: schemas, extensions, enum types (new
//! labels in place, a rebuild when labels go or move), domains, sequences,
//! functions and procedures, views, triggers.

use super::Ctx;
use super::alter::block;
use super::ddl::{effective_default, is_statement, verbatim};
use super::notes::exclusive;
use super::quote::{quote_ident, quote_literal, quote_name, quote_routine};
use crate::change::{Change, EnumPosition};
use crate::model::{EnumType, Function, ObjectName, Sequence};
use crate::render::Block;

/// The blocks of a change that is not about a table or an index.
pub(crate) fn blocks(ctx: &Ctx, change: &Change) -> Vec<Block> {
    let one = |title: String, statement: String| vec![Block::new(title, vec![statement])];
    match change {
        Change::CreateSchema(s) => one(
            format!("Create schema {s}"),
            format!("CREATE SCHEMA {}", quote_ident(s)),
        ),
        Change::DropSchema(s) => one(
            format!("Drop schema {s}"),
            format!("DROP SCHEMA {}", quote_ident(s)),
        ),
        Change::CreateExtension(e) => {
            let schema = e
                .schema
                .as_ref()
                .map(|s| format!(" SCHEMA {}", quote_ident(s)))
                .unwrap_or_default();
            one(
                format!("Create extension {}", e.name),
                format!(
                    "CREATE EXTENSION IF NOT EXISTS {}{schema}",
                    quote_ident(&e.name)
                ),
            )
        }
        Change::DropExtension(e) => one(
            format!("Drop extension {}", e.name),
            format!("DROP EXTENSION {}", quote_ident(&e.name)),
        ),
        Change::CreateEnum(e) => one(
            format!("Create enum type {}", e.name),
            create_enum(&e.name, e),
        ),
        Change::DropEnum(e) => one(
            format!("Drop enum type {}", e.name),
            format!("DROP TYPE {}", quote_name(&e.name)),
        ),
        Change::AddEnumValue {
            name,
            value,
            position,
        } => {
            let at = match position {
                EnumPosition::End => String::new(),
                EnumPosition::Before(v) => format!(" BEFORE {}", quote_literal(v)),
                EnumPosition::After(v) => format!(" AFTER {}", quote_literal(v)),
            };
            let mut b = Block::new(
                format!("Add value {value} to enum type {name}"),
                vec![format!(
                    "ALTER TYPE {} ADD VALUE {}{at}",
                    quote_name(name),
                    quote_literal(value)
                )],
            );
            b.notes.push(format!(
                "the new label {} cannot be used before this transaction commits",
                quote_literal(value)
            ));
            vec![b]
        }
        Change::RebuildEnum {
            before,
            after,
            columns,
        } => vec![rebuild_enum(ctx, before, after, columns)],
        // A changed domain: altered in place, or retyped under its columns.
        Change::DropDomain(d) if recreated_domain(ctx, d) => Vec::new(),
        Change::CreateDomain(d) => match dropped_domain(ctx, d) {
            Some(old) => match super::domain::alter_domain(old, d) {
                Some(statements) => {
                    vec![Block::new(format!("Alter domain {}", d.name), statements)]
                }
                None => vec![super::domain::retype_domain(ctx, old, d)],
            },
            None => one(format!("Create domain {}", d.name), verbatim(&d.sql)),
        },
        Change::DropDomain(d) => one(
            format!("Drop domain {}", d.name),
            format!("DROP DOMAIN {}", quote_name(&d.name)),
        ),
        // A serial column's sequence that becomes a sequence of its own
        // exists already (its column lets go of it); one that a column
        // adopts stays.
        Change::CreateSequence(s) if ctx.serial_uses(&s.name, true) => Vec::new(),
        Change::DropSequence(s) if ctx.serial_uses(&s.name, false) => Vec::new(),
        Change::CreateSequence(s) => one(
            format!("Create sequence {}", s.name),
            format!(
                "CREATE SEQUENCE {} {}",
                quote_name(&s.name),
                s.definition.trim()
            )
            .trim_end()
            .to_string(),
        ),
        Change::DropSequence(s) => {
            // An owned sequence goes with its column: it may be gone already.
            let if_exists = if s.owned_by.is_some() {
                "IF EXISTS "
            } else {
                ""
            };
            one(
                format!("Drop sequence {}", s.name),
                format!("DROP SEQUENCE {if_exists}{}", quote_name(&s.name)),
            )
        }
        Change::AlterSequence { before, after } => alter_sequence(before, after),
        Change::CreateFunction(f) => create_function(ctx, f),
        Change::DropFunction(f) => drop_function(ctx, f),
        Change::CreateView(v) => {
            let sql = if is_statement(&v.sql) {
                verbatim(&v.sql)
            } else {
                let kind = if v.materialized {
                    "MATERIALIZED VIEW"
                } else {
                    "VIEW"
                };
                format!(
                    "CREATE {kind} {} AS {}",
                    quote_name(&v.name),
                    verbatim(&v.sql)
                )
            };
            one(format!("Create view {}", v.name), sql)
        }
        Change::DropView(v) => {
            let kind = if v.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            one(
                format!("Drop view {}", v.name),
                format!("DROP {kind} {}", quote_name(&v.name)),
            )
        }
        Change::CreateTrigger(t) => {
            vec![block(
                format!("Create trigger {} on {}", t.name.name, t.table),
                vec![verbatim(&t.sql)],
                vec![exclusive_trigger(&t.table)],
            )]
        }
        Change::DropTrigger(t) => vec![block(
            format!("Drop trigger {} on {}", t.name.name, t.table),
            vec![format!(
                "DROP TRIGGER {} ON {}",
                quote_ident(&t.name.name),
                quote_name(&t.table)
            )],
            vec![exclusive_trigger(&t.table)],
        )],
        _ => Vec::new(),
    }
}

/// Whether the plan creates domain `old` again.
fn recreated_domain(ctx: &Ctx, old: &crate::model::Domain) -> bool {
    ctx.changes
        .iter()
        .any(|c| matches!(c, Change::CreateDomain(new) if new.name == old.name))
}

/// The domain of `new`'s name the plan drops (it changes).
fn dropped_domain<'a>(
    ctx: &Ctx<'a>,
    new: &crate::model::Domain,
) -> Option<&'a crate::model::Domain> {
    ctx.changes.iter().find_map(|c| match c {
        Change::DropDomain(old) if old.name == new.name => Some(old),
        _ => None,
    })
}

fn exclusive_trigger(table: &ObjectName) -> String {
    format!("takes a SHARE ROW EXCLUSIVE lock on {table} (writes wait)")
}

fn create_enum(name: &ObjectName, e: &EnumType) -> String {
    let labels: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        quote_name(name),
        labels.join(", ")
    )
}

/// A new type under `<name>__new`, every column converted through text
/// (defaults that use the type dropped and set again), the old type
/// dropped, the new one renamed.
fn rebuild_enum(
    ctx: &Ctx,
    before: &EnumType,
    after: &EnumType,
    columns: &[(ObjectName, String)],
) -> Block {
    let temp = ObjectName {
        schema: after.name.schema.clone(),
        name: format!("{}__new", after.name.name),
    };
    let mut statements = vec![create_enum(&temp, after)];
    let mut notes = Vec::new();
    let mut restore = Vec::new();
    let removed: Vec<&String> = before
        .values
        .iter()
        .filter(|v| !after.values.contains(v))
        .collect();
    for (table, column) in columns {
        let col = ctx.before.tables.get(table).and_then(|t| t.column(column));
        let array = col.is_some_and(|c| c.data_type.ends_with("[]"));
        let suffix = if array { "[]" } else { "" };
        let (t, c) = (quote_name(table), quote_ident(column));
        let default = col.and_then(effective_default);
        if default.is_some() {
            statements.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"));
        }
        statements.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} TYPE {q}{suffix} USING {c}::text::{q}{suffix}",
            q = quote_name(&temp)
        ));
        // A default naming a removed label is not restored (the plan sets
        // the new default later).
        if let Some(d) = default.filter(|d| !removed.iter().any(|v| d.contains(&quote_literal(v))))
        {
            restore.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}",
                d.trim()
            ));
        }
        for note in [exclusive(table), super::notes::rewrites(table)] {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    statements.push(format!("DROP TYPE {}", quote_name(&before.name)));
    statements.push(format!(
        "ALTER TYPE {} RENAME TO {}",
        quote_name(&temp),
        quote_ident(&after.name.name)
    ));
    // Defaults name the type: set again once it has its name back.
    statements.extend(restore);
    let mut b = block(
        format!("Rebuild enum type {}", after.name),
        statements,
        notes,
    );
    if !removed.is_empty() {
        let labels: Vec<String> = removed.iter().map(|v| quote_literal(v)).collect();
        b.warnings.push(format!(
            "DATA LOSS: enum type '{}' loses the label(s) {}: the upgrade fails while a row holds one (update those rows first)",
            after.name,
            labels.join(", ")
        ));
    }
    b
}

fn alter_sequence(before: &Sequence, after: &Sequence) -> Vec<Block> {
    let name = quote_name(&after.name);
    let mut statements = Vec::new();
    if before.definition != after.definition && !after.definition.trim().is_empty() {
        statements.push(format!("ALTER SEQUENCE {name} {}", after.definition.trim()));
    }
    if before.owned_by != after.owned_by {
        let owner = match &after.owned_by {
            Some((table, column)) => format!("{}.{}", quote_name(table), quote_ident(column)),
            None => "NONE".to_string(),
        };
        statements.push(format!("ALTER SEQUENCE {name} OWNED BY {owner}"));
    }
    vec![Block::new(
        format!("Alter sequence {}", after.name),
        statements,
    )]
}

/// The function this plan drops under the same name (a changed one).
fn replaced<'a>(ctx: &'a Ctx, f: &Function) -> Option<&'a Function> {
    ctx.changes.iter().find_map(|c| match c {
        Change::DropFunction(old) if old.name == f.name => Some(old),
        _ => None,
    })
}

fn create_function(ctx: &Ctx, f: &Function) -> Vec<Block> {
    let mut sql = verbatim(&f.sql);
    let in_place = replaced(ctx, f).is_some_and(|old| crate::diff::replaceable(old, f));
    if in_place {
        let head = sql.trim_start().to_string();
        let lower = head.to_lowercase();
        if !lower.starts_with("create or replace") {
            sql = format!(
                "CREATE OR REPLACE{}",
                &head["create".len().min(head.len())..]
            );
        }
    }
    let kind = if f.procedure { "procedure" } else { "function" };
    let verb = if in_place { "Replace" } else { "Create" };
    vec![Block::new(format!("{verb} {kind} {}", f.name), vec![sql])]
}

fn drop_function(ctx: &Ctx, f: &Function) -> Vec<Block> {
    let created = ctx.changes.iter().find_map(|c| match c {
        Change::CreateFunction(new) if new.name == f.name => Some(new),
        _ => None,
    });
    if created.is_some_and(|new| crate::diff::replaceable(f, new)) {
        return Vec::new();
    }
    let kind = if f.procedure { "PROCEDURE" } else { "FUNCTION" };
    vec![Block::new(
        format!("Drop {} {}", kind.to_lowercase(), f.name),
        vec![format!("DROP {kind} {}", quote_routine(&f.name))],
    )]
}

/// Warns on a label added by `ADD VALUE` that a later block of the same
/// migration uses: PostgreSQL refuses a label added in the same
/// transaction (`unsafe use of new value`).
pub(crate) fn warn_enum_values_used(changes: &[Change], blocks: &mut [Block]) {
    let added: Vec<(&ObjectName, String)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AddEnumValue { name, value, .. } => Some((name, quote_literal(value))),
            _ => None,
        })
        .collect();
    for (name, literal) in added {
        let Some(at) = blocks.iter().position(|b| {
            b.statements.iter().any(|s| {
                s.starts_with("ALTER TYPE") && s.contains("ADD VALUE") && s.contains(&literal)
            })
        }) else {
            continue;
        };
        let used = blocks[at + 1..]
            .iter()
            .any(|b| b.statements.iter().any(|s| s.contains(&literal)));
        if used {
            blocks[at].warnings.push(format!(
                "the label {literal} added to enum type '{name}' is used later in this migration, which PostgreSQL refuses in the same transaction: run this block in its own revision first"
            ));
        }
    }
}
