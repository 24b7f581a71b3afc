//! Reading hand-built catalog rows (the real-SQLite tests live in the
//! `aludel` crate, which runs the queries).

use super::*;
use crate::model::{Deferrable, FkAction, Identity, IndexKey, ObjectName};

fn object(kind: &str, name: &str, table: &str, sql: Option<&str>) -> ObjectRow {
    ObjectRow {
        kind: kind.into(),
        name: name.into(),
        tbl_name: table.into(),
        sql: sql.map(Into::into),
    }
}

fn column(table: &str, cid: i64, name: &str, ty: &str, pk: i64) -> ColumnRow {
    ColumnRow {
        table: table.into(),
        cid,
        name: name.into(),
        data_type: ty.into(),
        notnull: false,
        dflt_value: None,
        pk,
        hidden: 0,
    }
}

fn fk(table: &str, id: i64, from: &str, to_table: &str) -> ForeignKeyRow {
    ForeignKeyRow {
        table: table.into(),
        id,
        seq: 0,
        referenced_table: to_table.into(),
        from: from.into(),
        to: None,
        on_update: "NO ACTION".into(),
        on_delete: "CASCADE".into(),
        match_kind: "NONE".into(),
    }
}

const CHILD: &str = "CREATE TABLE Child (id INTEGER PRIMARY KEY AUTOINCREMENT, \
    a INT CONSTRAINT fa REFERENCES P1 DEFERRABLE INITIALLY DEFERRED, \
    b TEXT COLLATE nocase CHECK (b <> ''), c INT AS (a*2) STORED, \
    CONSTRAINT fb FOREIGN KEY (b) REFERENCES p2, CONSTRAINT u1 UNIQUE (b), CONSTRAINT ck CHECK(a>0))";

fn child_catalog(sql: &str) -> Catalog {
    let mut c_col = column("Child", 3, "c", "INT", 0);
    c_col.hidden = 3;
    let mut b_col = column("Child", 2, "B", "text", 0);
    b_col.notnull = true;
    b_col.dflt_value = Some("('x')".into());
    Catalog {
        objects: vec![
            object("table", "Child", "Child", Some(sql)),
            object("index", "sqlite_autoindex_Child_1", "Child", None),
            object(
                "index",
                "ix",
                "Child",
                Some("CREATE INDEX ix ON Child(lower(b) DESC, a) WHERE a > 0"),
            ),
            object(
                "table",
                "sqlite_sequence",
                "sqlite_sequence",
                Some("CREATE TABLE sqlite_sequence(name,seq)"),
            ),
        ],
        tables: vec![TableListRow {
            name: "Child".into(),
            kind: "table".into(),
            strict: false,
            without_rowid: false,
        }],
        columns: vec![
            c_col,
            column("Child", 0, "id", "INTEGER", 1),
            column("Child", 1, "a", "INT", 0),
            b_col,
        ],
        // SQLite numbers keys last declared first.
        foreign_keys: vec![fk("Child", 0, "b", "p2"), fk("Child", 1, "a", "P1")],
        indexes: vec![
            IndexListRow {
                table: "Child".into(),
                name: "sqlite_autoindex_Child_1".into(),
                unique: true,
                origin: "u".into(),
                partial: false,
            },
            IndexListRow {
                table: "Child".into(),
                name: "ix".into(),
                unique: false,
                origin: "c".into(),
                partial: true,
            },
        ],
        index_columns: vec![
            IndexColumnRow {
                index: "sqlite_autoindex_Child_1".into(),
                seqno: 0,
                cid: 2,
                name: Some("B".into()),
                desc: false,
                coll: Some("NOCASE".into()),
                key: true,
            },
            IndexColumnRow {
                index: "ix".into(),
                seqno: 1,
                cid: 1,
                name: Some("a".into()),
                desc: false,
                coll: Some("BINARY".into()),
                key: true,
            },
            IndexColumnRow {
                index: "ix".into(),
                seqno: 0,
                cid: -2,
                name: None,
                desc: true,
                coll: Some("BINARY".into()),
                key: true,
            },
            IndexColumnRow {
                index: "ix".into(),
                seqno: 2,
                cid: -1,
                name: None,
                desc: false,
                coll: Some("BINARY".into()),
                key: false,
            },
        ],
    }
}

