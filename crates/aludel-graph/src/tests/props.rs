//! Property tests over random revision DAGs.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::graph::Edges;

/// Raw shape: per revision, up to two parent picks and an optional
/// dependency pick, each an index into the earlier revisions.
type Shape = Vec<(Vec<usize>, Option<usize>)>;

fn shape() -> impl Strategy<Value = Shape> {
    prop::collection::vec(
        (
            prop::collection::vec(any::<usize>(), 0..=2),
            prop::option::weighted(0.2, any::<usize>()),
        ),
        1..30,
    )
}

fn name(i: usize) -> String {
    format!("rev{i:03}")
}

/// Builds a graph: each revision takes 0..=2 distinct earlier parents and,
/// occasionally, a dependency on an earlier revision that is not already
/// its ancestor.
fn graph_of(shape: &Shape) -> RevisionGraph {
    let mut infos: Vec<RevisionInfo> = Vec::new();
    let mut anc: Vec<BTreeSet<usize>> = Vec::new();
    for (i, (parents, dep)) in shape.iter().enumerate() {
        let mut ps: Vec<usize> = Vec::new();
        if i > 0 {
            for p in parents {
                let p = p % i;
                if !ps.contains(&p) {
                    ps.push(p);
                }
            }
        }
        let mut mine: BTreeSet<usize> = BTreeSet::new();
        for &p in &ps {
            mine.extend(anc[p].iter().copied());
        }
        let mut deps = Vec::new();
        if let (Some(d), true) = (dep, i > 0) {
            let d = d % i;
            if !mine.contains(&d) {
                deps.push(name(d));
                mine.extend(anc[d].iter().copied());
            }
        }
        mine.insert(i);
        anc.push(mine);
        let parents: Vec<String> = ps.iter().map(|&p| name(p)).collect();
        let mut inf = info(&name(i), &[]);
        inf.down_revisions = parents;
        inf.depends_on = deps;
        infos.push(inf);
    }
    build(infos)
}

fn describe(g: &RevisionGraph) -> Vec<String> {
    g.revisions()
        .map(|(_, r)| {
            format!(
                "{} <- {:?} + {:?}",
                r.id(),
                r.down_revisions(),
                r.depends_on()
            )
        })
        .collect()
}

fn table_after(
    g: &RevisionGraph,
    start: &BTreeSet<String>,
    steps: &[crate::Step],
) -> BTreeSet<String> {
    let mut heads = start.clone();
    for s in steps {
        apply_ops(&mut heads, &s.version_ops);
    }
    let _ = g;
    heads
}

