//! The runner: applies a plan to a live database, one transaction per migration
//! (or one for the whole run), keeping the version and history tables in step.
//!
//! Architecture invariant: the runner takes the write lock (`begin`) before it
//! reads the version table, and re-plans if another migrator moved the heads
//! between two of its transactions, so every migration runs exactly once. It
//! never splits SQL a plan does not run, and splits everything a plan runs before
//! it touches the database.

use std::time::Instant;

use aludel_graph::{Step, VersionOp};
use aludel_script::Statement;

use crate::dialect::HistoryRecord;
use crate::driver::{BatchError, DbConnection, DbError};
use crate::error::{Error, StatementFailure};
use crate::history::{History, RevisionFile};

pub use aludel_graph::Direction;

/// `upgrade` or `downgrade`.
pub fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    }
}

/// Settings of one run.
pub struct RunOptions<'a> {
    /// Name of the version table.
    pub version_table: &'a str,
    /// One transaction per migration (`true`) or one for the whole run.
    pub transaction_per_migration: bool,
    /// Called before each step with Alembic's log text, e.g.
    /// `Running upgrade  -> 423d964333d1, Initial schema`.
    pub on_step: &'a mut (dyn FnMut(&str) + Send),
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Revisions applied or undone, in order.
    pub applied: Vec<String>,
    /// The version table's rows at the end.
    pub heads: Vec<String>,
}

/// A step with its statements split and checked, ready to run.
struct Prepared<'h> {
    step: Step,
    statements: Vec<Statement<'h>>,
    transactional: bool,
    checksum: String,
}

/// Alembic's log line for a step: `Running upgrade a -> b, message`.
pub fn step_log(history: &History, step: &Step) -> String {
    let doc = history.file(step.revision).header.summary();
    format!("Running {}, {doc}", step.short_log())
}

fn prepare<'h>(history: &'h History, plan: Vec<Step>) -> Result<Vec<Prepared<'h>>, Error> {
    plan.into_iter()
        .map(|step| {
            let file = history.file(step.revision);
            let script = file.script()?;
            let section = if step.direction == Direction::Upgrade {
                script.upgrade
            } else {
                script.downgrade
            };
            let statements = section
                .statements()
                .map_err(|e| file.error_at(e.line, e.kind))?;
            Ok(Prepared {
                transactional: section.transactional,
                statements,
                checksum: file.checksum()?,
                step,
            })
        })
        .collect()
}

fn plan_for(
    history: &History,
    direction: Direction,
    heads: &[String],
    target: &str,
) -> Result<Vec<Step>, Error> {
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    Ok(match direction {
        Direction::Upgrade => history.graph().plan_upgrade(&heads, target)?,
        Direction::Downgrade => history.graph().plan_downgrade(&heads, target)?,
    })
}

/// Whether two readings of the version table hold the same rows.
fn same_rows(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// Applies `ops` to a set of heads, as the version table will after the step.
pub fn apply_ops(heads: &mut Vec<String>, ops: &[VersionOp]) {
    for op in ops {
        match op {
            VersionOp::Insert(r) => heads.push(r.clone()),
            VersionOp::Delete(r) => heads.retain(|h| h != r),
            VersionOp::Update { from, to } => {
                for h in heads.iter_mut() {
                    if h == from {
                        *h = to.clone();
                    }
                }
            }
        }
    }
}

fn db(context: &str) -> impl Fn(DbError) -> Error + '_ {
    move |e| Error::database(context, e)
}

/// Creates the version table (and aludel's history table) if missing. Must run
/// inside a transaction that holds the write lock.
pub async fn ensure_tables<C: DbConnection>(
    conn: &mut C,
    version_table: &str,
) -> Result<(), Error> {
    let dialect = conn.dialect();
    if !conn
        .table_exists(version_table)
        .await
        .map_err(db("looking for the version table"))?
    {
        conn.execute(&dialect.create_version_table(version_table))
            .await
            .map_err(db("creating the version table"))?;
    }
    conn.execute(&dialect.create_history_table())
        .await
        .map_err(db("creating the history table"))?;
    Ok(())
}

/// Alembic's check that the version table was where the plan expected it:
/// every version-table statement must have touched exactly one row.
fn check_version_ops(table: &str, ops: &[VersionOp], changed: &[u64]) -> Result<(), Error> {
    if changed.iter().all(|&n| n == 1) {
        return Ok(());
    }
    let found: u64 = changed.iter().sum();
    let what: Vec<String> = ops
        .iter()
        .map(|op| match op {
            VersionOp::Insert(r) => format!("inserting '{r}'"),
            VersionOp::Delete(r) => format!("deleting '{r}'"),
            VersionOp::Update { from, to } => format!("updating '{from}' to '{to}'"),
        })
        .collect();
    Err(Error::VersionTable(format!(
        "Online migration expected to match one row when {} in '{table}'; {found} found",
        what.join(" and ")
    )))
}

