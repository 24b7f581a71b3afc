//! Before/after pairs for the PostgreSQL renderer, written as PostgreSQL
//! prints its catalog (`integer`, `character varying(10)`, `'ok'::mood`),
//! shared by the snapshot and the execution tests.
#![allow(dead_code)]

mod fingerprint;
mod more;

#[allow(unused_imports)]
pub use fingerprint::fingerprint;

use aludel_schema::model::Identity;
use aludel_schema::{
    Column, Deferrable, Domain, EnumType, ExclusionConstraint, Extension, FkAction, Function,
    IndexKey, ObjectName, Schema, Sequence, Table, Trigger, View,
};

use crate::common::*;

pub use more::*;

/// One before/after pair.
pub struct Case {
    pub name: &'static str,
    pub before: Schema,
    pub after: Schema,
    /// `--rename` flags.
    pub renames: Vec<&'static str>,
    /// Rows inserted into `before` (must stay valid in `after`).
    pub seed: Vec<&'static str>,
}

pub fn qname(schema: &str, n: &str) -> ObjectName {
    ObjectName::qualified(schema, n)
}

pub fn pg_view(n: &str, sql: &str, depends_on: &[&str]) -> View {
    view(n, sql, depends_on)
}

pub fn pg_trigger(n: &str, on: &str, sql: &str) -> Trigger {
    let mut t = trigger(n, on, sql, &[on]);
    t.name = name(n);
    t
}

pub fn add_trigger(s: &mut Schema, t: Trigger) {
    let key = name(&format!("{}.{}", t.table.name, t.name.name));
    s.triggers.insert(key, t);
}

pub fn function(n: &str, sql: &str) -> Function {
    Function {
        name: name(n),
        procedure: false,
        sql: sql.to_string(),
        definition: sql
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    }
}

pub fn enum_type(n: &str, values: &[&str]) -> EnumType {
    EnumType {
        name: name(n),
        values: strings(values),
    }
}

pub fn sequence(n: &str, definition: &str) -> Sequence {
    Sequence {
        name: name(n),
        definition: definition.to_string(),
        owned_by: None,
    }
}

pub const SEQ_DEFAULTS: &str = "AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE";

pub fn with_tables(tables: Vec<Table>) -> Schema {
    schema(tables, vec![], vec![])
}

pub fn ident(mut c: Column, identity: Identity) -> Column {
    c.identity = Some(identity);
    c.nullable = false;
    c
}

pub fn comment(mut c: Column, text: &str) -> Column {
    c.comment = Some(text.to_string());
    c
}

fn feed_table() -> Table {
    table(
        "feed",
        vec![col("id", "integer").not_null(), col("title", "text")],
    )
    .pk(&["id"])
}

const TOUCH: &str = "CREATE OR REPLACE FUNCTION public.touch_updated()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$function$\n";
const NEXT_TICKET: &str = "CREATE OR REPLACE FUNCTION public.next_ticket()\n RETURNS bigint\n LANGUAGE sql\nAS $function$SELECT nextval('ticket_seq')$function$\n";

/// Every object kind, created from a schema with one table (and dropped by
/// the downgrade).
pub fn objects_created() -> Case {
    let before = with_tables(vec![feed_table()]);
    let mut after = before.clone();
    after.namespaces.push("app".into());
    after.extensions.insert(
        "pg_trgm".into(),
        Extension {
            name: "pg_trgm".into(),
            schema: None,
        },
    );
    after
        .enums
        .insert(name("mood"), enum_type("mood", &["sad", "ok", "happy"]));
    after.domains.insert(
        name("positive_int"),
        Domain {
            name: name("positive_int"),
            sql: "CREATE DOMAIN positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0)".into(),
            definition: "integer check (value > 0)".into(),
        },
    );
    after.sequences.insert(
        name("ticket_seq"),
        sequence(
            "ticket_seq",
            "AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100 CACHE 1 NO CYCLE",
        ),
    );
    after
        .functions
        .insert(name("touch_updated()"), function("touch_updated()", TOUCH));
    after.functions.insert(
        name("next_ticket()"),
        function("next_ticket()", NEXT_TICKET),
    );
    let mut fk = fk(&["feed_id"], "feed", &["id"]);
    fk.name = Some("ticket_feed_id_fkey".into());
    fk.on_delete = FkAction::Cascade;
    fk.deferrable = Deferrable::InitiallyDeferred;
    let mut ticket = table(
        "ticket",
        vec![
            ident(
                col("id", "integer"),
                Identity::Serial {
                    sequence: name("ticket_id_seq"),
                },
            ),
            col("code", "bigint").not_null().default("next_ticket()"),
            col("mood", "mood").default("'ok'::mood"),
            col("moods", "mood[]"),
            col("qty", "positive_int"),
            comment(
                col("title", "character varying(40)").collate("C"),
                "shown to users",
            ),
            col("slug", "text").generated("lower((title)::text)", true),
            col("during", "int4range"),
            col("updated_at", "timestamp with time zone"),
            col("feed_id", "integer"),
        ],
    )
    .pk(&["id"])
    .with_fk(fk)
    .unique(Some("ticket_code_key"), &["code"])
    .check(Some("ticket_title_check"), "char_length((title)::text) > 0");
    if let Some(pk) = ticket.primary_key.as_mut() {
        pk.name = Some("ticket_pkey".into());
    }
    ticket.uniques[0].nulls_not_distinct = true;
    ticket.comment = Some("one ticket's life".into());
    ticket.exclusions.push(ExclusionConstraint {
        name: "ticket_during_excl".into(),
        definition: "EXCLUDE USING gist (during WITH &&)".into(),
    });
    let mut ix = index("ix_ticket_title", &["title"]);
    ix.parts[0].descending = true;
    ix.parts[0].nulls_first = Some(false);
    ix.include = strings(&["code"]);
    ix.predicate = Some("(title IS NOT NULL)".into());
    let mut lower = index("ix_ticket_lower", &[]);
    lower.parts = vec![aludel_schema::IndexPart {
        key: IndexKey::Expr("lower((title)::text)".into()),
        descending: false,
        collation: None,
        prefix_length: None,
        nulls_first: None,
    }];
    lower.unique = true;
    lower.nulls_not_distinct = true;
    ticket = ticket.with_index(ix).with_index(lower);
    after.tables.insert(ticket.name.clone(), ticket);
    let mut audit = Table::new(qname("app", "audit"));
    audit.columns = vec![
        ident(col("id", "bigint"), Identity::ByDefault),
        ident(col("n", "integer"), Identity::Always),
        col("note", "text"),
    ];
    audit = audit.pk(&["id"]);
    after.tables.insert(audit.name.clone(), audit);
    after.views.insert(
        name("ticket_titles"),
        pg_view(
            "ticket_titles",
            "CREATE VIEW ticket_titles AS SELECT id, title FROM ticket",
            &["ticket"],
        ),
    );
    let mut counts = pg_view(
        "ticket_counts",
        "CREATE MATERIALIZED VIEW ticket_counts AS SELECT count(*) AS n FROM ticket",
        &["ticket"],
    );
    counts.materialized = true;
    after.views.insert(name("ticket_counts"), counts);
    add_trigger(
        &mut after,
        pg_trigger(
            "ticket_touch",
            "ticket",
            "CREATE TRIGGER ticket_touch BEFORE UPDATE ON public.ticket FOR EACH ROW EXECUTE FUNCTION touch_updated()",
        ),
    );
    Case {
        name: "objects_created",
        before,
        after,
        renames: vec![],
        seed: vec!["INSERT INTO feed (id, title) VALUES (1, 'a'), (2, 'b')"],
    }
}

