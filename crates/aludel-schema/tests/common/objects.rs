//! Scenarios around views and triggers, whole tables, odd names.

use aludel_schema::{IndexKey, Schema, Table};

use super::scenarios::{Scenario, base, column, feed, feed_edit, on_base, parent};
use super::*;

pub(crate) const V_FEED: &str = "CREATE VIEW v_feed AS SELECT id, title FROM feed";
pub(crate) const V_FEED2: &str = "CREATE VIEW v_feed2 AS SELECT title FROM v_feed WHERE id > 1";
pub(crate) const TRG_PARENT: &str = "CREATE TRIGGER trg_parent AFTER UPDATE ON parent BEGIN \
     UPDATE feed SET score = score + 1 WHERE parent_id = NEW.id; END";
pub(crate) const TRG_FEED: &str = "CREATE TRIGGER trg_feed AFTER INSERT ON feed BEGIN \
     UPDATE parent SET note = 'touched' WHERE id = NEW.parent_id; END";
pub(crate) const TRG_V: &str = "CREATE TRIGGER trg_v INSTEAD OF INSERT ON v_feed BEGIN \
     INSERT INTO feed (id, title) VALUES (NEW.id, NEW.title); END";

pub(crate) fn with_dependents(mut s: Schema) -> Schema {
    let extra = schema(
        vec![],
        vec![
            view("v_feed", V_FEED, &["feed"]),
            view("v_feed2", V_FEED2, &["v_feed"]),
        ],
        vec![
            trigger("trg_parent", "parent", TRG_PARENT, &["parent", "feed"]),
            trigger("trg_feed", "feed", TRG_FEED, &["feed", "parent"]),
            trigger("trg_v", "v_feed", TRG_V, &["v_feed", "feed"]),
        ],
    );
    s.views.extend(extra.views);
    s.triggers.extend(extra.triggers);
    s
}

/// `feed` rebuilt under views (one on another), a trigger elsewhere that
/// names it, a trigger on it and an INSTEAD OF trigger on its view.
pub(crate) fn dependents() -> Scenario {
    Scenario {
        before: with_dependents(base()),
        ..on_base(
            "rebuild_with_dependents",
            with_dependents(feed_edit(|t| column(t, "score").data_type = "REAL".into())),
        )
    }
}

/// New tables referencing each other (a cycle) and a dropped pair.
pub(crate) fn create_and_drop_tables() -> Scenario {
    let a = table("a_node", vec![col("id", "INTEGER"), col("b_id", "INTEGER")])
        .pk(&["id"])
        .with_fk(fk(&["b_id"], "b_node", &["id"]));
    let b = table("b_node", vec![col("id", "INTEGER"), col("a_id", "INTEGER")])
        .pk(&["id"])
        .with_fk(fk(&["a_id"], "a_node", &["id"]));
    let child = table("child", vec![col("id", "INTEGER"), col("p", "INTEGER")])
        .pk(&["id"])
        .with_fk(fk(&["p"], "z_parent", &["id"]))
        .with_index(index("ix_child_p", &["p"]));
    let z = table("z_parent", vec![col("id", "INTEGER")]).pk(&["id"]);
    let mut before = base();
    before.tables.insert(z.name.clone(), z);
    before.tables.insert(child.name.clone(), child);
    let mut after = base();
    after.tables.insert(a.name.clone(), a);
    after.tables.insert(b.name.clone(), b);
    Scenario {
        before,
        ..on_base("create_and_drop_tables", after)
    }
}

/// A view on a view created (dependency order), one changed, one dropped;
/// a trigger changed, one added, one dropped.
pub(crate) fn views_and_triggers() -> Scenario {
    let before = schema(
        vec![parent(), feed()],
        vec![
            view(
                "v_old",
                "CREATE VIEW v_old AS SELECT id FROM parent",
                &["parent"],
            ),
            view("v_feed", V_FEED, &["feed"]),
        ],
        vec![
            trigger("trg_feed", "feed", TRG_FEED, &["feed", "parent"]),
            trigger("trg_parent", "parent", TRG_PARENT, &["parent", "feed"]),
        ],
    );
    let trg_feed2 = TRG_FEED.replace("'touched'", "'changed'");
    let after = schema(
        vec![parent(), feed()],
        vec![
            view(
                "v_feed",
                &V_FEED.replace("id, title", "id, title, score"),
                &["feed"],
            ),
            view("v_feed2", V_FEED2, &["v_feed"]),
            view(
                "a_top",
                "CREATE VIEW a_top AS SELECT * FROM v_feed2",
                &["v_feed2"],
            ),
        ],
        vec![
            trigger("trg_feed", "feed", &trg_feed2, &["feed", "parent"]),
            trigger("trg_v", "v_feed", TRG_V, &["v_feed", "feed"]),
        ],
    );
    Scenario {
        before,
        ..on_base("views_and_triggers", after)
    }
}

