//! Upgrade, downgrade and stamp plans with their version-table operations.

use std::collections::{BTreeSet, BinaryHeap, HashSet};

use crate::error::{GraphError, MultipleHeadsHint, RangeHint};
use crate::graph::{Edges, RevIdx, RevisionGraph};
use crate::target::{Ident, Slot};
use crate::walk::IterOpts;

/// Direction of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Runs `upgrade()` / moves the version table forward.
    Upgrade,
    /// Runs `downgrade()` / moves the version table backward.
    Downgrade,
}

/// One operation on the version table (`alembic_version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionOp {
    /// `INSERT` a row with this version.
    Insert(String),
    /// `DELETE` the row with this version.
    Delete(String),
    /// `UPDATE` the row `from` to `to`.
    Update {
        /// The version replaced.
        from: String,
        /// The new version.
        to: String,
    },
}

/// One migration to run (Alembic `RevisionStep`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The revision whose `upgrade()` / `downgrade()` runs.
    pub revision: RevIdx,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// Left side of the log line: parents (upgrade) or the revision (downgrade).
    pub from: Vec<String>,
    /// Right side of the log line: the revision (upgrade) or parents (downgrade).
    pub to: Vec<String>,
    /// Version-table operations to run after the migration, in order.
    pub version_ops: Vec<VersionOp>,
}

impl Step {
    /// Alembic `short_log`, e.g. `upgrade  -> 423d964333d1`; Alembic's
    /// `Running ...` line appends `, <doc>` when the revision has one.
    pub fn short_log(&self) -> String {
        let name = match self.direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        format!("{name} {} -> {}", self.from.join(", "), self.to.join(", "))
    }
}

/// One stamp operation (Alembic `StampStep`); runs no migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampStep {
    /// Versions stamped away from.
    pub from: Vec<String>,
    /// Versions stamped to (empty when stamping to base).
    pub to: Vec<String>,
    /// Whether the stamp moves up or down.
    pub direction: Direction,
    /// Whether a whole branch is created or removed.
    pub branch_move: bool,
    /// Version-table operations, in order.
    pub version_ops: Vec<VersionOp>,
}

impl StampStep {
    /// Alembic `short_log`, e.g. `stamp_revision  -> 423d964333d1`.
    pub fn short_log(&self) -> String {
        format!(
            "stamp_revision {} -> {}",
            self.from.join(", "),
            self.to.join(", ")
        )
    }
}

/// Simulation of Alembic's `HeadMaintainer` over the version table.
struct HeadMaintainer<'g> {
    g: &'g RevisionGraph,
    heads: BTreeSet<RevIdx>,
    reach: Option<Reach>,
}

/// Lazily explored ancestors of a fixed set of heads.
struct Reach {
    key: Vec<RevIdx>,
    seen: HashSet<RevIdx>,
    frontier: BinaryHeap<(u32, RevIdx)>,
}

impl<'g> HeadMaintainer<'g> {
    fn new(g: &'g RevisionGraph, heads: impl IntoIterator<Item = RevIdx>) -> Self {
        HeadMaintainer {
            g,
            heads: heads.into_iter().collect(),
            reach: None,
        }
    }

    fn has(&self, r: RevIdx) -> bool {
        self.heads.contains(&r)
    }

    fn insert(&mut self, r: RevIdx, ops: &mut Vec<VersionOp>) -> Result<(), GraphError> {
        if !self.heads.insert(r) {
            return Err(GraphError::VersionTable(format!(
                "Version {} is already present in the version table",
                self.g.id(r)
            )));
        }
        ops.push(VersionOp::Insert(self.g.id(r).to_string()));
        Ok(())
    }

    fn delete(&mut self, r: RevIdx, ops: &mut Vec<VersionOp>) -> Result<(), GraphError> {
        if !self.heads.remove(&r) {
            return Err(GraphError::VersionTable(format!(
                "Version {} is not present in the version table",
                self.g.id(r)
            )));
        }
        ops.push(VersionOp::Delete(self.g.id(r).to_string()));
        Ok(())
    }

    fn update(
        &mut self,
        from: RevIdx,
        to: RevIdx,
        ops: &mut Vec<VersionOp>,
    ) -> Result<(), GraphError> {
        if self.has(to) {
            return Err(GraphError::VersionTable(format!(
                "Version {} is already present in the version table",
                self.g.id(to)
            )));
        }
        if !self.heads.remove(&from) {
            return Err(GraphError::VersionTable(format!(
                "Version {} is not present in the version table",
                self.g.id(from)
            )));
        }
        self.heads.insert(to);
        ops.push(VersionOp::Update {
            from: self.g.id(from).to_string(),
            to: self.g.id(to).to_string(),
        });
        Ok(())
    }

