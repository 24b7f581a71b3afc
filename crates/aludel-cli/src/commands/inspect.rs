//! Read-only commands: `current`, `history`, `heads`, `branches`, `show`.
//! None of them creates the version table or a database file.

use aludel::Error;
use aludel::driver::AnyDb;
use aludel::graph::RevIdx;
use aludel::history::History;
use aludel::runner::{
    self,
    verify::{self, Verification},
};

use super::Outcome;
use crate::context::Context;
use crate::format::{self, Parts};
use crate::output::Output;

fn as_strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The revisions a symbol names, reading the database only if the symbol needs
/// it (`current`, relative `+N`/`-N`).
pub async fn resolve_with_current(
    ctx: &Context,
    history: &History,
    rev: &str,
) -> Result<Vec<RevIdx>, Error> {
    let graph = history.graph();
    if rev == "current" {
        let heads = known_heads(ctx, history).await?;
        return heads
            .iter()
            .map(|h| {
                graph.find(h).ok_or_else(|| {
                    Error::Usage(format!("Can't locate revision identified by '{h}'"))
                })
            })
            .collect();
    }
    let needs_db = rev.starts_with('+') || rev.starts_with('-');
    let heads = if needs_db {
        known_heads(ctx, history).await?
    } else {
        Vec::new()
    };
    Ok(graph.resolve(rev, &as_strs(&heads))?)
}

/// The version table's rows, failing with [`Error::DatabaseAhead`] if one of
/// them is not a revision of `history`.
async fn known_heads(ctx: &Context, history: &History) -> Result<Vec<String>, Error> {
    let heads = ctx.current_heads().await?;
    verify::check_known(history, &heads, &ctx.config.version_table())?;
    Ok(heads)
}

/// What `current` checks besides printing.
#[derive(Debug, Clone, Copy)]
pub struct CurrentChecks {
    /// `--check-heads`: the database is at all heads.
    pub heads: bool,
    /// `--verify`: no applied revision file changed since it was applied.
    pub verify: bool,
}

/// `current [-v] [--check-heads] [--verify]`. A version table naming a
/// revision no file defines fails with [`Error::DatabaseAhead`], as Alembic
/// fails there too (with "Can't locate revision").
pub async fn current(
    ctx: &Context,
    verbose: bool,
    checks: CurrentChecks,
    out: &Output,
) -> Result<Outcome, Error> {
    let Read {
        history,
        heads,
        verification,
        unfinished,
    } = read_current(ctx, checks.verify).await?;
    if verbose {
        out.line(&format!(
            "Current revision(s) for {}:",
            ctx.url()?.redacted()
        ));
    }
    let graph = history.graph();
    let current = graph.all_current(&as_strs(&heads))?;
    let mut found = false;
    if checks.heads {
        let mut at: Vec<&str> = heads.iter().map(String::as_str).collect();
        let mut all: Vec<&str> = graph
            .heads()
            .iter()
            .map(|h| graph.revision(*h).id())
            .collect();
        at.sort_unstable();
        all.sort_unstable();
        if at != all {
            out.warn("Database is not on all head revisions");
            found = true;
        }
    }
    if !found {
        for idx in current {
            if verbose {
                out.line(&format::log_entry(history, idx, false));
            } else {
                out.line(&format::short(history, idx, Parts::DEFAULT, false));
            }
        }
    }
    if let Some(verification) = verification {
        found |= report_verification(&verification, out);
    }
    for u in &unfinished {
        out.warn(&format!("WARNING: {}", u.describe()));
    }
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::Success
    })
}

/// The history, the version table's rows (failing with
/// [`Error::DatabaseAhead`] if one is unknown) and, with `verify`, how the
/// applied revisions compare with their files: one connection, opened while
/// the history loads on another thread. A database that does not exist yet
/// has nothing applied; nothing is created.
async fn read_current(ctx: &Context, verify: bool) -> Result<Read, Error> {
    let history = ctx.history_in_background();
    let db = ctx.open_existing().await;
    let Ok(Some(mut db)) = db else {
        let history = loaded(history).await?;
        db?;
        return Ok(Read {
            history,
            heads: Vec::new(),
            verification: verify.then(Verification::default),
            unfinished: Vec::new(),
        });
    };
    let found = read_and_verify(ctx, &mut db, history, verify).await;
    db.close().await;
    found
}

/// What `current` read: the history, the version table's rows, what
/// `--verify` found, and the migrations left half-applied (engines whose DDL
/// commits at once).
struct Read {
    history: &'static History,
    heads: Vec<String>,
    verification: Option<Verification>,
    unfinished: Vec<runner::progress::Unfinished>,
}

