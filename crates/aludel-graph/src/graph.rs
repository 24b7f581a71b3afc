//! The built revision graph: revisions, their relations and traversals.

use std::collections::HashMap;

/// Index of a revision in the graph; equals its position in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RevIdx(pub u32);

impl RevIdx {
    /// The position as a `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn from_usize(i: usize) -> Self {
        // Inputs larger than u32::MAX are rejected by `build`.
        RevIdx(i as u32)
    }
}

/// One revision with its resolved relations.
#[derive(Debug, Clone)]
pub struct Revision {
    pub(crate) id: String,
    pub(crate) down_revisions: Vec<String>,
    pub(crate) branch_labels: Vec<String>,
    pub(crate) effective_branch_labels: Vec<String>,
    pub(crate) depends_on: Vec<String>,
    pub(crate) origin: String,
    /// Versioned parents (`down_revision`).
    pub(crate) parents: Vec<RevIdx>,
    /// `depends_on` resolved to revisions (deduplicated, minus parents kept).
    pub(crate) resolved_deps: Vec<RevIdx>,
    /// Resolved dependencies that no versioned ancestor already depends on.
    pub(crate) normalized_deps: Vec<RevIdx>,
    /// Parents followed by normalized dependencies, deduplicated.
    pub(crate) normalized_down: Vec<RevIdx>,
    /// Parents followed by resolved dependencies, deduplicated.
    pub(crate) all_down: Vec<RevIdx>,
    /// Revisions whose `down_revision` names this one (Alembic `nextrev`).
    pub(crate) children: Vec<RevIdx>,
    /// Children plus dependents (Alembic `_all_nextrev`).
    pub(crate) all_children: Vec<RevIdx>,
}

impl Revision {
    /// The revision id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The declared `down_revision` ids (empty for a base).
    pub fn down_revisions(&self) -> &[String] {
        &self.down_revisions
    }
    /// The branch labels declared by this revision itself.
    pub fn branch_labels(&self) -> &[String] {
        &self.branch_labels
    }
    /// The labels this revision carries in Alembic's `Revision.branch_labels`
    /// after loading: its own plus those propagated along its branch.
    /// Alembic uses these for `label@...` resolution and in `history --verbose`.
    pub fn effective_branch_labels(&self) -> &[String] {
        &self.effective_branch_labels
    }
    /// The declared `depends_on` entries (ids or branch labels).
    pub fn depends_on(&self) -> &[String] {
        &self.depends_on
    }
    /// The file the revision came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// Versioned parents, in declaration order.
    pub fn parents(&self) -> &[RevIdx] {
        &self.parents
    }
    /// Dependencies resolved to revisions.
    pub fn resolved_dependencies(&self) -> &[RevIdx] {
        &self.resolved_deps
    }
    /// Dependencies not already implied by an ancestor's dependency.
    pub fn normalized_dependencies(&self) -> &[RevIdx] {
        &self.normalized_deps
    }
    /// Parents then normalized dependencies (Alembic `_normalized_down_revisions`).
    pub fn normalized_down_revisions(&self) -> &[RevIdx] {
        &self.normalized_down
    }
    /// Revisions having this one as `down_revision` (Alembic `nextrev`), input order.
    pub fn children(&self) -> &[RevIdx] {
        &self.children
    }
    /// Children and dependents (Alembic `_all_nextrev`), input order.
    pub fn all_children(&self) -> &[RevIdx] {
        &self.all_children
    }
    /// No revision has this one as `down_revision` (Alembic `is_head`).
    pub fn is_head(&self) -> bool {
        self.children.is_empty()
    }
    /// Neither a child nor a dependent exists (Alembic `_is_real_head`).
    pub fn is_real_head(&self) -> bool {
        self.all_children.is_empty()
    }
    /// No `down_revision` (Alembic `is_base`).
    pub fn is_base(&self) -> bool {
        self.down_revisions.is_empty()
    }
    /// No `down_revision` and no `depends_on` (Alembic `_is_real_base`).
    pub fn is_real_base(&self) -> bool {
        self.down_revisions.is_empty() && self.depends_on.is_empty()
    }
    /// More than one child (Alembic `is_branch_point`).
    pub fn is_branch_point(&self) -> bool {
        self.children.len() > 1
    }
    /// More than one child or dependent (Alembic `_is_real_branch_point`).
    pub fn is_real_branch_point(&self) -> bool {
        self.all_children.len() > 1
    }
    /// More than one `down_revision` (Alembic `is_merge_point`).
    pub fn is_merge_point(&self) -> bool {
        self.parents.len() > 1
    }
}

/// Which relation a traversal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edges {
    /// `down_revision` only.
    Parents,
    /// `down_revision` plus normalized dependencies.
    NormalizedDown,
    /// `down_revision` plus all resolved dependencies.
    AllDown,
    /// `nextrev`.
    Children,
    /// `_all_nextrev`.
    AllChildren,
}

