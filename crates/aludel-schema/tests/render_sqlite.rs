//! The SQL the SQLite renderer writes for every kind of change, as reviewed
//! snapshots (upgrade and downgrade), and its determinism.

mod common;

use aludel_schema::{Renames, SqliteRenderer, plan};
use common::scenarios;

#[test]
fn every_scenario_renders_as_reviewed() {
    for s in scenarios::all() {
        let renames = Renames::parse_flags(s.renames.iter().copied()).expect("flags");
        let m = plan(&s.before, &s.after, &renames, &SqliteRenderer).expect("plan");
        assert!(!m.is_empty(), "{}: no changes", s.name);
        insta::assert_snapshot!(s.name, common::show(&m));
    }
}

#[test]
fn rendering_is_deterministic() {
    for (first, second) in scenarios::all().into_iter().zip(scenarios::all()) {
        let renames = Renames::parse_flags(first.renames.iter().copied()).expect("flags");
        let a = plan(&first.before, &first.after, &renames, &SqliteRenderer).expect("plan");
        let b = plan(&second.before, &second.after, &renames, &SqliteRenderer).expect("plan");
        assert_eq!(a.upgrade_sql(), b.upgrade_sql(), "{}", first.name);
        assert_eq!(a.downgrade_sql(), b.downgrade_sql(), "{}", first.name);
    }
}
