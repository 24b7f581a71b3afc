//! Before/after pairs, one per kind of change, shared by the snapshot tests
//! and the execution tests on real SQLite.

use aludel_schema::{FkAction, IndexKey, Schema, Table};

use super::*;

/// One before/after pair.
pub struct Scenario {
    pub name: &'static str,
    pub before: Schema,
    pub after: Schema,
    /// `--rename` flags.
    pub renames: Vec<&'static str>,
    /// Rows inserted into `before`.
    pub seed: Vec<&'static str>,
    /// Tables whose row count must survive: (name before, name after).
    pub counts: Vec<(&'static str, &'static str)>,
}

pub fn parent() -> Table {
    table(
        "parent",
        vec![
            col("id", "INTEGER").autoincrement(),
            col("name", "TEXT").not_null().collate("NOCASE"),
            col("note", "TEXT"),
        ],
    )
    .pk(&["id"])
}

pub fn feed() -> Table {
    let mut fk = fk(&["parent_id"], "parent", &["id"]);
    fk.on_delete = FkAction::Cascade;
    table(
        "feed",
        vec![
            col("id", "INTEGER"),
            col("parent_id", "INTEGER"),
            col("title", "TEXT"),
            col("score", "INTEGER").default("0"),
        ],
    )
    .pk(&["id"])
    .with_fk(fk)
    .with_index(index("ix_feed_title", &["title"]))
}

const SEED: &[&str] = &[
    "INSERT INTO parent (id, name, note) VALUES (1, 'one', 'n1'), (2, 'two', 'n2'), (5, 'five', 'n5')",
    "DELETE FROM parent WHERE id = 5",
    "INSERT INTO feed (id, parent_id, title, score) VALUES (1, 1, 'a', 3), (2, 1, NULL, 4), (3, 2, 'c', 5)",
];

fn base() -> Schema {
    schema(vec![parent(), feed()], vec![], vec![])
}

/// `base()` with `feed` changed by `edit`.
fn feed_edit(edit: impl FnOnce(&mut Table)) -> Schema {
    let mut s = base();
    if let Some(t) = s.tables.get_mut(&name("feed")) {
        edit(t);
    }
    s
}

fn column<'a>(t: &'a mut Table, n: &str) -> &'a mut aludel_schema::Column {
    t.columns
        .iter_mut()
        .find(|c| c.name == n)
        .expect("scenario column")
}

fn on_base(name: &'static str, after: Schema) -> Scenario {
    Scenario {
        name,
        before: base(),
        after,
        renames: vec![],
        seed: SEED.to_vec(),
        counts: vec![("parent", "parent"), ("feed", "feed")],
    }
}

