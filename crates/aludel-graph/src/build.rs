//! Construction and validation of the graph.

use std::collections::{HashMap, HashSet};

use crate::error::{CycleKind, GraphError};
use crate::graph::{Edges, RevIdx, Revision, RevisionGraph};

/// Revision metadata as read from one migration file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevisionInfo {
    /// The revision id.
    pub id: String,
    /// Parents; empty for a base, two or more for a merge point.
    pub down_revisions: Vec<String>,
    /// Branch labels declared by this revision.
    pub branch_labels: Vec<String>,
    /// Full revision ids or branch labels this revision depends on
    /// (Alembic resolves these exactly, without prefix matching).
    pub depends_on: Vec<String>,
    /// The file path, only used in error messages.
    pub origin: String,
}

const ILLEGAL: [char; 4] = ['@', '-', '+', ':'];

/// Checks a revision id the way Alembic's `Revision.verify_rev_id` does.
pub fn verify_revision_id(id: &str) -> Result<(), GraphError> {
    let mut bad: Vec<char> = ILLEGAL
        .iter()
        .copied()
        .filter(|c| id.contains(*c))
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    bad.sort_unstable();
    let chars: Vec<String> = bad.iter().map(|c| c.to_string()).collect();
    Err(GraphError::Revision(format!(
        "Character(s) '{}' not allowed in revision identifier '{}'",
        chars.join(", "),
        id
    )))
}

fn push_unique(v: &mut Vec<RevIdx>, x: RevIdx) {
    if !v.contains(&x) {
        v.push(x);
    }
}

impl RevisionGraph {
    /// Builds and validates the graph. The input order must be Alembic's load
    /// order (version locations in order, file names sorted within each
    /// directory): it decides the order of heads, bases and `history`.
    pub fn build(infos: Vec<RevisionInfo>) -> Result<RevisionGraph, GraphError> {
        if infos.len() > u32::MAX as usize {
            return Err(GraphError::rev("Too many revisions"));
        }
        // Per-revision checks, as in Alembic's Revision constructor.
        for info in &infos {
            if info.down_revisions.contains(&info.id) {
                return Err(GraphError::Cycle {
                    kind: CycleKind::SelfLoop,
                    revisions: vec![info.id.clone()],
                    origins: vec![info.origin.clone()],
                });
            }
            if info.depends_on.contains(&info.id) {
                return Err(GraphError::Cycle {
                    kind: CycleKind::DependencySelfLoop,
                    revisions: vec![info.id.clone()],
                    origins: vec![info.origin.clone()],
                });
            }
            if let Err(GraphError::Revision(_)) = verify_revision_id(&info.id) {
                let mut bad: Vec<char> = ILLEGAL
                    .iter()
                    .copied()
                    .filter(|c| info.id.contains(*c))
                    .collect();
                bad.sort_unstable();
                let chars: Vec<String> = bad.iter().map(|c| c.to_string()).collect();
                return Err(GraphError::IllegalCharacters {
                    id: info.id.clone(),
                    chars: chars.join(", "),
                    origin: info.origin.clone(),
                });
            }
        }

        let mut by_id: HashMap<String, RevIdx> = HashMap::with_capacity(infos.len());
        for (i, info) in infos.iter().enumerate() {
            if let Some(&prev) = by_id.get(&info.id) {
                return Err(GraphError::DuplicateRevision {
                    id: info.id.clone(),
                    first_origin: infos[prev.index()].origin.clone(),
                    second_origin: info.origin.clone(),
                });
            }
            by_id.insert(info.id.clone(), RevIdx::from_usize(i));
        }

        // Branch labels share Alembic's map with revision ids.
        let mut labels: HashMap<String, RevIdx> = HashMap::new();
        let mut label_order = Vec::new();
        for (i, info) in infos.iter().enumerate() {
            for label in &info.branch_labels {
                let used = by_id.get(label).or_else(|| labels.get(label)).copied();
                if let Some(used) = used {
                    return Err(GraphError::DuplicateBranchLabel {
                        label: label.clone(),
                        id: info.id.clone(),
                        origin: info.origin.clone(),
                        used_by: infos[used.index()].id.clone(),
                        used_by_origin: infos[used.index()].origin.clone(),
                    });
                }
                labels.insert(label.clone(), RevIdx::from_usize(i));
                label_order.push(label.clone());
            }
        }

        let lookup = |key: &str| by_id.get(key).or_else(|| labels.get(key)).copied();

        let mut revs: Vec<Revision> = Vec::with_capacity(infos.len());
        for info in infos {
            let mut resolved_deps = Vec::new();
            for dep in &info.depends_on {
                match lookup(dep) {
                    Some(d) => push_unique(&mut resolved_deps, d),
                    None => {
                        return Err(GraphError::UnknownDependency {
                            id: info.id.clone(),
                            origin: info.origin.clone(),
                            missing: dep.clone(),
                        });
                    }
                }
            }
            let mut parents = Vec::new();
            for down in &info.down_revisions {
                match by_id.get(down) {
                    Some(&p) => push_unique(&mut parents, p),
                    None => {
                        return Err(GraphError::UnknownDownRevision {
                            id: info.id.clone(),
                            origin: info.origin.clone(),
                            missing: down.clone(),
                        });
                    }
                }
            }
            let mut all_down = parents.clone();
            for &d in &resolved_deps {
                push_unique(&mut all_down, d);
            }
            revs.push(Revision {
                effective_branch_labels: info.branch_labels.clone(),
                id: info.id,
                down_revisions: info.down_revisions,
                branch_labels: info.branch_labels,
                depends_on: info.depends_on,
                origin: info.origin,
                parents,
                resolved_deps,
                normalized_deps: Vec::new(),
                normalized_down: Vec::new(),
                all_down,
                children: Vec::new(),
                all_children: Vec::new(),
            });
        }

        for i in 0..revs.len() {
            let me = RevIdx::from_usize(i);
            let all_down = revs[i].all_down.clone();
            for d in all_down {
                let is_parent = revs[i].parents.contains(&d);
                let target = &mut revs[d.index()];
                push_unique(&mut target.all_children, me);
                if is_parent {
                    push_unique(&mut target.children, me);
                }
            }
        }

        let pick = |f: &dyn Fn(&Revision) -> bool| -> Vec<RevIdx> {
            revs.iter()
                .enumerate()
                .filter(|(_, r)| f(r))
                .map(|(i, _)| RevIdx::from_usize(i))
                .collect()
        };
        let heads = pick(&|r| r.is_head());
        let real_heads = pick(&|r| r.is_real_head());
        let bases = pick(&|r| r.is_base());
        let real_bases = pick(&|r| r.is_real_base());

        let mut graph = RevisionGraph {
            revs,
            by_id,
            labels,
            label_order,
            heads,
            real_heads,
            bases,
            real_bases,
            depth: Vec::new(),
        };
        graph.detect_cycles()?;
        graph.depth = graph.compute_depth();
        graph.normalize_dependencies();
        graph.propagate_branch_labels();
        Ok(graph)
    }

