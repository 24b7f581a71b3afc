//! A rebuild of a rowid table without an `INTEGER PRIMARY KEY` keeps each
//! row's rowid: applications, external-content FTS indexes and triggers may
//! hold them, and rows deleted before the rebuild must not renumber the rest.

use aludel_schema::{Column, ObjectName, Renames, Schema, SqliteRenderer, Table, plan};
use sqlx::{AssertSqlSafe, Connection, SqliteConnection};

fn schema(n_not_null: bool) -> Schema {
    let mut table = Table::new(ObjectName::new("k"));
    table.columns.push(Column::new("name", "TEXT"));
    let mut n = Column::new("n", "INTEGER");
    if n_not_null {
        n.nullable = false;
        n.default = Some("0".to_string());
    }
    table.columns.push(n);
    let mut schema = Schema::default();
    schema.tables.insert(table.name.clone(), table);
    schema
}

async fn run(conn: &mut SqliteConnection, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
}

async fn rowids(conn: &mut SqliteConnection) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT rowid, name FROM k ORDER BY rowid")
        .fetch_all(&mut *conn)
        .await
        .expect("rowids")
}

#[tokio::test]
async fn a_rebuild_keeps_the_rowids_of_a_table_without_integer_primary_key() {
    let (before, after) = (schema(false), schema(true));
    let migration = plan(&before, &after, &Renames::default(), &SqliteRenderer).expect("plan");
    let mut conn = SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    run(&mut conn, "CREATE TABLE k (name TEXT, n INTEGER)").await;
    run(
        &mut conn,
        "INSERT INTO k VALUES ('a', 1), ('b', NULL), ('c', 3); DELETE FROM k WHERE name = 'a'",
    )
    .await;
    let kept = vec![(2, "b".to_string()), (3, "c".to_string())];
    assert_eq!(rowids(&mut conn).await, kept);
    let upgrade = migration.upgrade_sql();
    run(
        &mut conn,
        &format!("PRAGMA foreign_keys=OFF; BEGIN; {upgrade} COMMIT;"),
    )
    .await;
    assert_eq!(rowids(&mut conn).await, kept, "{upgrade}");
    let downgrade = migration.downgrade_sql();
    run(&mut conn, &format!("BEGIN; {downgrade} COMMIT;")).await;
    assert_eq!(rowids(&mut conn).await, kept, "{downgrade}");
}