/// Every scenario.
pub fn all() -> Vec<Scenario> {
    let mut out = vec![
        on_base(
            "add_column_native",
            feed_edit(|t| {
                t.columns.push(col("summary", "TEXT").default("'none'"));
                t.columns
                    .push(col("flag", "INTEGER").not_null().default("0"));
                t.columns
                    .push(col("title_len", "INTEGER").generated("length(title)", false));
            }),
        ),
        on_base(
            "drop_column_native",
            feed_edit(|t| t.columns.retain(|c| c.name != "score")),
        ),
        on_base(
            "type_change",
            feed_edit(|t| column(t, "score").data_type = "REAL".into()),
        ),
        on_base(
            "not_null_with_default",
            feed_edit(|t| {
                let c = column(t, "title");
                c.nullable = false;
                c.default = Some("''".into());
            }),
        ),
        on_base(
            "not_null_without_default",
            feed_edit(|t| column(t, "parent_id").nullable = false),
        ),
        on_base(
            "default_change",
            feed_edit(|t| column(t, "score").default = Some("abs(-1)".into())),
        ),
        on_base(
            "collation_change",
            feed_edit(|t| column(t, "title").collation = Some("NOCASE".into())),
        ),
        on_base(
            "generated_stored",
            feed_edit(|t| {
                t.columns
                    .push(col("double_score", "INTEGER").generated("score * 2", true));
            }),
        ),
        on_base(
            "primary_key_change",
            feed_edit(|t| *t = t.clone().pk(&["id", "parent_id"])),
        ),
        on_base("foreign_key_drop", feed_edit(|t| t.foreign_keys.clear())),
        on_base(
            "foreign_key_action_change",
            feed_edit(|t| {
                t.foreign_keys[0].on_delete = FkAction::SetNull;
                t.foreign_keys[0].deferrable = aludel_schema::Deferrable::InitiallyDeferred;
            }),
        ),
        on_base(
            "unique_add",
            feed_edit(|t| *t = t.clone().unique(Some("uq_feed_title"), &["title"])),
        ),
        on_base(
            "check_add",
            feed_edit(|t| {
                *t = t
                    .clone()
                    .check(None, "score >= 0")
                    .check(Some("ck_title"), "title <> ''");
            }),
        ),
        on_base("strict", feed_edit(|t| *t = t.clone().strict())),
        on_base(
            "without_rowid",
            feed_edit(|t| {
                column(t, "id").nullable = false;
                *t = t.clone().without_rowid();
            }),
        ),
        on_base(
            "drop_indexed_column",
            feed_edit(|t| {
                t.columns.retain(|c| c.name != "title");
                t.indexes.clear();
            }),
        ),
        on_base(
            "drop_fk_column",
            feed_edit(|t| {
                t.columns.retain(|c| c.name != "parent_id");
                t.foreign_keys.clear();
            }),
        ),
        on_base(
            "drop_pk_column",
            feed_edit(|t| {
                t.columns.retain(|c| c.name != "id");
                t.primary_key = None;
            }),
        ),
        on_base(
            "add_column_current_timestamp",
            feed_edit(|t| {
                t.columns
                    .push(col("created", "TEXT").default("CURRENT_TIMESTAMP"));
            }),
        ),
        on_base("autoincrement_kept", {
            let mut s = base();
            if let Some(t) = s.tables.get_mut(&name("parent")) {
                column(t, "note").data_type = "VARCHAR(20)".into();
            }
            s
        }),
        on_base(
            "indexes",
            feed_edit(|t| {
                t.indexes.clear();
                let mut ix = index("ix_feed_title", &["title", "score"]);
                ix.parts[0].collation = Some("NOCASE".into());
                ix.parts[1].descending = true;
                t.indexes.insert(ix.name.clone(), ix);
                let mut uq = index("uq_feed_parent_title", &["parent_id", "title"]);
                uq.unique = true;
                uq.predicate = Some("title IS NOT NULL".into());
                t.indexes.insert(uq.name.clone(), uq);
                let mut expr = index("ix_feed_lower", &[]);
                expr.parts = index("x", &["x"]).parts;
                expr.parts[0].key = IndexKey::Expr("lower(title)".into());
                t.indexes.insert(expr.name.clone(), expr);
            }),
        ),
    ];
    out.push(Scenario {
        renames: vec!["feed=item"],
        counts: vec![("parent", "parent"), ("feed", "item")],
        ..on_base("rename_table", {
            let mut s = base();
            if let Some(mut t) = s.tables.remove(&name("feed")) {
                t.name = name("item");
                s.tables.insert(t.name.clone(), t);
            }
            s
        })
    });
    out.push(Scenario {
        renames: vec!["feed.title=headline"],
        ..on_base(
            "rename_column",
            feed_edit(|t| {
                column(t, "title").name = "headline".into();
                t.indexes = [(
                    "ix_feed_title".to_string(),
                    index("ix_feed_title", &["headline"]),
                )]
                .into();
            }),
        )
    });
    out.push(Scenario {
        renames: vec!["feed.title=headline"],
        ..on_base(
            "rename_column_and_rebuild",
            feed_edit(|t| {
                column(t, "title").name = "headline".into();
                column(t, "score").nullable = false;
                t.indexes = [(
                    "ix_feed_title".to_string(),
                    index("ix_feed_title", &["headline"]),
                )]
                .into();
            }),
        )
    });
    out.push(Scenario {
        before: feed_edit(|t| t.foreign_keys.clear()),
        ..on_base("foreign_key_add", base())
    });
    out.push(Scenario {
        renames: vec!["feed=item", "item.title=headline"],
        counts: vec![("parent", "parent"), ("feed", "item")],
        ..on_base("rename_table_and_column", {
            let mut s = base();
            if let Some(mut t) = s.tables.remove(&name("feed")) {
                t.name = name("item");
                column(&mut t, "title").name = "headline".into();
                t.indexes = [(
                    "ix_feed_title".to_string(),
                    index("ix_feed_title", &["headline"]),
                )]
                .into();
                s.tables.insert(t.name.clone(), t);
            }
            s
        })
    });
    out.push(Scenario {
        before: with_dependents(base()),
        renames: vec!["feed=item"],
        counts: vec![("parent", "parent"), ("feed", "item")],
        ..on_base("rename_table_under_views", {
            let mut s = base();
            if let Some(mut t) = s.tables.remove(&name("feed")) {
                t.name = name("item");
                s.tables.insert(t.name.clone(), t);
            }
            let item = |sql: &str| {
                ["FROM ", "ON ", "INTO ", "UPDATE "]
                    .iter()
                    .fold(sql.to_string(), |s, k| {
                        s.replace(&format!("{k}feed"), &format!("{k}item"))
                    })
            };
            s.views.extend(
                schema(
                    vec![],
                    vec![
                        view("v_feed", &item(V_FEED), &["item"]),
                        view("v_feed2", V_FEED2, &["v_feed"]),
                    ],
                    vec![],
                )
                .views,
            );
            s.triggers.extend(
                schema(
                    vec![],
                    vec![],
                    vec![
                        trigger(
                            "trg_parent",
                            "parent",
                            &item(TRG_PARENT),
                            &["parent", "item"],
                        ),
                        trigger("trg_feed", "item", &item(TRG_FEED), &["item", "parent"]),
                        trigger("trg_v", "v_feed", &item(TRG_V), &["v_feed", "item"]),
                    ],
                )
                .triggers,
            );
            s
        })
    });
    out.push(dependents());
    out.push(create_and_drop_tables());
    out.push(views_and_triggers());
    out
}

