//! Upgrade / downgrade / stamp plans and version-table operations, ported
//! from Alembic's `tests/test_version_traversal.py`.

use super::*;
use crate::StampStep;

fn linear() -> RevisionGraph {
    // RevisionPathTest
    build(vec![
        info("e6239818bb3a", &[]),
        info("548bbb905360", &["e6239818bb3a"]),
        info("b7ea43dc85e4", &["548bbb905360"]),
        info("1bbe33445780", &["b7ea43dc85e4"]),
        info("3975fb1a0125", &["1bbe33445780"]),
    ])
}
const A: &str = "e6239818bb3a";
const B: &str = "548bbb905360";
const C: &str = "b7ea43dc85e4";
const D: &str = "1bbe33445780";
const E: &str = "3975fb1a0125";

#[test]
fn linear_paths() {
    let g = linear();
    assert_downgrade(&g, "base", &[], &[], &[]);
    assert_downgrade(&g, A, &[A], &[], &[A]);
    assert_downgrade(&g, E, &[E], &[], &[E]);
    assert_upgrade(&g, E, &[C], &[D, E], &[E]);
    assert_upgrade(&g, C, &[], &[A, B, C], &[C]);
    assert_upgrade(&g, "+2", &[A], &[B, C], &[C]);
    assert_upgrade(&g, "+1", &[A], &[B], &[B]);
    assert_upgrade(&g, "+3", &[B], &[C, D, E], &[E]);
    assert_upgrade(&g, &format!("{B}+2"), &[A], &[B, C, D], &[D]);
    assert_upgrade(&g, &format!("{D}-2"), &[A], &[B], &[B]);
    assert_downgrade(&g, C, &[E], &[E, D], &[C]);
    assert_downgrade(&g, "base", &[C], &[C, B, A], &[]);
    assert_downgrade(&g, "-1", &[C], &[C], &[B]);
    assert_downgrade(&g, "-3", &[E], &[E, D, C], &[B]);
    assert_downgrade(&g, &format!("{A}+2"), &[D], &[D], &[C]);
    assert_downgrade(&g, &format!("{C}-2"), &[D], &[D, C, B], &[A]);
}

#[test]
fn linear_version_ops_and_log() {
    let g = linear();
    let steps = g.plan_upgrade(&[], B).unwrap();
    assert_eq!(steps[0].version_ops, vec![VersionOp::Insert(A.into())]);
    assert_eq!(
        steps[1].version_ops,
        vec![VersionOp::Update {
            from: A.into(),
            to: B.into()
        }]
    );
    assert_eq!(steps[0].short_log(), format!("upgrade  -> {A}"));
    assert_eq!(steps[1].short_log(), format!("upgrade {A} -> {B}"));
    let steps = g.plan_downgrade(&[B], "base").unwrap();
    assert_eq!(steps[0].short_log(), format!("downgrade {B} -> {A}"));
    assert_eq!(steps[1].short_log(), format!("downgrade {A} -> "));
    assert_eq!(steps[1].version_ops, vec![VersionOp::Delete(A.into())]);
}

#[test]
fn linear_errors() {
    let g = linear();
    assert_eq!(
        err_msg(g.plan_upgrade(&[B], "-2")),
        "Relative revision -2 didn't produce 2 migrations"
    );
    assert_eq!(
        err_msg(g.plan_upgrade(&[B], "+5")),
        "Relative revision +5 didn't produce 5 migrations"
    );
    assert_eq!(
        err_msg(g.plan_downgrade(&[B], "-5")),
        "Relative revision -5 didn't produce 5 migrations"
    );
    assert_eq!(
        err_msg(g.plan_downgrade(&[B], "+2")),
        "Relative revision +2 didn't produce 2 migrations"
    );
    assert_eq!(
        err_msg(g.plan_downgrade(&[], &B[..3])),
        format!(
            "Destination {} is not a valid downgrade target from current head(s)",
            &B[..3]
        )
    );
    assert_eq!(
        err_msg(g.plan_downgrade(&[B], &C[..4])),
        format!(
            "Destination {} is not a valid downgrade target from current head(s)",
            &C[..4]
        )
    );
    assert_eq!(
        err_msg(g.plan_upgrade(&["ffffffffffff"], "heads")),
        "Can't locate revision identified by 'ffffffffffff'"
    );
    assert_eq!(
        err_msg(g.plan_upgrade(&[], "nope")),
        "Can't locate revision identified by 'nope'"
    );
}