fn as_refs(s: &BTreeSet<String>) -> Vec<&str> {
    s.iter().map(String::as_str).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn upgrade_all_then_downgrade_all(shape in shape()) {
        let g = graph_of(&shape);
        let n = g.len();
        let up = g.plan_upgrade(&[], "heads");
        prop_assert!(up.is_ok(), "{:?} for {:?}", up, describe(&g));
        let up = up.unwrap();
        // Topological, complete, each once.
        let mut pos = vec![usize::MAX; n];
        for (i, s) in up.iter().enumerate() {
            prop_assert_eq!(pos[s.revision.index()], usize::MAX);
            pos[s.revision.index()] = i;
        }
        prop_assert!(pos.iter().all(|&p| p != usize::MAX));
        for (r, rev) in g.revisions() {
            for d in rev.parents().iter().chain(rev.resolved_dependencies()) {
                prop_assert!(pos[d.index()] < pos[r.index()]);
            }
        }
        // The version table ends with the real heads (dependency-only heads
        // are absorbed by their dependents).
        let table = table_after(&g, &BTreeSet::new(), &up);
        let expect: BTreeSet<String> = ids(&g, g.real_heads()).into_iter().collect();
        prop_assert_eq!(&table, &expect);

        // Nothing left to do.
        prop_assert!(g.plan_upgrade(&as_refs(&table), "heads").unwrap().is_empty());

        // Back to base: everything undone once, dependents first.
        let down = g.plan_downgrade(&as_refs(&table), "base").unwrap();
        let mut dpos = vec![usize::MAX; n];
        for (i, s) in down.iter().enumerate() {
            prop_assert_eq!(dpos[s.revision.index()], usize::MAX);
            dpos[s.revision.index()] = i;
        }
        prop_assert!(dpos.iter().all(|&p| p != usize::MAX));
        for (r, rev) in g.revisions() {
            for d in rev.parents().iter().chain(rev.resolved_dependencies()) {
                prop_assert!(dpos[d.index()] > dpos[r.index()]);
            }
        }
        prop_assert!(table_after(&g, &table, &down).is_empty());
    }

    #[test]
    fn upgrade_in_two_hops(shape in shape(), pick in any::<usize>()) {
        let g = graph_of(&shape);
        let mid = g.id(RevIdx((pick % g.len()) as u32)).to_string();
        let first = g.plan_upgrade(&[], &mid).unwrap();
        let t1 = table_after(&g, &BTreeSet::new(), &first);
        // The table after the first hop covers exactly mid's ancestry.
        let anc = g.closure([g.find(&mid).unwrap()], Edges::NormalizedDown);
        let covered = g.closure(t1.iter().map(|h| g.find(h).unwrap()), Edges::NormalizedDown);
        prop_assert_eq!(&anc, &covered);
        prop_assert_eq!(first.len(), anc.iter().filter(|b| **b).count());
        let second = g.plan_upgrade(&as_refs(&t1), "heads").unwrap();
        prop_assert_eq!(first.len() + second.len(), g.len());
        let t2 = table_after(&g, &t1, &second);
        let expect: BTreeSet<String> = ids(&g, g.real_heads()).into_iter().collect();
        prop_assert_eq!(&t2, &expect);
        // Downgrade back to mid undoes everything above mid's children.
        // (Alembic takes the roots from `nextrev`: a revision with only
        // dependents is not a valid downgrade target.)
        let mid_idx = g.find(&mid).unwrap();
        let mid_rev = g.revision(mid_idx);
        let down = g.plan_downgrade(&as_refs(&t2), &mid);
        if mid_rev.is_head() && !mid_rev.is_real_head() {
            let is_range_error = matches!(down, Err(GraphError::RangeNotAncestor { .. }));
            prop_assert!(is_range_error);
            return Ok(());
        }
        let down = down.unwrap();
        let t3 = table_after(&g, &t2, &down);
        let covered = g.closure(t3.iter().map(|h| g.find(h).unwrap()), Edges::NormalizedDown);
        prop_assert!(covered[mid_idx.index()]);
        let above = g.closure(mid_rev.children().iter().copied(), Edges::AllChildren);
        let mut undone = 0;
        for (r, _) in g.revisions() {
            if above[r.index()] {
                prop_assert!(!covered[r.index()]);
                undone += 1;
            }
        }
        prop_assert_eq!(undone, down.len());
    }

    #[test]
    fn fast_sort_equals_literal_sort(shape in shape(), pick in any::<usize>()) {
        let g = graph_of(&shape);
        let x = RevIdx((pick % g.len()) as u32);
        let all = vec![true; g.len()];
        let desc = g.closure([x], Edges::AllChildren);
        let anc = g.closure([x], Edges::NormalizedDown);
        for todo in [all, desc, anc] {
            for heads in [g.real_heads().to_vec(), g.heads().to_vec(), vec![x]] {
                let mut start: Vec<RevIdx> =
                    heads.iter().copied().filter(|h| todo[h.index()]).collect();
                start.sort_unstable();
                start.dedup();
                let literal = g.topo_literal(&todo, start);
                let fast = g.topological_sort(&todo, &heads);
                match (literal, fast) {
                    (Ok(l), Ok(f)) => prop_assert_eq!(l, f),
                    (Err(_), Err(_)) => {}
                    (l, f) => prop_assert!(false, "literal {:?} vs fast {:?}", l, f),
                }
            }
        }
        // history of everything lists every revision once.
        let h = g.walk("heads", "base", &[]).unwrap();
        prop_assert_eq!(h.len(), g.len());
    }
}
