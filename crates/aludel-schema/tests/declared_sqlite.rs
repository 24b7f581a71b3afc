//! Names as declared and SQLite's key quirk, through the real reader:
//! databases built on SQLite, read back, diffed, rendered and run.

mod db;

use aludel_schema::{
    IndexKey, ObjectName, Renames, Schema, SqliteRenderer, describe_changes, diff, plan,
};
use db::{exec, read};
use sqlx::{Connection, SqliteConnection};

/// A database built from `sql`, read into the model.
async fn read_sql(sql: &str) -> Schema {
    let mut conn = SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("SQLite");
    exec(&mut conn, sql).await.expect("the schema builds");
    read(&mut conn).await
}

/// `id INTEGER PRIMARY KEY DESC` on the column is not a rowid alias (SQLite's
/// quirk) while `PRIMARY KEY (id DESC)` on the table is: the renderer writes
/// a descending one-column key on the column, so it reads back the same.
#[tokio::test]
async fn a_descending_integer_key_on_its_column_reads_back_the_same() {
    let schema = read_sql("CREATE TABLE t (id INTEGER PRIMARY KEY DESC, x TEXT)").await;
    let key = schema
        .tables
        .values()
        .next()
        .and_then(|t| t.primary_key.clone());
    assert_eq!(key.map(|k| k.descending), Some(vec![true]));
    let create = plan(
        &Schema::default(),
        &schema,
        &Renames::none(),
        &SqliteRenderer,
    )
    .expect("plan")
    .upgrade_sql();
    assert!(create.contains("id INTEGER PRIMARY KEY DESC"), "{create}");
    let back = read_sql(&create).await;
    assert!(
        diff(&back, &schema, &Renames::none())
            .expect("diff")
            .is_empty()
    );
    let alias = read_sql("CREATE TABLE t (id INTEGER, x TEXT, PRIMARY KEY (id DESC))").await;
    assert!(
        !diff(&alias, &schema, &Renames::none())
            .expect("diff")
            .is_empty()
    );
}

/// Runs `sql` on a database built from `before`, and reads it back.
async fn after_running(before: &str, sql: &str) -> Schema {
    let mut conn = SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("SQLite");
    exec(&mut conn, before).await.expect("the schema builds");
    exec(
        &mut conn,
        &format!("PRAGMA foreign_keys=OFF; BEGIN;\n{sql}\nCOMMIT;"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    read(&mut conn).await
}

/// Names are read as declared and references spelled as what they name; a
/// case-only difference of a name is none, and a rebuild writes the desired
/// spelling; a declared rename may name things in any case.
#[tokio::test]
async fn identifiers_keep_their_declared_case() {
    let upper = "CREATE TABLE Feed (Id INTEGER PRIMARY KEY, Title TEXT NOT NULL);\n\
                 CREATE TABLE Item (Id INTEGER PRIMARY KEY, FeedId INTEGER REFERENCES feed(id), \
                 CONSTRAINT Positive CHECK (Id > 0));\n\
                 CREATE INDEX IX_Item ON item (feedid);\n\
                 CREATE VIEW V_Titles AS SELECT Title FROM Feed;\n\
                 CREATE TRIGGER TR_Item AFTER INSERT ON Item BEGIN SELECT 1; END;";
    let lower = "CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT);\n\
                 CREATE TABLE item (id INTEGER PRIMARY KEY, feedid INTEGER REFERENCES feed(id), \
                 CONSTRAINT positive CHECK (id > 0));\n\
                 CREATE INDEX ix_item ON item (feedid);\n\
                 CREATE VIEW v_titles AS SELECT title FROM feed;\n\
                 CREATE TRIGGER tr_item AFTER INSERT ON item BEGIN SELECT 1; END;";
    let desired = read_sql(upper).await;
    let item = &desired.tables[&ObjectName::new("Item")];
    assert_eq!(item.columns[1].name, "FeedId");
    let fk = &item.foreign_keys[0];
    assert_eq!(
        (
            &fk.columns,
            &fk.referenced_table.name,
            &fk.referenced_columns
        ),
        (
            &vec!["FeedId".to_string()],
            &"Feed".to_string(),
            &vec!["Id".to_string()]
        )
    );
    assert_eq!(item.checks[0].name.as_deref(), Some("Positive"));
    let trigger = &desired.triggers[&ObjectName::new("TR_Item")];
    assert_eq!(trigger.table, ObjectName::new("Item"));
    let view = &desired.views[&ObjectName::new("V_Titles")];
    assert_eq!(view.depends_on, [ObjectName::new("Feed")]);
    assert_eq!(
        item.indexes["IX_Item"].parts[0].key,
        IndexKey::Column("FeedId".into())
    );
    let current = read_sql(lower).await;
    let m = plan(&current, &desired, &Renames::none(), &SqliteRenderer).expect("plan");
    let changes: Vec<String> = describe_changes(&m.changes);
    assert_eq!(changes, ["NULL change of column 'Feed.Title' to NOT NULL"]);
    let upgrade = m.upgrade_sql();
    assert!(upgrade.contains("\n    Title TEXT NOT NULL,"), "{upgrade}");
    let back = after_running(lower, &upgrade).await;
    let feed = &back.tables[&ObjectName::new("Feed")];
    let names: Vec<&str> = feed.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Id", "Title"],
        "the rebuild writes the desired spelling"
    );
    assert!(
        diff(&back, &desired, &Renames::none())
            .expect("diff")
            .is_empty()
    );
    let left = diff(
        &after_running(upper, &m.downgrade_sql()).await,
        &current,
        &Renames::none(),
    );
    assert!(left.expect("diff").is_empty());
    let same = read_sql(&upper.replace("NOT NULL", "")).await;
    assert!(
        diff(&current, &same, &Renames::none())
            .expect("diff")
            .is_empty()
    );
    assert!(
        diff(&same, &current, &Renames::none())
            .expect("diff")
            .is_empty()
    );
    let renamed = Renames::parse_flags(["ITEM.FEEDID=Source"]).expect("flag");
    let to = read_sql(&lower.replace("feedid", "Source")).await;
    let m = plan(&current, &to, &renamed, &SqliteRenderer).expect("a declared rename in any case");
    assert!(
        m.upgrade_sql().contains("RENAME COLUMN feedid TO Source"),
        "{}",
        m.upgrade_sql()
    );
    let from = read_sql("CREATE TABLE t (a INT CHECK (a > 0), b INT AS (a + 1))").await;
    let to = read_sql("CREATE TABLE t (Size INT CHECK (Size > 0), b INT AS (Size + 1))").await;
    let renamed = Renames::parse_flags(["t.a=Size"]).expect("flag");
    let m = plan(&from, &to, &renamed, &SqliteRenderer).expect("plan");
    let changes = describe_changes(&m.changes);
    assert_eq!(
        changes,
        ["renamed column 't.a' to 't.Size'"],
        "expressions follow"
    );
}
