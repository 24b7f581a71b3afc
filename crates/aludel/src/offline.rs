//! Offline mode (`--sql`): the SQL a run would execute, printed instead of run.
//!
//! Architecture invariant: offline rendering touches no database; it walks the
//! same plan the runner would and emits the same statements, in the same
//! transactions, with the version-table changes included.

use std::fmt::Write as _;

use aludel_graph::{StampStep, Step};
use aludel_script::{Flavor, push_terminated};

use crate::dialect::{Dialect, VersionTable};
use crate::error::Error;
use crate::history::History;
use crate::runner::{apply_ops, step_log, step_statements};

/// Settings of an offline rendering.
pub struct OfflineOptions<'a> {
    /// Name of the version table.
    pub version_table: &'a VersionTable,
    /// `BEGIN;`/`COMMIT;` around each migration, or around the whole script.
    pub transaction_per_migration: bool,
    /// Heads the script assumes the database starts from (empty: from base).
    pub start_heads: Vec<String>,
}

/// Appends one statement with its `;` (bookkeeping text may carry its own)
/// and a blank line, the `;` placed as the online batch places it.
fn push_statement(out: &mut String, text: &str) {
    let text = text.trim_end();
    if text.ends_with(';') {
        out.push_str(text);
    } else {
        push_terminated(out, text);
    }
    out.push_str("\n\n");
}

/// Appends a statement holding `;` between `DELIMITER` lines, for a client
/// that would otherwise end it at its first `;` (the `mysql`/`mariadb`
/// client): `DELIMITER $$`, the statement ended by `$$`, `DELIMITER ;`. The
/// delimiter is one the statement's text does not contain.
fn push_delimited(out: &mut String, text: &str) {
    let text = text.trim_end();
    let delimiter = ["$$", "//", "@@", "%%"]
        .into_iter()
        .map(str::to_string)
        .chain((1..).map(|n| format!("$${n}$$")))
        .find(|d| !text.contains(d.as_str()))
        .unwrap_or_else(|| "$$".to_string());
    let _ = write!(out, "DELIMITER {delimiter}\n{text}");
    let last_line = text.rsplit('\n').next().unwrap_or_default();
    if last_line.contains("--") || last_line.contains('#') {
        out.push('\n');
    }
    let _ = write!(out, "{delimiter}\nDELIMITER ;\n\n");
}

/// The version table's `CREATE TABLE` as offline scripts print it: Alembic
/// writes every offline statement with its tabs as four spaces.
pub fn version_table_ddl(dialect: &dyn Dialect, table: &VersionTable) -> String {
    dialect.create_version_table(table).replace('\t', "    ")
}

/// Renders the SQL for `plan`, which must start from `options.start_heads`.
pub fn render(
    history: &History,
    dialect: &dyn Dialect,
    plan: &[Step],
    options: &OfflineOptions<'_>,
    on_step: &mut dyn FnMut(&str),
) -> Result<String, Error> {
    let table = options.version_table;
    let mut out = String::new();
    let mut heads = options.start_heads.clone();
    let whole_run = !options.transaction_per_migration;
    if whole_run {
        push_statement(&mut out, dialect.offline_begin());
    }
    for step in plan {
        let (statements, transactional) = step_statements(history, step, dialect.flavor())?;
        let log = step_log(history, step);
        on_step(&log);
        let per_step = options.transaction_per_migration;
        let mut in_txn = false;
        if transactional && per_step {
            push_statement(&mut out, dialect.offline_begin());
            in_txn = true;
        }
        if !transactional && whole_run {
            push_statement(&mut out, dialect.offline_commit());
        }
        if heads.is_empty() {
            push_statement(&mut out, &version_table_ddl(dialect, table));
        }
        let _ = write!(out, "-- Running {}\n\n", step.short_log());
        for statement in &statements {
            if dialect.offline_needs_delimiter() && statement.has_inner_semicolon(dialect.flavor())
            {
                push_delimited(&mut out, statement.text);
            } else {
                push_statement(&mut out, statement.text);
            }
        }
        // A non-transactional step's version row is committed right after
        // it, also in a whole-run transaction, as online runs do: a later
        // failure must not leave its changes applied but unrecorded.
        if !transactional {
            push_statement(&mut out, dialect.offline_begin());
            in_txn = true;
        }
        for op in &step.version_ops {
            push_statement(&mut out, &dialect.version_op(table, op));
        }
        // Like Alembic 1.20 (its #1822), ending at base leaves the version
        // table in place, as an online downgrade does.
        apply_ops(&mut heads, &step.version_ops);
        if in_txn {
            push_statement(&mut out, dialect.offline_commit());
        }
        if !transactional && whole_run {
            push_statement(&mut out, dialect.offline_begin());
        }
    }
    if whole_run {
        push_statement(&mut out, dialect.offline_commit());
    }
    if dialect.flavor() == Flavor::Sqlite && out.contains(REBUILD_GUARD) {
        out.insert_str(0, SQLITE_FOREIGN_KEYS_OFF);
    }
    Ok(out)
}

