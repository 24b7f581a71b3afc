//! The one error type of the library: every variant names the file, revision or
//! statement at fault, and an error the database reported is kept as the
//! [`source`](std::error::Error::source) (a [`DbError`], whose own source is
//! the `sqlx::Error`), with its code readable through [`Error::db_code`].

use std::path::PathBuf;
use std::time::Duration;

use crate::driver::DbError;

/// Anything that can go wrong while loading a history or migrating a database.
///
/// Match on the variants an application handles (new ones may come, hence
/// `#[non_exhaustive]`): [`Error::DatabaseAhead`] (a newer release migrated
/// the database), [`Error::LockTimeout`] (another migrator kept the lock),
/// [`Error::Statement`] (a migration failed and was rolled back),
/// [`Error::Database`] (connecting or bookkeeping failed). No variant's
/// `Display` or `Debug` shows a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },

    /// The configuration file is malformed or has an unknown key.
    #[error("{}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// A database URL that cannot be parsed.
    #[error("invalid database URL `{url}`: {message}")]
    Url {
        /// The URL with its password hidden.
        url: String,
        /// What is wrong.
        message: String,
    },

    /// The configured `script_location` folder does not exist (Alembic's words).
    #[error(
        "Path doesn't exist: {}.  Please use the 'init' command to create a new scripts folder.",
        .0.display()
    )]
    NoScriptLocation(PathBuf),

    /// No database URL was given anywhere.
    #[error("no database URL: pass --url, set DATABASE_URL, or set database_url in aludel.toml")]
    NoUrl,

    /// A revision file that cannot be parsed.
    #[error("{path}:{line}: {message}")]
    Script {
        /// The revision file.
        path: String,
        /// 1-based line of the fault.
        line: usize,
        /// What is wrong.
        message: String,
    },

    /// The revision graph is invalid, or a target cannot be resolved.
    #[error("{0}")]
    Graph(Box<aludel_graph::GraphError>),

    /// A transactional section holds a statement that would start, commit or
    /// roll back the transaction aludel runs it in (and so commit part of
    /// the migration, or fail half-way); refused before anything runs.
    #[error(
        "{path}:{line}: statement in {direction} of revision {revision} {control}, but the section runs in a transaction; mark the section `-- migrate:{direction} transaction:false` if the migration manages its transactions by hand\n  statement: {statement}"
    )]
    TransactionControl {
        /// The revision file.
        path: String,
        /// 1-based line where the statement starts.
        line: usize,
        /// The revision.
        revision: String,
        /// `upgrade` or `downgrade`.
        direction: &'static str,
        /// What the statement does.
        control: aludel_script::TransactionControl,
        /// The first line of the statement.
        statement: String,
    },

    /// A statement of a migration failed; its migration was rolled back. The
    /// database's error is the [`source`](std::error::Error::source).
    #[error(transparent)]
    Statement(Box<StatementFailure>),

    /// The database could not be opened or a bookkeeping query failed; the
    /// database's error is the [`source`](std::error::Error::source).
    #[error("database error while {context}: {source}")]
    Database {
        /// What aludel was doing.
        context: String,
        /// What the database (or the driver) said, with its code and the
        /// sqlx error behind it.
        source: DbError,
    },

    /// The version table disagrees with what the plan expected.
    #[error("{0}")]
    VersionTable(String),

    /// Another process held a lock for longer than `lock_timeout`.
    #[error(
        "gave up after waiting {:.1}s for {lock}{}, which another process kept (lock_timeout)",
        .waited.as_secs_f64(),
        held_by(.holder)
    )]
    LockTimeout {
        /// Which lock, and on which file (e.g. `the migration lock
        /// app.db-aludel-lock`, `the write lock on app.db`).
        lock: String,
        /// Who holds it, when the lock says (e.g. `pid 42 (alice@host)`).
        holder: Option<String>,
        /// How long aludel waited.
        waited: Duration,
    },

    /// A command was used in a way it does not support.
    #[error("{0}")]
    Usage(String),

    /// `check` or `revision --autogenerate` has no desired schema to compare
    /// with: `aludel.toml` sets neither `target_schema` nor
    /// `target_schema_command`.
    #[error("No target schema: set target_schema or target_schema_command in aludel.toml")]
    NoTargetSchema,

    /// The two schemas cannot be compared as asked (e.g. a declared rename
    /// that names no table or column).
    #[error("{0}")]
    Diff(aludel_schema::DiffError),

    /// Applied revisions whose file changed since they were applied; nothing
    /// was run. Accept the files as they are now to go on (the CLI's
    /// `--accept-edited`, the runner's `RunOptions::accept_edited`).
    #[error("{}", edited_message(.0))]
    EditedRevisions(Vec<EditedRevision>),

    /// The version table holds revisions that no revision file defines: most
    /// likely a newer version of the application migrated this database.
    #[error(
        "the database is ahead of these revision files: its version table '{version_table}' \
         holds {} that no revision file defines; a newer version of the application \
         probably migrated this database (run that version, or add the missing revision files)",
        quoted_list(unknown)
    )]
    DatabaseAhead {
        /// The version table.
        version_table: String,
        /// Its rows that no file defines.
        unknown: Vec<String>,
    },

    /// A migration is half-applied on an engine whose DDL commits at once
    /// (MySQL, MariaDB): a statement failed after others had run, a migrator
    /// stopped while a statement ran, a statement that ran was edited since,
    /// or the run would do something else first. Says where the database
    /// stands (revision, direction, statement, line) and what to do.
    /// When a statement failed, the database's error is the
    /// [`source`](std::error::Error::source).
    #[error(transparent)]
    HalfApplied(Box<crate::runner::progress::HalfApplied>),

    /// A desired-schema source (a `target_schema` file, or the output of
    /// `target_schema_command`) holds a statement the engine refused.
    #[error("{origin}:{line}: {message}")]
    SchemaSource {
        /// The file, or the command line whose output it is.
        origin: String,
        /// 1-based line where the statement starts.
        line: usize,
        /// What the engine (or the splitter) said.
        message: String,
    },

    /// Autogenerate or check needs the database at the history's heads
    /// (Alembic's error).
    #[error("Target database is not up to date.")]
    NotUpToDate,

    /// `target_schema_command` could not be run or failed.
    #[error("schema command `{command}` failed: {message}")]
    SchemaCommand {
        /// The command line.
        command: String,
        /// Why: it could not start, or its exit status and standard error.
        message: String,
    },

    /// A database's schema could not be read into the schema model.
    #[error("reading the database's schema: {message}")]
    Introspection {
        /// What could not be read.
        message: String,
    },

    /// A template could not be rendered.
    #[error("template {}: {message}", path.display())]
    Template {
        /// The template file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Where and why a migration's statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{path}:{line}: statement failed in {direction} of revision {revision}: {source}\n  statement: {statement}"
)]
pub struct StatementFailure {
    /// The revision file.
    pub path: String,
    /// 1-based line where the statement starts.
    pub line: usize,
    /// The revision being applied.
    pub revision: String,
    /// `upgrade` or `downgrade`.
    pub direction: &'static str,
    /// The first line of the statement.
    pub statement: String,
    /// What the database said, with its code and the sqlx error behind it.
    pub source: DbError,
}

