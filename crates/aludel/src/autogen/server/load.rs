//! Loading the desired schema's DDL into a database on a server: each
//! source split in the engine's flavour, run statement by statement; a
//! statement the server refuses is [`Error::SchemaSource`] naming the
//! source, the line (PostgreSQL: the line the error's position points
//! into; MySQL/MariaDB: the line its `at line N` names) and the server's
//! message.

use aludel_script::{Flavor, Statement, split_statements};

use crate::autogen::SchemaSource;
use crate::driver::{AnyDb, DbConnection, DbError};
use crate::error::Error;
use crate::url::Backend;

/// Runs every statement of `sources`, in order, on `db`.
pub(crate) async fn load(
    db: &mut AnyDb<'_>,
    backend: Backend,
    sources: &[SchemaSource],
) -> Result<(), Error> {
    let flavor = match backend {
        Backend::MySql => Flavor::MySql,
        _ => Flavor::Postgres,
    };
    for source in sources {
        let at = |line: usize, message: String| Error::SchemaSource {
            origin: source.origin.clone(),
            line,
            message,
        };
        let statements = split_statements(&source.text, 1, flavor)
            .map_err(|e| at(e.line, e.kind.to_string()))?;
        for statement in statements {
            if let Err(e) = db.execute(statement.text).await {
                let line = error_line(&statement, &e, backend);
                return Err(at(line, e.message().to_string()));
            }
        }
    }
    Ok(())
}

/// The line of the source `e` is about: the statement's first line, moved
/// down to where the server says the error is.
fn error_line(statement: &Statement<'_>, e: &DbError, backend: Backend) -> usize {
    let within = match backend {
        Backend::MySql => mysql_line(e.message()).map(|n| n.saturating_sub(1)),
        _ => postgres_position(e).map(|chars| {
            statement
                .text
                .chars()
                .take(chars.saturating_sub(1))
                .filter(|&c| c == '\n')
                .count()
        }),
    };
    statement.line + within.unwrap_or(0)
}

/// The character position (1-based) a PostgreSQL error points at in the
/// statement sent.
#[cfg(feature = "postgres")]
fn postgres_position(e: &DbError) -> Option<usize> {
    use sqlx::postgres::{PgDatabaseError, PgErrorPosition};
    let error = e.sqlx_error()?.as_database_error()?;
    match error.try_downcast_ref::<PgDatabaseError>()?.position()? {
        PgErrorPosition::Original(position) => Some(position),
        PgErrorPosition::Internal { .. } => None,
    }
}

#[cfg(not(feature = "postgres"))]
fn postgres_position(_: &DbError) -> Option<usize> {
    None
}

/// The `at line N` at the end of a MySQL syntax error.
fn mysql_line(message: &str) -> Option<usize> {
    let (_, tail) = message.rsplit_once(" at line ")?;
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::mysql_line;

    #[test]
    fn mysql_names_the_line() {
        assert_eq!(
            mysql_line("You have an error in your SQL syntax; near 'x' at line 3"),
            Some(3)
        );
        assert_eq!(mysql_line("Table 'a' already exists"), None);
    }
}
