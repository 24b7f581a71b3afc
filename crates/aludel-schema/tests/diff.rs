//! The diff on hand-built models: nothing between a schema and itself, the
//! dependency order of a mixed diff, declared renames (parsed, inverted,
//! refused when they cannot apply), rename candidates, and the wording of
//! detected changes.

mod common;

use aludel_schema::{
    Change, DiffError, FkAction, RenameCandidate, Renames, Schema, TableChange, describe_changes,
    diff, rename_candidates,
};
use common::scenarios::{self, feed, parent};
use common::*;

#[test]
fn a_schema_has_no_diff_with_itself() {
    for s in scenarios::all() {
        for side in [&s.before, &s.after] {
            let changes = diff(side, side, &Renames::none()).expect("diff");
            assert!(changes.is_empty(), "{}: {changes:?}", s.name);
        }
    }
}

fn kind(change: &Change) -> String {
    match change {
        Change::CreateTable(t) => format!("create table {}", t.name),
        Change::DropTable(t) => format!("drop table {}", t.name),
        Change::RenameTable { from, to } => format!("rename table {from} {to}"),
        Change::AlterTable { after, .. } => format!("alter table {}", after.name),
        Change::CreateIndex { index, .. } => format!("create index {}", index.name),
        Change::DropIndex { index, .. } => format!("drop index {}", index.name),
        Change::CreateView(v) => format!("create view {}", v.name),
        Change::DropView(v) => format!("drop view {}", v.name),
        Change::CreateTrigger(t) => format!("create trigger {}", t.name),
        Change::DropTrigger(t) => format!("drop trigger {}", t.name),
        other => format!("{other:?}"),
    }
}

#[test]
fn a_mixed_diff_comes_in_dependency_order() {
    let old_child = table("old_child", vec![col("id", "INTEGER"), col("p", "INTEGER")])
        .with_fk(fk(&["p"], "old_parent", &["id"]));
    let old_parent = table("old_parent", vec![col("id", "INTEGER")]).pk(&["id"]);
    let current = schema(
        vec![
            parent(),
            feed(),
            old_child,
            old_parent,
            table("ren_a", vec![col("x", "TEXT")]),
        ],
        vec![
            view(
                "v_base",
                "CREATE VIEW v_base AS SELECT id FROM feed",
                &["feed"],
            ),
            view(
                "v_top",
                "CREATE VIEW v_top AS SELECT id FROM v_base",
                &["v_base"],
            ),
        ],
        vec![trigger(
            "trg_old",
            "feed",
            "CREATE TRIGGER trg_old ...",
            &["feed"],
        )],
    );
    let mut new_feed = feed().with_index(index("ix_feed_score", &["score"]));
    new_feed.columns.push(col("extra", "TEXT"));
    new_feed.indexes.remove("ix_feed_title");
    let z_child = table("a_child", vec![col("id", "INTEGER"), col("p", "INTEGER")]).with_fk(fk(
        &["p"],
        "z_parent",
        &["id"],
    ));
    let z_parent = table("z_parent", vec![col("id", "INTEGER")])
        .pk(&["id"])
        .with_index(index("ix_z", &["id"]));
    let desired = schema(
        vec![
            parent(),
            new_feed,
            z_child,
            z_parent,
            table("ren_b", vec![col("x", "TEXT")]),
        ],
        vec![
            view(
                "v_base",
                "CREATE VIEW v_base AS SELECT id, title FROM feed",
                &["feed"],
            ),
            view(
                "v_top",
                "CREATE VIEW v_top AS SELECT id FROM v_base",
                &["v_base"],
            ),
            view(
                "a_view",
                "CREATE VIEW a_view AS SELECT * FROM v_top",
                &["v_top"],
            ),
        ],
        vec![trigger(
            "trg_new",
            "feed",
            "CREATE TRIGGER trg_new ...",
            &["feed"],
        )],
    );
    let renames = Renames::parse_flags(["ren_a=ren_b"]).expect("flag");
    let changes = diff(&current, &desired, &renames).expect("diff");
    let kinds: Vec<String> = changes.iter().map(kind).collect();
    assert_eq!(
        kinds,
        [
            "drop trigger trg_old",
            "drop view v_top",
            "drop view v_base",
            "drop index ix_feed_title",
            "rename table ren_a ren_b",
            "create table z_parent",
            "create table a_child",
            "alter table feed",
            "drop table old_child",
            "drop table old_parent",
            "create index ix_feed_score",
            "create index ix_z",
            "create view v_base",
            "create view v_top",
            "create view a_view",
            "create trigger trg_new",
        ]
    );
    // A created table carries no indexes: they come as CreateIndex.
    let Change::CreateTable(z) = &changes[5] else {
        panic!("{:?}", changes[5])
    };
    assert!(z.indexes.is_empty());
    let Change::AlterTable { changes: inner, .. } = &changes[7] else {
        panic!()
    };
    assert_eq!(inner, &[TableChange::AddColumn(col("extra", "TEXT"))]);
}

