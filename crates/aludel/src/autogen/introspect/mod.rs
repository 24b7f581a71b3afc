//! Reading a database's schema in a fixed number of catalog queries,
//! whatever the number of tables.
//!
//! SQLite (this module): [`CATALOG_QUERIES`] (table-valued pragmas joined to
//! `pragma_table_list`, never one query per table or column) into an
//! [`aludel_schema::sqlite::Catalog`], then
//! [`aludel_schema::sqlite::read_catalog_with_warnings`]. PostgreSQL and
//! MySQL/MariaDB (`server`, with the `postgres` or `mysql` feature): each
//! of the engine's catalog queries run once over any connection, its rows
//! as text, handed to the engine's `read_catalog`.

use aludel_schema::Schema;
use aludel_schema::sqlite::{
    Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexListRow, ObjectRow, TableListRow,
    read_catalog_with_warnings,
};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Row, SqliteExecutor};

use crate::error::Error;

#[cfg(any(feature = "postgres", feature = "mysql"))]
pub mod server;

/// The queries introspection runs, each exactly once: `sqlite_schema`, then
/// the table list, columns, foreign keys, indexes and index columns of every
/// table of the main schema.
pub const CATALOG_QUERIES: [&str; 6] = [
    "SELECT type, name, tbl_name, sql FROM main.sqlite_schema",
    "SELECT name, type, strict, wr FROM pragma_table_list WHERE schema = 'main'",
    "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
     FROM pragma_table_list AS m JOIN pragma_table_xinfo(m.name, m.schema) AS p \
     WHERE m.schema = 'main' AND m.type = 'table'",
    "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete, \
     f.\"match\" \
     FROM pragma_table_list AS m JOIN pragma_foreign_key_list(m.name, m.schema) AS f \
     WHERE m.schema = 'main' AND m.type = 'table'",
    "SELECT m.name, i.name, i.\"unique\", i.origin, i.partial \
     FROM pragma_table_list AS m JOIN pragma_index_list(m.name, m.schema) AS i \
     WHERE m.schema = 'main' AND m.type = 'table'",
    "SELECT i.name, x.seqno, x.cid, x.name, x.\"desc\", x.coll, x.\"key\" \
     FROM pragma_table_list AS m JOIN pragma_index_list(m.name, m.schema) AS i \
     JOIN pragma_index_xinfo(i.name, m.schema) AS x \
     WHERE m.schema = 'main' AND m.type = 'table'",
];

/// Tables introspection always leaves out: aludel's own (`_aludel…`; SQLite's
/// own `sqlite_…` are never read).
pub const INTERNAL_PREFIX: &str = "_aludel";

fn db(e: sqlx::Error) -> Error {
    Error::database("reading the database's schema", e)
}

async fn rows<'c, E: SqliteExecutor<'c>>(
    conn: E,
    sql: &'static str,
) -> Result<Vec<SqliteRow>, Error> {
    sqlx::query(sql).fetch_all(conn).await.map_err(db)
}

fn text(row: &SqliteRow, i: usize) -> Result<String, Error> {
    row.try_get::<Option<String>, _>(i)
        .map(Option::unwrap_or_default)
        .map_err(db)
}

fn opt(row: &SqliteRow, i: usize) -> Result<Option<String>, Error> {
    row.try_get::<Option<String>, _>(i).map_err(db)
}

fn int(row: &SqliteRow, i: usize) -> Result<i64, Error> {
    row.try_get::<i64, _>(i).map_err(db)
}

