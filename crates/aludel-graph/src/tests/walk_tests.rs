//! History order (Alembic `iterate_revisions` / `_topological_sort`),
//! ported from `tests/test_revision.py`.

use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn diamond() {
    let g = build(vec![
        info("a", &[]),
        info("b1", &["a"]),
        info("b2", &["a"]),
        info("c", &["b1", "b2"]),
        info("d", &["c"]),
    ]);
    assert_eq!(
        it_up(&g, one("d"), one("a")),
        s(&["d", "c", "b1", "b2", "a"])
    );
}

#[test]
fn dupe_targets_tolerated() {
    let g = build(vec![info("a", &[]), info("b", &["a"]), info("c", &["b"])]);
    let r = iterate(&g, many(&["c", "c"]), one("a"), false, false, false).unwrap();
    assert_eq!(r, s(&["c", "b"]));
}

fn labeled() -> RevisionGraph {
    build(vec![
        with_labels(info("a", &[]), &["abranch"]),
        info("b", &["a"]),
        info("somelongername", &["b"]),
        info("c", &["somelongername"]),
        info("d", &[]),
        with_labels(info("e", &["d"]), &["ebranch"]),
        info("someothername", &["e"]),
        info("f", &["someothername"]),
    ])
}

#[test]
fn labeled_branch_iteration() {
    let g = labeled();
    let e_line = s(&["f", "someothername", "e", "d"]);
    let a_line = s(&["c", "somelongername", "b", "a"]);
    assert_eq!(it_up(&g, one("heads"), one("ebranch@base")), e_line);
    assert_eq!(it_up(&g, one("heads"), one("abranch@base")), a_line);
    assert_eq!(it_up(&g, one("ebranch@head"), one("base")), e_line);
    assert_eq!(it_up(&g, one("abranch@head"), one("base")), a_line);
    assert_eq!(it_up(&g, one("heads"), one("ebranch@head")), s(&["f"]));
    assert_eq!(it_up(&g, one("heads"), one("ebranch@d")), e_line);
    assert_eq!(it_up(&g, one("heads"), one("e@base")), e_line);
    assert_eq!(it_up(&g, one("heads"), one("c@base")), a_line);
    assert_eq!(
        it_up(&g, one("heads"), one("ebranch@-2")),
        s(&["f", "someothername", "e"])
    );
    assert_eq!(it_up(&g, one("ebranch@+2"), one("base")), s(&["e", "d"]));
}

#[test]
fn long_short_branch() {
    let g = build(vec![
        info("a", &[]),
        info("b1", &["a"]),
        info("b2", &["a"]),
        info("c1", &["b1"]),
        info("d11", &["c1"]),
        info("d12", &["c1"]),
    ]);
    assert_eq!(
        it_up(&g, one("heads"), one("base")),
        s(&["b2", "d11", "d12", "c1", "b1", "a"])
    );
    assert_eq!(
        ids(&g, &g.walk("", "", &[]).unwrap()),
        s(&["b2", "d11", "d12", "c1", "b1", "a"])
    );
}

fn multiple_branch() -> RevisionGraph {
    build(vec![
        info("a", &[]),
        info("b1", &["a"]),
        info("b2", &["a"]),
        info("cb1", &["b1"]),
        info("cb2", &["b2"]),
        info("d1cb1", &["cb1"]),
        info("d2cb1", &["cb1"]),
        info("d1cb2", &["cb2"]),
        info("d2cb2", &["cb2"]),
        info("d3cb2", &["cb2"]),
        info("d1d2cb2", &["d1cb2", "d2cb2"]),
    ])
}

#[test]
fn multiple_branch_iteration() {
    let g = multiple_branch();
    assert_eq!(
        it_up(&g, one("d1d2cb2"), one("a")),
        s(&["d1d2cb2", "d1cb2", "d2cb2", "cb2", "b2", "a"])
    );
    assert_eq!(
        it_up(&g, many(&["d2cb2", "d3cb2"]), one("a")),
        s(&["d2cb2", "d3cb2", "cb2", "b2", "a"])
    );
    assert_eq!(
        it_up(&g, one("d3cb2"), one("a")),
        s(&["d3cb2", "cb2", "b2", "a"])
    );
    assert_eq!(
        it_up(&g, one("d3cb2"), one("base")),
        s(&["d3cb2", "cb2", "b2", "a"])
    );
    assert_eq!(
        it_up(&g, many(&["d3cb2", "cb1"]), one("base")),
        s(&["cb1", "b1", "d3cb2", "cb2", "b2", "a"])
    );
    assert_eq!(
        it_up(&g, many(&["d1cb1", "d2cb2", "d3cb2"]), one("b2")),
        s(&["d2cb2", "d3cb2", "cb2", "b2"])
    );
}