    fn cycle_error(&self, kind: CycleKind, mut revisions: Vec<RevIdx>, sort: bool) -> GraphError {
        if sort {
            revisions.sort_by(|a, b| self.id(*a).cmp(self.id(*b)));
        }
        GraphError::Cycle {
            kind,
            revisions: self.ids(&revisions),
            origins: revisions
                .iter()
                .map(|&r| self.revision(r).origin.clone())
                .collect(),
        }
    }

    /// Alembic's `_detect_cycles`, completed by a Kahn pass that also finds
    /// cycles Alembic's reachability test misses.
    fn detect_cycles(&self) -> Result<(), GraphError> {
        let n = self.revs.len();
        if n == 0 {
            return Ok(());
        }
        let all: Vec<RevIdx> = (0..n).map(RevIdx::from_usize).collect();
        let passes = [
            (
                CycleKind::Cycle,
                &self.heads,
                &self.bases,
                Edges::Parents,
                Edges::Children,
            ),
            (
                CycleKind::DependencyCycle,
                &self.real_heads,
                &self.real_bases,
                Edges::AllDown,
                Edges::AllChildren,
            ),
        ];
        for (kind, heads, bases, down, up) in passes {
            if heads.is_empty() || bases.is_empty() {
                return Err(self.cycle_error(kind, all.clone(), false));
            }
            let from_heads = self.closure(heads.iter().copied(), down);
            let from_bases = self.closure(bases.iter().copied(), up);
            let deleted: Vec<RevIdx> = all
                .iter()
                .copied()
                .filter(|r| !(from_heads[r.index()] && from_bases[r.index()]))
                .collect();
            if !deleted.is_empty() {
                return Err(self.cycle_error(kind, deleted, true));
            }
        }
        for (kind, edges) in [
            (CycleKind::Cycle, Edges::Parents),
            (CycleKind::DependencyCycle, Edges::AllDown),
        ] {
            let left = self.kahn_leftover(edges);
            if !left.is_empty() {
                return Err(self.cycle_error(kind, left, true));
            }
        }
        Ok(())
    }