#[test]
fn column_order_is_not_a_difference_but_constraints_compare_by_name() {
    let mut reordered = feed();
    reordered.columns.reverse();
    let (a, b) = (
        schema(vec![feed()], vec![], vec![]),
        schema(vec![reordered], vec![], vec![]),
    );
    assert!(diff(&a, &b, &Renames::none()).expect("diff").is_empty());

    let mut named = feed();
    named.foreign_keys[0].name = Some("fk_parent".into());
    let c = schema(vec![named], vec![], vec![]);
    let changes = diff(&a, &c, &Renames::none()).expect("diff");
    assert_eq!(
        describe_changes(&changes),
        [
            "removed foreign key on 'feed' (parent_id) referencing 'parent' (id)",
            "added foreign key 'fk_parent' on 'feed' (parent_id) referencing 'parent' (id)",
        ]
    );
}

#[test]
fn flags_parse_and_invert() {
    let r =
        Renames::parse_flags(["feed=item", "item.title=headline", "item.a=item.b"]).expect("ok");
    assert_eq!(r.tables, [(name("feed"), name("item"))]);
    assert_eq!(r.columns.len(), 2);
    assert_eq!(
        (r.columns[1].from.as_str(), r.columns[1].to.as_str()),
        ("a", "b")
    );
    let inv = r.inverted();
    assert_eq!(inv.tables, [(name("item"), name("feed"))]);
    assert_eq!(inv.columns[0].table, name("feed"));
    assert_eq!(
        (inv.columns[0].from.as_str(), inv.columns[0].to.as_str()),
        ("headline", "title")
    );
    assert_eq!(inv.inverted(), r);
    for bad in [
        "feed", "=x", "x=", "a=b=c", "a=b.c", "t.a=u.b", "t.=b", ".a=b",
    ] {
        let error = Renames::parse_flags([bad]).expect_err(bad);
        assert!(error.to_string().contains(bad), "{error}");
    }
}

fn rename_error(flags: &[&str], current: &Schema, desired: &Schema) -> DiffError {
    let renames = Renames::parse_flags(flags.iter().copied()).expect("flags");
    diff(current, desired, &renames).expect_err("must be refused")
}

#[test]
fn renames_that_cannot_apply_are_errors_naming_them() {
    let base = schema(vec![parent(), feed()], vec![], vec![]);
    let mut renamed = base.clone();
    if let Some(mut t) = renamed.tables.remove(&name("feed")) {
        t.name = name("item");
        renamed.tables.insert(t.name.clone(), t);
    }
    let cases: Vec<(Vec<&str>, &Schema, &Schema, &str)> = vec![
        (
            vec!["nope=item"],
            &base,
            &renamed,
            "--rename nope=item: table 'nope' does not exist in the current schema",
        ),
        (
            vec!["feed=nope"],
            &base,
            &renamed,
            "--rename feed=nope: table 'nope' does not exist in the desired schema",
        ),
        (
            vec!["feed=parent"],
            &base,
            &base,
            "--rename feed=parent: table 'parent' already exists in the current schema",
        ),
        (
            vec!["parent=item"],
            &base,
            &renamed,
            "--rename parent=item: table 'parent' is still in the desired schema, so it is not renamed",
        ),
        (
            vec!["feed=item", "feed=item"],
            &base,
            &renamed,
            "--rename feed=item: table 'feed' is renamed more than once",
        ),
        (
            vec!["feed.nope=x"],
            &base,
            &base,
            "--rename feed.nope=x: column 'feed.nope' does not exist in the current schema",
        ),
        (
            vec!["feed.title=x"],
            &base,
            &base,
            "--rename feed.title=x: column 'feed.x' does not exist in the desired schema",
        ),
        (
            vec!["nope.a=b"],
            &base,
            &base,
            "--rename nope.a=b: table 'nope' does not exist in the desired schema",
        ),
    ];
    for (flags, current, desired, message) in cases {
        assert_eq!(rename_error(&flags, current, desired).to_string(), message);
    }
    assert!(matches!(
        rename_error(&["feed.title=score"], &base, &base),
        DiffError::RenameTargetExists { .. }
    ));
}