#[test]
fn stamp_to_base() {
    let g = linear();
    let s = g.plan_stamp(&[D], &["base"], false).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].version_ops, vec![VersionOp::Delete(D.into())]);
    assert_eq!(s[0].short_log(), format!("stamp_revision {D} -> "));
    let s = g.plan_stamp(&[D], &[], false).unwrap();
    assert_eq!(s[0].version_ops, vec![VersionOp::Delete(D.into())]);
    let s = g.plan_stamp(&[D], &[B], true).unwrap();
    assert_eq!(s[0].version_ops, vec![VersionOp::Insert(B.into())]);
}

fn branched() -> RevisionGraph {
    // BranchedPathTest
    build(vec![
        info("a", &[]),
        info("b", &["a"]),
        with_labels(info("c1", &["b"]), &["c1branch"]),
        info("d1", &["c1"]),
        with_labels(info("c2", &["b"]), &["c2branch"]),
        info("d2", &["c2"]),
    ])
}

fn one_stamp(g: &RevisionGraph, dest: &str, heads: &[&str]) -> StampStep {
    let mut s = g.plan_stamp(heads, &[dest], false).unwrap();
    assert_eq!(s.len(), 1);
    s.remove(0)
}

#[test]
fn branched_stamps() {
    let g = branched();
    let s = one_stamp(&g, "b", &["d1", "c2"]);
    assert_eq!(
        s.version_ops,
        vec![
            VersionOp::Delete("d1".into()),
            VersionOp::Update {
                from: "c2".into(),
                to: "b".into()
            }
        ]
    );
    let s = one_stamp(&g, "c1branch@base", &["d1", "c2"]);
    assert_eq!(s.version_ops, vec![VersionOp::Delete("d1".into())]);
    let s = one_stamp(&g, "c2branch@head", &["d1", "c2"]);
    assert_eq!(
        s.version_ops,
        vec![VersionOp::Update {
            from: "c2".into(),
            to: "d2".into()
        }]
    );
    assert_eq!(
        err_msg(g.plan_stamp(&[], &["head"], false)),
        "Multiple heads are present; please specify a single target revision (heads: d1, d2)"
    );
}