/// The temp table an autogenerated SQLite table rebuild creates to refuse
/// running with foreign keys on: its presence marks a script with rebuilds.
const REBUILD_GUARD: &str = "_aludel_guard";

/// What an offline SQLite script with table rebuilds starts with, as the
/// runner does before `BEGIN`: a client that goes on after the rebuild's
/// guard fails (the `sqlite3` shell without `-bail`) would otherwise run
/// `DROP TABLE` with foreign keys on, firing `ON DELETE` actions on children.
/// (The pragma is a no-op inside a transaction, hence before the first one.)
const SQLITE_FOREIGN_KEYS_OFF: &str = "-- table rebuilds below: foreign keys must be off while they run,\n\
    -- and the script must stop at its first error (sqlite3 -bail): a failed guard leaves the table as it was\n\
    PRAGMA foreign_keys = OFF;\n\n";

/// Renders the SQL for a stamp `plan` (from `options.start_heads`) the way
/// Alembic's offline `stamp` does: per step, the version table if there are
/// no heads yet, a `-- Running stamp_revision …` comment and the version-table
/// changes, in the same transactions as a migration.
pub fn render_stamp(
    dialect: &dyn Dialect,
    plan: &[StampStep],
    options: &OfflineOptions<'_>,
    on_step: &mut dyn FnMut(&str),
) -> String {
    let table = options.version_table;
    let mut out = String::new();
    let mut heads = options.start_heads.clone();
    let per_step = options.transaction_per_migration;
    if !per_step {
        push_statement(&mut out, dialect.offline_begin());
    }
    for step in plan {
        let log = step.short_log();
        on_step(&format!("Running {log}"));
        if per_step {
            push_statement(&mut out, dialect.offline_begin());
        }
        if heads.is_empty() {
            push_statement(&mut out, &version_table_ddl(dialect, table));
        }
        let _ = write!(out, "-- Running {log}\n\n");
        for op in &step.version_ops {
            push_statement(&mut out, &dialect.version_op(table, op));
        }
        apply_ops(&mut heads, &step.version_ops);
        if per_step {
            push_statement(&mut out, dialect.offline_commit());
        }
    }
    if !per_step {
        push_statement(&mut out, dialect.offline_commit());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::push_delimited;

    #[test]
    fn a_body_with_semicolons_is_wrapped_in_a_delimiter_it_does_not_contain() {
        let mut out = String::new();
        push_delimited(&mut out, "CREATE PROCEDURE p() BEGIN SELECT 1; END");
        assert_eq!(
            out,
            "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n\n"
        );
        let mut out = String::new();
        push_delimited(&mut out, "CREATE PROCEDURE p() BEGIN SELECT '$$'; END -- c");
        assert_eq!(
            out,
            "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT '$$'; END -- c\n//\nDELIMITER ;\n\n"
        );
    }
}