/// `t` with a check and an expression index naming two of its columns.
pub(crate) fn checked_feed(t: &Table, text: &str, number: &str) -> Table {
    let mut expr = index("ix_feed_expr", &[text]);
    expr.parts[0].key = IndexKey::Expr(format!("lower({text})"));
    expr.predicate = Some(format!("{number} > 0"));
    t.clone()
        .check(
            Some("ck_number"),
            &format!("{number} >= 0 AND {text} <> 'score'"),
        )
        .with_index(expr)
}

/// Names that must be quoted: a keyword table and column, a space, a quote.
pub(crate) fn keyword_names() -> Scenario {
    let before = schema(
        vec![
            table(
                "order",
                vec![
                    col("id", "INTEGER"),
                    col("group", "TEXT"),
                    col("my \"col\"", "TEXT"),
                ],
            )
            .pk(&["id"])
            .with_index(index("select", &["group"])),
        ],
        vec![],
        vec![],
    );
    let mut after = before.clone();
    if let Some(t) = after.tables.get_mut(&name("order")) {
        column(t, "group").nullable = false;
        column(t, "group").default = Some("'g'".into());
        t.columns
            .push(col("new col", "TEXT").not_null().default("'n'"));
    }
    Scenario {
        name: "keyword_names",
        before,
        after,
        renames: vec![],
        seed: vec![
            "INSERT INTO \"order\" (id, \"group\", \"my \"\"col\"\"\") VALUES (1, NULL, 'x'), (2, 'b', NULL)",
        ],
        counts: vec![("order", "order")],
    }
}

/// A new table using every clause `CREATE TABLE` is written with.
pub(crate) fn every_clause() -> Scenario {
    let mut pk_fk = fk(&["parent_id", "kind"], "feed", &["id", "parent_id"]);
    pk_fk.name = Some("fk_feed".into());
    pk_fk.on_update = aludel_schema::FkAction::Cascade;
    pk_fk.on_delete = aludel_schema::FkAction::Restrict;
    pk_fk.deferrable = aludel_schema::Deferrable::InitiallyImmediate;
    let mut plain_fk = fk(&["owner"], "parent", &[]);
    plain_fk.on_delete = aludel_schema::FkAction::SetDefault;
    let mut t = table(
        "everything",
        vec![
            col("parent_id", "INTEGER").not_null(),
            col("kind", "TEXT")
                .not_null()
                .collate("NOCASE")
                .default("'plain'"),
            col("owner", "INTEGER").default("-1"),
            col("weight", "REAL").default("0.5 * 2"),
            col("stamp", "TEXT").default("CURRENT_TIMESTAMP"),
            col("label", "TEXT").generated("upper(kind)", false),
            col("size", "INTEGER").generated("length(kind)", true),
            col("raw", ""),
        ],
    )
    .unique(Some("uq_kind_owner"), &["kind", "owner"])
    .unique(None, &["label"])
    .check(Some("ck_weight"), "weight >= 0")
    .check(None, "owner <> 0")
    .with_fk(pk_fk)
    .with_fk(plain_fk)
    .strict()
    .without_rowid();
    t.columns[7].data_type = "ANY".into();
    t.primary_key = Some(aludel_schema::PrimaryKey {
        name: Some("pk_everything".into()),
        columns: vec!["parent_id".into(), "kind".into()],
        descending: vec![false, true],
    });
    let mut ix = index("ix_everything", &["owner", "kind"]);
    ix.parts[0].descending = true;
    ix.parts[1].collation = Some("RTRIM".into());
    ix.predicate = Some("owner > 0".into());
    let mut after = base();
    after.tables.insert(t.name.clone(), t.with_index(ix));
    on_base("create_table_every_clause", after)
}