/// Runs a step's version-table changes and its history rows in one round
/// trip, checking the version-table changes.
async fn record_step<C: DbConnection>(
    conn: &mut C,
    table: &str,
    ops: &[VersionOp],
    rows: &[HistoryRecord],
) -> Result<(), Error> {
    let dialect = conn.dialect();
    let mut batch: Vec<String> = ops.iter().map(|op| dialect.version_op(table, op)).collect();
    batch.extend(rows.iter().map(|row| dialect.insert_history(row)));
    let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
    let changed = conn
        .execute_batch(&batch)
        .await
        .map_err(|e| Error::database("updating the version table", e.error))?;
    check_version_ops(table, ops, &changed[..ops.len()])
}

/// Who runs the migration, for the history table.
fn applied_by() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "localhost".into());
    format!("{user}@{host}")
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Upgrades or downgrades the database on `conn` to `target`.
pub async fn migrate<C: DbConnection>(
    conn: &mut C,
    history: &History,
    direction: Direction,
    target: &str,
    options: RunOptions<'_>,
) -> Result<RunSummary, Error> {
    conn.begin().await.map_err(db("taking the write lock"))?;
    let result = run_locked(conn, history, direction, target, options).await;
    if result.is_err() {
        // The failed transaction is undone; an error here adds nothing useful.
        let _ = conn.rollback().await;
    }
    result
}

async fn run_locked<C: DbConnection>(
    conn: &mut C,
    history: &History,
    direction: Direction,
    target: &str,
    options: RunOptions<'_>,
) -> Result<RunSummary, Error> {
    let table = options.version_table;
    let dialect = conn.dialect();
    ensure_tables(conn, table).await?;
    let mut heads = conn
        .read_versions(table)
        .await
        .map_err(db("reading the version table"))?;
    let mut plan = prepare(history, plan_for(history, direction, &heads, target)?)?;
    let who = applied_by();
    let mut summary = RunSummary::default();
    // The history row of the step just run: it travels with the next round
    // trip, inside the same transaction as the step.
    let mut pending: Option<String> = None;
    let mut next = 0;
    while next < plan.len() {
        let prepared = &plan[next];
        let step = &prepared.step;
        (options.on_step)(&step_log(history, step));
        let file = history.file(step.revision);
        let ops: Vec<String> = step
            .version_ops
            .iter()
            .map(|op| dialect.version_op(table, op))
            .collect();
        let started = Instant::now();
        if prepared.transactional {
            run_step(conn, table, prepared, file, pending.take(), &ops).await?;
        } else {
            let ran =
                run_step_outside_transaction(conn, table, prepared, file, pending.take(), &heads)
                    .await?;
            if let Outside::Moved(now_heads) = ran {
                // Another migrator ran this section meanwhile: plan again.
                heads = now_heads;
                plan = prepare(history, plan_for(history, direction, &heads, target)?)?;
                next = 0;
                continue;
            }
            let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
            let changed = conn
                .execute_batch(&ops)
                .await
                .map_err(|e| Error::database("updating the version table", e.error))?;
            check_version_ops(table, &step.version_ops, &changed)?;
        }
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        pending = Some(dialect.insert_history(&HistoryRecord {
            revision: file.header.revision.clone(),
            direction: direction_name(step.direction),
            applied_at: now(),
            duration_ms,
            checksum: Some(prepared.checksum.clone()),
            applied_by: who.clone(),
        }));
        apply_ops(&mut heads, &step.version_ops);
        summary.applied.push(file.header.revision.clone());
        next += 1;
        if options.transaction_per_migration && next < plan.len() {
            let record: Vec<&str> = pending.iter().map(String::as_str).collect();
            let now_heads = conn
                .commit_and_begin_reading_versions(&record, table)
                .await
                .map_err(|e| {
                    let context = if e.index < record.len() {
                        "recording a migration in the history table"
                    } else {
                        "committing a migration"
                    };
                    Error::database(context, e.error)
                })?;
            pending = None;
            if !same_rows(&now_heads, &heads) {
                // Another migrator moved the database on: plan again from where it is.
                heads = now_heads;
                plan = prepare(history, plan_for(history, direction, &heads, target)?)?;
                next = 0;
            }
        }
    }
    if let Some(record) = pending {
        conn.execute(&record)
            .await
            .map_err(db("recording a migration in the history table"))?;
    }
    conn.commit().await.map_err(db("committing"))?;
    summary.heads = heads;
    Ok(summary)
}

/// Runs a transactional step: the previous step's history row, the
/// statements and the version-table changes, in one round trip.
async fn run_step<C: DbConnection>(
    conn: &mut C,
    table: &str,
    prepared: &Prepared<'_>,
    file: &RevisionFile,
    pending: Option<String>,
    ops: &[String],
) -> Result<(), Error> {
    let mut batch: Vec<&str> = pending.iter().map(String::as_str).collect();
    let first_statement = batch.len();
    batch.extend(prepared.statements.iter().map(|s| s.text));
    let first_op = batch.len();
    batch.extend(ops.iter().map(String::as_str));
    match conn.execute_batch(&batch).await {
        Ok(changed) => check_version_ops(table, &prepared.step.version_ops, &changed[first_op..]),
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
        Err(BatchError { error, .. }) => Err(Error::database("updating the version table", error)),
    }
}