#[test]
fn branched_paths() {
    let g = branched();
    assert_upgrade(&g, "d1", &["b"], &["c1", "d1"], &["d1"]);
    let steps = g.plan_upgrade(&["a"], "heads").unwrap();
    let order: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    assert_eq!(order, vec!["b", "c2", "d2", "c1", "d1"]);
    let ops: Vec<Vec<VersionOp>> = steps.iter().map(|s| s.version_ops.clone()).collect();
    let up = |f: &str, t: &str| VersionOp::Update {
        from: f.into(),
        to: t.into(),
    };
    assert_eq!(
        ops,
        vec![
            vec![up("a", "b")],
            vec![up("b", "c2")],
            vec![up("c2", "d2")],
            vec![VersionOp::Insert("c1".into())],
            vec![up("c1", "d1")],
        ]
    );
    assert_downgrade(
        &g,
        "a",
        &["d1", "d2"],
        &["d1", "c1", "d2", "c2", "b"],
        &["a"],
    );
    let steps = g.plan_downgrade(&["d1", "d2"], "a").unwrap();
    assert_eq!(steps[1].version_ops, vec![VersionOp::Delete("c1".into())]);
    assert_eq!(steps[3].version_ops, vec![up("c2", "b")]);

    assert_upgrade(&g, "c2branch@head-1", &["b"], &["c2"], &["c2"]);
    assert_downgrade(
        &g,
        "base+2",
        &["d2", "d1"],
        &["d1", "c1", "d2", "c2"],
        &["b"],
    );
    assert_downgrade(&g, "c2branch@base+2", &["d2", "d1"], &["d2", "c2"], &["d1"]);
    assert_downgrade(&g, "c2", &["d2", "d1"], &["d2"], &["d1", "c2"]);
    assert_downgrade(&g, "c2branch@base+3", &["d2", "d1"], &["d2"], &["d1", "c2"]);
    assert_downgrade(&g, "-1", &["d2", "d1"], &["d2"], &["d1", "c2"]);
    assert_downgrade(&g, "-1", &["c2", "d1"], &["c2"], &["d1"]);
    assert_downgrade(&g, "-1", &["d1", "d2"], &["d1"], &["d2", "c1"]);
    assert_downgrade(&g, "-1", &["c1", "d2"], &["c1"], &["d2"]);
    assert_downgrade(&g, "c1branch@-1", &["d1", "d2"], &["d1"], &["c1", "d2"]);
    assert_downgrade(&g, "d2-1", &["d2", "c1"], &["d2"], &["c1", "c2"]);
    assert_downgrade(&g, "d2-1", &["c1", "d2"], &["d2"], &["c1", "c2"]);
    assert_downgrade(&g, "c1branch@b", &["c1", "d2"], &["c1"], &["d2"]);
    assert_downgrade(&g, "c2branch@b", &["c1", "d2"], &["d2", "c2"], &["c1"]);
    assert_downgrade(&g, "c2@b", &["d1", "d2"], &["d2", "c2"], &["d1"]);
    assert_downgrade(&g, "d1@b", &["d1", "d2"], &["d1", "c1"], &["d2"]);
    assert_downgrade(&g, "c1branch@head-1", &["d1", "d2"], &["d1"], &["c1", "d2"]);
    assert_upgrade(&g, "c2branch@+1", &["c1"], &["c2"], &["c1", "c2"]);
    assert_upgrade(&g, "c2branch@+1", &["c1", "c2"], &["d2"], &["c1", "d2"]);
    assert_eq!(
        err_msg(g.plan_upgrade(&["c1", "c2"], "+1")),
        "Ambiguous upgrade from multiple current revisions"
    );
    assert_upgrade(&g, "base+1", &[], &["a"], &["a"]);
    assert_upgrade(&g, "+1", &[], &["a"], &["a"]);
    assert_downgrade(&g, "-1", &["a"], &["a"], &[]);
    assert_eq!(
        err_msg(g.plan_downgrade(&[], "-1")),
        "Relative revision -1 didn't produce 1 migrations"
    );
    assert_downgrade(&g, "c2", &["d1", "c2"], &[], &["d1", "c2"]);
    assert_downgrade(&g, "d1", &["d1", "c2"], &[], &["d1", "c2"]);
    assert_eq!(
        err_msg(g.plan_upgrade(&[], "head")),
        "Multiple head revisions are present for given argument 'head'; please specify a \
         specific target revision, '<branchname>@head' to narrow to a specific head, or \
         'heads' for all heads (heads: d1, d2)"
    );
}

#[test]
fn branch_from_mergepoint() {
    let g = build(vec![
        info("a1", &[]),
        info("b1", &["a1"]),
        info("c1", &["b1"]),
        info("a2", &[]),
        info("b2", &["a2"]),
        info("c2", &["b2"]),
        info("d1", &["c1", "c2"]),
        info("d2", &["c2"]),
    ]);
    assert_upgrade(&g, "d1", &["d2", "b1"], &["c1", "d1"], &["d2", "d1"]);
    assert_downgrade(&g, "b1", &["d2", "d1"], &["d1", "c1"], &["d2", "b1"]);
    // Crossing the merge point: c2 is implied by d2, so only b1's row moves.
    let steps = g.plan_upgrade(&["d2", "b1"], "d1").unwrap();
    assert_eq!(
        steps[1].version_ops,
        vec![VersionOp::Update {
            from: "c1".into(),
            to: "d1".into()
        }]
    );
}

