//! One module per command family; `run` dispatches.

mod autogen;
mod edit;
pub mod init;
mod inspect;
mod migrate;
mod prompt;
mod revision;

use std::process::ExitCode;

use aludel::Error;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::output::Output;

/// How a command that ran without error ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit status 0.
    Success,
    /// Exit status 1: the command found what it checks for (not at all heads,
    /// edited revisions).
    Found,
}

impl Outcome {
    /// The process exit status.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Found => ExitCode::from(1),
        }
    }
}

/// Runs the command the user asked for.
pub async fn run(cli: Cli, out: &'static Output) -> Result<Outcome, Error> {
    if let Command::Init { directory } = &cli.command {
        init::run(directory, cli.config.as_deref(), out)?;
        return Ok(Outcome::Success);
    }
    let ctx = Context::new(&cli, out)?;
    match &cli.command {
        Command::Init { .. } => Ok(Outcome::Success),
        Command::Revision(args) if args.autogenerate => autogen::revision(&ctx, args, out).await,
        Command::Revision(args) => {
            autogen::refuse_without_autogenerate(args)?;
            let history = ctx.history()?;
            revision::create(
                &ctx.config,
                history,
                &revision::NewRevision::from_args(args, "", ""),
                out,
            )?;
            Ok(Outcome::Success)
        }
        Command::Merge {
            revisions,
            message,
            branch_label,
            rev_id,
        } => {
            let history = ctx.history()?;
            revision::create(
                &ctx.config,
                history,
                &revision::NewRevision {
                    message: message.as_deref(),
                    heads: revisions.iter().map(String::as_str).collect(),
                    splice: false,
                    branch_label: branch_label.as_deref(),
                    depends_on: &[],
                    rev_id: rev_id.as_deref(),
                    version_path: None,
                    upgrades: "",
                    downgrades: "",
                    transactional: true,
                },
                out,
            )?;
            Ok(Outcome::Success)
        }
        Command::Upgrade(args) => {
            migrate::migrate(&ctx, aludel::Direction::Upgrade, args, out).await
        }
        Command::Downgrade(args) => {
            migrate::migrate(&ctx, aludel::Direction::Downgrade, args, out).await
        }
        Command::Stamp {
            revisions,
            sql,
            purge,
        } => migrate::stamp(&ctx, revisions, *sql, *purge, out).await,
        Command::Check(args) => autogen::check(&ctx, &args.compare, out).await,
        Command::EnsureVersion { sql } => migrate::ensure_version(&ctx, *sql, out).await,
        Command::Current {
            verbose,
            check_heads,
            verify,
        } => {
            let checks = inspect::CurrentChecks {
                heads: *check_heads,
                verify: *verify,
            };
            inspect::current(&ctx, *verbose, checks, out).await
        }
        Command::History {
            rev_range,
            verbose,
            indicate_current,
        } => inspect::history(&ctx, rev_range.as_deref(), *verbose, *indicate_current, out).await,
        Command::Heads {
            verbose,
            resolve_dependencies,
        } => inspect::heads(&ctx, *verbose, *resolve_dependencies, out),
        Command::Branches { verbose } => inspect::branches(&ctx, *verbose, out),
        Command::Show { rev } => inspect::show(&ctx, rev, out).await,
        Command::Edit { rev } => edit::run(&ctx, rev).await,
    }
}
