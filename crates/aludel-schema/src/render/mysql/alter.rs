//! `ALTER TABLE` for the changes inside one table: one
//! block per change (one statement), except that a primary key change and
//! the columns it needs (an AUTO_INCREMENT column must be a key) go in one
//! statement, and a foreign key leaves with the index that served it.

use super::ddl::{check_def, column_def, default_sql, foreign_key_def, idents, primary_key_def};
use super::indexes::{drop_foreign_key, keep_served, unique_index};
use super::{COPIES, Plan, dropped_column};
use super::{generated, online, options::options};
use crate::change::TableChange;
use crate::model::{Column, Identity, ObjectName, Table};
use crate::mysql::{quote_ident, quote_string};
use crate::render::Block;

pub(super) const INSTANT: &str = ", ALGORITHM=INSTANT";
pub(super) const INPLACE: &str = ", ALGORITHM=INPLACE, LOCK=NONE";

/// A block of one `ALTER TABLE table <clauses>` statement.
pub(super) fn alter(table: &ObjectName, title: String, clauses: &str) -> Block {
    Block::new(
        title,
        vec![format!(
            "ALTER TABLE {} {clauses}",
            quote_ident(&table.name)
        )],
    )
}

/// The same block with a note.
pub(super) fn noted(mut block: Block, note: &str) -> Block {
    block.notes.push(note.to_string());
    block
}

/// Whether `change` goes into the primary key's statement: a column the old
/// or new key names, or an AUTO_INCREMENT column added, dropped or changed.
fn with_key(change: &TableChange, old: &[String], new: &[String]) -> bool {
    let ai = |c: &Column| c.identity == Some(Identity::AutoIncrement);
    match change {
        TableChange::AddColumn(c) => ai(c) || new.contains(&c.name),
        TableChange::DropColumn(c) => ai(c) || old.contains(&c.name),
        TableChange::AlterColumn { before, after } => ai(before) || ai(after),
        _ => false,
    }
}

