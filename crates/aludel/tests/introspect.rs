//! Introspection on real SQLite: every object kind read into the model,
//! equal DDL reading equal and different DDL reading different, the desired
//! side's errors, and the current side (replayed history, database at head).

use std::path::Path;

use aludel::Error;
use aludel::autogen::current::{database_at_head, replay_sqlite};
use aludel::autogen::desired::{SchemaSource, load_sqlite, run_schema_command};
use aludel::autogen::introspect::introspect_with_warnings;
use aludel::driver::{AnyDb, SessionSettings, SqliteDb};
use aludel::history::History;
use aludel::schema::{Deferrable, FkAction, Identity, IndexKey, ObjectName, Schema};
use aludel::sqlx::{Connection, SqliteConnection};

fn source(text: &str) -> SchemaSource {
    SchemaSource {
        origin: "schema.sql".into(),
        text: text.into(),
    }
}

async fn read(ddl: &str) -> Schema {
    match load_sqlite(&[source(ddl)]).await {
        Ok(schema) => schema,
        Err(e) => panic!("{e}\n{ddl}"),
    }
}

fn name(n: &str) -> ObjectName {
    ObjectName::new(n)
}

const EVERYTHING: &str = r#"
CREATE TABLE parent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL COLLATE NOCASE DEFAULT ('x'),
    n INT DEFAULT -1 CONSTRAINT n_positive CHECK (n > -5),
    twice INT GENERATED ALWAYS AS (n * 2) VIRTUAL,
    thrice INT AS (n * 3) STORED,
    CONSTRAINT uq_code UNIQUE (code),
    UNIQUE (n, code),
    CHECK (length(code) < 10)
);
CREATE TABLE child (
    a INT NOT NULL,
    b TEXT,
    parent_id INT CONSTRAINT fk_parent REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
    code TEXT,
    CONSTRAINT pk_child PRIMARY KEY (a DESC, b),
    FOREIGN KEY (code) REFERENCES parent (code)
) WITHOUT ROWID;
CREATE TABLE strict_one (x INTEGER, y ANY) STRICT;
CREATE INDEX ix_child ON child (b COLLATE NOCASE DESC, lower(code), a) WHERE b IS NOT NULL;
CREATE UNIQUE INDEX ux_parent_n ON parent (n);
CREATE VIEW v_child AS SELECT c.a, p.code FROM child AS c JOIN "Parent" AS p ON p.id = c.parent_id;
CREATE VIEW v_top AS SELECT * FROM v_child;
CREATE TRIGGER tr_child AFTER INSERT ON child BEGIN UPDATE parent SET n = n + 1 WHERE id = new.parent_id; END;
"#;