/// The revision graph: validated, immutable, answers questions, does no I/O.
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    pub(crate) revs: Vec<Revision>,
    pub(crate) by_id: HashMap<String, RevIdx>,
    pub(crate) labels: HashMap<String, RevIdx>,
    /// Labels in the order Alembic adds them to its map (after all ids).
    pub(crate) label_order: Vec<String>,
    pub(crate) heads: Vec<RevIdx>,
    pub(crate) real_heads: Vec<RevIdx>,
    pub(crate) bases: Vec<RevIdx>,
    pub(crate) real_bases: Vec<RevIdx>,
    /// Longest path from a base along parents and dependencies; strictly
    /// grows from a revision to each of its children and dependents.
    pub(crate) depth: Vec<u32>,
}

impl RevisionGraph {
    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.revs.len()
    }
    /// True when the graph has no revision.
    pub fn is_empty(&self) -> bool {
        self.revs.is_empty()
    }
    /// The revision at `idx`.
    ///
    /// # Panics
    /// Panics if `idx` does not come from this graph.
    pub fn revision(&self, idx: RevIdx) -> &Revision {
        &self.revs[idx.index()]
    }
    /// The revision at `idx`, or `None` if out of range.
    pub fn get(&self, idx: RevIdx) -> Option<&Revision> {
        self.revs.get(idx.index())
    }
    /// All revisions in input order.
    pub fn revisions(&self) -> impl ExactSizeIterator<Item = (RevIdx, &Revision)> {
        self.revs
            .iter()
            .enumerate()
            .map(|(i, r)| (RevIdx::from_usize(i), r))
    }
    /// The revision with exactly this id.
    pub fn find(&self, id: &str) -> Option<RevIdx> {
        self.by_id.get(id).copied()
    }
    /// The revision declaring this branch label.
    pub fn find_label(&self, label: &str) -> Option<RevIdx> {
        self.labels.get(label).copied()
    }
    /// The id of `idx`.
    pub fn id(&self, idx: RevIdx) -> &str {
        &self.revs[idx.index()].id
    }
    /// Alembic `get_heads()`: revisions without children (dependents allowed),
    /// in input order.
    pub fn heads(&self) -> &[RevIdx] {
        &self.heads
    }
    /// Alembic `_real_heads` (= `get_revisions("heads")`): no children nor dependents.
    pub fn real_heads(&self) -> &[RevIdx] {
        &self.real_heads
    }
    /// Alembic `get_bases()`: revisions without `down_revision`, input order.
    pub fn bases(&self) -> &[RevIdx] {
        &self.bases
    }
    /// Bases that also have no `depends_on`.
    pub fn real_bases(&self) -> &[RevIdx] {
        &self.real_bases
    }

    pub(crate) fn ids(&self, idxs: &[RevIdx]) -> Vec<String> {
        idxs.iter().map(|&i| self.id(i).to_string()).collect()
    }

    pub(crate) fn neighbours(&self, idx: RevIdx, edges: Edges) -> &[RevIdx] {
        let r = &self.revs[idx.index()];
        match edges {
            Edges::Parents => &r.parents,
            Edges::NormalizedDown => &r.normalized_down,
            Edges::AllDown => &r.all_down,
            Edges::Children => &r.children,
            Edges::AllChildren => &r.all_children,
        }
    }

    /// Reflexive closure of `starts` along `edges` (iterative).
    pub(crate) fn closure(
        &self,
        starts: impl IntoIterator<Item = RevIdx>,
        edges: Edges,
    ) -> Vec<bool> {
        let mut seen = vec![false; self.revs.len()];
        let mut stack: Vec<RevIdx> = Vec::new();
        for s in starts {
            if !seen[s.index()] {
                seen[s.index()] = true;
                stack.push(s);
            }
        }
        while let Some(r) = stack.pop() {
            for &n in self.neighbours(r, edges) {
                if !seen[n.index()] {
                    seen[n.index()] = true;
                    stack.push(n);
                }
            }
        }
        seen
    }

    /// Alembic `_iterate_related_revisions(..., check=True)`: the reflexive
    /// closure, failing when one target reaches another target.
    pub(crate) fn closure_checked(
        &self,
        targets: &[RevIdx],
        edges: Edges,
    ) -> Result<Vec<bool>, crate::GraphError> {
        let n = self.revs.len();
        let mut seen = vec![false; n];
        let mut is_target = vec![false; n];
        for t in targets {
            is_target[t.index()] = true;
        }
        let mut stack = Vec::new();
        for &target in targets {
            let mut overlaps: Vec<RevIdx> = Vec::new();
            stack.push(target);
            while let Some(r) = stack.pop() {
                if is_target[r.index()] && r != target && !overlaps.contains(&r) {
                    overlaps.push(r);
                }
                if seen[r.index()] {
                    continue;
                }
                seen[r.index()] = true;
                stack.extend_from_slice(self.neighbours(r, edges));
            }
            if !overlaps.is_empty() {
                return Err(crate::GraphError::rev(format!(
                    "Requested revision {} overlaps with other requested revisions {}",
                    self.id(target),
                    self.ids(&overlaps).join(", ")
                )));
            }
        }
        Ok(seen)
    }
}
