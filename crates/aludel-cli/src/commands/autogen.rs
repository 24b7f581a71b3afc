//! `aludel check` and `aludel revision --autogenerate`: compare the database
//! (or, offline, the migrations replayed in memory) with the target schema,
//! through the library's [`aludel::autogen`], as an application would.

use aludel::Error;
use aludel::autogen::{self, Comparison, Drift, Renames};
use aludel::history::History;

use super::Outcome;
use super::prompt;
use super::revision::{self, NewRevision};
use crate::cli::{CompareArgs, RevisionArgs};
use crate::context::Context;
use crate::output::Output;

/// `aludel check`: exit 0 when the schemas match, 1 (listing the changes)
/// when an upgrade is needed.
pub async fn check(ctx: &Context, args: &CompareArgs, out: &Output) -> Result<Outcome, Error> {
    let drift = compare(ctx, ctx.history()?, args, out).await?;
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
    let drift = compare(ctx, history, &args.compare, out).await?;
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
    let (upgrades, downgrades) = if drift.is_empty() {
        out.info("No changes in schema detected.");
        if !args.allow_empty {
            return Ok(Outcome::Success);
        }
        (String::new(), String::new())
    } else {
        // Each section ends with a newline, as a hand-written one does.
        (
            format!("{}\n", drift.migration.upgrade_sql().trim_end()),
            format!("{}\n", drift.migration.downgrade_sql().trim_end()),
        )
    };
    revision::create(
        &ctx.config,
        history,
        &NewRevision::from_args(args, &upgrades, &downgrades),
        out,
    )?;
    Ok(Outcome::Success)
}

/// Refuses the comparison flags on a plain `revision`.
pub fn refuse_without_autogenerate(args: &RevisionArgs) -> Result<(), Error> {
    if args.autogenerate {
        return Ok(());
    }
    let flag = if args.compare.offline {
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
/// about) and returns the drift between them.
async fn compare(
    ctx: &Context,
    history: &History,
    args: &CompareArgs,
    out: &Output,
) -> Result<Drift, Error> {
    let mut renames = Renames::parse_flags(args.rename.iter().map(String::as_str))
        .map_err(|e| Error::Usage(e.to_string()))?;
    let settings = ctx.config.session();
    let sources = autogen::config_sources(&ctx.config)?;
    let database = if args.offline {
        None
    } else {
        ctx.configured_database()?
    };
    let comparison = match database {
        Some(url) => Comparison::with_database(&url, history, &sources, &settings).await?,
        None => {
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
    comparison.drift(&renames)
}
