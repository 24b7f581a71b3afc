//! Construction, validation and accessors.

use super::*;
use crate::CycleKind;

fn build_err(infos: Vec<RevisionInfo>) -> GraphError {
    match RevisionGraph::build(infos) {
        Ok(_) => panic!("expected a build error"),
        Err(e) => e,
    }
}

#[test]
fn duplicate_id_names_both_files() {
    let mut second = info("a", &[]);
    second.origin = "other/a_again.py".into();
    let e = build_err(vec![info("a", &[]), info("b", &["a"]), second]);
    assert_eq!(
        e.to_string(),
        "Revision a is present more than once (in versions/a.py and other/a_again.py)"
    );
}

#[test]
fn unknown_parent_and_dependency() {
    let e = build_err(vec![info("a", &[]), info("b", &["zz"])]);
    assert_eq!(
        e,
        GraphError::UnknownDownRevision {
            id: "b".into(),
            origin: "versions/b.py".into(),
            missing: "zz".into()
        }
    );
    assert!(
        e.to_string()
            .contains("Revision zz referenced from b is not present")
    );
    assert!(e.to_string().contains("versions/b.py"));

    let e = build_err(vec![
        info("a", &[]),
        with_deps(info("b", &["a"]), &["nope"]),
    ]);
    assert!(matches!(e, GraphError::UnknownDependency { ref missing, .. } if missing == "nope"));
    assert!(e.to_string().contains("versions/b.py"), "{e}");
}

#[test]
fn dependency_by_prefix_is_not_resolved() {
    // Alembic looks dependencies up exactly (ids or labels).
    let e = build_err(vec![
        info("abcdef", &[]),
        with_deps(info("b", &[]), &["abcd"]),
    ]);
    assert!(matches!(e, GraphError::UnknownDependency { .. }));
}

#[test]
fn dependency_by_label_resolves() {
    let g = build(vec![
        with_labels(info("a", &[]), &["lib"]),
        with_deps(info("b", &[]), &["lib"]),
    ]);
    let b = g.find("b").unwrap();
    assert_eq!(ids(&g, g.revision(b).resolved_dependencies()), vec!["a"]);
    assert_eq!(ids(&g, g.heads()), vec!["a", "b"]);
    assert_eq!(ids(&g, g.real_heads()), vec!["b"]);
}

#[test]
fn duplicate_branch_label() {
    // LabeledBranchTest.test_dupe_branch_collection
    let e = build_err(vec![
        info("a", &[]),
        info("b", &["a"]),
        with_labels(info("c", &["b"]), &["xy1"]),
        info("d", &[]),
        with_labels(info("e", &["d"]), &["xy1"]),
        info("f", &["e"]),
    ]);
    assert_eq!(
        e.to_string(),
        "Branch name 'xy1' in revision e already used by revision c (in versions/e.py and versions/c.py)"
    );
}

#[test]
fn label_equal_to_revision_id_is_rejected() {
    let e = build_err(vec![info("a", &[]), with_labels(info("b", &["a"]), &["a"])]);
    assert!(
        e.to_string()
            .starts_with("Branch name 'a' in revision b already used by revision a")
    );
}

#[test]
fn illegal_characters() {
    let e = build_err(vec![info("a-b+c", &[])]);
    assert_eq!(
        e.to_string(),
        "Character(s) '+, -' not allowed in revision identifier 'a-b+c' (in versions/a-b+c.py)"
    );
}

fn cycle(e: GraphError) -> (CycleKind, Vec<String>) {
    match e {
        GraphError::Cycle {
            kind, revisions, ..
        } => (kind, revisions),
        other => panic!("expected a cycle, got {other}"),
    }
}

#[test]
fn self_loops() {
    let (k, r) = cycle(build_err(vec![info("a", &["a"])]));
    assert_eq!((k, r), (CycleKind::SelfLoop, vec!["a".to_string()]));
    let e = build_err(vec![
        info("a", &[]),
        info("b", &["a"]),
        info("c", &["b", "c"]),
    ]);
    assert!(
        e.to_string()
            .starts_with("Self-loop is detected in revisions (c)")
    );
    let e = build_err(vec![info("a", &[]), with_deps(info("b", &["a"]), &["b"])]);
    assert!(
        e.to_string()
            .starts_with("Dependency self-loop is detected in revisions (b)")
    );
}

