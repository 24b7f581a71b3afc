//! Until `aludel::autogen::introspect` is in this branch: the catalog rows of
//! an SQLite connection, read with the fixed queries of the design
//! (`sqlite_schema` joined to the table-valued pragmas), for
//! `aludel_schema::sqlite::read_catalog`.

use aludel::sqlx::sqlite::SqliteConnection;
use aludel::sqlx::{self, AssertSqlSafe};
use aludel_schema::sqlite::catalog::{
    Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexListRow, ObjectRow, TableListRow,
};

/// `SELECT select` over every table `m` of the schema, with `joins`.
fn over_tables(select: &str, joins: &str, order: &str) -> String {
    format!(
        "SELECT {select} FROM sqlite_schema m {joins} \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY {order}"
    )
}

async fn rows<T>(conn: &mut SqliteConnection, query: &str) -> Result<Vec<T>, String>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    sqlx::query_as(AssertSqlSafe(query.to_string()))
        .fetch_all(conn)
        .await
        .map_err(|e| format!("{query}: {e}"))
}

/// The catalog of `conn`'s main schema, without `excluded` tables and
/// aludel's own (`aludel_history`, `aludel_progress`, `_aludel*`).
pub async fn catalog(conn: &mut SqliteConnection, excluded: &[&str]) -> Result<Catalog, String> {
    let objects: Vec<(String, String, String, Option<String>)> = rows(
        conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )
    .await?;
    let tables: Vec<(String, String, i64, i64)> = rows(
        conn,
        "SELECT name, type, strict, wr FROM pragma_table_list \
         WHERE schema = 'main' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .await?;
    type ColumnTuple = (String, i64, String, String, i64, Option<String>, i64, i64);
    let columns: Vec<ColumnTuple> = rows(
        conn,
        &over_tables(
            "m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden",
            "JOIN pragma_table_xinfo(m.name) p",
            "m.name, p.cid",
        ),
    )
    .await?;
    type FkTuple = (
        String,
        i64,
        i64,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
    );
    let foreign_keys: Vec<FkTuple> = rows(
        conn,
        &over_tables(
            "m.name, p.id, p.seq, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete, p.\"match\"",
            "JOIN pragma_foreign_key_list(m.name) p",
            "m.name, p.id, p.seq",
        ),
    )
    .await?;
    let indexes: Vec<(String, String, i64, String, i64)> = rows(
        conn,
        &over_tables(
            "m.name, p.name, p.\"unique\", p.origin, p.partial",
            "JOIN pragma_index_list(m.name) p",
            "m.name, p.name",
        ),
    )
    .await?;
    type IndexColumnTuple = (String, i64, i64, Option<String>, i64, Option<String>, i64);
    let index_columns: Vec<IndexColumnTuple> = rows(
        conn,
        &over_tables(
            "i.name, x.seqno, x.cid, x.name, x.desc, x.coll, x.key",
            "JOIN pragma_index_list(m.name) i JOIN pragma_index_xinfo(i.name) x",
            "i.name, x.seqno",
        ),
    )
    .await?;
    let catalog = Catalog {
        objects: objects
            .into_iter()
            .map(|(kind, name, tbl_name, sql)| ObjectRow {
                kind,
                name,
                tbl_name,
                sql,
            })
            .collect(),
        tables: tables
            .into_iter()
            .map(|(name, kind, strict, wr)| TableListRow {
                name,
                kind,
                strict: strict != 0,
                without_rowid: wr != 0,
            })
            .collect(),
        columns: columns
            .into_iter()
            .map(
                |(table, cid, name, data_type, notnull, dflt_value, pk, hidden)| ColumnRow {
                    table,
                    cid,
                    name,
                    data_type,
                    notnull: notnull != 0,
                    dflt_value,
                    pk,
                    hidden,
                },
            )
            .collect(),
        foreign_keys: foreign_keys
            .into_iter()
            .map(
                |(table, id, seq, referenced_table, from, to, on_update, on_delete, match_kind)| {
                    ForeignKeyRow {
                        table,
                        id,
                        seq,
                        referenced_table,
                        from,
                        to,
                        on_update,
                        on_delete,
                        match_kind,
                    }
                },
            )
            .collect(),
        indexes: indexes
            .into_iter()
            .map(|(table, name, unique, origin, partial)| IndexListRow {
                table,
                name,
                unique: unique != 0,
                origin,
                partial: partial != 0,
            })
            .collect(),
        index_columns: index_columns
            .into_iter()
            .map(
                |(index, seqno, cid, name, desc, coll, key)| IndexColumnRow {
                    index,
                    seqno,
                    cid,
                    name,
                    desc: desc != 0,
                    coll,
                    key: key != 0,
                },
            )
            .collect(),
    };
    let mut own: Vec<&str> = vec!["aludel_history", "aludel_progress"];
    own.extend(
        catalog
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .filter(|name| name.starts_with("_aludel")),
    );
    own.extend_from_slice(excluded);
    let own: Vec<String> = own.into_iter().map(str::to_string).collect();
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    Ok(catalog.without_tables(&own))
}