#[test]
fn multiple_branch_wrong_direction() {
    let g = multiple_branch();
    let e = iterate(&g, one("b1"), one("d1cb1"), true, false, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Revision d1cb1 is not an ancestor of revision b1"
    );
    let e = iterate(&g, one("d2cb2"), one("b1"), true, false, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Revision b1 is not an ancestor of revision d2cb2"
    );
    let e = iterate(&g, many(&[]), one("d1cb1"), true, false, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Revision d1cb1 is not an ancestor of revision base"
    );
    // The history command words it per range.
    assert_eq!(
        g.walk("b1", "d1cb1", &[]).unwrap_err().to_string(),
        "Requested range d1cb1:b1 does not refer to ancestor/descendant revisions along \
         the same branch"
    );
}

#[test]
fn effective_head_downgrades() {
    // MultipleBranchEffectiveHead
    let g = build(vec![
        with_labels(info("y1", &[]), &["y"]),
        with_labels(info("x1", &[]), &["x"]),
        with_deps(info("y2", &["y1"]), &["x1"]),
        info("x2", &["x1"]),
    ]);
    let d = |upper: Ident| iterate(&g, upper, one("x@-1"), false, false, true).unwrap();
    assert_eq!(d(many(&["x2", "y2"])), s(&["x2"]));
    assert_eq!(d(many(&["x1", "y2"])), s(&["y2", "x1"]));
    assert_eq!(d(one("y2")), s(&["y2", "x1"]));
}

fn travelling() -> RevisionGraph {
    build(vec![
        info("a1", &[]),
        info("a2", &["a1"]),
        info("a3", &["a2"]),
        info("b1", &["a3"]),
        info("b2", &["a3"]),
        info("cb1", &["b1"]),
        info("cb2", &["b2"]),
        info("db1", &["cb1"]),
        info("db2", &["cb2"]),
        info("e1b1", &["db1"]),
        info("fe1b1", &["e1b1"]),
        info("e2b1", &["db1"]),
        info("e2b2", &["db2"]),
        info("merge", &["e2b1", "e2b2"]),
    ])
}

#[test]
fn branch_travelling() {
    let g = travelling();
    assert_eq!(
        iterate(&g, one("merge"), one("db1"), true, true, false).unwrap(),
        s(&["merge", "e2b1", "db1", "e2b2", "db2", "cb2", "b2"])
    );
    assert_eq!(
        it_up(&g, many(&["merge", "fe1b1"]), one("a3")),
        s(&[
            "fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3"
        ])
    );
    assert_eq!(
        it_up(&g, one("merge"), one("a1")),
        s(&[
            "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"
        ])
    );
    assert_eq!(
        it_up(&g, one("merge"), one("b1")),
        s(&["merge", "e2b1", "db1", "cb1", "b1"])
    );
    assert_eq!(
        it_up(&g, one("merge"), one("a2")),
        s(&[
            "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2"
        ])
    );
    assert_eq!(
        it_up(&g, many(&["merge", "fe1b1"]), one("a1")),
        s(&[
            "fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3",
            "a2", "a1"
        ])
    );
    assert_eq!(
        it_up(&g, many(&["merge", "fe1b1"]), many(&["cb1", "cb2"])),
        s(&[
            "fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "e2b2", "db2", "cb2"
        ])
    );
    assert_eq!(
        iterate(
            &g,
            many(&["merge", "fe1b1"]),
            many(&["cb1", "cb2"]),
            false,
            false,
            false
        )
        .unwrap(),
        s(&["fe1b1", "e1b1", "merge", "e2b1", "db1", "e2b2", "db2"])
    );
    assert_eq!(
        iterate(
            &g,
            many(&["e2b1", "b2", "fe1b1"]),
            many(&[]),
            false,
            false,
            false
        )
        .unwrap(),
        s(&[
            "b2", "fe1b1", "e1b1", "e2b1", "db1", "cb1", "b1", "a3", "a2", "a1"
        ])
    );
    assert_eq!(
        iterate(&g, many(&["fe1b1"]), one("base"), false, false, false).unwrap(),
        s(&["fe1b1", "e1b1", "db1", "cb1", "b1", "a3", "a2", "a1"])
    );
    let e = iterate(
        &g,
        many(&["db1", "b2", "fe1b1"]),
        many(&[]),
        true,
        false,
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("Requested revision fe1b1 overlaps with other requested revisions"),
        "{e}"
    );
}

