//! Revision sets between two targets and Alembic's history order.

use crate::error::{GraphError, MultipleHeadsHint, RangeHint};
use crate::graph::{Edges, RevIdx, RevisionGraph};
use crate::target::{Ident, Slot};

/// Options of Alembic's `iterate_revisions`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IterOpts {
    pub implicit_base: bool,
    pub inclusive: bool,
    pub assert_relative_length: bool,
}

impl RevisionGraph {
    /// Alembic `_collect_upgrade_revisions`: (set to apply, heads for sorting).
    pub(crate) fn collect_upgrade(
        &self,
        upper: &Ident,
        lower: &Ident,
        opts: IterOpts,
    ) -> Result<(Vec<bool>, Vec<RevIdx>), GraphError> {
        let n = self.len();
        let slots = self.parse_upgrade_target(lower, upper, opts.assert_relative_length)?;
        let mut targets: Vec<RevIdx> = Vec::new();
        for s in slots {
            match s {
                Slot::Rev(r) => targets.push(r),
                Slot::Base => {}
                Slot::Nothing => {
                    return Err(GraphError::rev("Walked too far"));
                }
            }
        }
        if let Ident::One(l) = lower
            && let Some((branch, _)) = l.split_once('@')
        {
            let mut branch = branch.to_string();
            if let Some(br) = self.get_revision(Some(&branch))?
                && self.id(br) == branch
            {
                let labels = &self.revision(br).effective_branch_labels;
                if labels.len() != 1 {
                    return Err(GraphError::rev(format!(
                        "Revision {branch} used as a branch name must carry exactly \
                                 one branch label"
                    )));
                }
                branch = labels[0].clone();
            }
            targets.retain(|t| self.revision(*t).effective_branch_labels.contains(&branch));
        }
        let mut required = self.closure_checked(&targets, Edges::NormalizedDown)?;
        for t in &targets {
            required[t.index()] = true;
        }
        let mut lower = lower.clone();
        let mut current = self.get_revisions(&lower)?;
        if !opts.implicit_base {
            for c in &current {
                let outside = match c {
                    Slot::Rev(r) => !required[r.index()],
                    Slot::Base => true,
                    Slot::Nothing => false,
                };
                if outside {
                    return Err(GraphError::RangeNotAncestor {
                        lower: lower.py_or_base(),
                        upper: upper.py_or_base(),
                        hint: RangeHint::Raw,
                    });
                }
            }
        }
        if current.first() == Some(&Slot::Nothing) {
            let lower_str = match &lower {
                Ident::One(s) => Some(s.clone()),
                Ident::Many(v) => v.first().cloned(),
            };
            let (_, rev) = self.parse_downgrade_target(
                upper,
                lower_str.as_deref(),
                opts.assert_relative_length,
            )?;
            match rev {
                Slot::Base => {
                    current = Vec::new();
                    lower = Ident::Many(Vec::new());
                }
                Slot::Rev(r) => {
                    current = vec![Slot::Rev(r)];
                    lower = Ident::One(self.id(r).to_string());
                }
                Slot::Nothing => return Err(GraphError::rev("Walked too far")),
            }
        }
        let current_revs = Self::revs_of(&current);
        let mut current_set = self.closure_checked(&current_revs, Edges::NormalizedDown)?;
        for c in &current_revs {
            current_set[c.index()] = true;
        }
        let mut needs: Vec<bool> = (0..n).map(|i| required[i] && !current_set[i]).collect();
        if opts.inclusive {
            for s in self.get_revisions(&lower)? {
                if let Slot::Rev(r) = s {
                    needs[r.index()] = true;
                }
            }
        }
        if !current.is_empty() && !opts.implicit_base {
            let desc = self.closure_checked(&current_revs, Edges::Children)?;
            for i in 0..n {
                needs[i] &= desc[i];
            }
        }
        Ok((needs, targets))
    }

    /// Alembic `_collect_downgrade_revisions`: (set to undo, heads for sorting).
    pub(crate) fn collect_downgrade(
        &self,
        upper: &Ident,
        lower: Option<&str>,
        opts: IterOpts,
    ) -> Result<(Vec<bool>, Vec<RevIdx>), GraphError> {
        let n = self.len();
        let (branch_label, target) =
            self.parse_downgrade_target(upper, lower, opts.assert_relative_length)?;
        let target = match target {
            Slot::Rev(r) => Some(r),
            Slot::Base | Slot::Nothing => None,
        };
        let mut roots: Vec<RevIdx> = match target {
            None => self
                .revisions()
                .filter(|(_, r)| r.is_base())
                .map(|(i, _)| i)
                .collect(),
            Some(t) if opts.inclusive => vec![t],
            Some(t) => self.revision(t).children.clone(),
        };
        if let Some(label) = &branch_label
            && roots.len() > 1
        {
            let br = self.resolve_branch(label)?;
            let anc = self.closure([br], Edges::Parents);
            roots.retain(|r| anc[r.index()]);
            if roots.is_empty() {
                return Err(GraphError::rev(
                    "Not a valid downgrade target from current heads",
                ));
            }
        }
        let heads = Self::revs_of(&self.get_revisions(upper)?);
        let down = self.closure(roots.iter().copied(), Edges::AllChildren);
        let active = self.closure(heads.iter().copied(), Edges::NormalizedDown);
        let mut set: Vec<bool> = (0..n).map(|i| down[i] && active[i]).collect();
        if opts.implicit_base {
            let keep = self.closure(roots.iter().copied(), Edges::NormalizedDown);
            for i in 0..n {
                if active[i] && !keep[i] {
                    set[i] = true;
                }
            }
        }
        if let Some(t) = target
            && !set.iter().any(|&b| b)
            && !heads.contains(&t)
        {
            return Err(GraphError::RangeNotAncestor {
                lower: "Nothing to drop".to_string(),
                upper: upper.py_or_base(),
                hint: RangeHint::Raw,
            });
        }
        Ok((set, heads))
    }