    /// Which of `targets` are ancestors (with dependencies) of the heads
    /// other than `except` (Alembic computes that ancestor set per step).
    ///
    /// The ancestor set is explored lazily, deepest revisions first, only
    /// down to the depth of the shallowest target; while the other heads
    /// stay the same (walking down a line) the exploration is resumed, so a
    /// plan costs about one pass over the graph instead of one per step.
    fn implied_by_others(&mut self, except: &[RevIdx], targets: &[RevIdx]) -> Option<Vec<bool>> {
        let g = self.g;
        let others: Vec<RevIdx> = self
            .heads
            .iter()
            .copied()
            .filter(|h| !except.contains(h))
            .collect();
        if others.is_empty() {
            return None;
        }
        let reach = match &mut self.reach {
            Some(r) if r.key == others => r,
            slot => {
                let frontier = others.iter().map(|&h| (g.depth[h.index()], h)).collect();
                slot.insert(Reach {
                    key: others,
                    seen: HashSet::new(),
                    frontier,
                })
            }
        };
        let floor = targets
            .iter()
            .map(|t| g.depth[t.index()])
            .min()
            .unwrap_or(0);
        while let Some(&(d, r)) = reach.frontier.peek() {
            if d < floor {
                break;
            }
            reach.frontier.pop();
            if !reach.seen.insert(r) {
                continue;
            }
            for &p in &g.revision(r).normalized_down {
                if !reach.seen.contains(&p) {
                    reach.frontier.push((g.depth[p.index()], p));
                }
            }
        }
        Some(targets.iter().map(|t| reach.seen.contains(t)).collect())
    }

    /// Alembic `RevisionStep._unmerge_to_revisions`.
    fn unmerge_to(&mut self, rev: RevIdx) -> Vec<RevIdx> {
        let g = self.g;
        let downs = &g.revision(rev).normalized_down;
        if let Some(implied) = self.implied_by_others(&[rev], downs) {
            return downs
                .iter()
                .zip(implied)
                .filter(|(_, i)| !i)
                .map(|(d, _)| *d)
                .collect();
        }
        if downs.len() <= 1 {
            return downs.clone();
        }
        // Drop a parent that is an ancestor of another parent; only the
        // part of the graph at least as deep as the shallowest parent can
        // contain such a path.
        let floor = downs.iter().map(|t| g.depth[t.index()]).min().unwrap_or(0);
        let mut seen: HashSet<RevIdx> = HashSet::new();
        let mut stack: Vec<RevIdx> = downs
            .iter()
            .flat_map(|t| g.revision(*t).normalized_down.iter().copied())
            .collect();
        while let Some(r) = stack.pop() {
            if g.depth[r.index()] < floor || !seen.insert(r) {
                continue;
            }
            stack.extend_from_slice(&g.revision(r).normalized_down);
        }
        downs
            .iter()
            .copied()
            .filter(|d| !seen.contains(d))
            .collect()
    }

