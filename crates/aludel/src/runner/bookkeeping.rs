//! The version table and aludel's history table: creating them, reading them,
//! recording steps, and `stamp`, which changes them without running anything.

use aludel_graph::VersionOp;

use super::locks::{Waits, with_locks};
use super::{apply_ops, db};
use crate::dialect::{HistoryRecord, VersionTable};
use crate::driver::{DbConnection, SessionSettings};
use crate::error::Error;
use crate::history::History;

/// Creates the version table (and aludel's history table) if missing. Must run
/// inside a transaction that holds the write lock.
pub async fn ensure_tables<C: DbConnection>(
    conn: &mut C,
    version_table: &VersionTable,
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
    conn.execute(&dialect.create_history_table(&version_table.history()))
        .await
        .map_err(db("creating the history table"))?;
    if !dialect.transactional_ddl() {
        conn.execute(&dialect.create_progress_table(&version_table.progress()))
            .await
            .map_err(db("creating the progress table"))?;
    }
    Ok(())
}

/// Alembic's check that the version table was where the plan expected it:
/// every version-table statement must have touched exactly one row.
pub(super) fn check_version_ops(
    table: &VersionTable,
    ops: &[VersionOp],
    changed: &[u64],
) -> Result<(), Error> {
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
    table: &VersionTable,
    ops: &[VersionOp],
    rows: &[HistoryRecord],
) -> Result<(), Error> {
    let dialect = conn.dialect();
    let mut batch: Vec<String> = ops.iter().map(|op| dialect.version_op(table, op)).collect();
    let history = table.history();
    batch.extend(rows.iter().map(|row| dialect.insert_history(&history, row)));
    let batch: Vec<&str> = batch.iter().map(String::as_str).collect();
    let changed = conn
        .execute_batch(&batch)
        .await
        .map_err(|e| Error::database("stamping the version table", e.error))?;
    check_version_ops(table, ops, &changed[..ops.len()])
}

/// Who runs the migration, for the history table.
pub(super) fn applied_by() -> String {
    crate::driver::user_at_host()
}

pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Sets the version table (`session.version_table`) to `targets` without
/// running any migration, holding the migration lock (waiting up to the lock
/// timeout for it); `on_step` gets Alembic's log text of each step
/// (`Running stamp_revision …`) and lock wait notices.
pub async fn stamp<C: DbConnection>(
    conn: &mut C,
    history: &History,
    targets: &[&str],
    purge: bool,
    session: &SessionSettings,
    on_step: &mut (dyn FnMut(&str) + Send),
) -> Result<Vec<String>, Error> {
    let version_table = &session.version_table;
    let mut waits = Waits::new(session, on_step);
    with_locks(conn, &mut waits, async |conn, waits| {
        let heads = stamp_locked(conn, history, targets, purge, version_table, waits.log).await?;
        conn.commit().await.map_err(db("committing"))?;
        Ok(heads)
    })
    .await
}

async fn stamp_locked<C: DbConnection>(
    conn: &mut C,
    history: &History,
    targets: &[&str],
    purge: bool,
    table: &VersionTable,
    on_step: &mut (dyn FnMut(&str) + Send),
) -> Result<Vec<String>, Error> {
    ensure_tables(conn, table).await?;
    let dialect = conn.dialect();
    let mut heads = if purge {
        conn.execute(&format!("DELETE FROM {}", dialect.qualified(table)))
            .await
            .map_err(db("purging the version table"))?;
        Vec::new()
    } else {
        let heads = conn
            .read_versions(table)
            .await
            .map_err(db("reading the version table"))?;
        super::verify::check_known(history, &heads, table)?;
        heads
    };
    let current: Vec<&str> = heads.iter().map(String::as_str).collect();
    let steps = history.graph().plan_stamp(&current, targets, purge)?;
    forget_unfinished(conn, table, on_step).await?;
    let who = applied_by();
    for step in &steps {
        on_step(&crate::events::stamp_step(&step.short_log(), &step.to));
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

/// Where DDL commits at once: a stamp is the operator saying where the
/// database stands, so the progress of a half-applied migration (which would
/// hold up every later run) is forgotten, and said so in the log.
async fn forget_unfinished<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
    on_step: &mut (dyn FnMut(&str) + Send),
) -> Result<(), Error> {
    let dialect = conn.dialect();
    if dialect.transactional_ddl() {
        return Ok(());
    }
    for unfinished in super::progress::unfinished(conn, table).await? {
        on_step(&format!(
            "Forgetting the progress of {}, as the stamp sets the version table",
            unfinished.describe()
        ));
        let clear = dialect.progress_clear(
            &table.progress(),
            &unfinished.revision,
            &unfinished.direction,
            None,
        );
        conn.execute(&clear)
            .await
            .map_err(db("clearing the progress table"))?;
    }
    Ok(())
}

/// Reads the version table without creating anything.
pub async fn current_heads<C: DbConnection>(
    conn: &mut C,
    version_table: &VersionTable,
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

/// Creates the version table (`session.version_table`) if it is missing,
/// holding the migration lock (waiting up to the lock timeout; `on_wait`
/// gets the notice of a long wait).
pub async fn ensure_version<C: DbConnection>(
    conn: &mut C,
    session: &SessionSettings,
    on_wait: &mut (dyn FnMut(&str) + Send),
) -> Result<(), Error> {
    let version_table = &session.version_table;
    let mut waits = Waits::new(session, on_wait);
    with_locks(conn, &mut waits, async |conn, _| {
        ensure_tables(conn, version_table).await?;
        conn.commit().await.map_err(db("committing"))
    })
    .await
}