/// What became of a `transaction:false` step.
enum Outside {
    /// The section ran; the write lock is held again, the version table not yet changed.
    Ran,
    /// Another migrator moved the version table first: these are its rows now.
    Moved(Vec<String>),
}

/// Runs a `transaction:false` section: commits what is open, takes the
/// migration lock (so that no other migrator runs the same section), checks
/// under the write lock that the step is still to do, then runs each statement
/// on its own outside any transaction and takes the write lock again.
async fn run_step_outside_transaction<C: DbConnection>(
    conn: &mut C,
    table: &str,
    prepared: &Prepared<'_>,
    file: &RevisionFile,
    pending: Option<String>,
    heads: &[String],
) -> Result<Outside, Error> {
    if let Some(record) = pending {
        conn.execute(&record)
            .await
            .map_err(db("recording a migration in the history table"))?;
    }
    conn.commit()
        .await
        .map_err(db("committing before a non-transactional section"))?;
    // Taken without the write lock, which its holder may be waiting for.
    let lock = conn
        .lock_migrations()
        .await
        .map_err(db("waiting for other migrators"))?;
    conn.begin().await.map_err(db("taking the write lock"))?;
    let now_heads = conn
        .read_versions(table)
        .await
        .map_err(db("reading the version table"))?;
    if !same_rows(&now_heads, heads) {
        return Ok(Outside::Moved(now_heads));
    }
    conn.commit()
        .await
        .map_err(db("committing before a non-transactional section"))?;
    for statement in &prepared.statements {
        if let Err(e) = conn.execute(statement.text).await {
            return Err(statement_failure(file, &prepared.step, statement, e));
        }
    }
    conn.begin().await.map_err(db("taking the write lock"))?;
    // Other migrators waiting for the lock read the version table after this
    // transaction commits, so the lock can go now.
    drop(lock);
    let now_heads = conn
        .read_versions(table)
        .await
        .map_err(db("reading the version table"))?;
    if same_rows(&now_heads, heads) {
        return Ok(Outside::Ran);
    }
    Err(Error::VersionTable(format!(
        "the version table changed while the non-transactional section of {} ran; \
         another migrator is at work",
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
        message: e.0,
    }))
}

/// Sets the version table to `targets` without running any migration.
pub async fn stamp<C: DbConnection>(
    conn: &mut C,
    history: &History,
    targets: &[&str],
    purge: bool,
    version_table: &str,
) -> Result<Vec<String>, Error> {
    conn.begin().await.map_err(db("taking the write lock"))?;
    let result = stamp_locked(conn, history, targets, purge, version_table).await;
    match result {
        Ok(heads) => {
            conn.commit().await.map_err(db("committing"))?;
            Ok(heads)
        }
        Err(e) => {
            let _ = conn.rollback().await;
            Err(e)
        }
    }
}

async fn stamp_locked<C: DbConnection>(
    conn: &mut C,
    history: &History,
    targets: &[&str],
    purge: bool,
    table: &str,
) -> Result<Vec<String>, Error> {
    ensure_tables(conn, table).await?;
    let dialect = conn.dialect();
    let mut heads = if purge {
        conn.execute(&format!("DELETE FROM {}", dialect.quote_ident(table)))
            .await
            .map_err(db("purging the version table"))?;
        Vec::new()
    } else {
        conn.read_versions(table)
            .await
            .map_err(db("reading the version table"))?
    };
    let current: Vec<&str> = heads.iter().map(String::as_str).collect();
    let steps = history.graph().plan_stamp(&current, targets, purge)?;
    let who = applied_by();
    for step in &steps {
        let stamped = if step.to.is_empty() {
            vec!["base".to_string()]
        } else {
            step.to.clone()
        };
        let rows: Vec<HistoryRecord> = stamped
            .into_iter()
            .map(|revision| HistoryRecord {
                revision,
                direction: "stamp",
                applied_at: now(),
                duration_ms: 0,
                checksum: None,
                applied_by: who.clone(),
            })
            .collect();
        record_step(conn, table, &step.version_ops, &rows).await?;
        apply_ops(&mut heads, &step.version_ops);
    }
    Ok(heads)
}

/// Reads the version table without creating anything.
pub async fn current_heads<C: DbConnection>(
    conn: &mut C,
    version_table: &str,
) -> Result<Vec<String>, Error> {
    if !conn
        .table_exists(version_table)
        .await
        .map_err(db("looking for the version table"))?
    {
        return Ok(Vec::new());
    }
    conn.read_versions(version_table)
        .await
        .map_err(db("reading the version table"))
}

/// Creates the version table if it is missing.
pub async fn ensure_version<C: DbConnection>(
    conn: &mut C,
    version_table: &str,
) -> Result<(), Error> {
    conn.begin().await.map_err(db("taking the write lock"))?;
    match ensure_tables(conn, version_table).await {
        Ok(()) => conn.commit().await.map_err(db("committing")),
        Err(e) => {
            let _ = conn.rollback().await;
            Err(e)
        }
    }
}