    /// Alembic `HeadMaintainer.update_to_step` for a `RevisionStep`.
    fn revision_step(&mut self, rev: RevIdx, dir: Direction) -> Result<Vec<VersionOp>, GraphError> {
        let g = self.g;
        let downs = g.revision(rev).normalized_down.clone();
        let mut ops = Vec::new();
        let upgrade = dir == Direction::Upgrade;
        let present = downs.iter().filter(|d| self.has(**d)).count();
        if !upgrade && self.has(rev) && (downs.is_empty() || self.unmerge_to(rev).is_empty()) {
            self.delete(rev, &mut ops)?;
        } else if upgrade && present == 0 {
            self.insert(rev, &mut ops)?;
        } else if upgrade && downs.len() > 1 && present > 1 {
            let from: Vec<RevIdx> = match self.implied_by_others(&downs, &downs) {
                Some(implied) => downs
                    .iter()
                    .zip(implied)
                    .filter(|(_, i)| !i)
                    .map(|(d, _)| *d)
                    .collect(),
                None => downs.clone(),
            };
            // Alembic fails (KeyError) when a parent row is absent because
            // another parent implies it; skipping such rows is the only
            // outcome that keeps the table consistent.
            let from: Vec<RevIdx> = from.into_iter().filter(|d| self.has(*d)).collect();
            let Some((&last, rest)) = from.split_last() else {
                return Err(GraphError::VersionTable(format!(
                    "Can't merge into {}: no parent row to update",
                    g.id(rev)
                )));
            };
            for &d in rest {
                self.delete(d, &mut ops)?;
            }
            self.update(last, rev, &mut ops)?;
        } else if !upgrade && self.has(rev) && downs.len() > 1 {
            // Rows already present are not inserted again (Alembic would
            // fail its assertion there).
            let to: Vec<RevIdx> = self
                .unmerge_to(rev)
                .into_iter()
                .filter(|t| !self.has(*t))
                .collect();
            let Some((&last, rest)) = to.split_last() else {
                return Err(GraphError::VersionTable(format!(
                    "Can't unmerge {}: no parent to restore",
                    g.id(rev)
                )));
            };
            for &t in rest {
                self.insert(t, &mut ops)?;
            }
            self.update(rev, last, &mut ops)?;
        } else {
            let down = if downs.len() == 1 {
                downs[0]
            } else {
                let inter: Vec<RevIdx> = downs.iter().copied().filter(|d| self.has(*d)).collect();
                if inter.len() != 1 {
                    return Err(GraphError::VersionTable(format!(
                        "Can't do an UPDATE for {} because downrevision is ambiguous",
                        g.id(rev)
                    )));
                }
                inter[0]
            };
            if upgrade {
                self.update(down, rev, &mut ops)?;
            } else {
                self.update(rev, down, &mut ops)?;
            }
        }
        Ok(ops)
    }

    /// Alembic `HeadMaintainer.update_to_step` for a `StampStep`.
    fn stamp_step(
        &mut self,
        from: &[RevIdx],
        to: &[RevIdx],
        dir: Direction,
        branch_move: bool,
    ) -> Result<Vec<VersionOp>, GraphError> {
        let mut ops = Vec::new();
        let upgrade = dir == Direction::Upgrade;
        let single = |v: &[RevIdx], what: &str| -> Result<RevIdx, GraphError> {
            match v {
                [x] => Ok(*x),
                _ => Err(GraphError::VersionTable(format!(
                    "Stamp needs exactly one {what} revision"
                ))),
            }
        };
        if !upgrade && branch_move {
            self.delete(single(from, "source")?, &mut ops)?;
        } else if upgrade
            && (branch_move || from.iter().any(|f| !self.has(*f)))
            && to.iter().any(|t| !self.has(*t))
        {
            self.insert(single(to, "destination")?, &mut ops)?;
        } else if from.len() > 1 {
            let (&last, rest) = from
                .split_last()
                .ok_or_else(|| GraphError::VersionTable("Empty stamp".into()))?;
            for &d in rest {
                self.delete(d, &mut ops)?;
            }
            let t = to
                .first()
                .copied()
                .ok_or_else(|| GraphError::VersionTable("Empty stamp".into()))?;
            self.update(last, t, &mut ops)?;
        } else {
            let f = single(from, "source")?;
            let t = single(to, "destination")?;
            self.update(f, t, &mut ops)?;
        }
        Ok(ops)
    }
}

impl RevisionGraph {
    fn resolve_db_heads(&self, current_heads: &[&str]) -> Result<Vec<RevIdx>, GraphError> {
        current_heads
            .iter()
            .map(|h| {
                self.find(h).ok_or_else(|| GraphError::NotFound {
                    argument: h.to_string(),
                    detail: format!("No such revision or branch '{h}'"),
                })
            })
            .collect()
    }

    fn make_steps(
        &self,
        current: &[RevIdx],
        revs: impl IntoIterator<Item = RevIdx>,
        direction: Direction,
    ) -> Result<Vec<Step>, GraphError> {
        let mut hm = HeadMaintainer::new(self, current.iter().copied());
        let mut steps = Vec::new();
        for r in revs {
            let rev = self.revision(r);
            let (from, to) = match direction {
                Direction::Upgrade => (rev.down_revisions.clone(), vec![rev.id.clone()]),
                Direction::Downgrade => (vec![rev.id.clone()], rev.down_revisions.clone()),
            };
            let version_ops = hm.revision_step(r, direction)?;
            steps.push(Step {
                revision: r,
                direction,
                from,
                to,
                version_ops,
            });
        }
        Ok(steps)
    }