fn multiple_base() -> RevisionGraph {
    build(vec![
        info("base1", &[]),
        info("base2", &[]),
        info("base3", &[]),
        info("a1a", &["base1"]),
        info("a1b", &["base1"]),
        info("a2", &["base2"]),
        info("a3", &["base3"]),
        info("b1a", &["a1a"]),
        info("b1b", &["a1b"]),
        info("b2", &["a2"]),
        info("b3", &["a3"]),
        info("c2", &["b2"]),
        info("d2", &["c2"]),
        info("mergeb3d2", &["b3", "d2"]),
    ])
}

#[test]
fn multiple_bases() {
    let g = multiple_base();
    let all = s(&[
        "b1a",
        "a1a",
        "b1b",
        "a1b",
        "base1",
        "mergeb3d2",
        "b3",
        "a3",
        "base3",
        "d2",
        "c2",
        "b2",
        "a2",
        "base2",
    ]);
    assert_eq!(it_up(&g, one("heads"), one("base")), all);
    assert_eq!(
        iterate(&g, one("heads"), one("base"), false, false, false).unwrap(),
        all
    );
    assert_eq!(it_up(&g, one("heads"), many(&[])), all);
    let e = iterate(&g, many(&["c2"]), many(&["a2", "b2"]), true, false, false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("overlaps with other requested revisions"), "{e}");
    assert_eq!(
        iterate(&g, one("heads"), many(&["c2"]), false, true, false).unwrap(),
        s(&[
            "b1a",
            "a1a",
            "b1b",
            "a1b",
            "base1",
            "mergeb3d2",
            "b3",
            "a3",
            "base3",
            "d2"
        ])
    );
    assert_eq!(
        iterate(&g, one("heads"), many(&["c2"]), false, false, false).unwrap(),
        s(&["mergeb3d2", "d2"])
    );
    assert_eq!(
        iterate(&g, one("heads"), many(&["c2"]), true, true, false).unwrap(),
        s(&[
            "b1a",
            "a1a",
            "b1b",
            "a1b",
            "base1",
            "mergeb3d2",
            "b3",
            "a3",
            "base3",
            "d2",
            "c2"
        ])
    );
    assert_eq!(
        it_up(&g, one("b3"), one("base3")),
        s(&["b3", "a3", "base3"])
    );
    assert_eq!(
        iterate(&g, many(&["b3", "b2"]), one("base3"), false, true, false).unwrap(),
        s(&["b2", "a2", "base2", "b3", "a3"])
    );
}

fn cross_dep_one() -> RevisionGraph {
    build(vec![
        with_labels(info("base1", &[]), &["b_1"]),
        info("a1a", &["base1"]),
        info("a1b", &["base1"]),
        info("b1a", &["a1a"]),
        with_deps(info("b1b", &["a1b"]), &["a3"]),
        with_labels(info("base2", &[]), &["b_2"]),
        info("a2", &["base2"]),
        info("b2", &["a2"]),
        with_deps(info("c2", &["b2"]), &["a3"]),
        info("d2", &["c2"]),
        with_labels(info("base3", &[]), &["b_3"]),
        info("a3", &["base3"]),
        info("b3", &["a3"]),
    ])
}