/// The blocks of one table's changes.
pub(super) fn alter_table(
    plan: &Plan<'_>,
    before: &Table,
    after: &Table,
    changes: &[TableChange],
) -> Vec<Block> {
    let name = &after.name;
    let key_change = changes.iter().find_map(|c| match c {
        TableChange::AlterPrimaryKey { before, after } => Some((before, after)),
        _ => None,
    });
    let (old_key, new_key) = match key_change {
        Some((b, a)) => (
            b.as_ref().map(|k| k.columns.clone()).unwrap_or_default(),
            a.as_ref().map(|k| k.columns.clone()).unwrap_or_default(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let merged = |c: &TableChange| key_change.is_some() && with_key(c, &old_key, &new_key);
    let mut blocks = Vec::new();
    for change in changes {
        if merged(change) {
            continue;
        }
        if let TableChange::AlterPrimaryKey { .. } = change {
            let with: Vec<&TableChange> = changes.iter().filter(|c| merged(c)).collect();
            blocks.push(primary_key(name, Some(after), change, &with));
            continue;
        }
        blocks.extend(one_change(plan, before, after, change));
    }
    blocks
}

/// The primary key change with the column changes it needs, in one
/// statement: drops, the old key, additions, modifications, the new key.
fn primary_key(
    name: &ObjectName,
    table: Option<&Table>,
    change: &TableChange,
    with: &[&TableChange],
) -> Block {
    let TableChange::AlterPrimaryKey { before, after } = change else {
        return Block::new(String::new(), Vec::new());
    };
    let mut clauses = Vec::new();
    let mut warnings = Vec::new();
    for c in with {
        if let TableChange::DropColumn(c) = c {
            clauses.push(format!("DROP COLUMN {}", quote_ident(&c.name)));
            warnings.push(dropped_column(name, &c.name));
        }
    }
    if before.is_some() {
        clauses.push("DROP PRIMARY KEY".to_string());
    }
    for c in with {
        match c {
            TableChange::AddColumn(c) => {
                let place = table.map(|t| position(t, &c.name)).unwrap_or_default();
                clauses.push(format!("ADD COLUMN {}{place}", column_def(c)));
            }
            TableChange::AlterColumn { after, .. } => {
                clauses.push(format!("MODIFY COLUMN {}", column_def(after)));
            }
            _ => {}
        }
    }
    if let Some(key) = after {
        clauses.push(format!(
            "ADD {}",
            primary_key_def(&key.columns, &key.descending)
        ));
    }
    let mut block = noted(
        alter(
            name,
            format!("Change the primary key of {name}"),
            &clauses.join(", "),
        ),
        COPIES,
    );
    block.warnings = warnings;
    block
}

/// The block of one change (not the primary key's).
fn one_change(plan: &Plan<'_>, before: &Table, after: &Table, change: &TableChange) -> Vec<Block> {
    let name = &after.name;
    let server = &plan.server;
    let block = match change {
        TableChange::RenameColumn { from, to } => {
            let title = format!("Rename column {name}.{from} to {to}");
            // The column as it is, under its new name (`before` has the
            // diff's renames applied).
            let Some(column) = before.column(to).or_else(|| after.column(to)) else {
                return Vec::new();
            };
            let instant = online::instant_rename_column(plan, before, plan.after, from, to);
            // A MariaDB JSON column's check is named after the column:
            // `CHANGE COLUMN` renames it with the column, `RENAME COLUMN`
            // would leave it under the old name.
            let json = server.mariadb && column.data_type.eq_ignore_ascii_case("json");
            let rename = server.mariadb_at_least((10, 5, 0)) || server.mysql_at_least((8, 0, 0));
            let clause = if rename && !json {
                format!("RENAME COLUMN {} TO {}", quote_ident(from), quote_ident(to))
            } else {
                format!("CHANGE COLUMN {} {}", quote_ident(from), column_def(column))
            };
            match (instant, rename) {
                (true, _) => with_suffix(alter(name, title, &clause), INSTANT),
                (false, true) => alter(name, title, &clause),
                (false, false) => noted(alter(name, title, &clause), COPIES),
            }
        }
        TableChange::DropForeignKey(fk) => drop_foreign_key(plan, before, fk),
        TableChange::DropUnique(u) => {
            let index_name = u.name.clone().unwrap_or_default();
            let index = unique_index(&index_name, &u.columns);
            let mut clauses = vec![format!("DROP INDEX {}", quote_ident(&index_name))];
            clauses.extend(keep_served(plan, before, after, &index));
            let block = alter(
                name,
                format!("Drop unique constraint {index_name} on {name}"),
                &clauses.join(", "),
            );
            if online::inplace_index(Some(before), &index) {
                with_suffix(block, INPLACE)
            } else {
                noted(block, COPIES)
            }
        }
        TableChange::DropCheck(c) => {
            let check = c.name.clone().unwrap_or_default();
            let word = if server.mariadb {
                "CONSTRAINT"
            } else {
                "CHECK"
            };
            alter(
                name,
                format!("Drop check constraint {check} on {name}"),
                &format!("DROP {word} {}", quote_ident(&check)),
            )
        }
        TableChange::AlterPrimaryKey { .. } => return Vec::new(),
        TableChange::DropColumn(c) => {
            let mut block = alter(
                name,
                format!("Drop column {name}.{}", c.name),
                &format!("DROP COLUMN {}", quote_ident(&c.name)),
            );
            if online::instant_drop_column(plan, before, c) {
                block.statements[0].push_str(INSTANT);
            } else {
                block.notes.push(COPIES.to_string());
            }
            block.warnings.push(dropped_column(name, &c.name));
            block
        }
        TableChange::AddColumn(c) => {
            let place = position(after, &c.name);
            let block = alter(
                name,
                format!("Add column {name}.{}", c.name),
                &format!("ADD COLUMN {}{place}", column_def(c)),
            );
            if online::instant_add_column(server, before, c, place.is_empty()) {
                with_suffix(block, INSTANT)
            } else {
                noted(block, COPIES)
            }
        }
        TableChange::AlterColumn {
            before: old,
            after: new,
        } => {
            let title = format!("Alter column {name}.{}", new.name);
            let column = quote_ident(&new.name);
            let instant = server.mariadb_at_least((10, 3, 0)) || server.mysql_at_least((8, 0, 12));
            if online::default_only(old, new) {
                let clause = match &new.default {
                    Some(d) => format!("ALTER COLUMN {column} SET DEFAULT {}", default_sql(d)),
                    None => format!("ALTER COLUMN {column} DROP DEFAULT"),
                };
                let block = alter(name, title, &clause);
                if instant {
                    with_suffix(block, INSTANT)
                } else {
                    block
                }
            } else if generated::is_virtual(old) != generated::is_virtual(new) {
                return vec![generated::readd_column(name, after, old, new, title)];
            } else {
                let mut block = alter(name, title, &format!("MODIFY COLUMN {}", column_def(new)));
                let removed = online::removed_enum_values(old, new);
                if !removed.is_empty() {
                    block.warnings.push(format!(
                        "DATA LOSS: column '{name}.{}' loses the value(s) {}: the change fails (or, outside strict mode, empties them) while a row holds one",
                        new.name,
                        removed.join(", ")
                    ));
                }
                if instant && online::enum_append(old, new) {
                    with_suffix(block, INSTANT)
                } else {
                    noted(block, COPIES)
                }
            }
        }
        TableChange::AddUnique(u) => {
            let unique = u.name.clone().unwrap_or_default();
            let block = alter(
                name,
                format!("Add unique constraint {unique} on {name}"),
                &format!(
                    "ADD CONSTRAINT {} UNIQUE ({})",
                    quote_ident(&unique),
                    idents(&u.columns)
                ),
            );
            if online::inplace_index(Some(before), &unique_index(&unique, &u.columns)) {
                with_suffix(block, INPLACE)
            } else {
                noted(block, COPIES)
            }
        }
        TableChange::AddCheck(c) => noted(
            alter(
                name,
                format!(
                    "Add check constraint {} on {name}",
                    c.name.clone().unwrap_or_default()
                ),
                &format!("ADD {}", check_def(c.name.as_deref(), &c.expr)),
            ),
            COPIES,
        ),
        TableChange::AddForeignKey(fk) => noted(
            alter(
                name,
                format!(
                    "Add foreign key {} on {name}",
                    fk.name.clone().unwrap_or_default()
                ),
                &format!("ADD {}", foreign_key_def(fk)),
            ),
            COPIES,
        ),
        TableChange::AlterOptions {
            before: old,
            after: new,
        } => {
            return vec![options(name, after, old, new, server.mariadb)];
        }
        TableChange::AlterComment { after: comment, .. } => alter(
            name,
            format!("Change the comment of {name}"),
            &format!(
                "COMMENT = {}",
                quote_string(comment.as_deref().unwrap_or_default())
            ),
        ),
        _ => return Vec::new(),
    };
    vec![block]
}

/// Where an added column goes so that the table's columns come in the
/// order of `after`: nothing at the end, else ` AFTER prev` or ` FIRST`
/// (columns before it are there by then: renames come first, additions in
/// `after`'s order).
pub(super) fn position(after: &Table, column: &str) -> String {
    let Some(at) = after.columns.iter().position(|c| c.name == column) else {
        return String::new();
    };
    if at + 1 == after.columns.len() {
        String::new()
    } else if at == 0 {
        " FIRST".to_string()
    } else {
        format!(" AFTER {}", quote_ident(&after.columns[at - 1].name))
    }
}

/// The block with `suffix` appended to its (only) statement.
pub(super) fn with_suffix(mut block: Block, suffix: &str) -> Block {
    if let Some(statement) = block.statements.last_mut() {
        statement.push_str(suffix);
    }
    block
}