async fn read_and_verify(
    ctx: &Context,
    db: &mut AnyDb<'_>,
    history: HistoryHandle,
    verify: bool,
) -> Result<Read, Error> {
    let table = &ctx.config.version_table();
    let heads = runner::current_heads(db, table).await;
    let history = loaded(history).await?;
    let heads = heads?;
    verify::check_known(history, &heads, table)?;
    let found = if verify {
        Some(verify::verify(db, history, &heads, table).await?)
    } else {
        None
    };
    let unfinished = runner::progress::status(db, table).await?;
    Ok(Read {
        history,
        heads,
        verification: found,
        unfinished,
    })
}

type HistoryHandle = tokio::task::JoinHandle<Result<&'static History, Error>>;

/// The history a background load produced.
async fn loaded(handle: HistoryHandle) -> Result<&'static History, Error> {
    match handle.await {
        Ok(loaded) => loaded,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => Err(Error::Usage(format!("loading the history: {e}"))),
    }
}

/// Prints what `current --verify` found: each edited revision on stdout, a
/// summary on stderr. Returns whether any revision was edited.
fn report_verification(found: &Verification, out: &Output) -> bool {
    for e in &found.edited {
        out.line(&format!(
            "{}: revision {} changed since it was applied {} by {}",
            e.path, e.revision, e.applied_at, e.applied_by
        ));
    }
    if !found.edited.is_empty() {
        out.warn(&format!(
            "{} applied revision file(s) changed since applied",
            found.edited.len()
        ));
    }
    out.info(&format!(
        "Verified {} applied revision(s): {} unchanged, {} edited, {} not verifiable \
         (stamped, or applied without aludel)",
        found.verified + found.edited.len() + found.unverifiable,
        found.verified,
        found.edited.len(),
        found.unverifiable
    ));
    !found.edited.is_empty()
}

/// `history [-r RANGE] [-v] [-i]`.
pub async fn history(
    ctx: &Context,
    range: Option<&str>,
    verbose: bool,
    indicate_current: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let graph = history.graph();
    let (base, head) = match range {
        None => (None, None),
        Some(r) => {
            let (b, h) = r.trim().split_once(':').ok_or_else(|| {
                Error::Usage("History range requires [start]:[end], [start]:, or :[end]".into())
            })?;
            (
                Some(b).filter(|s| !s.is_empty()),
                Some(h).filter(|s| !s.is_empty()),
            )
        }
    };
    let needs_db = indicate_current || base == Some("current") || head == Some("current");
    let currents = if needs_db {
        known_heads(ctx, history).await?
    } else {
        Vec::new()
    };
    let current_strs = as_strs(&currents);
    let parts = Parts {
        branches: true,
        doc: true,
        parents: true,
        tree: true,
        heads: true,
    };
    for idx in graph.walk(head.unwrap_or(""), base.unwrap_or(""), &current_strs)? {
        let is_current = indicate_current && current_strs.contains(&graph.revision(idx).id());
        if verbose {
            out.line(&format::log_entry(history, idx, is_current));
        } else {
            out.line(&format::short(history, idx, parts, is_current));
        }
    }
    Ok(Outcome::Success)
}

/// `heads [-v] [--resolve-dependencies]`.
pub fn heads(
    ctx: &Context,
    verbose: bool,
    resolve_dependencies: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let graph = history.graph();
    let heads = if resolve_dependencies {
        graph.resolve("heads", &[])?
    } else {
        graph.heads().to_vec()
    };
    let parts = Parts {
        branches: true,
        tree: false,
        ..Parts::DEFAULT
    };
    for idx in heads {
        if verbose {
            out.line(&format::log_entry(history, idx, false));
        } else {
            out.line(&format::short(history, idx, parts, false));
        }
    }
    Ok(Outcome::Success)
}

/// `branches [-v]`.
pub fn branches(ctx: &Context, verbose: bool, out: &Output) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let graph = history.graph();
    for idx in graph.walk("heads", "base", &[])? {
        let rev = graph.revision(idx);
        if !rev.is_branch_point() {
            continue;
        }
        let top = if verbose {
            format::log_entry(history, idx, false)
        } else {
            format::short(
                history,
                idx,
                Parts {
                    branches: true,
                    ..Parts::DEFAULT
                },
                false,
            )
        };
        let pad = " ".repeat(rev.id().len());
        let children: Vec<String> = rev
            .children()
            .iter()
            .map(|c| {
                let parts = Parts {
                    branches: true,
                    doc: verbose,
                    ..Parts::DEFAULT
                };
                format!("{pad} -> {}", format::short(history, *c, parts, false))
            })
            .collect();
        out.line(&format!("{top}\n{}\n", children.join("\n")));
    }
    Ok(Outcome::Success)
}

/// `show REV`.
pub async fn show(ctx: &Context, rev: &str, out: &Output) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    for idx in resolve_with_current(ctx, history, rev).await? {
        out.line(&format::log_entry(history, idx, false));
    }
    Ok(Outcome::Success)
}