const V_FEED: &str = "CREATE VIEW v_feed AS SELECT id, title FROM feed";
const V_FEED2: &str = "CREATE VIEW v_feed2 AS SELECT title FROM v_feed WHERE id > 1";
const TRG_PARENT: &str = "CREATE TRIGGER trg_parent AFTER UPDATE ON parent BEGIN \
     UPDATE feed SET score = score + 1 WHERE parent_id = NEW.id; END";
const TRG_FEED: &str = "CREATE TRIGGER trg_feed AFTER INSERT ON feed BEGIN \
     UPDATE parent SET note = 'touched' WHERE id = NEW.parent_id; END";
const TRG_V: &str = "CREATE TRIGGER trg_v INSTEAD OF INSERT ON v_feed BEGIN \
     INSERT INTO feed (id, title) VALUES (NEW.id, NEW.title); END";

fn with_dependents(mut s: Schema) -> Schema {
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
fn dependents() -> Scenario {
    Scenario {
        before: with_dependents(base()),
        ..on_base(
            "rebuild_with_dependents",
            with_dependents(feed_edit(|t| column(t, "score").data_type = "REAL".into())),
        )
    }
}

/// New tables referencing each other (a cycle) and a dropped pair.
fn create_and_drop_tables() -> Scenario {
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
fn views_and_triggers() -> Scenario {
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
