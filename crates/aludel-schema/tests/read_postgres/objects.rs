//! Objects other than tables: enums, domains, sequences, views, functions,
//! triggers, extensions; what the model cannot hold is warned about.

use crate::server::{postgres_with, read};
use aludel_schema::ObjectName;

pub(crate) const OBJECTS: &str = r#"
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA other;
CREATE TYPE mood AS ENUM ('sad', 'ok, fine', 'hap"py');
CREATE TYPE other.size AS ENUM ('s', 'm');
CREATE DOMAIN posint AS integer DEFAULT 1 NOT NULL
    CONSTRAINT posint_positive CHECK (VALUE > 0) CONSTRAINT posint_small CHECK (VALUE < 100);
CREATE DOMAIN other.code AS text COLLATE "C";
CREATE SEQUENCE other.counter AS integer INCREMENT BY 2 START WITH 10 CACHE 5 CYCLE;
CREATE TABLE author (id serial PRIMARY KEY, name text, ticket bigint);
CREATE SEQUENCE ticket_seq OWNED BY author.ticket;
CREATE TABLE other.book (id int PRIMARY KEY, author_id int, made timestamptz);
CREATE VIEW author_books AS SELECT a.name, b.id FROM author a JOIN other.book b ON b.author_id = a.id;
CREATE VIEW other.secured WITH (security_barrier = true) AS SELECT name FROM author;
CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n FROM author_books;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.made := now(); RETURN NEW; END $$;
CREATE FUNCTION other.add(a integer, b integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + b $$;
CREATE FUNCTION other.add(a text, b text) RETURNS text LANGUAGE sql AS $$ SELECT a || b $$;
CREATE PROCEDURE reset(n integer) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER book_touch BEFORE UPDATE ON other.book FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER author_touch AFTER INSERT ON author FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE FUNCTION books_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER instead INSTEAD OF INSERT ON author_books FOR EACH ROW EXECUTE FUNCTION books_insert();
CREATE TABLE other.ticket (no int DEFAULT nextval('other.counter'));
"#;

#[test]
fn enums_domains_and_sequences() {
    let Some(db) = postgres_with(OBJECTS) else {
        return;
    };
    let schema = read(&db).schema;
    let mood = &schema.enums[&ObjectName::new("mood")];
    assert_eq!(mood.values, ["sad", "ok, fine", "hap\"py"]);
    assert_eq!(
        schema.enums[&ObjectName::qualified("other", "size")].values,
        ["s", "m"]
    );
    assert!(
        schema.enums.len() == 2,
        "extension types are not read: {:?}",
        schema.enums.keys()
    );

    let posint = &schema.domains[&ObjectName::new("posint")];
    assert_eq!(
        posint.sql,
        "CREATE DOMAIN posint AS integer DEFAULT 1 NOT NULL \
         CONSTRAINT posint_positive CHECK (VALUE > 0) CONSTRAINT posint_small CHECK (VALUE < 100)"
    );
    assert_eq!(posint.definition, posint.sql);
    let parts = aludel_schema::postgres::domain_parts(&posint.sql).expect("the reader's form");
    assert_eq!(parts.default.as_deref(), Some("1"));
    assert!(parts.not_null);
    assert_eq!(
        parts.checks,
        [
            ("posint_positive".to_string(), "VALUE > 0".to_string()),
            ("posint_small".to_string(), "VALUE < 100".to_string())
        ]
    );
    let code = &schema.domains[&ObjectName::qualified("other", "code")];
    assert_eq!(code.sql, "CREATE DOMAIN other.code AS text COLLATE \"C\"");

    let counter = &schema.sequences[&ObjectName::qualified("other", "counter")];
    assert_eq!(
        counter.definition,
        "AS integer INCREMENT BY 2 MINVALUE 1 MAXVALUE 2147483647 START WITH 10 CACHE 5 CYCLE"
    );
    assert_eq!(counter.owned_by, None);
    let ticket = &schema.sequences[&ObjectName::new("ticket_seq")];
    assert_eq!(
        ticket.definition,
        "AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE"
    );
    assert_eq!(
        ticket.owned_by,
        Some((ObjectName::new("author"), "ticket".to_string()))
    );
    assert_eq!(schema.sequences.len(), 2, "{:?}", schema.sequences.keys());
}

#[test]
fn views_functions_triggers_and_extensions() {
    let Some(db) = postgres_with(OBJECTS) else {
        return;
    };
    let read = read(&db);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let schema = read.schema;

    let view = &schema.views[&ObjectName::new("author_books")];
    assert!(!view.materialized);
    assert_eq!(
        view.sql,
        "CREATE VIEW author_books AS\nSELECT a.name,\n    b.id\n   FROM author a\n     \
         JOIN other.book b ON b.author_id = a.id"
    );
    assert_eq!(
        view.definition,
        "CREATE VIEW author_books AS SELECT a.name, b.id FROM author a \
         JOIN other.book b ON b.author_id = a.id"
    );
    assert_eq!(
        view.depends_on,
        [
            ObjectName::new("author"),
            ObjectName::qualified("other", "book")
        ]
    );
    let secured = &schema.views[&ObjectName::qualified("other", "secured")];
    assert!(
        secured
            .sql
            .starts_with("CREATE VIEW other.secured WITH (security_barrier=true) AS\n"),
        "{}",
        secured.sql
    );
    let counts = &schema.views[&ObjectName::new("counts")];
    assert!(counts.materialized);
    assert!(
        counts
            .sql
            .starts_with("CREATE MATERIALIZED VIEW counts AS\n")
    );
    assert_eq!(counts.depends_on, [ObjectName::new("author_books")]);

    let names: Vec<String> = schema.functions.keys().map(|n| n.to_string()).collect();
    assert_eq!(
        names,
        [
            "books_insert()",
            "reset(IN n integer)",
            "touch()",
            "other.add(a integer, b integer)",
            "other.add(a text, b text)"
        ],
        "no function of the extension is read"
    );
    let touch = &schema.functions[&ObjectName::new("touch()")];
    assert!(!touch.procedure);
    assert!(
        touch
            .sql
            .starts_with("CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger"),
        "{}",
        touch.sql
    );
    assert!(touch.sql.ends_with("$function$"), "{}", touch.sql);
    assert_eq!(touch.definition, touch.sql);
    assert!(schema.functions[&ObjectName::new("reset(IN n integer)")].procedure);

    let trigger = &schema.triggers[&ObjectName::qualified("other", "book.book_touch")];
    assert_eq!(trigger.name, ObjectName::qualified("other", "book_touch"));
    assert_eq!(trigger.table, ObjectName::qualified("other", "book"));
    assert_eq!(
        trigger.sql,
        "CREATE TRIGGER book_touch BEFORE UPDATE ON other.book FOR EACH ROW EXECUTE FUNCTION touch()"
    );
    let author = &schema.triggers[&ObjectName::new("author.author_touch")];
    assert_eq!(author.table, ObjectName::new("author"));
    let instead = &schema.triggers[&ObjectName::new("author_books.instead")];
    assert_eq!(instead.table, ObjectName::new("author_books"));
    assert_eq!(schema.triggers.len(), 3);

    let ticket = &schema.tables[&ObjectName::qualified("other", "ticket")];
    assert_eq!(
        ticket.columns[0].default.as_deref(),
        Some("nextval('other.counter'::regclass)"),
        "a sequence the column does not own is no serial"
    );
    assert_eq!(ticket.columns[0].identity, None);

    let extensions: Vec<_> = schema.extensions.keys().map(String::as_str).collect();
    assert_eq!(extensions, ["btree_gist", "plpgsql"]);
    assert_eq!(schema.extensions["btree_gist"].schema, None);
    assert_eq!(
        schema.extensions["plpgsql"].schema.as_deref(),
        Some("pg_catalog")
    );
}

#[test]
fn what_the_model_cannot_hold_is_warned_about() {
    let Some(db) = postgres_with(
        "CREATE TABLE measure (at int, v int) PARTITION BY RANGE (at);
         CREATE TABLE measure_1 PARTITION OF measure FOR VALUES FROM (1) TO (10);
         CREATE UNLOGGED TABLE scratch (a int) WITH (fillfactor = 50);
         CREATE TABLE child (b int) INHERITS (scratch);
         ALTER TABLE scratch ENABLE ROW LEVEL SECURITY;
         CREATE POLICY mine ON scratch USING (a > 0);
         CREATE RULE quiet AS ON DELETE TO scratch DO INSTEAD NOTHING;
         CREATE TYPE pair AS (a int, b int);
         CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int);
         CREATE TABLE t (a int CONSTRAINT a_pos CHECK (a > 0) NO INHERIT);
         CREATE INDEX t_a ON t (a) WITH (fillfactor = 70);
         CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
         CREATE INDEX mv_a ON mv (a);
         CREATE TABLE covered (a int, b int, CONSTRAINT covered_a UNIQUE (a) INCLUDE (b));
         CREATE TABLE words (w text);
         CREATE INDEX words_w ON words (w text_pattern_ops);
         CREATE TABLE ids (a int GENERATED ALWAYS AS IDENTITY (START WITH 100), b serial, c serial);
         ALTER SEQUENCE ids_b_seq INCREMENT BY 3 CACHE 10;
         COMMENT ON MATERIALIZED VIEW mv IS 'counts';
         COMMENT ON INDEX t_a IS 'by a';
         CREATE FUNCTION nop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER t_nop BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION nop();
         ALTER TABLE t DISABLE TRIGGER t_nop;",
    ) else {
        return;
    };
    db.execute("INSERT INTO t VALUES (1), (1)");
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.execute("CREATE UNIQUE INDEX CONCURRENTLY t_twice ON t (a)")
    }));
    assert!(failed.is_err(), "duplicates fail a unique index");
    let read = read(&db);
    let schema = &read.schema;
    assert!(schema.tables.contains_key(&ObjectName::new("measure")));
    assert!(
        !schema.tables.contains_key(&ObjectName::new("measure_1")),
        "partitions are not tables of the model"
    );
    assert_eq!(schema.tables[&ObjectName::new("measure")].columns.len(), 2);
    assert_eq!(schema.functions.len(), 1, "{:?}", schema.functions.keys());
    let expected = [
        "aggregate total(integer): aggregates are not modelled",
        "column ids.a: the options of its sequence ids_a_seq (START WITH 100) are not modelled",
        "column ids.b: the options of its sequence ids_b_seq (INCREMENT BY 3 CACHE 10) \
         are not modelled",
        "index t_a: its comment is not modelled",
        "materialized view mv: index mv_a is not modelled",
        "materialized view mv: its comment is not modelled",
        "relation scratch: rule quiet is not modelled",
        "table child: table inheritance (INHERITS) is not modelled",
        "table covered: the INCLUDE columns of constraint covered_a are not modelled \
         (UNIQUE (a) INCLUDE (b))",
        "table measure: the partition key (PARTITION BY RANGE (at)) is not modelled",
        "table measure_1: a partition of measure is not modelled (its partitioned table is read)",
        "table scratch: UNLOGGED is not modelled",
        "table scratch: policy mine (row-level security) is not modelled",
        "table scratch: row-level security (ENABLE ROW LEVEL SECURITY) is not modelled",
        "table scratch: storage parameters (WITH (fillfactor=50)) are not modelled",
        "table t: check a_pos is NO INHERIT, which is not modelled",
        "table t: index t_twice is invalid (a failed CREATE INDEX CONCURRENTLY?); \
         it is read as if it were valid",
        "table t: storage parameters of index t_a (WITH (fillfactor=70)) are not modelled",
        "table t: trigger t_nop is disabled, which is not modelled",
        "table words: operator class text_pattern_ops of index words_w is not modelled",
        "type pair: composite types are not modelled",
    ];
    let mut warnings = read.warnings.clone();
    warnings.sort();
    assert_eq!(warnings, expected);
}
