//! Equal DDL written differently reads to equal models; DDL that differs
//! in anything the model holds reads to different ones (real SQLite).

use aludel::autogen::desired::{SchemaSource, load_sqlite};
use aludel::schema::Schema;

async fn read(ddl: &str) -> Schema {
    let source = SchemaSource {
        origin: "schema.sql".into(),
        text: ddl.into(),
    };
    match load_sqlite(&[source]).await {
        Ok(schema) => schema,
        Err(e) => panic!("{e}\n{ddl}"),
    }
}

/// Pairs of schemas that mean the same.
const EQUAL: &[(&str, &str)] = &[
    (
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x INT DEFAULT 0)",
        "create table T (\"ID\" integer primary key, [x] int default (0))",
    ),
    (
        "CREATE TABLE t (x VARCHAR(10) NOT NULL) -- c",
        "CREATE TABLE t (\n  /* the x */ x varchar ( 10 )  NOT   NULL\n)",
    ),
    (
        "CREATE TABLE t (x TEXT CHECK (x <> 'A'))",
        "CREATE TABLE t (x TEXT CHECK ((X<>'A')))",
    ),
    (
        "CREATE TABLE t (x INT); CREATE INDEX ix ON t (x) WHERE x > 0",
        "CREATE TABLE t (x INT); create index IX on T (X) where (x>0)",
    ),
    (
        "CREATE TABLE t (x INT, y INT AS (x + 1))",
        "CREATE TABLE t (x INT, y INT GENERATED ALWAYS AS ((x+1)) VIRTUAL)",
    ),
    (
        "CREATE TABLE t (x INT COLLATE BINARY)",
        "CREATE TABLE t (x INT)",
    ),
    (
        "CREATE TABLE t (x INT); CREATE VIEW v AS SELECT x FROM t",
        "CREATE TABLE t (x INT); create view V as select X from \"t\";",
    ),
    (
        "CREATE TABLE t (x INT); CREATE VIEW v AS SELECT x FROM t",
        "CREATE TABLE t (x INT); CREATE VIEW IF NOT EXISTS v AS SELECT x FROM t",
    ),
    (
        "CREATE TABLE t (x INT); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE TABLE t (x INT); CREATE TRIGGER IF NOT EXISTS TR after insert on T begin select 1 ; end",
    ),
    (
        "CREATE TABLE IF NOT EXISTS t (x INT)",
        "CREATE TABLE t (x INT)",
    ),
    (
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT REFERENCES P(ID))",
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT, FOREIGN KEY (A) REFERENCES p (id))",
    ),
    (
        "CREATE TABLE t (x TEXT DEFAULT CURRENT_TIMESTAMP)",
        "CREATE TABLE t (x TEXT default current_timestamp)",
    ),
    (
        "CREATE TABLE t (x INT DEFAULT (-1))",
        "CREATE TABLE t (x INT DEFAULT -1)",
    ),
    (
        "CREATE TABLE t (x TEXT DEFAULT \"on\")",
        "CREATE TABLE t (x TEXT DEFAULT 'on')",
    ),
    (
        "CREATE TABLE t (x TEXT DEFAULT (datetime('now')))",
        "CREATE TABLE t (x TEXT DEFAULT (DATETIME( 'now' )))",
    ),
    (
        "CREATE TABLE t (x INT CHECK (x IN (1,2)))",
        "CREATE TABLE t (x INT, CHECK (X in (1, 2)))",
    ),
    (
        "CREATE TABLE t (a INT, CONSTRAINT u UNIQUE (A))",
        "CREATE TABLE t (\"A\" INT CONSTRAINT \"U\" UNIQUE)",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (lower(a))",
        "CREATE TABLE t (a INT); CREATE INDEX I ON T (LOWER( \"A\" ))",
    ),
];

