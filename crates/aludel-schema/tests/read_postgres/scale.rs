//! The number of catalog queries does not grow with the schema, and two
//! databases holding the same DDL read the same.

use crate::server::{postgres_db, read, read_as_version, read_counted, server_version};
use aludel_schema::ObjectName;

fn tables(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "CREATE TABLE t{i} (id serial PRIMARY KEY, parent int REFERENCES t0 (id), \
                 v text CHECK (v <> ''), UNIQUE (v));\n\
                 CREATE INDEX t{i}_parent ON t{i} (parent);\n"
            )
        })
        .collect()
}

#[test]
fn the_query_count_does_not_depend_on_the_table_count() {
    let mut counts = Vec::new();
    for n in [3, 300] {
        let Some(db) = postgres_db() else {
            return;
        };
        db.execute(&tables(n));
        let (read, queries) = read_counted(&db);
        assert_eq!(read.schema.tables.len(), n);
        let last = &read.schema.tables[&ObjectName::new(format!("t{}", n - 1))];
        assert_eq!(last.columns.len(), 3);
        assert_eq!(last.foreign_keys.len(), 1);
        assert_eq!(last.checks.len(), 1);
        assert_eq!(last.uniques.len(), 1);
        assert_eq!(last.indexes.len(), 1);
        counts.push(queries);
    }
    assert_eq!(counts[0], counts[1]);
}

pub(crate) const EVERYTHING: &str = r#"
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS integer NOT NULL CHECK (VALUE > 0);
CREATE SEQUENCE app.counter START WITH 5;
CREATE TABLE author (id serial PRIMARY KEY, name text COLLATE "C" NOT NULL UNIQUE, mood mood);
CREATE TABLE app.book (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id int REFERENCES author ON DELETE SET NULL, pages posint,
    during tsrange, EXCLUDE USING gist (author_id WITH =, during WITH &&));
CREATE INDEX book_pages ON app.book (pages DESC) WHERE pages > 10;
CREATE VIEW books AS SELECT b.id, a.name FROM app.book b JOIN author a ON a.id = b.author_id;
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER book_f BEFORE INSERT ON app.book FOR EACH ROW EXECUTE FUNCTION f();
"#;

#[test]
fn the_same_ddl_reads_the_same_in_two_databases() {
    let (Some(first), Some(second)) = (postgres_db(), postgres_db()) else {
        return;
    };
    // Something created and dropped first shifts the second database's oids.
    second.execute("CREATE TABLE gone (a int); DROP TABLE gone;");
    first.execute(EVERYTHING);
    second.execute(EVERYTHING);
    let (a, b) = (read(&first), read(&second));
    assert_eq!(a.schema, b.schema);
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.schema.tables.len(), 2);
    assert_eq!(a.schema.views.len(), 1);
}

#[test]
fn the_queries_for_postgres_13_read_the_same_but_nulls_not_distinct() {
    let Some(db) = postgres_db() else {
        return;
    };
    db.execute(EVERYTHING);
    db.execute(
        "CREATE TABLE plain (a int, CONSTRAINT plain_a UNIQUE NULLS NOT DISTINCT (a));
         CREATE UNIQUE INDEX plain_a2 ON plain (a) NULLS NOT DISTINCT;",
    );
    let (mut new, count) = read_as_version(&db, server_version(&db));
    let (old, old_count) = read_as_version(&db, 130_000);
    assert_eq!(count, old_count);
    let plain = new
        .schema
        .tables
        .get_mut(&ObjectName::new("plain"))
        .expect("plain");
    assert!(plain.uniques[0].nulls_not_distinct);
    plain.uniques[0].nulls_not_distinct = false;
    let index = plain.indexes.get_mut("plain_a2").expect("plain_a2");
    assert!(index.nulls_not_distinct);
    index.nulls_not_distinct = false;
    assert_eq!(new.schema, old.schema);
}