    /// Alembic `iterate_revisions`.
    pub(crate) fn iterate(
        &self,
        upper: &Ident,
        lower: &Ident,
        opts: IterOpts,
        for_downgrade: bool,
    ) -> Result<Vec<RevIdx>, GraphError> {
        let (set, heads) = if for_downgrade {
            let lower_str = match lower {
                Ident::One(s) => Some(s.as_str()),
                Ident::Many(v) => v.first().map(String::as_str),
            };
            self.collect_downgrade(upper, lower_str, opts)?
        } else {
            self.collect_upgrade(upper, lower, opts)?
        };
        self.topological_sort(&set, &heads)
    }

    /// Alembic `_topological_sort`: emits `todo` from the heads downwards,
    /// finishing branches before their branch points.
    ///
    /// Uses an O(n)-ish equivalent when `todo` is convex (always the case for
    /// upgrade/downgrade sets) and Alembic's literal algorithm otherwise.
    pub(crate) fn topological_sort(
        &self,
        todo: &[bool],
        heads: &[RevIdx],
    ) -> Result<Vec<RevIdx>, GraphError> {
        let mut start: Vec<RevIdx> = heads.iter().copied().filter(|h| todo[h.index()]).collect();
        start.sort_unstable();
        start.dedup();
        if self.fast_sort_applies(todo, &start) {
            Ok(self.topo_fast(todo, start))
        } else {
            self.topo_literal(todo, start)
        }
    }

    /// True when `todo` is convex and every member lies below a head inside `todo`.
    fn fast_sort_applies(&self, todo: &[bool], start: &[RevIdx]) -> bool {
        let n = self.len();
        let members = (0..n).filter(|&i| todo[i]).map(RevIdx::from_usize);
        let below: Vec<RevIdx> = members
            .clone()
            .flat_map(|m| self.revision(m).normalized_down.iter().copied())
            .collect();
        let above: Vec<RevIdx> = members
            .flat_map(|m| self.revision(m).all_children.iter().copied())
            .collect();
        let anc = self.closure(below, Edges::NormalizedDown);
        let desc = self.closure(above, Edges::AllChildren);
        if (0..n).any(|i| !todo[i] && anc[i] && desc[i]) {
            return false;
        }
        // Reachability from the heads inside todo.
        let mut seen = vec![false; n];
        let mut stack: Vec<RevIdx> = start.to_vec();
        for s in start {
            seen[s.index()] = true;
        }
        while let Some(r) = stack.pop() {
            for &p in &self.revision(r).normalized_down {
                if todo[p.index()] && !seen[p.index()] {
                    seen[p.index()] = true;
                    stack.push(p);
                }
            }
        }
        (0..n).all(|i| !todo[i] || seen[i])
    }

    fn topo_fast(&self, todo: &[bool], mut current: Vec<RevIdx>) -> Vec<RevIdx> {
        let n = self.len();
        // Unemitted todo children along normalized edges.
        let mut pending = vec![0u32; n];
        let mut kids: Vec<Vec<RevIdx>> = vec![Vec::new(); n];
        for i in 0..n {
            if todo[i] {
                for &p in &self.revs[i].normalized_down {
                    if todo[p.index()] {
                        pending[p.index()] += 1;
                        kids[p.index()].push(RevIdx::from_usize(i));
                    }
                }
            }
        }
        let mut emitted = vec![false; n];
        let mut in_current = vec![false; n];
        for c in &current {
            in_current[c.index()] = true;
        }
        let mut output = Vec::new();
        let mut idx = 0usize;
        let mut visit_mark = vec![0u32; n];
        let mut epoch = 0u32;
        while !current.is_empty() {
            let candidate = current[idx];
            if pending[candidate.index()] > 0 {
                // Another head descends from us: jump to the first such head.
                epoch += 1;
                let mut stack = vec![candidate];
                visit_mark[candidate.index()] = epoch;
                while let Some(r) = stack.pop() {
                    for &k in &kids[r.index()] {
                        if !emitted[k.index()] && visit_mark[k.index()] != epoch {
                            visit_mark[k.index()] = epoch;
                            stack.push(k);
                        }
                    }
                }
                if let Some(j) = current
                    .iter()
                    .position(|h| *h != candidate && visit_mark[h.index()] == epoch)
                {
                    idx = j;
                    continue;
                }
            }
            output.push(candidate);
            emitted[candidate.index()] = true;
            in_current[candidate.index()] = false;
            let mut to_add = Vec::new();
            for &p in &self.revs[candidate.index()].normalized_down {
                if todo[p.index()] {
                    pending[p.index()] -= 1;
                    if !emitted[p.index()] && !in_current[p.index()] {
                        to_add.push(p);
                    }
                }
            }
            if to_add.is_empty() {
                current.remove(idx);
                idx = idx.saturating_sub(1);
            } else {
                current[idx] = to_add[0];
                in_current[to_add[0].index()] = true;
                for &a in &to_add[1..] {
                    current.push(a);
                    in_current[a.index()] = true;
                }
            }
        }
        output
    }

