//! Large graphs: nothing may overflow the stack or go quadratic.

use std::collections::BTreeSet;

use super::*;

const N: usize = 10_000;

fn rid(i: usize) -> String {
    format!("{i:012x}")
}

#[test]
fn linear_chain_of_ten_thousand() {
    let mut infos = Vec::with_capacity(N);
    for i in 0..N {
        let mut inf = info(&rid(i), &[]);
        if i > 0 {
            inf.down_revisions = vec![rid(i - 1)];
        }
        if i == 0 {
            inf.branch_labels = vec!["main".into()];
        }
        infos.push(inf);
    }
    let g = build(infos);
    let last = rid(N - 1);
    assert_eq!(ids(&g, g.heads()), vec![last.clone()]);
    assert_eq!(
        g.revision(g.find(&last).unwrap()).effective_branch_labels(),
        &["main".to_string()]
    );

    let h = g.walk("heads", "base", &[]).unwrap();
    assert_eq!(h.len(), N);
    assert_eq!(g.id(h[0]), last);
    assert_eq!(g.id(h[N - 1]), rid(0));

    let up = g.plan_upgrade(&[], "heads").unwrap();
    assert_eq!(up.len(), N);
    assert_eq!(up[0].version_ops, vec![VersionOp::Insert(rid(0))]);
    assert_eq!(
        up[N - 1].version_ops,
        vec![VersionOp::Update {
            from: rid(N - 2),
            to: last.clone()
        }]
    );
    let down = g.plan_downgrade(&[&last], "base").unwrap();
    assert_eq!(down.len(), N);
    assert_eq!(down[N - 1].version_ops, vec![VersionOp::Delete(rid(0))]);

    assert_eq!(
        ids(&g, &g.resolve("head-5000", &[]).unwrap()),
        vec![rid(N - 1 - 5000)]
    );
    assert_eq!(
        ids(&g, &g.resolve("main@base+10", &[]).unwrap()),
        vec![rid(9)]
    );
    assert_eq!(
        ids(&g, &g.resolve("-3", &[&last]).unwrap()),
        vec![rid(N - 4)]
    );
    assert_eq!(
        ids(&g, &g.all_current(&[&rid(500)]).unwrap()),
        vec![rid(500)]
    );
    assert_eq!(g.walk(&rid(6000), &rid(4000), &[]).unwrap().len(), 2001);
    assert_eq!(g.plan_upgrade(&[&rid(10)], "+100").unwrap().len(), 100);
    let stamp = g.plan_stamp(&[&rid(10)], &["heads"], false).unwrap();
    assert_eq!(
        stamp[0].version_ops,
        vec![VersionOp::Update {
            from: rid(10),
            to: last
        }]
    );
}

/// A busy team's history: short feature branches merged back, a few
/// long-lived branches that never merge, a second root line that the main
/// line depends on from time to time.
fn branchy() -> RevisionGraph {
    let mut infos: Vec<RevisionInfo> = Vec::with_capacity(N);
    let push = |infos: &mut Vec<RevisionInfo>, down: Vec<String>, deps: Vec<String>| {
        let id = rid(infos.len());
        let mut inf = info(&id, &[]);
        inf.down_revisions = down;
        inf.depends_on = deps;
        infos.push(inf);
        id
    };
    let mut main = push(&mut infos, vec![], vec![]);
    let mut other = push(&mut infos, vec![], vec![]);
    let mut k = 0usize;
    while infos.len() + 20 < N {
        k += 1;
        let fork = main.clone();
        let mut left = fork.clone();
        let mut right = fork.clone();
        for _ in 0..(k % 4 + 1) {
            left = push(&mut infos, vec![left], vec![]);
        }
        for _ in 0..(k % 3 + 1) {
            right = push(&mut infos, vec![right], vec![]);
        }
        main = push(&mut infos, vec![left, right], vec![]);
        if k.is_multiple_of(97) {
            // A long-lived branch that never comes back.
            let mut tip = fork.clone();
            for _ in 0..5 {
                tip = push(&mut infos, vec![tip], vec![]);
            }
        }
        if k.is_multiple_of(50) {
            other = push(&mut infos, vec![other], vec![]);
            main = push(&mut infos, vec![main], vec![other.clone()]);
        }
    }
    build(infos)
}

#[test]
fn branchy_graph_of_ten_thousand() {
    let g = branchy();
    assert!(g.len() > 9_900);
    let real: BTreeSet<String> = ids(&g, g.real_heads()).into_iter().collect();
    assert!(real.len() > 10);

    let h = g.walk("heads", "base", &[]).unwrap();
    assert_eq!(h.len(), g.len());

    let up = g.plan_upgrade(&[], "heads").unwrap();
    assert_eq!(up.len(), g.len());
    let mut table = BTreeSet::new();
    for s in &up {
        apply_ops(&mut table, &s.version_ops);
    }
    assert_eq!(table, real);

    let current: Vec<&str> = table.iter().map(String::as_str).collect();
    assert_eq!(g.all_current(&current).unwrap().len(), g.heads().len());
    let down = g.plan_downgrade(&current, "base").unwrap();
    assert_eq!(down.len(), g.len());
    for s in &down {
        apply_ops(&mut table, &s.version_ops);
    }
    assert!(table.is_empty());
    assert!(!g.branches().unwrap().is_empty());
}