#[test]
fn branch_from_3way_mergepoint() {
    let g = build(vec![
        info("a1", &[]),
        info("b1", &["a1"]),
        info("c1", &["b1"]),
        info("a2", &[]),
        info("b2", &["a2"]),
        info("c2", &["b2"]),
        info("a3", &[]),
        info("b3", &["a3"]),
        info("c3", &["b3"]),
        info("d1", &["c1", "c2", "c3"]),
        info("d2", &["c2"]),
        info("d3", &["c3"]),
    ]);
    assert_upgrade(
        &g,
        "d1",
        &["d3", "d2", "b1"],
        &["c1", "d1"],
        &["d3", "d2", "d1"],
    );
    assert_downgrade(
        &g,
        "b1",
        &["d3", "d2", "d1"],
        &["d1", "c1"],
        &["d3", "d2", "b1"],
    );
    assert_upgrade(
        &g,
        "d1",
        &["d3", "b2", "b1"],
        &["c2", "c1", "d1"],
        &["d3", "d1"],
    );
    assert_upgrade(&g, "d2", &["d3", "d1"], &["d2"], &["d3", "d2", "d1"]);
}

fn twin(c2_parents: &[&str], c1_parents: &[&str]) -> RevisionGraph {
    build(vec![
        info("a", &[]),
        info("b1", &["a"]),
        info("b2", &["a"]),
        info("b3", &["a"]),
        info("c1", c1_parents),
        info("c2", c2_parents),
        info("d1", &["c1"]),
        info("d2", &["c2"]),
    ])
}

fn replay(g: &RevisionGraph, start: &[&str], steps: &[(&str, &[&str])]) {
    // Feeds single upgrade steps through the planner one at a time.
    let mut heads = set(start);
    for (rev, expect) in steps {
        let cur: Vec<String> = heads.iter().cloned().collect();
        let cur_ref: Vec<&str> = cur.iter().map(String::as_str).collect();
        let plan = g.plan_upgrade(&cur_ref, rev).unwrap();
        let last = plan.last().unwrap();
        assert_eq!(g.id(last.revision), *rev);
        for s in &plan {
            apply_ops(&mut heads, &s.version_ops);
        }
        assert_eq!(heads, set(expect), "after {rev}");
    }
}

#[test]
fn twin_merge() {
    let g = twin(&["b1", "b2", "b3"], &["b1", "b2", "b3"]);
    replay(
        &g,
        &["a"],
        &[
            ("b3", &["b3"]),
            ("b1", &["b1", "b3"]),
            ("b2", &["b1", "b2", "b3"]),
            ("c2", &["c2"]),
            ("d2", &["d2"]),
            ("c1", &["c1", "d2"]),
            ("d1", &["d1", "d2"]),
        ],
    );
}

#[test]
fn not_quite_twin_merge() {
    let g = twin(&["b2", "b3"], &["b1", "b2"]);
    replay(
        &g,
        &["a"],
        &[
            ("b2", &["b2"]),
            ("b3", &["b2", "b3"]),
            ("c2", &["c2"]),
            ("d2", &["d2"]),
            ("b1", &["b1", "d2"]),
            ("c1", &["c1", "d2"]),
            ("d1", &["d1", "d2"]),
        ],
    );
}

#[test]
fn depends_on_branch_one() {
    let g = build(vec![
        with_labels(info("a1", &[]), &["lib1"]),
        info("b1", &["a1"]),
        info("c1", &["b1"]),
        info("a2", &[]),
        info("b2", &["a2"]),
        with_deps(info("c2", &["b2"]), &["c1"]),
        info("d1", &["c1"]),
        info("e1", &["d1"]),
        info("f1", &["e1"]),
    ]);
    // test_downgrade_to_dependency
    let steps = g.plan_downgrade(&["c2", "d1"], "c1").unwrap();
    assert_eq!(
        ids(&g, &steps.iter().map(|s| s.revision).collect::<Vec<_>>()),
        vec!["d1"]
    );
    assert_eq!(steps[0].version_ops, vec![VersionOp::Delete("d1".into())]);
    // test_stamp_across_dependency
    let mut heads = set(&["e1", "c2"]);
    for s in g.plan_stamp(&["e1", "c2"], &["b1"], false).unwrap() {
        apply_ops(&mut heads, &s.version_ops);
    }
    assert_eq!(heads, set(&["b1"]));
}

