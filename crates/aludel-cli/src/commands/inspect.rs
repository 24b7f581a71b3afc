//! Read-only commands: `current`, `history`, `heads`, `branches`, `show`.
//! None of them creates the version table or a database file.

use aludel::Error;
use aludel::graph::RevIdx;
use aludel::history::History;

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
        let heads = ctx.current_heads().await?;
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
        ctx.current_heads().await?
    } else {
        Vec::new()
    };
    Ok(graph.resolve(rev, &as_strs(&heads))?)
}

/// `current [-v] [--check-heads]`.
pub async fn current(
    ctx: &Context,
    verbose: bool,
    check_heads: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let history = ctx.history_in_background();
    let heads = ctx.current_heads().await;
    let history = match history.await {
        Ok(loaded) => loaded?,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => return Err(Error::Usage(format!("loading the history: {e}"))),
    };
    let heads = heads?;
    if verbose {
        out.line(&format!(
            "Current revision(s) for {}:",
            ctx.url()?.redacted()
        ));
    }
    let graph = history.graph();
    let current = graph.all_current(&as_strs(&heads))?;
    if check_heads {
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
            return Ok(Outcome::Found);
        }
    }
    for idx in current {
        if verbose {
            out.line(&format::log_entry(history, idx, false));
        } else {
            out.line(&format::short(history, idx, Parts::DEFAULT, false));
        }
    }
    Ok(Outcome::Success)
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
        ctx.current_heads().await?
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
