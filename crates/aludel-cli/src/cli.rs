//! Command-line syntax: Alembic's commands and flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Schema migrations with Alembic's model: SQL revision files, one binary.
#[derive(Debug, Parser)]
#[command(name = "aludel", version, about, max_term_width = 100)]
pub struct Cli {
    /// Configuration file (default: $ALUDEL_CONFIG, else ./aludel.toml).
    #[arg(short = 'c', long = "config", global = true, value_name = "CONFIG")]
    pub config: Option<PathBuf>,

    /// Database URL; overrides $DATABASE_URL and database_url in the config.
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,

    /// Do not print informational output.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// aludel's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new migration environment: aludel.toml, DIR/versions/, DIR/script.sql.j2.
    Init {
        /// Folder for the migration scripts.
        directory: PathBuf,
    },
    /// Create a new revision file.
    Revision(RevisionArgs),
    /// Upgrade to a later revision.
    Upgrade(MigrateArgs),
    /// Revert to a previous revision.
    Downgrade(MigrateArgs),
    /// Display the current revision(s) of the database.
    Current {
        /// Verbose output.
        #[arg(short, long)]
        verbose: bool,
        /// Exit with status 1 unless the database is at all heads.
        #[arg(long)]
        check_heads: bool,
        /// List applied revisions whose file changed since; exit with status 1 if any.
        #[arg(long)]
        verify: bool,
    },
    /// List revisions in chronological order (newest first).
    History {
        /// Range of revisions to show, `[start]:[end]`.
        #[arg(short = 'r', long = "rev-range", value_name = "RANGE")]
        rev_range: Option<String>,
        /// Verbose output.
        #[arg(short, long)]
        verbose: bool,
        /// Mark the database's current revision(s).
        #[arg(short = 'i', long)]
        indicate_current: bool,
    },
    /// Show the current available heads.
    Heads {
        /// Verbose output.
        #[arg(short, long)]
        verbose: bool,
        /// Treat dependency versions as down revisions.
        #[arg(long)]
        resolve_dependencies: bool,
    },
    /// Show the current branch points.
    Branches {
        /// Verbose output.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the revision(s) denoted by REV.
    Show {
        /// A revision, `head`, `current`, …
        #[arg(allow_hyphen_values = true)]
        rev: String,
    },
    /// Set the version table to the given revision(s) without running migrations.
    Stamp {
        /// Target revision(s).
        #[arg(required = true, allow_negative_numbers = true)]
        revisions: Vec<String>,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
        /// Delete all rows of the version table before stamping.
        #[arg(long)]
        purge: bool,
    },
    /// Merge two or more revisions into one.
    Merge {
        /// Revisions to merge (e.g. `heads`).
        #[arg(required = true)]
        revisions: Vec<String>,
        /// Message of the merge revision.
        #[arg(short, long)]
        message: Option<String>,
        /// Branch label for the merge revision.
        #[arg(long)]
        branch_label: Option<String>,
        /// Revision id to use instead of a random one.
        #[arg(long)]
        rev_id: Option<String>,
    },
    /// Open the file of a revision in $EDITOR.
    Edit {
        /// A revision, `head`, `current`, …
        #[arg(allow_hyphen_values = true)]
        rev: String,
    },
    /// Compare the database (or, offline, the migrations replayed) with the
    /// target schema: exit 0 if they match, 1 if an upgrade is needed.
    Check(CheckArgs),
    /// Create the version table if it does not exist.
    #[command(alias = "ensure_version")]
    EnsureVersion {
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
    },
}

/// Flags of `revision`.
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message of the revision.
    #[arg(short, long)]
    pub message: Option<String>,
    /// Head revision to build the new revision upon (`base` for a new root).
    #[arg(long, default_value = "head")]
    pub head: String,
    /// Allow a non-head revision as the --head, starting a new branch.
    #[arg(long)]
    pub splice: bool,
    /// Branch label to apply to the new revision.
    #[arg(long)]
    pub branch_label: Option<String>,
    /// Revision(s) the new revision depends on (repeatable).
    #[arg(long)]
    pub depends_on: Vec<String>,
    /// Revision id to use instead of a random one.
    #[arg(long)]
    pub rev_id: Option<String>,
    /// Folder (one of the version locations) to put the new file in.
    #[arg(long)]
    pub version_path: Option<PathBuf>,
    /// Write the upgrade and downgrade that take the database (or, with
    /// --offline, the migrations replayed) to the target schema.
    #[arg(long)]
    pub autogenerate: bool,
    /// With --autogenerate: write the file even when nothing changed.
    #[arg(long, requires = "autogenerate")]
    pub allow_empty: bool,
    /// With --autogenerate on PostgreSQL: create indexes on existing tables
    /// CONCURRENTLY and validate new constraints after adding them NOT
    /// VALID; those statements go in a second revision that runs outside a
    /// transaction (default: `autogenerate_concurrently` in aludel.toml).
    #[arg(long, requires = "autogenerate")]
    pub concurrently: bool,
    /// Autogenerate's comparison options.
    #[command(flatten)]
    pub compare: CompareArgs,
}

/// How `check` and `revision --autogenerate` compare schemas.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Compare with the migrations replayed (in memory, or on a server in a
    /// scratch database) instead of the database.
    #[arg(long)]
    pub offline: bool,
    /// A rename: `OLD_TABLE=NEW_TABLE` or `TABLE.OLD_COLUMN=NEW_COLUMN`
    /// (repeatable); without it a renamed object is dropped and added.
    #[arg(long, value_name = "OLD=NEW")]
    pub rename: Vec<String>,
}

/// Flags of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Comparison options.
    #[command(flatten)]
    pub compare: CompareArgs,
}

/// Arguments of `upgrade` and `downgrade`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Target revision (`head`, `+1`, `-1`, `base`, an id, …); `start:end` with --sql.
    #[arg(allow_hyphen_values = true)]
    pub revision: String,
    /// Print the SQL instead of running it (offline mode).
    #[arg(long)]
    pub sql: bool,
    /// Go on although applied revision files changed since they were applied,
    /// recording their new checksums in aludel_history.
    #[arg(long, conflicts_with = "sql")]
    pub accept_edited: bool,
}
