//! Unit and property tests; graph shapes and expectations ported from
//! Alembic's `tests/test_revision.py` and `tests/test_version_traversal.py`.

use std::collections::BTreeSet;

use crate::target::Ident;
use crate::walk::IterOpts;
use crate::{Direction, GraphError, RevIdx, RevisionGraph, RevisionInfo, VersionOp};

mod build_tests;
mod props;
mod resolve_tests;
mod scale;
mod traversal_tests;
mod walk_tests;

pub(crate) fn info(id: &str, down: &[&str]) -> RevisionInfo {
    RevisionInfo {
        id: id.to_string(),
        down_revisions: down.iter().map(|s| s.to_string()).collect(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        origin: format!("versions/{id}.py"),
    }
}

pub(crate) fn with_deps(mut i: RevisionInfo, deps: &[&str]) -> RevisionInfo {
    i.depends_on = deps.iter().map(|s| s.to_string()).collect();
    i
}

pub(crate) fn with_labels(mut i: RevisionInfo, labels: &[&str]) -> RevisionInfo {
    i.branch_labels = labels.iter().map(|s| s.to_string()).collect();
    i
}

pub(crate) fn build(infos: Vec<RevisionInfo>) -> RevisionGraph {
    match RevisionGraph::build(infos) {
        Ok(g) => g,
        Err(e) => panic!("build failed: {e}"),
    }
}

pub(crate) fn ids(g: &RevisionGraph, v: &[RevIdx]) -> Vec<String> {
    v.iter().map(|&i| g.id(i).to_string()).collect()
}

pub(crate) fn one(s: &str) -> Ident {
    Ident::One(s.to_string())
}

pub(crate) fn many(v: &[&str]) -> Ident {
    Ident::many(v)
}

/// Alembic `iterate_revisions(upper, lower, ...)` as id strings.
pub(crate) fn iterate(
    g: &RevisionGraph,
    upper: Ident,
    lower: Ident,
    inclusive: bool,
    implicit_base: bool,
    for_downgrade: bool,
) -> Result<Vec<String>, GraphError> {
    let opts = IterOpts {
        implicit_base,
        inclusive,
        assert_relative_length: true,
    };
    let order = g.iterate(&upper, &lower, opts, for_downgrade)?;
    // Every result respects the partial order (as Alembic's test helper checks).
    let pos: std::collections::HashMap<RevIdx, usize> =
        order.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    for (&r, &i) in &pos {
        for d in g.revision(r).normalized_down_revisions() {
            if let Some(&j) = pos.get(d) {
                assert!(j > i, "{} listed before its descendant", g.id(*d));
            }
        }
    }
    Ok(ids(g, &order))
}

pub(crate) fn it_up(g: &RevisionGraph, upper: Ident, lower: Ident) -> Vec<String> {
    iterate(g, upper, lower, true, false, false).unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn it_down(g: &RevisionGraph, upper: Ident, lower: Ident) -> Vec<String> {
    iterate(g, upper, lower, true, false, true).unwrap_or_else(|e| panic!("{e}"))
}

/// Applies version operations like Alembic's HeadMaintainer asserts.
pub(crate) fn apply_ops(heads: &mut BTreeSet<String>, ops: &[VersionOp]) {
    for op in ops {
        match op {
            VersionOp::Insert(v) => assert!(heads.insert(v.clone()), "insert of present {v}"),
            VersionOp::Delete(v) => assert!(heads.remove(v), "delete of absent {v}"),
            VersionOp::Update { from, to } => {
                assert!(!heads.contains(to), "update to present {to}");
                assert!(heads.remove(from), "update from absent {from}");
                heads.insert(to.clone());
            }
        }
    }
}

pub(crate) fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub(crate) fn assert_upgrade(
    g: &RevisionGraph,
    destination: &str,
    source: &[&str],
    expected: &[&str],
    expected_heads: &[&str],
) {
    let steps = g
        .plan_upgrade(source, destination)
        .unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    assert_eq!(got, expected, "upgrade order to {destination}");
    assert!(steps.iter().all(|s| s.direction == Direction::Upgrade));
    let mut heads = set(source);
    for s in &steps {
        apply_ops(&mut heads, &s.version_ops);
    }
    assert_eq!(
        heads,
        set(expected_heads),
        "heads after upgrade to {destination}"
    );
}

pub(crate) fn assert_downgrade(
    g: &RevisionGraph,
    destination: &str,
    source: &[&str],
    expected: &[&str],
    expected_heads: &[&str],
) {
    let steps = g
        .plan_downgrade(source, destination)
        .unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    assert_eq!(got, expected, "downgrade order to {destination}");
    assert!(steps.iter().all(|s| s.direction == Direction::Downgrade));
    let mut heads = set(source);
    for s in &steps {
        apply_ops(&mut heads, &s.version_ops);
    }
    assert_eq!(
        heads,
        set(expected_heads),
        "heads after downgrade to {destination}"
    );
}

pub(crate) fn err_msg<T: std::fmt::Debug>(r: Result<T, GraphError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}