#[test]
fn depends_on_branch_two() {
    let g = build(vec![
        info("a1", &[]),
        info("a2", &[]),
        info("a3", &[]),
        info("amerge", &["a1", "a2", "a3"]),
        info("b1", &[]),
        info("b2", &[]),
        info("bmerge", &["b1", "b2"]),
        info("c1", &[]),
        info("c2", &[]),
        info("c3", &[]),
        info("cmerge", &["c1", "c2", "c3"]),
        with_deps(info("d1", &[]), &["a3", "b2", "c1"]),
    ]);
    assert_downgrade(
        &g,
        "b2",
        &["amerge", "bmerge", "cmerge", "d1"],
        &["bmerge"],
        &["amerge", "b1", "cmerge", "d1"],
    );
    assert_downgrade(
        &g,
        "d1@base",
        &["amerge", "d1", "b1", "cmerge"],
        &["d1"],
        &["amerge", "b1", "b2", "cmerge"],
    );
    assert_downgrade(
        &g,
        "base",
        &["amerge", "b1", "b2", "cmerge"],
        &[
            "amerge", "a1", "b1", "b2", "cmerge", "c1", "a2", "a3", "c2", "c3",
        ],
        &[],
    );
}

#[test]
fn depends_on_branch_three_to_five() {
    let g = build(vec![
        info("a1", &[]),
        info("a2", &["a1"]),
        info("b1", &[]),
        with_deps(info("b2", &["b1"]), &["a2"]),
        info("b3", &["b2"]),
        with_deps(info("a3", &["a2"]), &["b1"]),
    ]);
    assert_downgrade(&g, "b1", &["a3", "b2"], &["b2"], &["a3"]);

    let g = build(vec![
        info("a1", &[]),
        with_deps(info("a2", &["a1"]), &["a1"]),
    ]);
    assert_upgrade(&g, "a2", &[], &["a1", "a2"], &["a2"]);
    assert_downgrade(&g, "a1", &["a2"], &["a2"], &["a1"]);

    let g = build(vec![
        info("a1", &[]),
        info("a2", &["a1"]),
        info("a3", &["a2"]),
        info("b1", &[]),
        with_deps(info("b2", &["b1"]), &["a3"]),
        info("b3", &["b2"]),
        with_deps(info("b4", &["b3"]), &["a3"]),
    ]);
    assert_downgrade(&g, "b3", &["b4"], &["b4"], &["b3"]);

    let g = build(vec![
        info("a1", &[]),
        with_deps(info("b1", &[]), &["a1"]),
        info("bmerge", &["a1", "b1"]),
    ]);
    assert_upgrade(&g, "b1", &["a1"], &["b1"], &["b1"]);
    assert_upgrade(&g, "bmerge", &["b1"], &["bmerge"], &["bmerge"]);
    assert_downgrade(&g, "a1", &["bmerge"], &["bmerge"], &["b1"]);
    assert_downgrade(&g, "b1", &["bmerge"], &["bmerge"], &["b1"]);
}

#[test]
fn depends_on_branch_label() {
    let g = build(vec![
        with_labels(info("a1", &[]), &["lib1"]),
        info("b1", &["a1"]),
        with_labels(info("c1", &["b1"]), &["c1lib"]),
        info("a2", &[]),
        info("b2", &["a2"]),
        with_deps(info("c2", &["b2"]), &["c1lib"]),
        info("d1", &["c1"]),
        info("e1", &["d1"]),
        info("f1", &["e1"]),
    ]);
    assert_upgrade(&g, "c2", &["a2"], &["a1", "b1", "c1", "b2", "c2"], &["c2"]);
}

#[test]
fn forest() {
    let g = build(vec![
        info("a1", &[]),
        info("b1", &["a1"]),
        info("a2", &[]),
        info("b2", &["a2"]),
    ]);
    let steps = g.plan_upgrade(&[], "heads").unwrap();
    let order: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    assert_eq!(order, vec!["a2", "b2", "a1", "b1"]);
    let s = g.plan_stamp(&[], &["heads"], false).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].version_ops, vec![VersionOp::Insert("b1".into())]);
    assert_eq!(s[1].version_ops, vec![VersionOp::Insert("b2".into())]);
    assert!(
        g.plan_stamp(&["b1", "b2"], &["heads"], false)
            .unwrap()
            .is_empty()
    );
}