#[test]
fn cross_dependency_one() {
    let g = cross_dep_one();
    assert_eq!(ids(&g, g.heads()), s(&["b1a", "b1b", "d2", "b3"]));
    let all = s(&[
        "b1a", "a1a", "b1b", "a1b", "base1", "d2", "c2", "b2", "a2", "base2", "b3", "a3", "base3",
    ]);
    assert_eq!(it_up(&g, one("heads"), one("base")), all);
    assert_eq!(it_down(&g, one("heads"), one("base")), all);
    assert_eq!(
        iterate(&g, one("b2"), one("d2"), true, false, false)
            .unwrap_err()
            .to_string(),
        "Revision d2 is not an ancestor of revision b2"
    );
    assert_eq!(
        iterate(&g, one("b3"), one("d2"), true, false, false)
            .unwrap_err()
            .to_string(),
        "Revision d2 is not an ancestor of revision b3"
    );
    assert_eq!(
        it_up(&g, one("b_2@head"), one("base")),
        s(&["d2", "c2", "b2", "a2", "base2", "a3", "base3"])
    );
    assert_eq!(
        it_down(&g, one("b_2@head"), one("b_2@base")),
        s(&["d2", "c2", "b2", "a2", "base2"])
    );
    assert_eq!(
        it_up(&g, one("b_3@head"), one("base")),
        s(&["b3", "a3", "base3"])
    );
    assert_eq!(
        it_down(&g, one("b_3@head"), one("base")),
        s(&["b3", "a3", "base3"])
    );
    assert_eq!(
        it_up(&g, one("b1b@head"), one("base")),
        s(&["b1b", "a1b", "base1", "a3", "base3"])
    );
    assert_eq!(
        it_down(&g, one("b1b@head"), one("b1b@base")),
        s(&["b1b", "a1b", "base1"])
    );
    assert_eq!(
        it_up(&g, one("heads"), one("b_2@base")),
        s(&["d2", "c2", "b2", "a2", "base2", "a3", "base3"])
    );
    assert_eq!(
        it_down(&g, one("heads"), one("b_2@base")),
        s(&["d2", "c2", "b2", "a2", "base2"])
    );
    assert_eq!(
        it_up(&g, one("heads"), one("b_3@base")),
        s(&["b3", "a3", "base3"])
    );
    assert_eq!(
        it_down(&g, one("heads"), one("b_3@base")),
        s(&["b1b", "d2", "c2", "b3", "a3", "base3"])
    );
}

#[test]
fn cross_dependency_two() {
    let g = build(vec![
        with_labels(info("base1", &[]), &["b_1"]),
        info("a1", &["base1"]),
        info("b1", &["a1"]),
        info("c1", &["b1"]),
        with_labels(with_deps(info("base2", &[]), &["b_1"]), &["b_2"]),
        info("a2", &["base2"]),
        info("b2", &["a2"]),
        info("c2", &["b2"]),
        info("d2", &["c2"]),
        with_labels(info("base3", &[]), &["b_3"]),
        info("a3", &["base3"]),
        info("b3", &["a3"]),
        with_deps(info("c3", &["b3"]), &["b2"]),
        info("d3", &["c3"]),
    ]);
    assert_eq!(ids(&g, g.heads()), s(&["c1", "d2", "d3"]));
    assert_eq!(
        it_up(&g, one("heads"), one("base")),
        s(&[
            "c1", "b1", "a1", "d2", "c2", "d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2",
            "base1"
        ])
    );
    assert_eq!(
        it_up(&g, one("b_2@head"), one("base")),
        s(&["d2", "c2", "b2", "a2", "base2", "base1"])
    );
    assert_eq!(
        it_up(&g, one("b_3@head"), one("base")),
        s(&[
            "d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"
        ])
    );
    assert_eq!(
        it_up(&g, one("b_1@head"), one("base")),
        s(&["c1", "b1", "a1", "base1"])
    );
    assert_eq!(
        it_up(&g, one("heads"), one("b_1@base")),
        s(&["c1", "b1", "a1", "base1"])
    );
    assert_eq!(
        it_up(&g, one("heads"), one("b_2@base")),
        s(&["d2", "c2", "b2", "a2", "base2", "base1"])
    );
    assert_eq!(
        it_up(&g, one("heads"), one("b_3@base")),
        s(&[
            "d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"
        ])
    );
}

#[test]
fn cross_dependency_three() {
    let g = build(vec![
        info("base1", &[]),
        info("a1", &["base1"]),
        info("b1", &["a1"]),
        with_deps(info("c2", &[]), &["a1"]),
        info("c3", &["c2"]),
    ]);
    assert_eq!(
        it_up(&g, one("heads"), one("base")),
        s(&["b1", "c3", "c2", "a1", "base1"])
    );
}