#[tokio::test]
async fn every_object_kind_reads_into_the_model() {
    let schema = read(EVERYTHING).await;
    let names: Vec<_> = schema.tables.keys().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["child", "parent", "strict_one"],
        "no sqlite_sequence"
    );

    let parent = &schema.tables[&name("parent")];
    let id = &parent.columns[0];
    assert_eq!(
        (id.data_type.as_str(), id.identity.clone()),
        ("INTEGER", Some(Identity::AutoIncrement))
    );
    let code = &parent.columns[1];
    assert!(!code.nullable);
    assert_eq!(code.default.as_deref(), Some("'x'"));
    assert_eq!(code.collation.as_deref(), Some("NOCASE"));
    assert_eq!(parent.columns[2].default.as_deref(), Some("-1"));
    let twice = parent.columns[3].generated.as_ref().unwrap();
    assert_eq!((twice.expr.as_str(), twice.stored), ("n * 2", false));
    let thrice = parent.columns[4].generated.as_ref().unwrap();
    assert_eq!((thrice.expr.as_str(), thrice.stored), ("n * 3", true));
    let uniques: Vec<_> = parent
        .uniques
        .iter()
        .map(|u| (u.name.as_deref(), u.columns.join(",")))
        .collect();
    assert_eq!(
        uniques,
        [
            (Some("uq_code"), "code".to_string()),
            (None, "n,code".to_string())
        ]
    );
    let checks: Vec<_> = parent
        .checks
        .iter()
        .map(|c| (c.name.as_deref(), c.expr.as_str()))
        .collect();
    assert_eq!(
        checks,
        [(Some("n_positive"), "n > -5"), (None, "length(code) < 10")]
    );
    assert_eq!(parent.primary_key.as_ref().unwrap().columns, ["id"]);
    let ux = &parent.indexes["ux_parent_n"];
    assert!(ux.unique && ux.predicate.is_none());
    assert_eq!(
        parent.indexes.len(),
        1,
        "constraint indexes are not CREATE INDEX indexes"
    );

    let child = &schema.tables[&name("child")];
    assert!(child.options.without_rowid && !child.options.strict);
    let pk = child.primary_key.as_ref().unwrap();
    assert_eq!(pk.name.as_deref(), Some("pk_child"));
    assert_eq!(
        (pk.columns.clone(), pk.descending.clone()),
        (vec!["a".to_string(), "b".into()], vec![true, false])
    );
    assert!(!child.columns[0].nullable);
    let fk = &child.foreign_keys[0];
    assert_eq!(fk.name.as_deref(), Some("fk_parent"));
    assert_eq!(
        (fk.columns.clone(), fk.referenced_table.clone()),
        (vec!["parent_id".to_string()], name("parent"))
    );
    assert_eq!(fk.referenced_columns, ["id"]);
    assert_eq!(
        (fk.on_delete, fk.on_update, fk.deferrable),
        (
            FkAction::Cascade,
            FkAction::SetNull,
            Deferrable::InitiallyDeferred
        )
    );
    let fk2 = &child.foreign_keys[1];
    assert_eq!(
        (fk2.name.clone(), fk2.columns.clone(), fk2.deferrable),
        (None, vec!["code".to_string()], Deferrable::No)
    );
    let ix = &child.indexes["ix_child"];
    assert!(!ix.unique);
    assert_eq!(ix.parts[0].key, IndexKey::Column("b".into()));
    assert!(ix.parts[0].descending);
    assert_eq!(ix.parts[0].collation.as_deref(), Some("NOCASE"));
    assert_eq!(ix.parts[1].key, IndexKey::Expr("lower(code)".into()));
    assert_eq!(ix.parts[2].key, IndexKey::Column("a".into()));
    assert_eq!(ix.parts[2].collation, None, "the column's own collation");
    assert_eq!(ix.parts.len(), 3);
    assert_eq!(ix.predicate.as_deref(), Some("b is not null"));

    assert!(schema.tables[&name("strict_one")].options.strict);
    assert_eq!(
        schema.tables[&name("strict_one")].columns[1].data_type,
        "ANY"
    );

    let v = &schema.views[&name("v_child")];
    assert!(
        v.sql.starts_with("CREATE VIEW v_child AS SELECT c.a"),
        "verbatim: {}",
        v.sql
    );
    assert_eq!(
        v.definition,
        "create view v_child as select c.a, p.code from child as c join parent as p on p.id = c.parent_id"
    );
    assert_eq!(v.depends_on, [name("child"), name("parent")]);
    assert_eq!(schema.views[&name("v_top")].depends_on, [name("v_child")]);
    let tr = &schema.triggers[&name("tr_child")];
    assert_eq!(tr.table, name("child"));
    assert!(tr.sql.contains("UPDATE parent SET n = n + 1"));
    assert!(
        tr.definition
            .starts_with("create trigger tr_child after insert on child begin update parent")
    );
    assert_eq!(tr.depends_on, [name("child"), name("parent")]);
}