    /// Alembic's `_topological_sort`, step by step (used for unusual sets).
    pub(crate) fn topo_literal(
        &self,
        todo: &[bool],
        mut current: Vec<RevIdx>,
    ) -> Result<Vec<RevIdx>, GraphError> {
        let mut todo = todo.to_vec();
        let anc = |r: RevIdx| self.closure([r], Edges::NormalizedDown);
        let mut ancestors: Vec<Vec<bool>> = current.iter().map(|&h| anc(h)).collect();
        let mut output = Vec::new();
        let mut idx = 0usize;
        while !current.is_empty() {
            let candidate = current[idx];
            if let Some(j) = ancestors
                .iter()
                .enumerate()
                .position(|(j, a)| j != idx && a[candidate.index()])
            {
                idx = j;
                continue;
            }
            if todo[candidate.index()] {
                output.push(candidate);
                todo[candidate.index()] = false;
            }
            let rev = self.revision(candidate);
            let to_add: Vec<RevIdx> = rev
                .normalized_down
                .iter()
                .copied()
                .filter(|p| todo[p.index()] && !current.contains(p))
                .collect();
            if to_add.is_empty() {
                current.remove(idx);
                ancestors.remove(idx);
                idx = idx.saturating_sub(1);
            } else if rev.normalized_deps.is_empty() && rev.parents.len() == 1 {
                current[idx] = to_add[0];
                ancestors[idx][candidate.index()] = false;
            } else {
                current[idx] = to_add[0];
                ancestors[idx] = anc(to_add[0]);
                for &a in &to_add[1..] {
                    current.push(a);
                    ancestors.push(anc(a));
                }
            }
        }
        if todo.iter().any(|&b| b) {
            return Err(GraphError::rev(
                "Could not order the requested revisions: some are not reachable from the \
                 requested heads within the range",
            ));
        }
        Ok(output)
    }

    /// The revisions `alembic history -r lower:upper` prints, in its order
    /// (Alembic `walk_revisions(lower, upper)`). Empty strings mean the
    /// defaults `heads` / `base`; `current` is replaced by `current_heads`
    /// (the database's heads, as `history` does inside its environment).
    pub fn walk(
        &self,
        upper: &str,
        lower: &str,
        current_heads: &[&str],
    ) -> Result<Vec<RevIdx>, GraphError> {
        let upper_ident = match upper {
            "" => Ident::One("heads".into()),
            "current" if current_heads.is_empty() => Ident::One("heads".into()),
            "current" => Ident::many(current_heads),
            s => Ident::One(s.into()),
        };
        let lower_ident = match lower {
            "" => Ident::One("base".into()),
            "current" if current_heads.is_empty() => Ident::One("base".into()),
            "current" => Ident::many(current_heads),
            s => Ident::One(s.into()),
        };
        let end = match &upper_ident {
            Ident::One(s) => s.clone(),
            Ident::Many(_) => upper_ident.py_or_base(),
        };
        let start = match &lower_ident {
            Ident::One(s) => s.clone(),
            Ident::Many(_) => lower_ident.py_or_base(),
        };
        self.iterate(
            &upper_ident,
            &lower_ident,
            IterOpts {
                implicit_base: false,
                inclusive: true,
                assert_relative_length: false,
            },
            false,
        )
        .map_err(|e| {
            e.with_range_hint(RangeHint::Range {
                start: start.clone(),
                end: end.clone(),
            })
            .with_heads_hint(MultipleHeadsHint::Target, Some(&end))
        })
    }

    /// Alembic `get_all_current(db_heads)` (used by `current`): the branch
    /// heads of the database heads plus everything they imply, input order.
    pub fn all_current(&self, db_heads: &[&str]) -> Result<Vec<RevIdx>, GraphError> {
        self.get_all_current_ident(&Ident::many(db_heads))
            .map_err(|e| e.with_heads_hint(MultipleHeadsHint::Target, None))
    }

    /// What `alembic branches` prints: each branch point in history order with
    /// its children (input order; Alembic's order there is unspecified).
    pub fn branches(&self) -> Result<Vec<(RevIdx, Vec<RevIdx>)>, GraphError> {
        Ok(self
            .walk("heads", "base", &[])?
            .into_iter()
            .filter(|r| self.revision(*r).is_branch_point())
            .map(|r| (r, self.revision(r).children.clone()))
            .collect())
    }
}
