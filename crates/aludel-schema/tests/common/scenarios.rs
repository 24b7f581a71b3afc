//! Before/after pairs, one per kind of change, shared by the snapshot tests
//! and the execution tests on real SQLite.

use aludel_schema::{FkAction, IndexKey, Schema, Table};

use super::objects::*;
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

pub(crate) const SEED: &[&str] = &[
    "INSERT INTO parent (id, name, note) VALUES (1, 'one', 'n1'), (2, 'two', 'n2'), (5, 'five', 'n5')",
    "DELETE FROM parent WHERE id = 5",
    "INSERT INTO feed (id, parent_id, title, score) VALUES (1, 1, 'a', 3), (2, 1, NULL, 4), (3, 2, 'c', 5)",
];

pub(crate) fn base() -> Schema {
    schema(vec![parent(), feed()], vec![], vec![])
}

/// `base()` with `feed` changed by `edit`.
pub(crate) fn feed_edit(edit: impl FnOnce(&mut Table)) -> Schema {
    let mut s = base();
    if let Some(t) = s.tables.get_mut(&name("feed")) {
        edit(t);
    }
    s
}

pub(crate) fn column<'a>(t: &'a mut Table, n: &str) -> &'a mut aludel_schema::Column {
    t.columns
        .iter_mut()
        .find(|c| c.name == n)
        .expect("scenario column")
}

pub(crate) fn on_base(name: &'static str, after: Schema) -> Scenario {
    Scenario {
        name,
        before: base(),
        after,
        renames: vec![],
        seed: SEED.to_vec(),
        counts: vec![("parent", "parent"), ("feed", "feed")],
    }
}

/// An edit of a table.
pub type Edit = fn(&mut Table);

/// Edits of `feed`, one per kind of change; each leaves alone what another
/// edit removed, so any two combine.
pub fn feed_edits() -> Vec<(&'static str, Edit)> {
    vec![
        ("add_column_native", |t| {
            t.columns.push(col("summary", "TEXT").default("'none'"));
            t.columns
                .push(col("flag", "INTEGER").not_null().default("0"));
            t.columns
                .push(col("title_len", "INTEGER").generated("length(title)", false));
        }),
        ("drop_column_native", |t| {
            t.columns.retain(|c| c.name != "score")
        }),
        ("type_change", |t| {
            edit(t, "score", |c| c.data_type = "REAL".into())
        }),
        ("not_null_with_default", |t| {
            edit(t, "title", |c| {
                c.nullable = false;
                c.default = Some("''".into());
            })
        }),
        ("not_null_without_default", |t| {
            edit(t, "parent_id", |c| c.nullable = false)
        }),
        ("default_change", |t| {
            edit(t, "score", |c| c.default = Some("abs(-1)".into()))
        }),
        ("collation_change", |t| {
            edit(t, "title", |c| c.collation = Some("NOCASE".into()))
        }),
        ("generated_stored", |t| {
            t.columns
                .push(col("double_score", "INTEGER").generated("score * 2", true));
        }),
        ("primary_key_change", |t| {
            *t = t.clone().pk(&["id", "parent_id"])
        }),
        ("foreign_key_drop", |t| t.foreign_keys.clear()),
        ("foreign_key_action_change", |t| {
            for fk in &mut t.foreign_keys {
                fk.on_delete = FkAction::SetNull;
                fk.deferrable = aludel_schema::Deferrable::InitiallyDeferred;
            }
        }),
        ("unique_add", |t| {
            *t = t.clone().unique(Some("uq_feed_title"), &["title"])
        }),
        ("check_add", |t| {
            *t = t
                .clone()
                .check(None, "score >= 0")
                .check(Some("ck_title"), "length(title) < 100");
        }),
        ("strict", |t| *t = t.clone().strict()),
        ("without_rowid", |t| {
            edit(t, "id", |c| c.nullable = false);
            *t = t.clone().without_rowid();
        }),
        ("drop_indexed_column", |t| {
            t.columns.retain(|c| c.name != "title");
            t.indexes.clear();
        }),
        ("drop_fk_column", |t| {
            t.columns.retain(|c| c.name != "parent_id");
            t.foreign_keys.clear();
        }),
        ("drop_pk_column", |t| {
            t.columns.retain(|c| c.name != "id");
            t.primary_key = None;
        }),
        ("add_column_current_timestamp", |t| {
            t.columns
                .push(col("created", "TEXT").default("CURRENT_TIMESTAMP"));
        }),
        ("indexes", |t| {
            t.indexes.clear();
            let mut ix = index("ix_feed_title", &["title", "score"]);
            ix.parts[0].collation = Some("NOCASE".into());
            ix.parts[1].descending = true;
            t.indexes.insert(ix.name.clone(), ix);
            let mut uq = index("uq_feed_parent_title", &["parent_id", "title"]);
            uq.unique = true;
            uq.predicate = Some("title IS NOT NULL".into());
            t.indexes.insert(uq.name.clone(), uq);
            let mut expr = index("ix_feed_lower", &["title"]);
            expr.parts[0].key = IndexKey::Expr("lower(title)".into());
            t.indexes.insert(expr.name.clone(), expr);
        }),
    ]
}

