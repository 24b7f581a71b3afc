//! The runner: applies a plan to a live database, one transaction per migration
//! (or one for the whole run), keeping the version and history tables in step.
//!
//! Architecture invariant: the runner takes the write lock (`try_begin`) before it
//! reads the version table, and re-plans if another migrator moved the heads
//! between two of its transactions, so every migration runs exactly once. It
//! never splits SQL a plan does not run, and splits everything a plan runs before
//! it touches the database.

use std::time::Instant;

use aludel_graph::{Step, VersionOp};
use aludel_script::{Flavor, Statement};

use crate::dialect::{HistoryRecord, VersionTable};
use crate::driver::{Attempt, DbConnection, DbError, SessionSettings};
use crate::error::Error;
use crate::history::History;

mod bookkeeping;
mod locks;
pub mod progress;
mod step;
pub mod verify;

use bookkeeping::{applied_by, check_version_ops, now};
pub use bookkeeping::{current_heads, ensure_tables, ensure_version, stamp};
pub(crate) use locks::wait_notice;
use locks::{Waits, notice_if_slow, with_locks};
use step::{run_step, run_step_outside_transaction};

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
    /// The version table, how long to wait for another process's lock (the
    /// migration lock or the database's write lock) before failing with
    /// [`Error::LockTimeout`], and how migrators are kept apart.
    pub session: SessionSettings,
    /// One transaction per migration (`true`) or one for the whole run.
    pub transaction_per_migration: bool,
    /// Receives the run's log lines: before each step Alembic's text, e.g.
    /// `Running upgrade  -> 423d964333d1, Initial schema`, and a notice when
    /// another process's lock has kept the run waiting for a second. The
    /// same progress also goes out as `tracing` events ([`crate::events`]).
    pub on_step: &'a mut (dyn FnMut(&str) + Send),
    /// Go on when applied revision files changed since they were applied,
    /// recording the acceptance; otherwise such a run fails with
    /// [`Error::EditedRevisions`] before running anything.
    pub accept_edited: bool,
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
    /// Statements that already ran in an earlier, interrupted run (engines
    /// whose DDL commits at once; see `progress/`): the step resumes after them.
    skip: usize,
}

/// Alembic's log line for a step: `Running upgrade a -> b, message`.
pub fn step_log(history: &History, step: &Step) -> String {
    let doc = history.file(step.revision).header.summary();
    format!("Running {}, {doc}", step.short_log())
}

/// The statements a step runs, read as `flavor` (the engine's) reads SQL, and
/// whether its section is transactional; the error names the file and line of
/// a statement that cannot be split, or of a `BEGIN`/`COMMIT`/`ROLLBACK` in a
/// transactional section (refused here, so online and offline runs alike
/// refuse it before anything runs).
pub(crate) fn step_statements<'h>(
    history: &'h History,
    step: &Step,
    flavor: Flavor,
) -> Result<(Vec<Statement<'h>>, bool), Error> {
    let file = history.file(step.revision);
    let script = file.script(flavor)?;
    let section = if step.direction == Direction::Upgrade {
        script.upgrade
    } else {
        script.downgrade
    };
    let statements = section
        .statements(flavor)
        .map_err(|e| file.error_at(e.line, e.kind))?;
    if section.transactional {
        for statement in &statements {
            if let Some(control) = statement.transaction_control(flavor) {
                return Err(Error::TransactionControl {
                    path: file.path.display().to_string(),
                    line: statement.line,
                    revision: file.header.revision.clone(),
                    direction: direction_name(step.direction),
                    control,
                    statement: statement.text.lines().next().unwrap_or_default().to_owned(),
                });
            }
        }
    }
    Ok((statements, section.transactional))
}

