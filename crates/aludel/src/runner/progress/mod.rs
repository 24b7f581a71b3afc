//! Statement-by-statement progress, on engines whose DDL commits implicitly
//! (MySQL, MariaDB: `Dialect::transactional_ddl` is false), where a migration
//! that fails half-way cannot be rolled back and its first statements stay.
//!
//! The table `aludel_progress` (beside the version table) holds one row per
//! statement of the one migration that has started and not finished: its
//! revision, direction, number, line, SHA-256 and first line, and `state`,
//! `started` (written before the statement, in the same round trip) or `done`
//! (written right after it). A migration that finishes deletes its rows in the
//! transaction that writes its version-table row.
//!
//! Architecture invariant: a progress row shares the fate of its statement.
//! The runner sends `started`, the statement and `done` in order on one
//! connection inside the migration's transaction, so whatever commits the
//! statement (its own implicit commit, a later one, or the final `COMMIT`)
//! commits the rows written before it, and a rollback that undoes the
//! statement undoes them too. Hence, after a crash, a `done` row means the
//! statement's effect is in the database, no row means it is not, and a row
//! left `started` means it may or may not be (a DDL statement commits its
//! `started` row before it runs, and the `done` row after it may be lost):
//! the runner then refuses to guess and asks the operator to check by hand.
//! A live runner that sees a statement fail knows more: it reads the rows
//! (its own uncommitted ones included) to find the statement at fault, rolls
//! back, and marks `done` every earlier statement whose `started` row
//! survived the rollback (something committed after it, so it did too). The
//! version-table row is written only after every statement has run; a run
//! resumes after the last `done` statement, and refuses if one of those has
//! been edited since.
//!
//! Downgrading (or upgrading the other way) a half-applied migration is
//! refused: its statements ran in the other direction, and only the operator
//! knows how to undo half of them.

mod report;

use aludel_graph::Step;
use aludel_script::Statement;
use sha2::{Digest, Sha256};

pub use report::{HalfApplied, Problem, StatementProgress, Unfinished};

use super::bookkeeping::now;
use super::{Prepared, db, direction_name};
use crate::dialect::{Dialect, ProgressRecord, VersionTable};
use crate::driver::{BatchError, DbConnection};
use crate::error::{Error, StatementFailure};
use crate::history::RevisionFile;

/// SHA-256 (hex) of a statement's text, line endings normalised.
fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A statement's first line, at most 200 characters.
pub(super) fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

/// Reads the progress table (which must exist): the unfinished migrations,
/// normally none or one.
pub async fn unfinished<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
) -> Result<Vec<Unfinished>, Error> {
    let sql = conn.dialect().progress_rows(&table.progress());
    let rows = conn
        .fetch_text_rows(&sql)
        .await
        .map_err(db("reading the progress table"))?;
    let mut found: Vec<Unfinished> = Vec::new();
    for row in rows {
        let [
            Some(revision),
            Some(direction),
            Some(statement),
            Some(line),
            Some(sha),
            Some(state),
            first,
        ] = <[Option<String>; 7]>::try_from(row).unwrap_or_default()
        else {
            continue;
        };
        let entry = StatementProgress {
            statement: statement.parse().unwrap_or(0),
            line: line.parse().unwrap_or(0),
            sha256: sha,
            done: state == "done",
            first_line: first.unwrap_or_default(),
        };
        match found.last_mut() {
            Some(u) if u.revision == revision && u.direction == direction => {
                u.statements.push(entry)
            }
            _ => found.push(Unfinished {
                revision,
                direction,
                statements: vec![entry],
            }),
        }
    }
    Ok(found)
}

/// Where the database stands, for `current`: the unfinished migrations, none
/// on engines that roll DDL back or when aludel never ran here.
pub async fn status<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
) -> Result<Vec<Unfinished>, Error> {
    if conn.dialect().transactional_ddl()
        || !conn
            .table_exists(&table.progress())
            .await
            .map_err(db("looking for the progress table"))?
    {
        return Ok(Vec::new());
    }
    unfinished(conn, table).await
}

/// Before a run: how many statements of the plan's first step already ran
/// (0 when nothing is unfinished). Refuses if a statement may or may not
/// have run, if the plan does not start with the unfinished migration, or if
/// a statement that ran has been edited.
pub(super) fn resume_point(
    unfinished: &[Unfinished],
    first: Option<&Prepared<'_>>,
    history: &crate::history::History,
    table: &VersionTable,
    dialect: &dyn Dialect,
) -> Result<usize, Error> {
    let Some(u) = unfinished.first() else {
        return Ok(0);
    };
    let path = history
        .graph()
        .find(&u.revision)
        .map(|idx| history.file(idx).path.display().to_string())
        .unwrap_or_else(|| format!("(no file defines revision {})", u.revision));
    let refuse = |problem| {
        Error::HalfApplied(Box::new(HalfApplied {
            unfinished: u.clone(),
            path: path.clone(),
            problem,
            table: dialect.qualified(&table.progress()),
        }))
    };
    if u.uncertain().is_some() {
        return Err(refuse(Problem::Uncertain));
    }
    let matches = first.filter(|p| {
        history.file(p.step.revision).header.revision == u.revision
            && direction_name(p.step.direction) == u.direction
    });
    let Some(prepared) = matches else {
        let planned = match first {
            Some(p) => format!(
                "the {} of {}",
                direction_name(p.step.direction),
                history.file(p.step.revision).header.revision
            ),
            None => "nothing (the target is reached)".to_string(),
        };
        return Err(refuse(Problem::Elsewhere { planned }));
    };
    for ran in &u.statements {
        let now = prepared.statements.get(ran.statement.wrapping_sub(1));
        match now {
            Some(s) if sha256(s.text) == ran.sha256 => {}
            _ => {
                return Err(refuse(Problem::Edited {
                    statement: ran.statement,
                    line: now.map_or(ran.line, |s| s.line),
                }));
            }
        }
    }
    Ok(u.done())
}

