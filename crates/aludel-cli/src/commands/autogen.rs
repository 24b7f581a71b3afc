//! `aludel check` and `aludel revision --autogenerate`: compare the database
//! (or, offline, the migrations replayed in memory or in a scratch database
//! on the server) with the target schema, through the library's
//! [`aludel::autogen`], as an application would.

use aludel::Error;
use aludel::autogen::{self, Comparison, Drift, Renames, RenderOptions};
use aludel::history::History;
use aludel::url::{Backend, DatabaseUrl};

use super::Outcome;
use super::prompt;
use super::revision::{self, NewRevision};
use crate::cli::{CompareArgs, RevisionArgs};
use crate::context::Context;
use crate::output::Output;

/// `aludel check`: exit 0 when the schemas match, 1 (listing the changes)
/// when an upgrade is needed.
pub async fn check(ctx: &Context, args: &CompareArgs, out: &Output) -> Result<Outcome, Error> {
    let drift = compare(ctx, ctx.history()?, args, None, out).await?;
    if drift.is_empty() {
        out.msg("No new upgrade operations detected.");
        return Ok(Outcome::Success);
    }
    // The finding, on stderr as Alembic's error is, and not silenced by -q.
    out.warn("New upgrade operations detected:");
    for line in drift.describe() {
        out.warn(&format!("  Detected {line}"));
    }
    Ok(Outcome::Found)
}

/// `aludel revision --autogenerate`: writes the upgrade and downgrade
/// between the two schemas into a new revision file; with no difference,
/// writes nothing unless `--allow-empty`.
pub async fn revision(ctx: &Context, args: &RevisionArgs, out: &Output) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let concurrently = if args.concurrently {
        Some(true)
    } else {
        Some(ctx.config.autogenerate_concurrently)
    };
    let flag = args.concurrently.then_some("--concurrently");
    let drift = compare(
        ctx,
        history,
        &args.compare,
        concurrently.map(|c| (c, flag)),
        out,
    )
    .await?;
    for line in drift.describe() {
        out.info(&format!("Detected {line}"));
    }
    // What the file warns about (data lost by a dropped column or table),
    // on stderr too, not silenced by -q.
    for block in &drift.migration.upgrade {
        for warning in &block.warnings {
            out.warn(&format!("WARNING: {warning}"));
        }
    }
    if drift.is_empty() {
        out.info("No changes in schema detected.");
        if !args.allow_empty {
            return Ok(Outcome::Success);
        }
        revision::create(
            &ctx.config,
            history,
            &NewRevision::from_args(args, "", ""),
            out,
        )?;
        return Ok(Outcome::Success);
    }
    let (transactional, later) = drift.migration.split_transactional();
    let (upgrades, downgrades) = sections(&transactional);
    let first = revision::create(
        &ctx.config,
        history,
        &NewRevision::from_args(args, &upgrades, &downgrades),
        out,
    )?;
    let Some(later) = later else {
        return Ok(Outcome::Success);
    };
    // What must run outside a transaction (CREATE INDEX CONCURRENTLY, …)
    // goes in a second revision on top of the first.
    let history = ctx.reload_history()?;
    let (upgrades, downgrades) = sections(&later);
    let message = format!(
        "{} (non-transactional part)",
        args.message.as_deref().unwrap_or("empty message")
    );
    let mut second = NewRevision::from_args(args, &upgrades, &downgrades);
    second.message = Some(&message);
    second.heads = vec![first.as_str()];
    second.splice = false;
    second.branch_label = None;
    second.depends_on = &[];
    second.rev_id = None;
    second.transactional = false;
    revision::create(&ctx.config, &history, &second, out)?;
    Ok(Outcome::Success)
}

/// The upgrade and downgrade sections of a revision holding `migration`,
/// each ending with a newline, as a hand-written one does.
fn sections(migration: &autogen::Migration) -> (String, String) {
    (
        format!("{}\n", migration.upgrade_sql().trim_end()),
        format!("{}\n", migration.downgrade_sql().trim_end()),
    )
}

/// Refuses the comparison flags on a plain `revision`.
pub fn refuse_without_autogenerate(args: &RevisionArgs) -> Result<(), Error> {
    if args.autogenerate {
        return Ok(());
    }
    let flag = if args.concurrently {
        "--concurrently"
    } else if args.compare.offline {
        "--offline"
    } else if !args.compare.rename.is_empty() {
        "--rename"
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "{flag} goes with --autogenerate (revision --autogenerate {flag} ...)"
    )))
}

/// Reads both schemas, settles the renames (declared, asked, or warned
/// about) and returns the drift between them; `concurrently` is the render
/// option and the flag that asked for it (refused on engines other than
/// PostgreSQL).
async fn compare(
    ctx: &Context,
    history: &History,
    args: &CompareArgs,
    concurrently: Option<(bool, Option<&str>)>,
    out: &Output,
) -> Result<Drift, Error> {
    let mut renames = Renames::parse_flags(args.rename.iter().map(String::as_str))
        .map_err(|e| Error::Usage(e.to_string()))?;
    let settings = ctx.config.session();
    let sources = autogen::config_sources(&ctx.config)?;
    let dev_url = match &ctx.config.dev_url {
        Some(url) => Some(DatabaseUrl::parse(url)?),
        None => None,
    };
    let database = if args.offline {
        None
    } else {
        ctx.configured_database()?
    };
    // Without the database: the migrations replayed, on the server the URL
    // (never opened offline) or dev_url names, else in memory as SQLite.
    let replay_on = match &database {
        Some(_) => None,
        None => {
            let url = if args.offline { ctx.url().ok() } else { None };
            match url {
                Some(url) if url.backend() == Backend::Sqlite => None,
                Some(url) => Some(url),
                None => dev_url.clone().filter(|u| u.backend() != Backend::Sqlite),
            }
        }
    };
    let backend = match (&database, &replay_on) {
        (Some(url), _) | (None, Some(url)) => url.backend(),
        (None, None) => Backend::Sqlite,
    };
    let mut options = RenderOptions::default();
    if let Some((wanted, flag)) = concurrently {
        let postgres = backend == Backend::Postgres;
        if let (Some(flag), false) = (flag, postgres) {
            let engine = if backend == Backend::MySql {
                "MySQL/MariaDB"
            } else {
                "SQLite"
            };
            return Err(Error::Usage(format!(
                "{flag} is for PostgreSQL (CREATE INDEX CONCURRENTLY); the schemas compared are {engine}"
            )));
        }
        options.concurrently = wanted && postgres;
    }
    let comparison = match (database, replay_on) {
        (Some(url), _) => {
            Comparison::with_database_dev(&url, dev_url.as_ref(), history, &sources, &settings)
                .await?
        }
        (None, Some(server)) => {
            out.info(&format!(
                "Comparing with the migrations replayed in a scratch database on {server}{}",
                if args.offline { " (--offline)" } else { "" }
            ));
            Comparison::with_history_on(
                Some(&server),
                dev_url.as_ref(),
                history,
                &sources,
                &settings,
            )
            .await?
        }
        (None, None) => {
            out.info(if args.offline {
                "Comparing with the migrations replayed in memory (--offline)"
            } else {
                "Comparing with the migrations replayed in memory (no database URL configured)"
            });
            Comparison::with_history(history, &sources, &settings).await?
        }
    };
    for warning in &comparison.warnings {
        out.warn(&format!("WARNING: {warning}"));
    }
    comparison.check_renames(&renames)?;
    prompt::settle_renames(&comparison, &mut renames, &mut prompt::Terminal::new(), out)?;
    comparison.drift_with(&renames, &options)
}
