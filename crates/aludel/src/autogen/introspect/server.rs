//! Reading a PostgreSQL or MySQL/MariaDB database's schema: the engine's
//! catalog queries (`aludel_schema::postgres::catalog_queries`,
//! `aludel_schema::mysql::catalog_queries`, a fixed number whatever the
//! number of tables), each run once on the connection with every column
//! read as text, handed to the engine's `read_catalog`. The version table
//! and aludel's own tables are then left out of the model.

use aludel_schema::Schema;
use aludel_schema::catalog::Rows;

use super::{INTERNAL_PREFIX, starts_with_ignore_case};
use crate::autogen::Engine;
use crate::driver::{AnyDb, DbConnection};
use crate::error::Error;

/// The catalog queries `engine` runs (none for SQLite, which reads its own
/// way: [`super::CATALOG_QUERIES`]).
pub fn catalog_queries(engine: &Engine) -> Vec<&'static str> {
    match engine {
        Engine::Sqlite => Vec::new(),
        Engine::Postgres { version_num } => aludel_schema::postgres::catalog_queries(*version_num),
        Engine::MySql(server) => aludel_schema::mysql::catalog_queries(server),
    }
}

/// Reads the schema of the database `db` is connected to (PostgreSQL: every
/// non-system schema, the `current_schema()`'s objects unqualified;
/// MySQL/MariaDB: the current `DATABASE()`), leaving out the tables named
/// in `exclude` (without regard to ASCII case, in any schema), aludel's own
/// (`_aludel…`) and `alembic_version`, with their triggers and owned
/// sequences, and the schema `namespace` if it holds nothing else (the
/// configured `version_table_schema`). Returns the reader's warnings too.
pub async fn introspect(
    db: &mut AnyDb<'_>,
    engine: &Engine,
    exclude: &[&str],
    namespace: Option<&str>,
) -> Result<(Schema, Vec<String>), Error> {
    let queries = catalog_queries(engine);
    let mut results: Vec<Rows> = Vec::with_capacity(queries.len());
    for sql in queries {
        let rows = db
            .fetch_text_rows(sql)
            .await
            .map_err(|e| Error::database("reading the database's schema", e))?;
        results.push(rows);
    }
    let read = match engine {
        Engine::Sqlite => {
            return Err(Error::Introspection {
                message: "a SQLite database is read by its own introspection".into(),
            });
        }
        Engine::Postgres { .. } => aludel_schema::postgres::read_catalog(&results),
        Engine::MySql(server) => aludel_schema::mysql::read_catalog(server, &results),
    }
    .map_err(|e| Error::Introspection {
        message: e.to_string(),
    })?;
    let mut schema = read.schema;
    leave_out(&mut schema, exclude, namespace);
    Ok((schema, read.warnings))
}

/// Whether `name` is a table a comparison never looks at.
fn excluded(name: &str, exclude: &[&str]) -> bool {
    starts_with_ignore_case(name, INTERNAL_PREFIX)
        || name.eq_ignore_ascii_case("alembic_version")
        || name.eq_ignore_ascii_case(crate::dialect::HISTORY_TABLE)
        || name.eq_ignore_ascii_case(crate::dialect::PROGRESS_TABLE)
        || exclude.iter().any(|e| e.eq_ignore_ascii_case(name))
}

/// Removes the bookkeeping tables (see [`introspect`]) from `schema`.
pub fn leave_out(schema: &mut Schema, exclude: &[&str], namespace: Option<&str>) {
    schema
        .tables
        .retain(|name, _| !excluded(&name.name, exclude));
    let tables = &schema.tables;
    schema.triggers.retain(|_, t| tables.contains_key(&t.table));
    schema.sequences.retain(|_, s| match &s.owned_by {
        Some((table, _)) => !excluded(&table.name, exclude),
        None => true,
    });
    if let Some(namespace) = namespace {
        let used = |schema_of: Option<&String>| schema_of.is_some_and(|s| s == namespace);
        let in_use = schema.tables.keys().any(|n| used(n.schema.as_ref()))
            || schema.views.keys().any(|n| used(n.schema.as_ref()))
            || schema.enums.keys().any(|n| used(n.schema.as_ref()))
            || schema.domains.keys().any(|n| used(n.schema.as_ref()))
            || schema.sequences.keys().any(|n| used(n.schema.as_ref()))
            || schema.functions.keys().any(|n| used(n.schema.as_ref()));
        if !in_use {
            schema.namespaces.retain(|n| n != namespace);
        }
    }
}
