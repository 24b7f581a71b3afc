//! The diff of the server object kinds on hand-built models: where each
//! kind goes in the change list (what tables, views and triggers need
//! comes first; drops come last, in reverse), enum labels added in place
//! or the type rebuilt, sequence ownership, functions replaced in place or
//! recreated with their callers, exclusion constraints, and triggers keyed
//! per table.

mod common;
mod render_postgres_cases;

use aludel_schema::model::Identity;
use aludel_schema::{
    Change, EnumPosition, ExclusionConstraint, ObjectName, Renames, Schema, Sequence, TableChange,
    describe_changes, diff,
};
use common::*;
use render_postgres_cases::*;

fn kinds(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| match c {
            Change::CreateSchema(s) => format!("+schema {s}"),
            Change::DropSchema(s) => format!("-schema {s}"),
            Change::CreateExtension(e) => format!("+extension {}", e.name),
            Change::DropExtension(e) => format!("-extension {}", e.name),
            Change::CreateEnum(e) => format!("+enum {}", e.name),
            Change::DropEnum(e) => format!("-enum {}", e.name),
            Change::AddEnumValue { value, .. } => format!("+label {value}"),
            Change::RebuildEnum { after, .. } => format!("rebuild {}", after.name),
            Change::CreateDomain(d) => format!("+domain {}", d.name),
            Change::DropDomain(d) => format!("-domain {}", d.name),
            Change::CreateSequence(s) => format!("+sequence {}", s.name),
            Change::DropSequence(s) => format!("-sequence {}", s.name),
            Change::AlterSequence { after, .. } => format!("~sequence {}", after.name),
            Change::CreateFunction(f) => format!("+function {}", f.name),
            Change::DropFunction(f) => format!("-function {}", f.name),
            Change::CreateTable(t) => format!("+table {}", t.name),
            Change::DropTable(t) => format!("-table {}", t.name),
            Change::AlterTable { after, .. } => format!("~table {}", after.name),
            Change::CreateIndex { index, .. } => format!("+index {}", index.name),
            Change::DropIndex { index, .. } => format!("-index {}", index.name),
            Change::CreateView(v) => format!("+view {}", v.name),
            Change::DropView(v) => format!("-view {}", v.name),
            Change::CreateTrigger(t) => format!("+trigger {}", t.name),
            Change::DropTrigger(t) => format!("-trigger {}", t.name),
            Change::RenameTable { from, to } => format!("rename {from} {to}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn changes(before: &Schema, after: &Schema) -> Vec<String> {
    kinds(&diff(before, after, &Renames::none()).expect("diff"))
}

#[test]
fn every_kind_is_created_before_what_uses_it_and_dropped_after() {
    let case = objects_created();
    assert_eq!(
        changes(&case.before, &case.after),
        [
            "+schema app",
            "+extension pg_trgm",
            "+enum mood",
            "+sequence ticket_seq",
            "+function next_ticket()",
            "+domain positive_int",
            "+table ticket",
            "+table app.audit",
            "+index ix_ticket_lower",
            "+index ix_ticket_title",
            "+function touch_updated()",
            "+view ticket_counts",
            "+view ticket_titles",
            "+trigger ticket_touch",
        ]
    );
    assert_eq!(
        changes(&case.after, &case.before),
        [
            "-trigger ticket_touch",
            "-view ticket_titles",
            "-view ticket_counts",
            "-table app.audit",
            "-table ticket",
            "-function touch_updated()",
            "-function next_ticket()",
            "-domain positive_int",
            "-sequence ticket_seq",
            "-enum mood",
            "-extension pg_trgm",
            "-schema app",
        ]
    );
}

#[test]
fn every_case_has_no_diff_with_itself() {
    for case in all() {
        for side in [&case.before, &case.after] {
            assert_eq!(changes(side, side), Vec::<String>::new(), "{}", case.name);
        }
    }
}

#[test]
fn enum_labels_are_added_in_place_when_the_old_order_stays() {
    let case = enum_values_added();
    let found = diff(&case.before, &case.after, &Renames::none()).expect("diff");
    let s = |v: &str| v.to_string();
    let positions: Vec<(String, EnumPosition)> = found
        .into_iter()
        .filter_map(|c| match c {
            Change::AddEnumValue {
                value, position, ..
            } => Some((value, position)),
            _ => None,
        })
        .collect();
    assert_eq!(
        positions,
        [
            (s("meh"), EnumPosition::Before(s("sad"))),
            (s("ok"), EnumPosition::After(s("sad"))),
            (s("ecstatic"), EnumPosition::End),
        ]
    );
}

#[test]
fn a_removed_or_moved_label_rebuilds_the_type_with_every_column_using_it() {
    let case = enum_rebuilt();
    let found = diff(&case.before, &case.after, &Renames::none()).expect("diff");
    let columns = found.iter().find_map(|c| match c {
        Change::RebuildEnum { columns, .. } => Some(columns.clone()),
        _ => None,
    });
    assert_eq!(
        columns,
        Some(vec![
            (name("person"), "mood".to_string()),
            (name("person"), "history".to_string()),
        ])
    );
    assert!(found.iter().any(Change::is_destructive));
    // Moved only: rebuilt, but nothing is lost.
    let mut moved = case.before.clone();
    moved
        .enums
        .insert(name("mood"), enum_type("mood", &["happy", "ok", "sad"]));
    let found = diff(&case.before, &moved, &Renames::none()).expect("diff");
    assert_eq!(kinds(&found), ["rebuild mood"]);
    assert!(!found.iter().any(Change::is_destructive));
    assert_eq!(
        describe_changes(&found),
        ["changed enum type 'mood' from (sad, ok, happy) to (happy, ok, sad)"]
    );
}

#[test]
fn a_new_owned_sequence_is_owned_once_its_table_exists() {
    let before = Schema::default();
    let mut after = with_tables(vec![table("t", vec![col("n", "bigint")])]);
    after.sequences.insert(
        name("s"),
        Sequence {
            owned_by: Some((name("t"), "n".into())),
            ..sequence("s", SEQ_DEFAULTS)
        },
    );
    let found = diff(&before, &after, &Renames::none()).expect("diff");
    assert_eq!(kinds(&found), ["+sequence s", "+table t", "~sequence s"]);
    let Change::CreateSequence(created) = &found[0] else {
        panic!("{found:?}")
    };
    assert_eq!(created.owned_by, None);
    // Options change before the tables; a new owner after them.
    let case = sequence_changed();
    assert_eq!(
        changes(&case.before, &case.after),
        ["~sequence counter_seq", "~sequence counter_seq"]
    );
    let mut renamed = case.after.clone();
    let t = renamed.tables.remove(&name("counter")).expect("table");
    renamed.tables.insert(
        name("tally"),
        aludel_schema::Table {
            name: name("tally"),
            ..t
        },
    );
    if let Some(seq) = renamed.sequences.get_mut(&name("counter_seq")) {
        seq.owned_by = Some((name("tally"), "id".into()));
    }
    let renames = Renames::parse_flags(["counter=tally"]).expect("flags");
    let found = diff(&case.after, &renamed, &renames).expect("diff");
    assert_eq!(kinds(&found), ["rename counter tally"], "a renamed owner");
}

#[test]
fn a_function_changed_in_place_keeps_its_trigger_and_one_that_cannot_takes_its_callers() {
    let case = functions_changed();
    assert_eq!(
        changes(&case.before, &case.after),
        [
            "-view v_answer",
            "-function answer()",
            "+function answer()",
            "-function touch()",
            "+function touch()",
            "+view v_answer",
        ]
    );
    // touch() returning another type can no longer be replaced in place:
    // its trigger goes first and comes back last.
    let mut after = case.after.clone();
    let f = after.functions.get_mut(&name("touch()")).expect("touch");
    f.sql = f.sql.replace("RETURNS trigger", "RETURNS event_trigger");
    f.definition = f
        .definition
        .replace("returns trigger", "returns event_trigger");
    let found = changes(&case.before, &after);
    assert_eq!(found.first().map(String::as_str), Some("-trigger t_touch"));
    assert_eq!(found.last().map(String::as_str), Some("+trigger t_touch"));
}

#[test]
fn functions_a_table_expression_calls_come_before_the_tables() {
    let case = objects_created();
    let found = changes(&case.before, &case.after);
    let at = |k: &str| found.iter().position(|c| c == k).expect(k);
    assert!(at("+function next_ticket()") < at("+table ticket"));
    assert!(at("+function touch_updated()") > at("+table ticket"));
    assert!(at("+function touch_updated()") < at("+trigger ticket_touch"));
}

#[test]
fn exclusion_constraints_are_added_and_dropped() {
    let before = with_tables(vec![table("room", vec![col("during", "int4range")])]);
    let mut after = before.clone();
    after
        .tables
        .get_mut(&name("room"))
        .expect("room")
        .exclusions
        .push(ExclusionConstraint {
            name: "room_during_excl".into(),
            definition: "EXCLUDE USING gist (during WITH &&)".into(),
        });
    let found = diff(&before, &after, &Renames::none()).expect("diff");
    let Some(Change::AlterTable { changes, .. }) = found.first() else {
        panic!("{found:?}")
    };
    assert!(matches!(changes[..], [TableChange::AddExclusion(_)]));
    assert_eq!(
        describe_changes(&found),
        ["added exclusion constraint 'room_during_excl' on 'room'"]
    );
    let back = diff(&after, &before, &Renames::none()).expect("diff");
    let Some(Change::AlterTable { changes, .. }) = back.first() else {
        panic!("{back:?}")
    };
    assert!(matches!(changes[..], [TableChange::DropExclusion(_)]));
}

#[test]
fn triggers_of_the_same_name_on_two_tables_stay_apart() {
    let sql = |t: &str| {
        format!("CREATE TRIGGER audit AFTER INSERT ON {t} FOR EACH ROW EXECUTE FUNCTION f()")
    };
    let a = table("a", vec![col("id", "integer")]).with_index(index("ix_a", &["id"]));
    let b = table("b", vec![col("id", "integer")]);
    let mut before = with_tables(vec![a, b]);
    add_trigger(&mut before, pg_trigger("audit", "a", &sql("a")));
    add_trigger(&mut before, pg_trigger("audit", "b", &sql("b")));
    // Dropping an index makes the diff respell the current side: the
    // per-table keys must survive it.
    let mut after = before.clone();
    after.tables.get_mut(&name("a")).expect("a").indexes.clear();
    let b_trigger = ObjectName::new("b.audit");
    let changed = after.triggers.get_mut(&b_trigger).expect("b.audit");
    changed.sql = changed.sql.replace("AFTER", "BEFORE");
    changed.definition = changed.definition.replace("after", "before");
    let found = diff(&before, &after, &Renames::none()).expect("diff");
    assert_eq!(
        kinds(&found),
        ["-trigger audit", "-index ix_a", "+trigger audit"]
    );
    let tables: Vec<&ObjectName> = found
        .iter()
        .filter_map(|c| match c {
            Change::DropTrigger(t) | Change::CreateTrigger(t) => Some(&t.table),
            _ => None,
        })
        .collect();
    assert_eq!(tables, [&name("b"), &name("b")]);
}

#[test]
fn a_serial_column_and_an_identity_column_compare_as_they_are() {
    let serial = |seq: &str| {
        with_tables(vec![table(
            "t",
            vec![ident(
                col("id", "integer"),
                Identity::Serial {
                    sequence: name(seq),
                },
            )],
        )])
    };
    assert!(changes(&serial("t_id_seq"), &serial("t_id_seq")).is_empty());
    assert_eq!(changes(&serial("t_id_seq"), &serial("other")), ["~table t"]);
}