/// An applied revision whose file is no longer what was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedRevision {
    /// The revision id.
    pub revision: String,
    /// The revision file as it is now.
    pub path: String,
    /// When the recorded version was applied (or accepted), UTC, RFC 3339.
    pub applied_at: String,
    /// `user@host` that applied (or accepted) it.
    pub applied_by: String,
    /// SHA-256 recorded then (line endings normalised).
    pub recorded_checksum: String,
    /// SHA-256 of the file now.
    pub checksum: String,
}

fn edited_message(edited: &[EditedRevision]) -> String {
    let mut text = format!(
        "{} applied revision file{} changed since {} applied:",
        edited.len(),
        if edited.len() == 1 { "" } else { "s" },
        if edited.len() == 1 {
            "it was"
        } else {
            "they were"
        },
    );
    for e in edited {
        text.push_str(&format!(
            "\n  {}: revision {} applied {} by {}",
            e.path, e.revision, e.applied_at, e.applied_by
        ));
    }
    text.push_str(
        "\nnothing was run; to accept the files as they are now, run again with --accept-edited \
         (in an application: Migrations::with_accept_edited(true)); the acceptance is recorded \
         in aludel_history",
    );
    text
}

fn quoted_list(ids: &[String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    match quoted.len() {
        1 => format!("revision {}", quoted[0]),
        _ => format!("revisions {}", quoted.join(", ")),
    }
}

impl From<aludel_graph::GraphError> for Error {
    fn from(e: aludel_graph::GraphError) -> Error {
        Error::Graph(Box::new(e))
    }
}

/// `, held by X` when the holder is known.
fn held_by(holder: &Option<String>) -> String {
    holder
        .as_deref()
        .map(|h| format!(", held by {h}"))
        .unwrap_or_default()
}

/// What separates a lock from its holder in a driver's description of a busy
/// lock ([`crate::driver::Attempt::Busy`]).
const HELD_BY: &str = ", held by ";

impl Error {
    /// A database error with a description of what was being done; `error`
    /// (a [`DbError`], or an `sqlx::Error`) becomes the source.
    pub fn database(context: impl Into<String>, error: impl Into<DbError>) -> Error {
        Error::Database {
            context: context.into(),
            source: error.into(),
        }
    }

    /// [`Error::LockTimeout`] for a lock a driver described as busy
    /// (`the migration lock F, held by pid N (user@host)`): the holder, when
    /// named, goes to its own field.
    pub fn lock_timeout(description: String, waited: Duration) -> Error {
        let (lock, holder) = match description.split_once(HELD_BY) {
            Some((lock, holder)) => (lock.to_string(), Some(holder.to_string())),
            None => (description, None),
        };
        Error::LockTimeout {
            lock,
            holder,
            waited,
        }
    }

    /// The database's error behind this one, if the database (or the driver
    /// talking to it) reported it: for [`Error::Database`],
    /// [`Error::Statement`] and an [`Error::HalfApplied`] whose statement
    /// failed.
    pub fn db_error(&self) -> Option<&DbError> {
        match self {
            Error::Database { source, .. } => Some(source),
            Error::Statement(failure) => Some(&failure.source),
            Error::HalfApplied(half) => match &half.problem {
                crate::runner::progress::Problem::Failed(failure) => Some(&failure.source),
                _ => None,
            },
            _ => None,
        }
    }

    /// The engine's error code of the database's error behind this one:
    /// SQLSTATE on PostgreSQL (`23505`), the server's error number on
    /// MySQL/MariaDB (`1062`), the extended result code on SQLite (`2067`
    /// for a UNIQUE constraint); `None` when there is none.
    pub fn db_code(&self) -> Option<&str> {
        self.db_error().and_then(DbError::code)
    }

    /// The `sqlx::Error` behind this one, if any (also reachable by walking
    /// [`source`](std::error::Error::source)).
    pub fn sqlx_error(&self) -> Option<&sqlx::Error> {
        self.db_error().and_then(DbError::sqlx_error)
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_locks_holder_becomes_a_field_and_is_still_shown() {
        let waited = Duration::from_millis(1500);
        let err = Error::lock_timeout(
            "the migration lock app.db-aludel-lock, held by pid 42 (alice@host)".into(),
            waited,
        );
        let Error::LockTimeout { lock, holder, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(lock, "the migration lock app.db-aludel-lock");
        assert_eq!(holder.as_deref(), Some("pid 42 (alice@host)"));
        assert_eq!(
            err.to_string(),
            "gave up after waiting 1.5s for the migration lock app.db-aludel-lock, \
             held by pid 42 (alice@host), which another process kept (lock_timeout)"
        );
        let anonymous = Error::lock_timeout("the write lock on app.db".into(), waited);
        assert!(matches!(anonymous, Error::LockTimeout { holder: None, .. }));
        assert!(
            anonymous
                .to_string()
                .contains("for the write lock on app.db, which another")
        );
    }

    #[test]
    fn only_database_errors_have_a_code() {
        let coded = Error::database("reading", DbError::new("no table"));
        assert_eq!(coded.db_code(), None, "a driver's own error has none");
        assert_eq!(coded.db_error().map(DbError::message), Some("no table"));
        assert!(std::error::Error::source(&coded).is_some());
        assert!(Error::NoUrl.db_error().is_none());
        assert!(Error::NoUrl.sqlx_error().is_none());
    }
}