fn merged() -> RevisionGraph {
    build(vec![
        info("a", &[]),
        info("b", &["a"]),
        info("c1", &["b"]),
        info("d1", &["c1"]),
        with_labels(info("c2", &["b"]), &["c2branch"]),
        info("d2", &["c2"]),
        info("e", &["d1", "d2"]),
        info("f", &["e"]),
    ])
}

#[test]
fn merged_path_stamps() {
    let g = merged();
    let up = |f: &str, t: &str| VersionOp::Update {
        from: f.into(),
        to: t.into(),
    };
    assert_eq!(one_stamp(&g, "c2", &["e"]).version_ops, vec![up("e", "c2")]);
    assert_eq!(one_stamp(&g, "a", &["e"]).version_ops, vec![up("e", "a")]);
    assert_eq!(one_stamp(&g, "e", &["c2"]).version_ops, vec![up("c2", "e")]);
    assert_eq!(
        one_stamp(&g, "c2branch@head", &["d1", "c2"]).version_ops,
        vec![VersionOp::Delete("d1".into()), up("c2", "f")]
    );
    assert_eq!(
        one_stamp(&g, "e", &["d1", "c2"]).version_ops,
        vec![VersionOp::Delete("d1".into()), up("c2", "e")]
    );
    assert_eq!(one_stamp(&g, "e", &["b"]).version_ops, vec![up("b", "e")]);
}

#[test]
fn merged_path_upgrade_and_downgrade_across_merge() {
    let g = merged();
    let up = |f: &str, t: &str| VersionOp::Update {
        from: f.into(),
        to: t.into(),
    };
    let steps = g.plan_upgrade(&["b"], "f").unwrap();
    let order: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    assert_eq!(order, vec!["c2", "d2", "c1", "d1", "e", "f"]);
    assert_eq!(steps[0].version_ops, vec![up("b", "c2")]);
    assert_eq!(steps[2].version_ops, vec![VersionOp::Insert("c1".into())]);
    // Merge: delete all parent rows but the last, then update the last.
    assert_eq!(
        steps[4].version_ops,
        vec![VersionOp::Delete("d1".into()), up("d2", "e")]
    );
    assert_eq!(steps[4].short_log(), "upgrade d1, d2 -> e");
    assert_eq!(steps[5].version_ops, vec![up("e", "f")]);

    let steps = g.plan_downgrade(&["f"], "b").unwrap();
    let order: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    assert_eq!(order, vec!["f", "e", "d1", "c1", "d2", "c2"]);
    // Unmerge: one row per parent again.
    assert_eq!(
        steps[1].version_ops,
        vec![VersionOp::Insert("d1".into()), up("e", "d2")]
    );
    assert_eq!(steps[1].short_log(), "downgrade e -> d1, d2");
    assert_eq!(steps[3].version_ops, vec![VersionOp::Delete("c1".into())]);
    assert_eq!(steps[5].version_ops, vec![up("c2", "b")]);
    let mut heads = set(&["f"]);
    for s in &steps {
        apply_ops(&mut heads, &s.version_ops);
    }
    assert_eq!(heads, set(&["b"]));
}

#[test]
fn branched_cross_dependencies() {
    let g = build(vec![
        info("a", &[]),
        info("b", &["a"]),
        with_labels(info("c1", &["b"]), &["c1branch"]),
        info("d1", &["c1"]),
        with_labels(info("c2", &["b"]), &["c2branch"]),
        with_deps(info("d2", &["c2"]), &["c1"]),
    ]);
    assert_downgrade(&g, "c2branch@b", &["d1", "d2"], &["d2", "c2"], &["d1"]);
    let steps = g.plan_downgrade(&["d1", "d2"], "c1branch@b").unwrap();
    let order: Vec<&str> = steps.iter().map(|s| g.id(s.revision)).collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec!["c1", "d1", "d2"]);
    let pos = |x: &str| order.iter().position(|o| *o == x).unwrap();
    assert!(pos("d1") < pos("c1") && pos("d2") < pos("c1"));
    let mut heads = set(&["d1", "d2"]);
    for s in &steps {
        apply_ops(&mut heads, &s.version_ops);
    }
    assert_eq!(heads, set(&["c2"]));
}