#[test]
fn cycles_report_alembic_sets() {
    // GraphWithCycleTest
    let (k, r) = cycle(build_err(vec![
        info("a", &["c"]),
        info("b", &["a"]),
        info("c", &["b"]),
    ]));
    assert_eq!(k, CycleKind::Cycle);
    assert_eq!(r, vec!["a", "b", "c"]);
    let (_, r) = cycle(build_err(vec![
        info("a", &["c"]),
        info("b", &["a"]),
        info("c", &["b"]),
        info("d", &[]),
        info("e", &["d"]),
    ]));
    assert_eq!(r, vec!["a", "b", "c"]);
    let (_, r) = cycle(build_err(vec![
        info("a", &["c"]),
        info("b", &["a"]),
        info("c", &["b"]),
        info("d", &["c"]),
        info("e", &["d"]),
    ]));
    assert_eq!(r, vec!["a", "b", "c", "d", "e"]);
    let (_, r) = cycle(build_err(vec![
        info("a", &[]),
        info("b", &["a"]),
        info("c", &["b", "e"]),
        info("d", &["c"]),
        info("e", &["d"]),
    ]));
    assert_eq!(r, vec!["a", "b", "c", "d", "e"]);
    let e = build_err(vec![
        info("a", &[]),
        info("b", &["a"]),
        with_deps(info("c", &["b"]), &["e"]),
        info("d", &["c"]),
        info("e", &["d"]),
    ]);
    assert!(
        e.to_string()
            .starts_with("Dependency cycle is detected in revisions (a, b, c, d, e)"),
        "{e}"
    );
    assert!(e.to_string().contains("versions/e.py"));
}

#[test]
fn cycle_hidden_from_alembic_check_is_found() {
    // a -> b -> c -> a with c also merging base x, and d on top of c:
    // every node is reachable from a head and from a base.
    let e = build_err(vec![
        info("a", &["c"]),
        info("b", &["a"]),
        info("c", &["b", "x"]),
        info("x", &[]),
        info("d", &["c"]),
    ]);
    let (k, r) = cycle(e);
    assert_eq!(k, CycleKind::Cycle);
    assert!(r.contains(&"a".to_string()) && r.contains(&"c".to_string()));
}

#[test]
fn accessors_and_flags() {
    let g = build(vec![
        info("a", &[]),
        info("b1", &["a"]),
        info("b2", &["a"]),
        info("c", &["b1", "b2"]),
        with_deps(info("x", &[]), &["c"]),
    ]);
    let a = g.revision(g.find("a").unwrap());
    assert!(a.is_base() && a.is_real_base() && a.is_branch_point() && !a.is_head());
    assert_eq!(ids(&g, a.children()), vec!["b1", "b2"]);
    let c = g.revision(g.find("c").unwrap());
    assert!(c.is_merge_point() && c.is_head() && !c.is_real_head());
    assert_eq!(ids(&g, c.all_children()), vec!["x"]);
    assert!(c.children().is_empty());
    let x = g.revision(g.find("x").unwrap());
    assert!(x.is_base() && !x.is_real_base());
    assert_eq!(x.origin(), "versions/x.py");
    assert_eq!(ids(&g, g.heads()), vec!["c", "x"]);
    assert_eq!(ids(&g, g.real_heads()), vec!["x"]);
    assert_eq!(ids(&g, g.bases()), vec!["a", "x"]);
    assert_eq!(ids(&g, g.real_bases()), vec!["a"]);
}

#[test]
fn normalized_dependencies() {
    // NormalizedDownRevTest
    let g = build(vec![
        info("a1", &[]),
        info("a2", &["a1"]),
        info("a3", &["a2"]),
        info("b1", &[]),
        with_deps(info("b2", &["b1"]), &["a3"]),
        info("b3", &["b2"]),
        with_deps(info("b4", &["b3"]), &["a3"]),
        with_deps(info("b5", &["b4"]), &["b4"]),
    ]);
    let b4 = g.revision(g.find("b4").unwrap());
    assert_eq!(ids(&g, b4.resolved_dependencies()), vec!["a3"]);
    assert_eq!(ids(&g, b4.normalized_down_revisions()), vec!["b3"]);
    let b5 = g.revision(g.find("b5").unwrap());
    assert_eq!(ids(&g, b5.normalized_down_revisions()), vec!["b4"]);
}

#[test]
fn branch_labels_propagate() {
    // Labels spread to descendants and, along a plain line, to ancestors.
    let g = build(vec![
        info("a", &[]),
        with_labels(info("b", &["a"]), &["lbl"]),
        info("c", &["b"]),
    ]);
    for id in ["a", "b", "c"] {
        let r = g.revision(g.find(id).unwrap());
        assert_eq!(r.effective_branch_labels(), &["lbl".to_string()], "{id}");
    }
    assert!(g.revision(g.find("a").unwrap()).branch_labels().is_empty());

    // Not past a branch point.
    let g = build(vec![
        info("a", &[]),
        info("b", &["a"]),
        with_labels(info("c1", &["b"]), &["c1branch"]),
        info("d1", &["c1"]),
        info("c2", &["b"]),
    ]);
    assert!(
        g.revision(g.find("b").unwrap())
            .effective_branch_labels()
            .is_empty()
    );
    assert!(
        g.revision(g.find("c2").unwrap())
            .effective_branch_labels()
            .is_empty()
    );
    assert_eq!(
        g.revision(g.find("d1").unwrap()).effective_branch_labels(),
        &["c1branch".to_string()]
    );
}

#[test]
fn empty_graph() {
    let g = build(vec![]);
    assert!(g.is_empty() && g.heads().is_empty());
    assert!(g.walk("heads", "base", &[]).unwrap().is_empty());
    assert!(g.plan_upgrade(&[], "heads").unwrap().is_empty());
}