/// Runs the [`CATALOG_QUERIES`] on `conn` (six queries whatever the schema's
/// size) and returns their rows without the tables named in `exclude`
/// (compared without regard to ASCII case) and those starting with
/// [`INTERNAL_PREFIX`], with their indexes and triggers.
pub async fn read_catalog_rows(
    conn: &mut SqliteConnection,
    exclude: &[&str],
) -> Result<Catalog, Error> {
    let [objects, tables, columns, fks, indexes, index_columns] = CATALOG_QUERIES;
    let mut catalog = Catalog::default();
    for r in rows(&mut *conn, objects).await? {
        catalog.objects.push(ObjectRow {
            kind: text(&r, 0)?,
            name: text(&r, 1)?,
            tbl_name: text(&r, 2)?,
            sql: opt(&r, 3)?,
        });
    }
    for r in rows(&mut *conn, tables).await? {
        catalog.tables.push(TableListRow {
            name: text(&r, 0)?,
            kind: text(&r, 1)?,
            strict: int(&r, 2)? != 0,
            without_rowid: int(&r, 3)? != 0,
        });
    }
    for r in rows(&mut *conn, columns).await? {
        catalog.columns.push(ColumnRow {
            table: text(&r, 0)?,
            cid: int(&r, 1)?,
            name: text(&r, 2)?,
            data_type: text(&r, 3)?,
            notnull: int(&r, 4)? != 0,
            dflt_value: opt(&r, 5)?,
            pk: int(&r, 6)?,
            hidden: int(&r, 7)?,
        });
    }
    for r in rows(&mut *conn, fks).await? {
        catalog.foreign_keys.push(ForeignKeyRow {
            table: text(&r, 0)?,
            id: int(&r, 1)?,
            seq: int(&r, 2)?,
            referenced_table: text(&r, 3)?,
            from: text(&r, 4)?,
            to: opt(&r, 5)?,
            on_update: text(&r, 6)?,
            on_delete: text(&r, 7)?,
            match_kind: text(&r, 8)?,
        });
    }
    for r in rows(&mut *conn, indexes).await? {
        catalog.indexes.push(IndexListRow {
            table: text(&r, 0)?,
            name: text(&r, 1)?,
            unique: int(&r, 2)? != 0,
            origin: text(&r, 3)?,
            partial: int(&r, 4)? != 0,
        });
    }
    for r in rows(&mut *conn, index_columns).await? {
        catalog.index_columns.push(IndexColumnRow {
            index: text(&r, 0)?,
            seqno: int(&r, 1)?,
            cid: int(&r, 2)?,
            name: opt(&r, 3)?,
            desc: int(&r, 4)? != 0,
            coll: opt(&r, 5)?,
            key: int(&r, 6)? != 0,
        });
    }
    let internal: Vec<String> = catalog
        .objects
        .iter()
        .filter(|o| o.kind == "table" && starts_with_ignore_case(&o.name, INTERNAL_PREFIX))
        .map(|o| o.name.clone())
        .collect();
    let mut excluded: Vec<&str> = exclude.to_vec();
    excluded.extend(internal.iter().map(String::as_str));
    Ok(catalog.without_tables(&excluded))
}

pub(crate) fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Reads the schema of the main database on `conn` (see [`read_catalog_rows`]
/// for `exclude`). What the reader could not read fully (a `CREATE TABLE`
/// sqlparser does not parse, a virtual table) goes out as a `WARN` event
/// (target `"aludel"`); [`introspect_with_warnings`] returns it instead.
pub async fn introspect(conn: &mut SqliteConnection, exclude: &[&str]) -> Result<Schema, Error> {
    let (schema, warnings) = introspect_with_warnings(conn, exclude).await?;
    emit_warnings(&warnings);
    Ok(schema)
}

/// Sends each of `warnings` out as a `WARN` event (target `"aludel"`).
pub(crate) fn emit_warnings(warnings: &[String]) {
    for warning in warnings {
        tracing::warn!(target: crate::events::TARGET, "{warning}");
    }
}

/// As [`introspect`], returning the reader's warnings with the schema.
pub async fn introspect_with_warnings(
    conn: &mut SqliteConnection,
    exclude: &[&str],
) -> Result<(Schema, Vec<String>), Error> {
    let catalog = read_catalog_rows(conn, exclude).await?;
    let read = read_catalog_with_warnings(&catalog).map_err(|e| Error::Introspection {
        message: e.to_string(),
    })?;
    Ok((read.schema, read.warnings))
}