    /// Depth of every revision (the graph is acyclic here).
    fn compute_depth(&self) -> Vec<u32> {
        let n = self.revs.len();
        let mut indeg: Vec<usize> = self.revs.iter().map(|r| r.all_down.len()).collect();
        let mut depth = vec![0u32; n];
        let mut stack: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
        while let Some(i) = stack.pop() {
            for &c in &self.revs[i].all_children {
                let c = c.index();
                depth[c] = depth[c].max(depth[i] + 1);
                indeg[c] -= 1;
                if indeg[c] == 0 {
                    stack.push(c);
                }
            }
        }
        depth
    }

    /// Revisions Kahn's algorithm cannot order (on or above a cycle).
    fn kahn_leftover(&self, edges: Edges) -> Vec<RevIdx> {
        let n = self.revs.len();
        let mut indeg: Vec<usize> = (0..n)
            .map(|i| self.neighbours(RevIdx::from_usize(i), edges).len())
            .collect();
        let mut up: Vec<Vec<RevIdx>> = vec![Vec::new(); n];
        for i in 0..n {
            for &d in self.neighbours(RevIdx::from_usize(i), edges) {
                up[d.index()].push(RevIdx::from_usize(i));
            }
        }
        let mut stack: Vec<RevIdx> = (0..n)
            .filter(|&i| indeg[i] == 0)
            .map(RevIdx::from_usize)
            .collect();
        let mut done = vec![false; n];
        while let Some(r) = stack.pop() {
            done[r.index()] = true;
            for &c in &up[r.index()] {
                indeg[c.index()] -= 1;
                if indeg[c.index()] == 0 {
                    stack.push(c);
                }
            }
        }
        (0..n)
            .filter(|&i| !done[i])
            .map(RevIdx::from_usize)
            .collect()
    }

    /// Alembic's `_normalize_depends_on`: drop a dependency when a versioned
    /// ancestor already depends on it.
    fn normalize_dependencies(&mut self) {
        let n = self.revs.len();
        let mut dependents: HashMap<RevIdx, Vec<RevIdx>> = HashMap::new();
        for i in 0..n {
            for &d in &self.revs[i].resolved_deps {
                dependents.entry(d).or_default().push(RevIdx::from_usize(i));
            }
        }
        let mut redundant: HashSet<(RevIdx, RevIdx)> = HashSet::new();
        for (dep, users) in &dependents {
            if users.len() < 2 {
                continue;
            }
            // Proper versioned descendants of the users.
            let starts: Vec<RevIdx> = users
                .iter()
                .flat_map(|&u| self.revs[u.index()].children.iter().copied())
                .collect();
            let below = self.closure(starts, Edges::Children);
            for &u in users {
                if below[u.index()] {
                    redundant.insert((u, *dep));
                }
            }
        }
        for i in 0..n {
            let me = RevIdx::from_usize(i);
            let rev = &self.revs[i];
            let normalized: Vec<RevIdx> = rev
                .resolved_deps
                .iter()
                .copied()
                .filter(|d| !redundant.contains(&(me, *d)))
                .collect();
            let mut down = rev.parents.clone();
            for &d in &normalized {
                push_unique(&mut down, d);
            }
            let rev = &mut self.revs[i];
            rev.normalized_deps = normalized;
            rev.normalized_down = down;
        }
    }

    /// Alembic's `_add_branches`: a label spreads to all versioned
    /// descendants and, when those form a plain line, down to the ancestors
    /// until a branch point or merge point.
    fn propagate_branch_labels(&mut self) {
        for i in 0..self.revs.len() {
            if self.revs[i].branch_labels.is_empty() {
                continue;
            }
            let labels = self.revs[i].branch_labels.clone();
            let start = RevIdx::from_usize(i);
            // Depth-first like Alembic, remembering the last node visited.
            let mut seen = vec![false; self.revs.len()];
            let mut stack = vec![start];
            let mut last = start;
            let mut members = Vec::new();
            while let Some(r) = stack.pop() {
                if seen[r.index()] {
                    continue;
                }
                seen[r.index()] = true;
                members.push(r);
                last = r;
                stack.extend(self.revs[r.index()].children.iter().rev().copied());
            }
            let mut node = Some(last);
            while let Some(r) = node {
                let rev = &self.revs[r.index()];
                if rev.is_real_branch_point() || rev.is_merge_point() {
                    break;
                }
                members.push(r);
                node = rev.parents.first().copied();
            }
            for m in members {
                let eff = &mut self.revs[m.index()].effective_branch_labels;
                for l in &labels {
                    if !eff.contains(l) {
                        eff.push(l.clone());
                    }
                }
            }
        }
    }
}
