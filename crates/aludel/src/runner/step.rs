//! Running one step of a plan: in a transaction with its bookkeeping, or a
//! `transaction:false` section under the migration lock.

use aludel_graph::Step;
use aludel_script::Statement;

use super::locks::{Waits, take_write_lock};
use super::progress;
use super::{Prepared, check_version_ops, db, direction_name, same_rows};
use crate::dialect::VersionTable;
use crate::driver::{BatchError, DbConnection, DbError};
use crate::error::{Error, StatementFailure};
use crate::history::RevisionFile;

/// Runs a transactional step: the previous step's history row, the
/// statements and the version-table changes `ops`, in one round trip. Where
/// DDL commits at once (`Dialect::transactional_ddl` false), each statement
/// goes between its progress rows, `ops` ends with the statement that clears
/// them, a failure is examined by `progress::after_failure`, and with
/// `commit_first` the previous step's transaction (`pending` and what came
/// before) is committed in this round trip: before the first `started` row,
/// or, when the first statement commits implicitly anyway, right after it
/// (one commit for both, not two).
pub(super) async fn run_step<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
    prepared: &Prepared<'_>,
    file: &RevisionFile,
    pending: Option<String>,
    ops: &[String],
    commit_first: bool,
) -> Result<(), Error> {
    let tracked = !conn.dialect().transactional_ddl();
    // The statement whose `started` row the `COMMIT` follows, if any.
    let committed_before = prepared
        .statements
        .get(prepared.skip)
        .filter(|s| commit_first && conn.dialect().may_commit_implicitly(s.text))
        .map(|_| prepared.skip + 1);
    let wrapped = tracked.then(|| {
        let mut wrapped = progress::wrapped(
            conn.dialect(),
            table,
            &prepared.step,
            &file.header.revision,
            &prepared.statements,
            prepared.skip,
        );
        if commit_first {
            let at = if committed_before.is_some() { 1 } else { 0 };
            wrapped.insert(at, "COMMIT".to_string());
        }
        wrapped
    });
    let mut batch: Vec<&str> = pending.iter().map(String::as_str).collect();
    let first_statement = batch.len();
    match &wrapped {
        Some(wrapped) => batch.extend(wrapped.iter().map(String::as_str)),
        None => batch.extend(prepared.statements.iter().map(|s| s.text)),
    }
    let first_op = batch.len();
    batch.extend(ops.iter().map(String::as_str));
    let version_ops = prepared.step.version_ops.len();
    let result = conn.execute_batch(&batch).await;
    if tracked && let Err(error) = result {
        let context = |e: BatchError| bookkeeping_failure(file, e, first_statement, first_op);
        let failure = progress::Failure {
            error,
            committed_before,
        };
        return Err(progress::after_failure(conn, table, file, prepared, failure, context).await?);
    }
    match result {
        Ok(changed) => check_version_ops(
            table,
            &prepared.step.version_ops,
            &changed[first_op..first_op + version_ops],
        ),
        Err(BatchError { index, error }) if index < first_statement => Err(Error::database(
            "recording a migration in the history table",
            error,
        )),
        Err(BatchError { index, error }) if index < first_op => Err(statement_failure(
            file,
            &prepared.step,
            &prepared.statements[index - first_statement],
            error,
        )),
        Err(BatchError { error, .. }) => Err(Error::database(
            format!(
                "recording revision {} in the version table",
                file.header.revision
            ),
            error,
        )),
    }
}

/// A failure of a tracked step's batch that is not one of the migration's
/// statements: a history row, a progress row or the version-table change.
fn bookkeeping_failure(
    file: &RevisionFile,
    e: BatchError,
    first_statement: usize,
    first_op: usize,
) -> Error {
    let context = if e.index < first_statement {
        "recording a migration in the history table".to_string()
    } else if e.index < first_op {
        format!(
            "recording the progress of revision {} in the progress table",
            file.header.revision
        )
    } else {
        format!(
            "recording revision {} in the version table",
            file.header.revision
        )
    };
    Error::database(context, e.error)
}

/// Runs a `transaction:false` section: commits what is open, runs each
/// statement on its own outside any transaction (where DDL commits at once, each between
/// its progress rows, all in one round trip), and takes the write lock
/// again. The run holds the migration lock throughout, so no other aludel
/// migrator can run the section meanwhile; a version table that changed all
/// the same (another tool) is an error.
pub(super) async fn run_step_outside_transaction<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
    prepared: &Prepared<'_>,
    file: &RevisionFile,
    pending: Option<String>,
    heads: &[String],
    waits: &mut Waits<'_>,
) -> Result<(), Error> {
    let tracked = !conn.dialect().transactional_ddl();
    if let Some(record) = pending {
        conn.execute(&record)
            .await
            .map_err(db("recording a migration in the history table"))?;
    }
    conn.commit()
        .await
        .map_err(db("committing before a non-transactional section"))?;
    if tracked {
        let wrapped = progress::wrapped(
            conn.dialect(),
            table,
            &prepared.step,
            &file.header.revision,
            &prepared.statements,
            prepared.skip,
        );
        let batch: Vec<&str> = wrapped.iter().map(String::as_str).collect();
        if let Err(error) = conn.execute_batch(&batch).await {
            let context = |e: BatchError| bookkeeping_failure(file, e, 0, batch.len());
            let failure = progress::Failure {
                error,
                committed_before: None,
            };
            return Err(
                progress::after_failure(conn, table, file, prepared, failure, context).await?,
            );
        }
    } else {
        for statement in &prepared.statements {
            if let Err(e) = conn.execute(statement.text).await {
                return Err(statement_failure(file, &prepared.step, statement, e));
            }
        }
    }
    // A section that left a transaction open (a `BEGIN` without its
    // `COMMIT`) makes what follows fail: say which section.
    let after_section = |e: Error| match e {
        Error::Database { context, source } => Error::Database {
            context: format!(
                "{context}, after the non-transactional {} section of revision {} ({})",
                direction_name(prepared.step.direction),
                file.header.revision,
                file.path.display()
            ),
            source,
        },
        other => other,
    };
    // The section may have changed the session (SQLite's own recipe for
    // changing a table ends with `PRAGMA foreign_keys = ON`): the next step
    // runs with the same settings as every other.
    conn.start_session(waits.session)
        .await
        .map_err(db("restoring the migration's connection settings"))
        .map_err(after_section)?;
    take_write_lock(conn, waits).await.map_err(after_section)?;
    let now_heads = conn
        .read_versions(table)
        .await
        .map_err(db("reading the version table"))?;
    if same_rows(&now_heads, heads) {
        return Ok(());
    }
    Err(Error::VersionTable(format!(
        "the version table changed while the non-transactional section of {} ran; \
         another tool is migrating this database",
        file.header.revision
    )))
}

fn statement_failure(
    file: &RevisionFile,
    step: &Step,
    statement: &Statement<'_>,
    e: DbError,
) -> Error {
    Error::Statement(Box::new(StatementFailure {
        path: file.path.display().to_string(),
        line: statement.line,
        revision: file.header.revision.clone(),
        direction: direction_name(step.direction),
        statement: statement.text.lines().next().unwrap_or("").to_string(),
        source: e,
    }))
}