/// Applies `f` to column `n` of `t`, when `t` still has it.
fn edit(t: &mut Table, n: &str, f: impl FnOnce(&mut aludel_schema::Column)) {
    if let Some(c) = t.columns.iter_mut().find(|c| c.name == n) {
        f(c);
    }
}

/// Every scenario.
pub fn all() -> Vec<Scenario> {
    let mut out: Vec<Scenario> = feed_edits()
        .into_iter()
        .map(|(n, e)| on_base(n, feed_edit(e)))
        .collect();
    out.push(on_base("autoincrement_kept", {
        let mut s = base();
        if let Some(t) = s.tables.get_mut(&name("parent")) {
            column(t, "note").data_type = "VARCHAR(20)".into();
        }
        s
    }));
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
    out.push(Scenario {
        before: feed_edit(|t| *t = checked_feed(t, "title", "score")),
        renames: vec!["feed.title=headline", "feed.score=points"],
        ..on_base(
            "rename_columns_under_check_and_expression_index",
            feed_edit(|t| {
                column(t, "title").name = "headline".into();
                column(t, "score").name = "points".into();
                t.indexes = [(
                    "ix_feed_title".to_string(),
                    index("ix_feed_title", &["headline"]),
                )]
                .into();
                *t = checked_feed(t, "headline", "points");
            }),
        )
    });
    out.push(Scenario {
        renames: vec!["parent=owner", "feed.parent_id=owner_id"],
        counts: vec![("parent", "owner"), ("feed", "feed")],
        ..on_base("rename_referenced_table_and_column", {
            let mut s = base();
            if let Some(mut t) = s.tables.remove(&name("parent")) {
                t.name = name("owner");
                s.tables.insert(t.name.clone(), t);
            }
            if let Some(t) = s.tables.get_mut(&name("feed")) {
                column(t, "parent_id").name = "owner_id".into();
                t.foreign_keys[0].columns = vec!["owner_id".into()];
                t.foreign_keys[0].referenced_table = name("owner");
            }
            s
        })
    });
    out.push(Scenario {
        renames: vec!["feed=item"],
        counts: vec![("parent", "parent"), ("feed", "item")],
        ..on_base("rename_table_and_rebuild", {
            let mut s = base();
            if let Some(mut t) = s.tables.remove(&name("feed")) {
                t.name = name("item");
                column(&mut t, "title").nullable = false;
                column(&mut t, "title").default = Some("'untitled'".into());
                s.tables.insert(t.name.clone(), t);
            }
            s
        })
    });
    out.push(keyword_names());
    out.push(every_clause());
    out.push(dependents());
    out.push(create_and_drop_tables());
    out.push(views_and_triggers());
    out
}