#[test]
fn rename_candidates_offer_same_shape_tables_and_same_type_columns() {
    let mut moved = feed();
    moved.name = name("item");
    let mut retitled = parent();
    retitled.columns[2].name = "memo".into(); // note TEXT -> memo TEXT
    retitled.columns.push(col("count", "INTEGER"));
    let current = schema(vec![parent(), feed()], vec![], vec![]);
    let desired = schema(vec![retitled, moved], vec![], vec![]);
    let found = rename_candidates(&current, &desired, &Renames::none());
    assert_eq!(
        found,
        [
            RenameCandidate::Table {
                from: name("feed"),
                to: name("item")
            },
            RenameCandidate::Column {
                table: name("parent"),
                from: "note".into(),
                to: "memo".into()
            },
        ]
    );
    assert_eq!(found[0].flag(), "feed=item");
    assert_eq!(found[1].flag(), "parent.note=memo");
    // Once declared, a candidate is no longer offered, and the diff renames.
    let mut renames = Renames::none();
    found[0].declare(&mut renames);
    found[1].declare(&mut renames);
    assert!(rename_candidates(&current, &desired, &renames).is_empty());
    let lines = describe_changes(&diff(&current, &desired, &renames).expect("diff"));
    assert_eq!(
        lines,
        [
            "renamed table 'feed' to 'item'",
            "renamed column 'parent.note' to 'parent.memo'",
            "added column 'parent.count'",
        ]
    );
}

#[test]
fn detected_changes_are_worded_one_line_each() {
    let mut after = feed()
        .pk(&["id", "parent_id"])
        .unique(Some("uq"), &["title"])
        .strict();
    after.foreign_keys[0].on_delete = FkAction::SetNull;
    if let Some(score) = after.columns.iter_mut().find(|c| c.name == "score") {
        score.data_type = "REAL".into();
        score.nullable = false;
        score.default = Some("1".into());
        score.collation = Some("BINARY".into());
    }
    let current = schema(vec![parent(), feed()], vec![], vec![]);
    let desired = schema(vec![parent(), after], vec![], vec![]);
    let changes = diff(&current, &desired, &Renames::none()).expect("diff");
    assert_eq!(
        describe_changes(&changes),
        [
            "removed foreign key on 'feed' (parent_id) referencing 'parent' (id)",
            "changed primary key of 'feed' from (id) to (id, parent_id)",
            "type change of column 'feed.score' from INTEGER to REAL",
            "NULL change of column 'feed.score' to NOT NULL",
            "default change of column 'feed.score'",
            "collation change of column 'feed.score'",
            "added unique constraint 'uq' on 'feed' (title)",
            "added foreign key on 'feed' (parent_id) referencing 'parent' (id)",
            "options change of table 'feed' from (none) to STRICT",
        ]
    );
    let dropped = diff(
        &current,
        &schema(vec![parent()], vec![], vec![]),
        &Renames::none(),
    );
    assert_eq!(
        dropped.expect("diff")[0].describe(),
        ["removed table 'feed'"]
    );
}

#[test]
fn declared_names_match_the_schemas_without_regard_to_case() {
    let mut item = feed();
    item.name = name("item");
    if let Some(c) = item.columns.iter_mut().find(|c| c.name == "title") {
        c.name = "headline".into();
    }
    item.indexes.clear();
    let current = schema(vec![parent(), feed()], vec![], vec![]);
    let desired = schema(vec![parent(), item], vec![], vec![]);
    let renames = Renames::parse_flags(["FEED=Item", "ITEM.Title=HeadLine"]).expect("flags");
    let changes = diff(&current, &desired, &renames).expect("diff");
    assert_eq!(
        describe_changes(&changes),
        [
            "removed index 'ix_feed_title' on 'feed' (title)",
            "renamed table 'feed' to 'item'",
            "renamed column 'item.title' to 'item.headline'",
        ]
    );
    assert!(rename_candidates(&current, &desired, &renames).is_empty());
    let back = diff(&desired, &current, &renames.inverted()).expect("inverse");
    assert_eq!(
        describe_changes(&back),
        [
            "renamed table 'item' to 'feed'",
            "renamed column 'feed.headline' to 'feed.title'",
            "added index 'ix_feed_title' on 'feed' (title)",
        ]
    );
}