/// Pairs of schemas that differ in something the model holds.
const DIFFERENT: &[(&str, &str)] = &[
    ("CREATE TABLE t (x INT)", "CREATE TABLE u (x INT)"),
    ("CREATE TABLE t (x INT)", "CREATE TABLE t (y INT)"),
    ("CREATE TABLE t (x INT)", "CREATE TABLE t (x TEXT)"),
    (
        "CREATE TABLE t (x INT)",
        "CREATE TABLE t (x INT NOT NULL DEFAULT 0)",
    ),
    (
        "CREATE TABLE t (x INT DEFAULT 0)",
        "CREATE TABLE t (x INT DEFAULT 1)",
    ),
    (
        "CREATE TABLE t (x TEXT DEFAULT 'a')",
        "CREATE TABLE t (x TEXT DEFAULT 'A')",
    ),
    (
        "CREATE TABLE t (x TEXT)",
        "CREATE TABLE t (x TEXT COLLATE NOCASE)",
    ),
    (
        "CREATE TABLE t (x INT, y AS (x + 1))",
        "CREATE TABLE t (x INT, y AS (x + 1) STORED)",
    ),
    (
        "CREATE TABLE t (x INT, y AS (x + 1))",
        "CREATE TABLE t (x INT, y AS (x + 2))",
    ),
    (
        "CREATE TABLE t (id INTEGER PRIMARY KEY)",
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)",
    ),
    (
        "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b))",
        "CREATE TABLE t (a INT, b INT, PRIMARY KEY (b, a))",
    ),
    (
        "CREATE TABLE t (a INT, PRIMARY KEY (a))",
        "CREATE TABLE t (a INT, PRIMARY KEY (a DESC))",
    ),
    (
        "CREATE TABLE t (a INT PRIMARY KEY)",
        "CREATE TABLE t (a INT CONSTRAINT pk PRIMARY KEY)",
    ),
    (
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT REFERENCES p)",
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT REFERENCES p ON DELETE CASCADE)",
    ),
    (
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT REFERENCES p)",
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT REFERENCES p DEFERRABLE INITIALLY DEFERRED)",
    ),
    (
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT REFERENCES p)",
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (a INT CONSTRAINT f REFERENCES p)",
    ),
    ("CREATE TABLE t (a INT UNIQUE)", "CREATE TABLE t (a INT)"),
    (
        "CREATE TABLE t (a INT UNIQUE)",
        "CREATE TABLE t (a INT CONSTRAINT u UNIQUE)",
    ),
    (
        "CREATE TABLE t (a INT CHECK (a > 0))",
        "CREATE TABLE t (a INT CHECK (a > 1))",
    ),
    (
        "CREATE TABLE t (a INT CHECK (a > 0))",
        "CREATE TABLE t (a INT CONSTRAINT c CHECK (a > 0))",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a)",
        "CREATE TABLE t (a INT); CREATE UNIQUE INDEX i ON t (a)",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a)",
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a DESC)",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a)",
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a) WHERE a > 0",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a)",
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a COLLATE NOCASE)",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a + 1)",
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a + 2)",
    ),
    (
        "CREATE TABLE t (a INT); CREATE INDEX i ON t (a)",
        "CREATE TABLE t (a INT); CREATE INDEX j ON t (a)",
    ),
    (
        "CREATE TABLE t (a INT PRIMARY KEY)",
        "CREATE TABLE t (a INT PRIMARY KEY) WITHOUT ROWID",
    ),
    ("CREATE TABLE t (a INT)", "CREATE TABLE t (a INT) STRICT"),
    (
        "CREATE TABLE t (a INT); CREATE VIEW v AS SELECT a FROM t",
        "CREATE TABLE t (a INT); CREATE VIEW v AS SELECT a + 1 FROM t",
    ),
    (
        "CREATE TABLE t (a INT); CREATE VIEW v AS SELECT 'x' FROM t",
        "CREATE TABLE t (a INT); CREATE VIEW v AS SELECT 'X' FROM t",
    ),
    (
        "CREATE TABLE t (a INT); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE TABLE t (a INT); CREATE TRIGGER tr BEFORE INSERT ON t BEGIN SELECT 1; END",
    ),
];

/// The model without the verbatim statements of views and triggers (kept
/// as written, for rendering; their normalised `definition` is what compares).
async fn comparable(ddl: &str) -> Schema {
    let mut schema = read(ddl).await;
    schema.views.values_mut().for_each(|v| v.sql.clear());
    schema.triggers.values_mut().for_each(|t| t.sql.clear());
    schema
}

#[tokio::test]
async fn equal_ddl_reads_equal_and_different_ddl_reads_different() {
    for (a, b) in EQUAL {
        assert_eq!(comparable(a).await, comparable(b).await, "\n{a}\n{b}");
    }
    for (a, b) in DIFFERENT {
        assert_ne!(comparable(a).await, comparable(b).await, "\n{a}\n{b}");
    }
}

/// Names and values that need care when written back.
const TRICKY: &[&str] = &[
    "CREATE TABLE \"Order\" (\"select\" INT, \"a b\" TEXT DEFAULT 'it''s', \"Group\" INT CHECK (\"Group\" > -1.5), \
     CONSTRAINT \"U Q\" UNIQUE (\"select\", \"a b\"));\
     CREATE INDEX \"ix order\" ON \"Order\" (\"a b\" COLLATE NOCASE, \"select\" DESC) WHERE \"Group\" IS NOT NULL",
    "CREATE TABLE p (id INT PRIMARY KEY DESC, k TEXT UNIQUE);\
     CREATE TABLE c (a TEXT, b INT, x REAL DEFAULT -0.5, y AS (b * 2) STORED, \
     PRIMARY KEY (b DESC, a), FOREIGN KEY (a) REFERENCES p (k) ON UPDATE CASCADE) WITHOUT ROWID",
    "CREATE TABLE t (a TEXT COLLATE RTRIM, b BLOB DEFAULT x'00ff', c TEXT DEFAULT (lower('X')));\
     CREATE INDEX i ON t (a COLLATE BINARY, lower(b) COLLATE NOCASE DESC)",
    "CREATE TABLE s (id INTEGER PRIMARY KEY AUTOINCREMENT, v ANY NOT NULL DEFAULT 0) STRICT",
];

/// Every schema above, created from its model by the SQLite renderer on a
/// fresh database, reads back to the same model: what introspection
/// normalises (expressions, defaults, types, names) is SQL SQLite accepts
/// and means the same.
#[tokio::test]
async fn a_schema_rendered_from_its_model_reads_back_the_same() {
    use aludel::autogen::introspect::introspect;
    use aludel::schema::{Renames, SqliteRenderer, diff, plan};
    use aludel::sqlx::{self, Connection, SqliteConnection};

    let all = EQUAL
        .iter()
        .chain(DIFFERENT)
        .flat_map(|(a, b)| [*a, *b])
        .chain(TRICKY.iter().copied());
    for ddl in all {
        let desired = read(ddl).await;
        let migration = plan(
            &Schema::default(),
            &desired,
            &Renames::default(),
            &SqliteRenderer,
        )
        .unwrap_or_else(|e| panic!("{e}\n{ddl}"));
        let sql = migration.upgrade_sql();
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{ddl}\n{sql}"));
        let got = introspect(&mut conn, &[]).await.unwrap();
        let left = diff(&desired, &got, &Renames::default()).unwrap();
        assert!(left.is_empty(), "{ddl}\n{sql}\n{left:?}");
    }
}