fn prepare<'h>(
    history: &'h History,
    plan: Vec<Step>,
    flavor: Flavor,
) -> Result<Vec<Prepared<'h>>, Error> {
    plan.into_iter()
        .map(|step| {
            let (statements, transactional) = step_statements(history, &step, flavor)?;
            Ok(Prepared {
                transactional,
                statements,
                checksum: history.file(step.revision).checksum()?,
                skip: 0,
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

/// Upgrades or downgrades the database on `conn` to `target`, holding the
/// migration lock for the whole run.
pub async fn migrate<C: DbConnection>(
    conn: &mut C,
    history: &History,
    direction: Direction,
    target: &str,
    options: RunOptions<'_>,
) -> Result<RunSummary, Error> {
    let RunOptions {
        session,
        transaction_per_migration,
        on_step,
        accept_edited,
    } = options;
    let mut waits = Waits::new(&session, on_step);
    let run = Run {
        history,
        direction,
        target,
        table: &session.version_table,
        per_migration: transaction_per_migration,
        flavor: conn.dialect().flavor(),
        accept_edited,
    };
    with_locks(conn, &mut waits, async |conn, waits| {
        run_locked(conn, &run, waits).await
    })
    .await
}

/// What a run is asked to do.
struct Run<'r> {
    history: &'r History,
    direction: Direction,
    target: &'r str,
    table: &'r VersionTable,
    per_migration: bool,
    flavor: Flavor,
    accept_edited: bool,
}

impl<'r> Run<'r> {
    fn plan(&self, heads: &[String]) -> Result<Vec<Prepared<'r>>, Error> {
        prepare(
            self.history,
            plan_for(self.history, self.direction, heads, self.target)?,
            self.flavor,
        )
    }
}

/// Commits the step just run with its history row, opens the next
/// transaction (waiting for the write lock up to the lock timeout, with a
/// notice once the wait passes a second) and reads the version table.
async fn commit_step<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
    record: Option<&str>,
    waits: &mut Waits<'_>,
) -> Result<Vec<String>, Error> {
    let record: Vec<&str> = record.into_iter().collect();
    let started = Instant::now();
    let timeout = waits.timeout;
    let work = conn.commit_and_begin_reading_versions(&record, table, timeout);
    let attempt = notice_if_slow(waits, "the database's write lock", work)
        .await
        .map_err(|e| {
            let context = if e.index < record.len() {
                "recording a migration in the history table"
            } else {
                "committing a migration"
            };
            Error::database(context, e.error)
        })?;
    match attempt {
        Attempt::Acquired(heads) => Ok(heads),
        Attempt::Busy { lock } => Err(Error::lock_timeout(lock, started.elapsed())),
    }
}

async fn run_locked<C: DbConnection>(
    conn: &mut C,
    run: &Run<'_>,
    waits: &mut Waits<'_>,
) -> Result<RunSummary, Error> {
    let (history, table) = (run.history, run.table);
    let dialect = conn.dialect();
    ensure_tables(conn, table).await?;
    let mut heads = conn
        .read_versions(table)
        .await
        .map_err(db("reading the version table"))?;
    verify::enforce(conn, history, &heads, table, run.accept_edited).await?;
    // DDL that commits at once: progress is kept statement by statement.
    let tracked = !dialect.transactional_ddl();
    let mut plan = run.plan(&heads)?;
    if tracked {
        let unfinished = progress::unfinished(conn, table).await?;
        let skip = progress::resume_point(&unfinished, plan.first(), history, table, dialect)?;
        if let Some(first) = plan.first_mut() {
            first.skip = skip;
        }
    }
    let who = applied_by();
    let mut summary = RunSummary::default();
    // The history row of the step just run: it travels with the next round
    // trip, inside the same transaction as the step.
    let mut pending: Option<String> = None;
    // Where DDL commits at once, a step's `COMMIT` travels in the next step's
    // round trip, after that step's first `started` row, so that one commit
    // makes both durable (the next step's DDL would otherwise commit that row
    // on its own). aludel's migrators are kept apart by the migration lock
    // alone there, so nothing is re-read between the two.
    let mut commit_first = false;
    let mut next = 0;
    while next < plan.len() {
        let prepared = &plan[next];
        let step = &prepared.step;
        (waits.log)(&crate::events::step_started(history, step));
        let file = history.file(step.revision);
        let mut ops: Vec<String> = step
            .version_ops
            .iter()
            .map(|op| dialect.version_op(table, op))
            .collect();
        if tracked {
            ops.push(progress::clear(dialect, table, &file.header.revision, step));
        }
        let started = Instant::now();
        if prepared.transactional {
            let commit_first = std::mem::take(&mut commit_first);
            run_step(
                conn,
                table,
                prepared,
                file,
                pending.take(),
                &ops,
                commit_first,
            )
            .await?;
        } else {
            commit_first = false;
            run_step_outside_transaction(
                conn,
                table,
                prepared,
                file,
                pending.take(),
                &heads,
                waits,
            )
            .await?;
            let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
            let changed = conn.execute_batch(&ops).await.map_err(|e| {
                Error::database(
                    format!(
                        "recording revision {} in the version table",
                        file.header.revision
                    ),
                    e.error,
                )
            })?;
            check_version_ops(
                table,
                &step.version_ops,
                &changed[..step.version_ops.len().min(changed.len())],
            )?;
        }
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        crate::events::step_finished(history, step, duration_ms);
        pending = Some(dialect.insert_history(
            &table.history(),
            &HistoryRecord {
                revision: file.header.revision.clone(),
                direction: direction_name(step.direction),
                applied_at: now(),
                duration_ms,
                checksum: Some(prepared.checksum.clone()),
                applied_by: who.clone(),
            },
        ));
        apply_ops(&mut heads, &step.version_ops);
        summary.applied.push(file.header.revision.clone());
        // A non-transactional step's changes cannot be undone, so its version
        // and history rows are committed with it even in one-transaction runs:
        // otherwise a later failure would leave it applied but unrecorded.
        // Where DDL commits at once (tracked), any step may have committed
        // part of itself: each one commits with its rows.
        let commit_now = run.per_migration || !prepared.transactional || tracked;
        next += 1;
        if commit_now && tracked && next < plan.len() && plan[next].transactional {
            commit_first = true;
        } else if commit_now && next < plan.len() {
            let now_heads = commit_step(conn, table, pending.as_deref(), waits).await?;
            pending = None;
            if !same_rows(&now_heads, &heads) {
                // Another migrator moved the database on: plan again from where it is.
                heads = now_heads;
                plan = run.plan(&heads)?;
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

#[cfg(test)]
mod tests;