#[test]
fn a_table_reads_from_its_rows_and_its_create_statement() {
    let read = read_catalog_with_warnings(&child_catalog(CHILD)).unwrap();
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let schema = read.schema;
    assert_eq!(schema.tables.len(), 1, "sqlite_sequence is SQLite's own");
    let t = &schema.tables[&ObjectName::new("Child")];
    let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "a", "B", "c"], "as the pragma declares them");
    assert_eq!(t.columns[0].identity, Some(Identity::AutoIncrement));
    let b = &t.columns[2];
    assert_eq!((b.data_type.as_str(), b.nullable), ("TEXT", false));
    assert_eq!(b.default.as_deref(), Some("'x'"));
    assert_eq!(b.collation.as_deref(), Some("NOCASE"));
    let c = t.columns[3].generated.as_ref().unwrap();
    assert_eq!((c.expr.as_str(), c.stored), ("a * 2", true));
    let pk = t.primary_key.as_ref().unwrap();
    assert_eq!(
        (pk.columns.clone(), pk.descending.clone()),
        (vec!["id".to_string()], vec![false])
    );
    let fks: Vec<_> = t
        .foreign_keys
        .iter()
        .map(|f| {
            (
                f.name.as_deref(),
                f.columns[0].as_str(),
                f.deferrable,
                f.on_delete,
            )
        })
        .collect();
    assert_eq!(
        fks,
        [
            (
                Some("fa"),
                "a",
                Deferrable::InitiallyDeferred,
                FkAction::Cascade
            ),
            (Some("fb"), "B", Deferrable::No, FkAction::Cascade),
        ]
    );
    assert_eq!(
        t.foreign_keys[0].referenced_table,
        ObjectName::new("P1"),
        "a table not in the schema stays as written"
    );
    assert_eq!(t.uniques[0].name.as_deref(), Some("u1"));
    assert_eq!(t.uniques[0].columns, ["B"], "the column as declared");
    let checks: Vec<_> = t
        .checks
        .iter()
        .map(|c| (c.name.as_deref(), c.expr.as_str()))
        .collect();
    assert_eq!(checks, [(None, "b <> ''"), (Some("ck"), "a > 0")]);
    let ix = &t.indexes["ix"];
    assert_eq!(ix.parts[0].key, IndexKey::Expr("lower(b)".into()));
    assert!(ix.parts[0].descending);
    assert_eq!(ix.parts[1].key, IndexKey::Column("a".into()));
    assert_eq!(ix.parts.len(), 2, "the rowid is not a key part");
    assert_eq!(ix.predicate.as_deref(), Some("a > 0"));
}

#[test]
fn an_unparsable_create_table_falls_back_to_the_pragmas_and_says_so() {
    let sql = CHILD.replace("c INT AS", "c UNSIGNED BIG INT AS");
    let read = read_catalog_with_warnings(&child_catalog(&sql)).unwrap();
    let t = &read.schema.tables[&ObjectName::new("Child")];
    assert_eq!(t.columns.len(), 4);
    assert_eq!(
        t.columns[0].identity,
        Some(Identity::AutoIncrement),
        "seen in the tokens"
    );
    assert_eq!(t.foreign_keys.len(), 2);
    assert!(t.checks.is_empty());
    assert_eq!(t.foreign_keys[0].deferrable, Deferrable::No);
    assert!(
        read.warnings
            .iter()
            .any(|w| w.starts_with("table Child: its CREATE TABLE could not be parsed")),
        "{:?}",
        read.warnings
    );
    assert!(
        read.warnings
            .iter()
            .any(|w| w.contains("generated column c is unknown")),
        "{:?}",
        read.warnings
    );
}

#[test]
fn an_expression_index_whose_statement_does_not_parse_is_an_error() {
    let mut catalog = child_catalog(CHILD);
    catalog.objects[2].sql = Some("CREATE INDEX ix ON Child(((".into());
    let err = read_catalog(&catalog).unwrap_err();
    assert_eq!(err.object, "index ix");
}

#[test]
fn excluded_tables_go_with_their_indexes_and_triggers() {
    let mut catalog = child_catalog(CHILD);
    catalog.objects.push(object(
        "trigger",
        "tr",
        "Child",
        Some("CREATE TRIGGER tr AFTER INSERT ON Child BEGIN SELECT 1; END"),
    ));
    let kept = catalog.clone().without_tables(&["other"]);
    assert_eq!(read_catalog(&kept).unwrap().triggers.len(), 1);
    let gone = catalog.without_tables(&["CHILD"]);
    assert!(gone.index_columns.is_empty() && gone.indexes.is_empty());
    let schema = read_catalog(&gone).unwrap();
    assert!(schema.tables.is_empty() && schema.triggers.is_empty());
}