#[tokio::test]
async fn a_bad_statement_names_its_source_line_and_sqlites_message() {
    let text = "CREATE TABLE a (x INT);\n\n-- next\nCREATE TABLE b (\n  y INT REFERENCES\n);\n";
    let err = load_sqlite(&[source("CREATE TABLE z (x INT);"), source(text)])
        .await
        .unwrap_err();
    let Error::SchemaSource {
        origin,
        line,
        message,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!((origin.as_str(), *line), ("schema.sql", 4));
    assert!(message.contains("syntax error"), "{message}");
    assert!(err.to_string().starts_with("schema.sql:4: "), "{err}");
    let twice = load_sqlite(&[
        source("CREATE TABLE a (x);"),
        source("\nCREATE TABLE a (y);"),
    ])
    .await
    .unwrap_err();
    assert_eq!(twice.to_string(), "schema.sql:2: table a already exists");
}

#[tokio::test]
async fn a_dump_with_sqlites_own_tables_loads() {
    let schema = read("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);\nCREATE TABLE sqlite_sequence(name,seq);").await;
    assert_eq!(schema.tables.len(), 1);
}

#[tokio::test]
async fn a_table_sqlparser_cannot_parse_falls_back_to_the_pragmas_with_a_warning() {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    aludel::sqlx::raw_sql(
        "CREATE TABLE odd (id INTEGER PRIMARY KEY AUTOINCREMENT, n UNSIGNED BIG INT NOT NULL DEFAULT 3 CHECK (n > 0), \
         p INT REFERENCES odd ON DELETE CASCADE)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let (schema, warnings) = introspect_with_warnings(&mut conn, &[]).await.unwrap();
    let odd = &schema.tables[&name("odd")];
    let n = &odd.columns[1];
    assert_eq!(
        (n.data_type.as_str(), n.nullable, n.default.as_deref()),
        ("UNSIGNED BIG INT", false, Some("3"))
    );
    assert_eq!(odd.columns[0].identity, Some(Identity::AutoIncrement));
    assert_eq!(odd.foreign_keys[0].on_delete, FkAction::Cascade);
    assert!(odd.checks.is_empty(), "not invented");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("table odd: its CREATE TABLE could not be parsed"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("checks"), "{warnings:?}");
}

#[test]
fn a_schema_command_gives_its_output_or_its_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.sql"), "CREATE TABLE t (x INT);").unwrap();
    let argv = ["cat".to_string(), "s.sql".into()];
    let got = run_schema_command(&argv, dir.path()).unwrap();
    assert_eq!(
        (got.origin.as_str(), got.text.as_str()),
        ("cat s.sql", "CREATE TABLE t (x INT);")
    );
    let failing = [
        "sh".to_string(),
        "-c".into(),
        "echo boom >&2; exit 3".into(),
    ];
    let err = run_schema_command(&failing, dir.path()).unwrap_err();
    assert!(matches!(err, Error::SchemaCommand { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "schema command `sh -c 'echo boom >&2; exit 3'` failed: exit status 3: boom"
    );
    let missing = run_schema_command(&["no-such-program-x".to_string()], dir.path()).unwrap_err();
    assert!(
        missing.to_string().contains("could not run it"),
        "{missing}"
    );
}

fn anypod() -> History {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/anypod/migrations/versions");
    History::load(&[root]).unwrap()
}

#[tokio::test]
async fn replaying_the_anypod_history_gives_its_schema_without_bookkeeping() {
    let schema = replay_sqlite(&anypod(), &SessionSettings::default())
        .await
        .unwrap();
    let tables: Vec<_> = schema.tables.keys().map(|n| n.name.as_str()).collect();
    assert_eq!(tables, ["download", "feed"]);
    let download = &schema.tables[&name("download")];
    assert_eq!(
        download.primary_key.as_ref().unwrap().columns,
        ["feed_id", "id"]
    );
    assert_eq!(download.foreign_keys[0].referenced_table, name("feed"));
    assert!(download.indexes.contains_key("idx_feed_status"));
    let feed = &schema.tables[&name("feed")];
    let sync = feed.column("last_successful_sync").unwrap();
    assert_eq!(sync.default.as_deref(), Some("datetime('now', 'utc')"));
    assert_eq!(
        feed.column("is_enabled").unwrap().default.as_deref(),
        Some("'1'")
    );
    assert!(!schema.triggers.is_empty());
    assert!(
        schema
            .triggers
            .values()
            .all(|t| t.table == name("download") || t.table == name("feed"))
    );
}

#[tokio::test]
async fn a_database_must_be_at_head_to_be_compared() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let history = anypod();
    let settings = SessionSettings::default();
    let mut conn = SqliteConnection::connect(&format!("{url}?mode=rwc"))
        .await
        .unwrap();
    {
        let mut db = AnyDb::Sqlite(SqliteDb::from_connection(&mut conn));
        let err = database_at_head(&mut db, &history, &settings)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotUpToDate), "{err:?}");
        assert_eq!(err.to_string(), "Target database is not up to date.");
    }
    let options = aludel::runner::RunOptions {
        session: settings.clone(),
        transaction_per_migration: true,
        on_step: &mut |_| {},
        accept_edited: false,
    };
    let mut db = SqliteDb::from_connection(&mut conn);
    aludel::runner::migrate(
        &mut db,
        &history,
        aludel::Direction::Upgrade,
        "423d964333d1",
        options,
    )
    .await
    .unwrap();
    let mut db = AnyDb::Sqlite(db);
    let err = database_at_head(&mut db, &history, &settings)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotUpToDate), "{err:?}");
    let options = aludel::runner::RunOptions {
        session: settings.clone(),
        transaction_per_migration: true,
        on_step: &mut |_| {},
        accept_edited: false,
    };
    aludel::runner::migrate(
        &mut db,
        &history,
        aludel::Direction::Upgrade,
        "heads",
        options,
    )
    .await
    .unwrap();
    let live = database_at_head(&mut db, &history, &settings)
        .await
        .unwrap();
    let replayed = replay_sqlite(&history, &settings).await.unwrap();
    assert_eq!(
        live, replayed,
        "the database at head reads as the replay does"
    );
    assert!(!live.tables.contains_key(&name("alembic_version")));
    assert!(!live.tables.contains_key(&name("aludel_history")));
}

/// `desired`, created by the SQLite renderer on a fresh database, reads
/// back with no difference.
async fn reads_back(desired: &Schema) {
    use aludel::autogen::introspect::introspect;
    use aludel::schema::{Renames, SqliteRenderer, diff, plan};

    let sql = plan(
        &Schema::default(),
        desired,
        &Renames::default(),
        &SqliteRenderer,
    )
    .unwrap()
    .upgrade_sql();
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    aludel::sqlx::raw_sql(aludel::sqlx::AssertSqlSafe(sql.clone()))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let got = introspect(&mut conn, &[]).await.unwrap();
    let left = diff(desired, &got, &Renames::default()).unwrap();
    assert!(left.is_empty(), "{sql}\n{left:?}");
}

#[tokio::test]
async fn every_object_kind_and_the_anypod_schema_read_back_from_the_rendered_sql() {
    reads_back(&read(EVERYTHING).await).await;
    reads_back(
        &replay_sqlite(&anypod(), &SessionSettings::default())
            .await
            .unwrap(),
    )
    .await;
}