fn person(mood_default: &str) -> Table {
    table(
        "person",
        vec![
            col("id", "integer").not_null(),
            col("mood", "mood").not_null().default(mood_default),
            col("history", "mood[]"),
        ],
    )
    .pk(&["id"])
}

/// Labels added before, between and after the old ones.
pub fn enum_values_added() -> Case {
    let mut before = with_tables(vec![person("'sad'::mood")]);
    before
        .enums
        .insert(name("mood"), enum_type("mood", &["sad", "happy"]));
    let mut after = before.clone();
    after.enums.insert(
        name("mood"),
        enum_type("mood", &["meh", "sad", "ok", "happy", "ecstatic"]),
    );
    Case {
        name: "enum_values_added",
        before,
        after,
        renames: vec![],
        seed: vec!["INSERT INTO person VALUES (1, 'sad', '{sad,happy}'), (2, 'happy', NULL)"],
    }
}

/// A label removed and the others reordered: the type is rebuilt under
/// the column, its array column and a view reading them.
pub fn enum_rebuilt() -> Case {
    let mut before = with_tables(vec![person("'ok'::mood")]);
    before
        .enums
        .insert(name("mood"), enum_type("mood", &["sad", "ok", "happy"]));
    before.views.insert(
        name("person_moods"),
        pg_view(
            "person_moods",
            "CREATE VIEW person_moods AS SELECT id, mood, history FROM person",
            &["person"],
        ),
    );
    let mut after = before.clone();
    after
        .enums
        .insert(name("mood"), enum_type("mood", &["happy", "ok"]));
    Case {
        name: "enum_rebuilt",
        before,
        after,
        renames: vec![],
        seed: vec!["INSERT INTO person VALUES (1, 'ok', '{ok,happy}'), (2, 'happy', NULL)"],
    }
}

/// Type (with and without a rewrite, under a view), default, NOT NULL,
/// identity and comment changes on a populated table.
pub fn column_changes() -> Case {
    let account = table(
        "account",
        vec![
            col("id", "integer").not_null(),
            col("name", "character varying(10)"),
            col("balance", "integer").default("0"),
            col("note", "text"),
        ],
    )
    .pk(&["id"]);
    let mut before = with_tables(vec![account]);
    before.views.insert(
        name("account_names"),
        pg_view(
            "account_names",
            "CREATE VIEW account_names AS SELECT id, name, balance FROM account",
            &["account"],
        ),
    );
    let mut after = before.clone();
    let t = after.tables.get_mut(&name("account")).expect("account");
    t.columns = vec![
        ident(col("id", "integer"), Identity::ByDefault),
        col("name", "character varying(20)"),
        col("balance", "bigint").not_null().default("0"),
        comment(
            col("note", "text").not_null().default("''::text"),
            "free text",
        ),
    ];
    Case {
        name: "column_changes",
        before,
        after,
        renames: vec![],
        seed: vec!["INSERT INTO account VALUES (1, 'ann', 5, 'x'), (2, 'bob', 7, 'y')"],
    }
}

pub fn all() -> Vec<Case> {
    let mut out = vec![
        objects_created(),
        enum_values_added(),
        enum_rebuilt(),
        column_changes(),
    ];
    out.extend(more());
    out
}
