//! A real SQLite database read into the model: the catalog rows by the same
//! table-valued pragmas the library queries, then the reader.

use aludel_schema::Schema;
use aludel_schema::sqlite::{
    Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexListRow, ObjectRow, TableListRow,
    read_catalog_with_warnings,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row, SqliteConnection};

/// Runs a script.
pub async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// The rows of a query.
async fn rows(conn: &mut SqliteConnection, sql: &'static str) -> Vec<SqliteRow> {
    sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn flag(row: &SqliteRow, i: usize) -> bool {
    row.get::<i64, _>(i) != 0
}

/// The catalog rows, by the same table-valued pragmas the library queries.
async fn catalog(conn: &mut SqliteConnection) -> Catalog {
    let mut c = Catalog::default();
    for r in rows(conn, "SELECT type, name, tbl_name, sql FROM sqlite_schema").await {
        c.objects.push(ObjectRow {
            kind: r.get(0),
            name: r.get(1),
            tbl_name: r.get(2),
            sql: r.get(3),
        });
    }
    let list = "SELECT name, type, strict, wr FROM pragma_table_list WHERE schema = 'main'";
    for r in rows(conn, list).await {
        c.tables.push(TableListRow {
            name: r.get(0),
            kind: r.get(1),
            strict: flag(&r, 2),
            without_rowid: flag(&r, 3),
        });
    }
    let columns = "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, \
                   p.hidden FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p \
                   WHERE m.type = 'table'";
    for r in rows(conn, columns).await {
        c.columns.push(ColumnRow {
            table: r.get(0),
            cid: r.get(1),
            name: r.get(2),
            data_type: r.get(3),
            notnull: flag(&r, 4),
            dflt_value: r.get(5),
            pk: r.get(6),
            hidden: r.get(7),
        });
    }
    let fks = "SELECT m.name, p.id, p.seq, p.\"table\", p.\"from\", p.\"to\", p.on_update, \
               p.on_delete, p.\"match\" FROM sqlite_schema m \
               JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'";
    for r in rows(conn, fks).await {
        c.foreign_keys.push(ForeignKeyRow {
            table: r.get(0),
            id: r.get(1),
            seq: r.get(2),
            referenced_table: r.get(3),
            from: r.get(4),
            to: r.get(5),
            on_update: r.get(6),
            on_delete: r.get(7),
            match_kind: r.get(8),
        });
    }
    let indexes = "SELECT m.name, p.name, p.\"unique\", p.origin, p.partial FROM sqlite_schema m \
                   JOIN pragma_index_list(m.name) p WHERE m.type = 'table'";
    for r in rows(conn, indexes).await {
        c.indexes.push(IndexListRow {
            table: r.get(0),
            name: r.get(1),
            unique: flag(&r, 2),
            origin: r.get(3),
            partial: flag(&r, 4),
        });
    }
    let parts = "SELECT il.name, x.seqno, x.cid, x.name, x.\"desc\", x.coll, x.\"key\" \
                 FROM sqlite_schema m JOIN pragma_index_list(m.name) il \
                 JOIN pragma_index_xinfo(il.name) x WHERE m.type = 'table'";
    for r in rows(conn, parts).await {
        c.index_columns.push(IndexColumnRow {
            index: r.get(0),
            seqno: r.get(1),
            cid: r.get(2),
            name: r.get(3),
            desc: flag(&r, 4),
            coll: r.get(5),
            key: flag(&r, 6),
        });
    }
    c
}

/// The database's schema (the reader must not warn).
pub async fn read(conn: &mut SqliteConnection) -> Schema {
    let read = read_catalog_with_warnings(&catalog(conn).await).expect("read the catalog");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    read.schema
}
