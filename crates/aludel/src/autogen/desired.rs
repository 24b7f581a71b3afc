//! The desired side: DDL sources (the `target_schema` files, or the standard
//! output of `target_schema_command`) loaded statement by statement into a
//! fresh in-memory SQLite database, then introspected like any database.

use std::path::Path;
use std::process::Command;

use aludel_schema::Schema;
use aludel_script::{Flavor, split_statements};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

use super::introspect::{emit_warnings, introspect_with_warnings};
use crate::dialect::{HISTORY_TABLE, PROGRESS_TABLE};
use crate::driver::DbError;
use crate::error::Error;

/// DDL text and where it came from (a file's path, or a command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaSource {
    /// Shown in errors: the file, or the command whose output this is.
    pub origin: String,
    /// The DDL.
    pub text: String,
}

impl SchemaSource {
    /// Reads a DDL file; the origin is its path as given.
    pub fn read_file(path: &Path) -> Result<SchemaSource, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(SchemaSource {
            origin: path.display().to_string(),
            text,
        })
    }
}

/// The tables [`load_sqlite`] leaves out of the desired schema (a source
/// dumped from a migrated database holds them): the default version table
/// and aludel's own.
pub const BOOKKEEPING_TABLES: [&str; 3] = ["alembic_version", HISTORY_TABLE, PROGRESS_TABLE];

/// Loads `sources`, in order, into a fresh in-memory SQLite database (foreign
/// keys on) and introspects it, leaving out [`BOOKKEEPING_TABLES`]. A
/// statement SQLite refuses is [`Error::SchemaSource`] with its source's
/// origin, the line the statement starts on and SQLite's message.
pub async fn load_sqlite(sources: &[SchemaSource]) -> Result<Schema, Error> {
    load_sqlite_excluding(sources, &BOOKKEEPING_TABLES).await
}

/// As [`load_sqlite`], leaving out the tables named in `exclude` instead
/// (a configured version table, say).
pub async fn load_sqlite_excluding(
    sources: &[SchemaSource],
    exclude: &[&str],
) -> Result<Schema, Error> {
    let (schema, warnings) = load_sqlite_with_warnings(sources, exclude).await?;
    emit_warnings(&warnings);
    Ok(schema)
}

/// As [`load_sqlite_excluding`], returning what introspection could not read
/// fully (a virtual table, say) with the schema instead of as events.
pub async fn load_sqlite_with_warnings(
    sources: &[SchemaSource],
    exclude: &[&str],
) -> Result<(Schema, Vec<String>), Error> {
    let mut conn = scratch_database().await?;
    let loaded = load_into(&mut conn, sources).await;
    let schema = match loaded {
        Ok(()) => introspect_with_warnings(&mut conn, exclude).await,
        Err(e) => Err(e),
    };
    let _ = conn.close().await;
    schema
}

/// A private in-memory SQLite database.
pub(crate) async fn scratch_database() -> Result<SqliteConnection, Error> {
    SqliteConnectOptions::new()
        .in_memory(true)
        .foreign_keys(true)
        .connect()
        .await
        .map_err(|e| Error::database("opening an in-memory SQLite database", e))
}

async fn load_into(conn: &mut SqliteConnection, sources: &[SchemaSource]) -> Result<(), Error> {
    for source in sources {
        let at = |line: usize, message: String| Error::SchemaSource {
            origin: source.origin.clone(),
            line,
            message,
        };
        let statements = split_statements(&source.text, 1, Flavor::Sqlite)
            .map_err(|e| at(e.line, e.kind.to_string()))?;
        for statement in statements {
            if creates_internal_table(statement.text) {
                continue;
            }
            sqlx::raw_sql(AssertSqlSafe(statement.text.to_string()))
                .execute(&mut *conn)
                .await
                .map_err(|e| at(statement.line, DbError::from_sqlx(e).message().to_string()))?;
        }
    }
    Ok(())
}

/// `CREATE TABLE sqlite_…` (`sqlite_sequence`, `sqlite_stat1`), which a dump
/// of a database holds and SQLite refuses: SQLite makes these itself.
fn creates_internal_table(statement: &str) -> bool {
    aludel_schema::normalize::normalize_sql(statement).starts_with("create table sqlite_")
}

/// Runs `argv` (no shell) in `cwd` and takes its standard output as DDL; the
/// origin is the command line. A command that cannot start, exits non-zero
/// or writes non-UTF-8 is [`Error::SchemaCommand`] (with its standard error).
pub fn run_schema_command(argv: &[String], cwd: &Path) -> Result<SchemaSource, Error> {
    let command = command_line(argv);
    let failed = |message: String| Error::SchemaCommand {
        command: command.clone(),
        message,
    };
    let Some((program, args)) = argv.split_first() else {
        return Err(failed("the command is empty".into()));
    };
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| failed(format!("could not run it: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let status = match output.status.code() {
            Some(code) => format!("exit status {code}"),
            None => "killed by a signal".to_string(),
        };
        return Err(failed(format!("{status}: {}", stderr.trim_end())));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| failed("its output is not UTF-8 text".into()))?;
    Ok(SchemaSource {
        origin: command,
        text,
    })
}

/// The command line as a shell would need it written (for messages).
fn command_line(argv: &[String]) -> String {
    let word = |a: &String| {
        let plain = !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        if plain {
            a.clone()
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    argv.iter().map(word).collect::<Vec<_>>().join(" ")
}