#[test]
fn normalized_down_rev_traversal() {
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
    assert_eq!(
        it_down(&g, one("b4"), one("b1@base")),
        s(&["b4", "b3", "b2", "b1"])
    );
    assert_eq!(
        it_down(&g, one("heads"), one("base")),
        s(&["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"])
    );
    assert_eq!(
        it_down(&g, one("heads"), one("a2")),
        s(&["b5", "b4", "b3", "b2", "a3", "a2"])
    );
    assert_eq!(
        iterate(&g, one("heads"), one("a2"), true, true, true).unwrap(),
        s(&["b5", "b4", "b3", "b2", "b1", "a3", "a2"])
    );
    assert_eq!(
        iterate(&g, one("b5"), many(&["b1"]), true, true, false).unwrap(),
        s(&["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"])
    );
    let g = build(vec![
        info("c1", &[]),
        info("a1", &[]),
        with_deps(info("a2", &["a1"]), &["c1"]),
        with_deps(info("a3", &["a2"]), &["c1"]),
        info("b1", &[]),
        with_deps(info("b2", &["b1"]), &["a3"]),
        info("b3", &["b2"]),
        with_deps(info("b4", &["b3"]), &["a3"]),
        info("b5", &["b4"]),
    ]);
    assert_eq!(
        iterate(&g, one("b5"), many(&["b1"]), true, true, false).unwrap(),
        s(&["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1", "c1"])
    );
}

#[test]
fn overlapping_substrings_and_dupe_head() {
    let g = build(vec![
        info("user_foo", &[]),
        with_deps(info("user", &["user_foo"]), &["user_foo"]),
    ]);
    assert_eq!(it_up(&g, one("heads"), many(&[])), s(&["user", "user_foo"]));
    let g = build(vec![
        info("user_foo", &[]),
        with_deps(info("user", &[]), &["user_foo"]),
    ]);
    assert_eq!(it_up(&g, one("heads"), many(&[])), s(&["user", "user_foo"]));
}

#[test]
fn branches_helper() {
    let g = multiple_branch();
    let b: Vec<(String, Vec<String>)> = g
        .branches()
        .unwrap()
        .into_iter()
        .map(|(r, c)| (g.id(r).to_string(), ids(&g, &c)))
        .collect();
    assert_eq!(
        b,
        vec![
            ("cb1".to_string(), s(&["d1cb1", "d2cb1"])),
            ("cb2".to_string(), s(&["d1cb2", "d2cb2", "d3cb2"])),
            ("a".to_string(), s(&["b1", "b2"])),
        ]
    );
}

#[test]
fn walk_with_current() {
    let g = build(vec![
        info("a", &[]),
        info("b", &["a"]),
        info("c", &["b"]),
        info("d", &["c"]),
    ]);
    assert_eq!(
        ids(&g, &g.walk("current", "", &["b"]).unwrap()),
        s(&["b", "a"])
    );
    assert_eq!(
        ids(&g, &g.walk("", "current", &["b"]).unwrap()),
        s(&["d", "c", "b"])
    );
    assert_eq!(
        ids(&g, &g.walk("current", "", &[]).unwrap()),
        s(&["d", "c", "b", "a"])
    );
    assert_eq!(ids(&g, &g.walk("+1", "b", &[]).unwrap()), s(&["c", "b"]));
    assert_eq!(
        ids(&g, &g.walk("heads", "-2", &[]).unwrap()),
        s(&["d", "c", "b"])
    );
}

#[test]
fn fast_sort_matches_literal_sort_on_ported_graphs() {
    for g in [
        travelling(),
        multiple_base(),
        cross_dep_one(),
        multiple_branch(),
        labeled(),
    ] {
        let all = vec![true; g.len()];
        let heads: Vec<RevIdx> = g.real_heads().to_vec();
        let fast = g.topological_sort(&all, &heads).unwrap();
        let mut start = heads.clone();
        start.sort_unstable();
        let literal = g.topo_literal(&all, start).unwrap();
        assert_eq!(ids(&g, &fast), ids(&g, &literal));
    }
}