/// The statements of a step from number `skip + 1` on, each between its
/// `started` and `done` rows.
pub(super) fn wrapped(
    dialect: &dyn Dialect,
    table: &VersionTable,
    step: &Step,
    revision: &str,
    statements: &[Statement<'_>],
    skip: usize,
) -> Vec<String> {
    let progress = table.progress();
    let direction = direction_name(step.direction);
    let at = now();
    let mut out = Vec::with_capacity(3 * statements.len());
    for (i, statement) in statements.iter().enumerate().skip(skip) {
        let number = i + 1;
        out.push(dialect.progress_started(
            &progress,
            &ProgressRecord {
                revision,
                direction,
                statement: number,
                line: statement.line,
                sha256: &sha256(statement.text),
                first_line: &first_line(statement.text),
                started_at: &at,
            },
        ));
        out.push(statement.text.to_string());
        out.push(dialect.progress_done(&progress, revision, direction, number));
        // The statement committed itself: commit its `done` row too (the
        // last one's is committed with the step).
        if number < statements.len() && dialect.may_commit_implicitly(statement.text) {
            out.push("COMMIT".to_string());
        }
    }
    out
}

/// The statement that forgets a finished step's progress rows.
pub(super) fn clear(
    dialect: &dyn Dialect,
    table: &VersionTable,
    revision: &str,
    step: &Step,
) -> String {
    dialect.progress_clear(
        &table.progress(),
        revision,
        direction_name(step.direction),
        None,
    )
}

/// A tracked step's failed batch.
pub(super) struct Failure {
    /// What the driver reported.
    pub error: BatchError,
    /// The statement whose `started` row an explicit `COMMIT` followed in
    /// the batch (the previous step's commit, see `run_step`): that row
    /// surviving the rollback proves nothing about its statement.
    pub committed_before: Option<usize>,
}

/// After a batch of a tracked step failed: finds the statement at fault from
/// the progress rows (the connection still sees its own uncommitted ones),
/// rolls back, keeps `done` exactly the statements whose effect stayed (a
/// `done` row that survived; or a `started` row that survived, so something
/// committed after it: the statement itself or a later one), leaves
/// `started` a statement it cannot tell about, commits that, and returns the
/// error to report.
pub(super) async fn after_failure<C: DbConnection>(
    conn: &mut C,
    table: &VersionTable,
    file: &RevisionFile,
    prepared: &Prepared<'_>,
    failure: Failure,
    context: impl FnOnce(BatchError) -> Error,
) -> Result<Error, Error> {
    let Failure {
        error,
        committed_before,
    } = failure;
    let revision = file.header.revision.as_str();
    let direction = direction_name(prepared.step.direction);
    let mine = |all: Vec<Unfinished>| {
        all.into_iter()
            .find(|u| u.revision == revision && u.direction == direction)
    };
    let before = mine(unfinished(conn, table).await?);
    let at_fault = before
        .as_ref()
        .and_then(|u| u.uncertain().map(|s| s.statement));
    conn.rollback()
        .await
        .map_err(db("rolling back a failed migration"))?;
    let after = mine(unfinished(conn, table).await?);
    let dialect = conn.dialect();
    let progress = table.progress();
    let mut fix = Vec::new();
    let mut kept = 0;
    if let Some(after) = &after {
        for s in &after.statements {
            if Some(s.statement) == at_fault {
                continue;
            }
            if !s.done && Some(s.statement) != committed_before {
                fix.push(dialect.progress_done(&progress, revision, direction, s.statement));
            }
            kept = kept.max(s.statement);
        }
        // The failed statement, and anything a rollback undid after the
        // last one that stayed, is to be run again.
        fix.push(dialect.progress_clear(&progress, revision, direction, Some(kept + 1)));
    }
    if !fix.is_empty() {
        let fix: Vec<&str> = fix.iter().map(String::as_str).collect();
        conn.execute_batch(&fix)
            .await
            .map_err(|e| Error::database("recording a failed migration's progress", e.error))?;
        conn.commit()
            .await
            .map_err(db("recording a failed migration's progress"))?;
    }
    let Some(number) = at_fault else {
        return Ok(context(error));
    };
    let Some(statement) = prepared.statements.get(number - 1) else {
        return Ok(context(error));
    };
    let failure = StatementFailure {
        path: file.path.display().to_string(),
        line: statement.line,
        revision: revision.to_string(),
        direction,
        statement: statement.text.lines().next().unwrap_or("").to_string(),
        source: error.error,
    };
    if kept == 0 {
        return Ok(Error::Statement(Box::new(failure)));
    }
    let statements = mine(unfinished(conn, table).await?).map_or_else(Vec::new, |u| u.statements);
    Ok(Error::HalfApplied(Box::new(HalfApplied {
        unfinished: Unfinished {
            revision: revision.to_string(),
            direction: direction.to_string(),
            statements,
        },
        path: file.path.display().to_string(),
        problem: Problem::Failed(failure),
        table: dialect.qualified(&progress),
    })))
}
