//! Whether the database and the revision files still agree: every row of the
//! version table names a revision some file defines ([`check_known`]), and every
//! applied revision's file is the one that was applied ([`verify`]).
//!
//! What "the one that was applied" means: the latest `aludel_history` row of
//! the revision. If it is an `upgrade` or `accept` row with a checksum, the
//! file's checksum now must match it. If it is a `stamp` or `downgrade` row, or
//! there is none (stamped, or applied by Alembic), the revision is counted as
//! not verifiable. The history table is read in one query, and not at all when
//! the version table is empty, so an upgrade from an empty database pays
//! nothing for the check.

use aludel_graph::RevIdx;

use super::bookkeeping::{applied_by, now};
use super::db;
use crate::dialect::{HistoryRecord, VersionTable};
use crate::driver::DbConnection;
use crate::error::{EditedRevision, Error};
use crate::history::History;

/// The `direction` of a history row that accepts an edited file as it is now.
pub const ACCEPT: &str = "accept";

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Applied revisions whose file changed since, in load order.
    pub edited: Vec<EditedRevision>,
    /// Applied revisions whose file matches the recorded checksum.
    pub verified: usize,
    /// Applied revisions with no checksum to compare with (stamped, or applied
    /// by Alembic or before aludel kept checksums).
    pub unverifiable: usize,
}

/// Fails with [`Error::DatabaseAhead`] if `heads` (the version table's rows)
/// name revisions that no file of `history` defines.
pub fn check_known(
    history: &History,
    heads: &[String],
    version_table: &VersionTable,
) -> Result<(), Error> {
    let unknown: Vec<String> = heads
        .iter()
        .filter(|h| history.graph().find(h).is_none())
        .cloned()
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Error::DatabaseAhead {
        version_table: version_table.to_string(),
        unknown,
    })
}

/// Which revisions `heads` imply are applied: the heads and all their
/// ancestors, dependencies included. Indexed by [`RevIdx`].
fn applied_set(history: &History, heads: &[String]) -> Vec<bool> {
    let graph = history.graph();
    let mut applied = vec![false; graph.len()];
    let mut todo: Vec<RevIdx> = heads.iter().filter_map(|h| graph.find(h)).collect();
    while let Some(idx) = todo.pop() {
        if std::mem::replace(&mut applied[idx.index()], true) {
            continue;
        }
        let rev = graph.revision(idx);
        todo.extend(rev.parents().iter().chain(rev.resolved_dependencies()));
    }
    applied
}

/// Compares the applied revisions (those `heads`, the version table's rows,
/// imply) with their files. Fails with [`Error::DatabaseAhead`] if a head is
/// unknown. Reads, never writes; a missing history table means nothing is
/// verifiable.
pub async fn verify<C: DbConnection>(
    conn: &mut C,
    history: &History,
    heads: &[String],
    version_table: &VersionTable,
) -> Result<Verification, Error> {
    check_known(history, heads, version_table)?;
    if heads.is_empty() {
        return Ok(Verification::default());
    }
    let applied = applied_set(history, heads);
    let total = applied.iter().filter(|a| **a).count();
    let mut found = Verification::default();
    let has_history = conn
        .table_exists(&version_table.history())
        .await
        .map_err(db("looking for the history table"))?;
    let rows = if has_history {
        let sql = conn.dialect().latest_history_rows(&version_table.history());
        conn.fetch_text_rows(&sql)
            .await
            .map_err(db("reading the history table"))?
    } else {
        Vec::new()
    };
    let mut edited: Vec<(RevIdx, EditedRevision)> = Vec::new();
    for row in rows {
        let [
            Some(revision),
            Some(direction),
            Some(recorded),
            applied_at,
            applied_by,
        ] = <[Option<String>; 5]>::try_from(row).unwrap_or_default()
        else {
            continue;
        };
        if direction != "upgrade" && direction != ACCEPT {
            continue;
        }
        let Some(idx) = history.graph().find(&revision) else {
            continue;
        };
        if !applied[idx.index()] {
            continue;
        }
        let file = history.file(idx);
        let checksum = file.checksum()?;
        if checksum == recorded {
            found.verified += 1;
            continue;
        }
        edited.push((
            idx,
            EditedRevision {
                revision,
                path: file.path.display().to_string(),
                applied_at: applied_at.unwrap_or_default(),
                applied_by: applied_by.unwrap_or_default(),
                recorded_checksum: recorded,
                checksum,
            },
        ));
    }
    edited.sort_by_key(|(idx, _)| *idx);
    found.unverifiable = total - found.verified - edited.len();
    found.edited = edited.into_iter().map(|(_, e)| e).collect();
    Ok(found)
}

/// The runner's check before it plans: refuses to run with
/// [`Error::EditedRevisions`] if an applied file changed, unless `accept`, in
/// which case it records an `accept` row with the new checksum for each, in
/// the open transaction, so that the next run is quiet.
pub(super) async fn enforce<C: DbConnection>(
    conn: &mut C,
    history: &History,
    heads: &[String],
    version_table: &VersionTable,
    accept: bool,
) -> Result<(), Error> {
    let found = verify(conn, history, heads, version_table).await?;
    if found.edited.is_empty() {
        return Ok(());
    }
    if !accept {
        return Err(Error::EditedRevisions(found.edited));
    }
    let dialect = conn.dialect();
    let who = applied_by();
    let rows: Vec<String> = found
        .edited
        .into_iter()
        .map(|e| {
            dialect.insert_history(
                &version_table.history(),
                &HistoryRecord {
                    revision: e.revision,
                    direction: ACCEPT,
                    applied_at: now(),
                    duration_ms: 0,
                    checksum: Some(e.checksum),
                    applied_by: who.clone(),
                },
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    conn.execute_batch(&rows).await.map_err(|e| {
        Error::database("recording accepted revisions in the history table", e.error)
    })?;
    Ok(())
}