    /// Alembic `_upgrade_revs(destination, current_heads)`: the migrations
    /// `upgrade <destination>` runs from the database heads `current_heads`,
    /// in order, with the version-table operations of each.
    pub fn plan_upgrade(
        &self,
        current_heads: &[&str],
        destination: &str,
    ) -> Result<Vec<Step>, GraphError> {
        let ctx = |e: GraphError| {
            e.with_range_hint(RangeHint::Upgrade(destination.to_string()))
                .with_heads_hint(MultipleHeadsHint::Target, Some(destination))
        };
        let order = self
            .iterate(
                &Ident::One(destination.to_string()),
                &Ident::many(current_heads),
                IterOpts {
                    implicit_base: true,
                    inclusive: false,
                    assert_relative_length: true,
                },
                false,
            )
            .map_err(ctx)?;
        let current = self.resolve_db_heads(current_heads)?;
        self.make_steps(&current, order.into_iter().rev(), Direction::Upgrade)
    }

    /// Alembic `_downgrade_revs(destination, current_heads)`: the migrations
    /// `downgrade <destination>` runs, in order, with version-table operations.
    pub fn plan_downgrade(
        &self,
        current_heads: &[&str],
        destination: &str,
    ) -> Result<Vec<Step>, GraphError> {
        let ctx = |e: GraphError| {
            e.with_range_hint(RangeHint::Downgrade(destination.to_string()))
                .with_heads_hint(MultipleHeadsHint::Target, Some(destination))
        };
        let order = self
            .iterate(
                &Ident::many(current_heads),
                &Ident::One(destination.to_string()),
                IterOpts {
                    implicit_base: false,
                    inclusive: false,
                    assert_relative_length: true,
                },
                true,
            )
            .map_err(ctx)?;
        let current = self.resolve_db_heads(current_heads)?;
        self.make_steps(&current, order, Direction::Downgrade)
    }

    /// Alembic `_stamp_revs(destinations, current_heads)` with the version
    /// operations of each stamp step. With `purge` the plan starts from an
    /// empty version table; the caller deletes the existing rows first.
    /// An empty `destinations` means `base`.
    pub fn plan_stamp(
        &self,
        current_heads: &[&str],
        destinations: &[&str],
        purge: bool,
    ) -> Result<Vec<StampStep>, GraphError> {
        let db_heads: &[&str] = if purge { &[] } else { current_heads };
        self.plan_stamp_inner(db_heads, destinations)
            .map_err(|e| e.with_heads_hint(MultipleHeadsHint::Stamp, None))
    }

    fn plan_stamp_inner(
        &self,
        db_heads: &[&str],
        destinations: &[&str],
    ) -> Result<Vec<StampStep>, GraphError> {
        let heads_revs = Self::revs_of(&self.get_revisions(&Ident::many(db_heads))?);
        let dests_in: Vec<&str> = if destinations.is_empty() {
            vec!["base"]
        } else {
            destinations.to_vec()
        };
        let mut filtered: Vec<RevIdx> = Vec::new();
        for d in &dests_in {
            if !d.is_empty() {
                for h in self.filter_for_lineage(&heads_revs, d, true)? {
                    if !filtered.contains(&h) {
                        filtered.push(h);
                    }
                }
            }
        }
        let mut dests = self.get_revisions(&Ident::many(&dests_in))?;
        if dests.is_empty() {
            dests.push(Slot::Nothing);
        }
        let mut raw: Vec<(Vec<RevIdx>, Vec<RevIdx>, Direction, bool)> = Vec::new();
        for dest in dests {
            let Slot::Rev(d) = dest else {
                for &h in &filtered {
                    raw.push((vec![h], Vec::new(), Direction::Downgrade, true));
                }
                continue;
            };
            if filtered.contains(&d) {
                continue;
            }
            let desc = self.closure([d], Edges::AllChildren);
            let anc = self.closure([d], Edges::NormalizedDown);
            if filtered.iter().any(|h| desc[h.index()]) {
                raw.push((filtered.clone(), vec![d], Direction::Downgrade, false));
            } else if filtered.iter().any(|h| anc[h.index()]) {
                raw.push((filtered.clone(), vec![d], Direction::Upgrade, false));
            } else {
                raw.push((Vec::new(), vec![d], Direction::Upgrade, true));
            }
        }
        let current = self.resolve_db_heads(db_heads)?;
        let mut hm = HeadMaintainer::new(self, current);
        let mut steps = Vec::new();
        for (from, to, direction, branch_move) in raw {
            let version_ops = hm.stamp_step(&from, &to, direction, branch_move)?;
            steps.push(StampStep {
                from: self.ids(&from),
                to: self.ids(&to),
                direction,
                branch_move,
                version_ops,
            });
        }
        Ok(steps)
    }
}
