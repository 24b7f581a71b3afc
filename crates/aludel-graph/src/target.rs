//! Target parsing and resolution (Alembic's `get_revisions` and friends).

use crate::error::{GraphError, MultipleHeadsHint};
use crate::graph::{Edges, RevIdx, RevisionGraph};

/// One element of a resolved target: a revision, `base`, or nothing
/// (Alembic's `None`, e.g. after walking past the end of the graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Rev(RevIdx),
    Base,
    Nothing,
}

/// An identifier argument: one string, or a tuple of strings (empty = None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ident {
    One(String),
    Many(Vec<String>),
}

impl Ident {
    pub(crate) fn many(items: &[&str]) -> Ident {
        Ident::Many(items.iter().map(|s| s.to_string()).collect())
    }

    pub(crate) fn as_list(&self) -> Vec<String> {
        match self {
            Ident::One(s) => vec![s.clone()],
            Ident::Many(v) => v.clone(),
        }
    }

    /// Python's `x or "base"` formatting used by Alembic's range errors.
    pub(crate) fn py_or_base(&self) -> String {
        match self {
            Ident::One(s) if !s.is_empty() => s.clone(),
            Ident::One(_) => "base".to_string(),
            Ident::Many(v) if v.is_empty() => "base".to_string(),
            Ident::Many(v) if v.len() == 1 => format!("('{}',)", v[0]),
            Ident::Many(v) => {
                let parts: Vec<String> = v.iter().map(|s| format!("'{s}'")).collect();
                format!("({})", parts.join(", "))
            }
        }
    }
}

/// A resolved identifier before lookup: an index, or text to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Idx(RevIdx),
    Text(String),
}

/// `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` matched at the start of `s`:
/// returns (branch label, symbol, signed relative text).
pub(crate) fn parse_relative(s: &str) -> Option<(Option<&str>, Option<&str>, &str)> {
    fn rest_match(rest: &str) -> Option<(Option<&str>, &str)> {
        let word_end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(word_end);
        let mut chars = tail.chars();
        let sign = chars.next()?;
        if sign != '+' && sign != '-' {
            return None;
        }
        let digits = tail[1..]
            .char_indices()
            .find(|(_, c)| !c.is_ascii_digit())
            .map(|(i, _)| i)
            .unwrap_or(tail.len() - 1);
        if digits == 0 {
            return None;
        }
        let symbol = if word.is_empty() { None } else { Some(word) };
        Some((symbol, &tail[..1 + digits]))
    }
    for (i, c) in s.char_indices() {
        if c == '\n' {
            break;
        }
        if c == '@'
            && i > 0
            && let Some((symbol, rel)) = rest_match(&s[i + 1..])
        {
            return Some((Some(&s[..i]), symbol, rel));
        }
    }
    rest_match(s).map(|(symbol, rel)| (None, symbol, rel))
}

/// Python's `int()` for the forms Alembic meets: optional sign and digits.
pub(crate) fn parse_py_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut v: i64 = 0;
    for c in digits.chars() {
        v = v
            .saturating_mul(10)
            .saturating_add(i64::from(c as u8 - b'0'));
    }
    Some(if neg { -v } else { v })
}

impl RevisionGraph {
    pub(crate) fn lookup_key(&self, key: &str) -> Option<RevIdx> {
        self.by_id
            .get(key)
            .or_else(|| self.labels.get(key))
            .copied()
    }

    /// Alembic `_resolve_revision_number`.
    pub(crate) fn resolve_number(
        &self,
        id: Option<&str>,
    ) -> Result<(Vec<Resolved>, Option<String>), GraphError> {
        let Some(id) = id else {
            return Ok((Vec::new(), None));
        };
        let (label, rest) = match id.split_once('@') {
            Some((l, r)) => ((!l.is_empty()).then(|| l.to_string()), r),
            None => (None, id),
        };
        let resolved = match rest {
            "heads" => match &label {
                Some(l) => self
                    .filter_for_lineage(&self.heads, l, false)?
                    .into_iter()
                    .map(Resolved::Idx)
                    .collect(),
                None => self.real_heads.iter().map(|&i| Resolved::Idx(i)).collect(),
            },
            "head" => match self.get_current_head(label.as_deref())? {
                Some(h) => vec![Resolved::Idx(h)],
                None => Vec::new(),
            },
            "base" => Vec::new(),
            other => vec![Resolved::Text(other.to_string())],
        };
        Ok((resolved, label))
    }

    /// Alembic `get_current_head(branch_label)`.
    pub(crate) fn get_current_head(
        &self,
        label: Option<&str>,
    ) -> Result<Option<RevIdx>, GraphError> {
        let heads = match label {
            Some(l) => self.filter_for_lineage(&self.heads, l, false)?,
            None => self.heads.clone(),
        };
        if heads.len() > 1 {
            return Err(GraphError::MultipleHeads {
                heads: self.ids(&heads),
                argument: match label {
                    Some(l) => format!("{l}@head"),
                    None => "head".to_string(),
                },
                hint: MultipleHeadsHint::Raw,
            });
        }
        Ok(heads.first().copied())
    }

    /// Alembic `_resolve_branch`.
    pub(crate) fn resolve_branch(&self, label: &str) -> Result<RevIdx, GraphError> {
        if let Some(r) = self.lookup_key(label) {
            return Ok(r);
        }
        match self.revision_for_ident(Some(&Resolved::Text(label.to_string())), None) {
            Ok(Some(r)) => Ok(r),
            Ok(None)
            | Err(GraphError::NotFound { .. })
            | Err(GraphError::AmbiguousPrefix { .. }) => Err(GraphError::NotFound {
                argument: label.to_string(),
                detail: format!("No such branch: '{label}'"),
            }),
            Err(e) => Err(e),
        }
    }

    /// Alembic `_revision_for_ident`.
    pub(crate) fn revision_for_ident(
        &self,
        ident: Option<&Resolved>,
        check_branch: Option<&str>,
    ) -> Result<Option<RevIdx>, GraphError> {
        let check_branch = check_branch.filter(|b| !b.is_empty());
        let branch_rev = match check_branch {
            Some(b) => Some(self.resolve_branch(b)?),
            None => None,
        };
        let (revision, argument) = match ident {
            None => (None, String::new()),
            Some(Resolved::Idx(i)) => (Some(*i), self.id(*i).to_string()),
            Some(Resolved::Text(t)) => match self.lookup_key(t) {
                Some(r) => (Some(r), t.clone()),
                None => (Some(self.partial_lookup(t, check_branch)?), t.clone()),
            },
        };
        if let (Some(b), Some(rev), Some(br)) = (check_branch, revision, branch_rev) {
            let mark = self.lineage_closure(&[br], false);
            if !mark[rev.index()] {
                return Err(GraphError::NotFound {
                    argument,
                    detail: format!(
                        "Revision {} is not a member of branch '{}'",
                        self.id(rev),
                        b
                    ),
                });
            }
        }
        Ok(revision)
    }

    fn partial_lookup(
        &self,
        prefix: &str,
        check_branch: Option<&str>,
    ) -> Result<RevIdx, GraphError> {
        if prefix.is_empty() {
            return Err(GraphError::NotFound {
                argument: String::new(),
                detail: "No such revision or branch ''".to_string(),
            });
        }
        let long_enough = |k: &str| k.chars().count() > 3 && k.starts_with(prefix);
        let mut keys: Vec<(&str, RevIdx)> = self
            .revs
            .iter()
            .enumerate()
            .filter(|(_, r)| long_enough(&r.id))
            .map(|(i, r)| (r.id.as_str(), RevIdx::from_usize(i)))
            .collect();
        for l in &self.label_order {
            if long_enough(l)
                && let Some(r) = self.labels.get(l)
            {
                keys.push((l.as_str(), *r));
            }
        }
        if let Some(b) = check_branch
            && !keys.is_empty()
        {
            let mark = self.lineage_mark(b, false)?;
            if let Some(mark) = mark {
                keys.retain(|(_, r)| mark[r.index()]);
            }
        }
        match keys.len() {
            0 => Err(GraphError::NotFound {
                argument: prefix.to_string(),
                detail: format!(
                    "No such revision or branch '{prefix}'{}",
                    if prefix.chars().count() < 4 {
                        "; please ensure at least four characters are present for partial \
                         revision identifier matches"
                    } else {
                        ""
                    }
                ),
            }),
            1 => Ok(keys[0].1),
            _ => Err(GraphError::AmbiguousPrefix {
                prefix: prefix.to_string(),
                candidates: keys.iter().map(|(k, _)| k.to_string()).collect(),
            }),
        }
    }

    /// Revisions sharing lineage (ancestor or descendant, reflexive) with any of `tests`.
    pub(crate) fn lineage_closure(&self, tests: &[RevIdx], include_deps: bool) -> Vec<bool> {
        let (down, up) = if include_deps {
            (Edges::NormalizedDown, Edges::AllChildren)
        } else {
            (Edges::Parents, Edges::Children)
        };
        let mut a = self.closure(tests.iter().copied(), down);
        let b = self.closure(tests.iter().copied(), up);
        for (x, y) in a.iter_mut().zip(b) {
            *x |= y;
        }
        a
    }

    /// The mark used by `filter_for_lineage(_, check_against)`; `None` = all pass.
    pub(crate) fn lineage_mark(
        &self,
        check_against: &str,
        include_deps: bool,
    ) -> Result<Option<Vec<bool>>, GraphError> {
        let (ids, label) = self.resolve_number(Some(check_against))?;
        let mut shares: Vec<Resolved> = Vec::new();
        if let Some(l) = label {
            shares.push(Resolved::Text(l));
        }
        shares.extend(ids);
        if shares.is_empty() {
            return Ok(None);
        }
        let mut tests = Vec::new();
        for s in &shares {
            if let Some(r) = self.revision_for_ident(Some(s), None)? {
                tests.push(r);
            }
        }
        Ok(Some(self.lineage_closure(&tests, include_deps)))
    }

    /// Alembic `filter_for_lineage`.
    pub(crate) fn filter_for_lineage(
        &self,
        targets: &[RevIdx],
        check_against: &str,
        include_deps: bool,
    ) -> Result<Vec<RevIdx>, GraphError> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        Ok(match self.lineage_mark(check_against, include_deps)? {
            None => targets.to_vec(),
            Some(mark) => targets
                .iter()
                .copied()
                .filter(|t| mark[t.index()])
                .collect(),
        })
    }

    /// Alembic `get_revision`: at most one revision (`None` for base).
    pub(crate) fn get_revision(&self, id: Option<&str>) -> Result<Option<RevIdx>, GraphError> {
        let (resolved, label) = self.resolve_number(id)?;
        if resolved.len() > 1 {
            let heads: Vec<String> = resolved
                .iter()
                .map(|r| match r {
                    Resolved::Idx(i) => self.id(*i).to_string(),
                    Resolved::Text(t) => t.clone(),
                })
                .collect();
            return Err(GraphError::MultipleHeads {
                heads,
                argument: id.unwrap_or_default().to_string(),
                hint: MultipleHeadsHint::Raw,
            });
        }
        self.revision_for_ident(resolved.first(), label.as_deref())
    }

    fn get_revision_slot(&self, id: Option<&str>) -> Result<Slot, GraphError> {
        Ok(match self.get_revision(id)? {
            Some(r) => Slot::Rev(r),
            None => Slot::Nothing,
        })
    }

    /// Alembic `get_revisions` for one string.
    pub(crate) fn get_revisions_str(&self, id: &str) -> Result<Vec<Slot>, GraphError> {
        let (resolved, label) = self.resolve_number(Some(id))?;
        if let [Resolved::Text(t)] = resolved.as_slice()
            && let Some(n) = parse_py_int(t)
            && n < 0
        {
            let mut out = Vec::new();
            for &h in &self.real_heads {
                let keep = match &label {
                    Some(l) => self.revision(h).effective_branch_labels.contains(l),
                    None => true,
                };
                if keep {
                    out.push(self.walk_steps(Slot::Rev(h), n, None, true)?);
                }
            }
            return Ok(out);
        }
        let mut out = Vec::with_capacity(resolved.len());
        for r in &resolved {
            out.push(match self.revision_for_ident(Some(r), label.as_deref())? {
                Some(i) => Slot::Rev(i),
                None => Slot::Nothing,
            });
        }
        Ok(out)
    }

    /// Alembic `get_revisions` for a string or a tuple.
    pub(crate) fn get_revisions(&self, ident: &Ident) -> Result<Vec<Slot>, GraphError> {
        match ident {
            Ident::One(s) => self.get_revisions_str(s),
            Ident::Many(v) => {
                let mut out = Vec::new();
                for s in v {
                    out.extend(self.get_revisions_str(s)?);
                }
                Ok(out)
            }
        }
    }

    pub(crate) fn revs_of(slots: &[Slot]) -> Vec<RevIdx> {
        let mut out = Vec::new();
        for s in slots {
            if let Slot::Rev(r) = s
                && !out.contains(r)
            {
                out.push(*r);
            }
        }
        out
    }

    /// Alembic `_walk`: `steps` up (>0) or down (<0) from `start`.
    pub(crate) fn walk_steps(
        &self,
        start: Slot,
        steps: i64,
        branch_label: Option<&str>,
        no_overwalk: bool,
    ) -> Result<Slot, GraphError> {
        let mut initial = start;
        let mut mark: Option<Option<Vec<bool>>> = None;
        for _ in 0..steps.unsigned_abs() {
            let children: Vec<Slot> = if steps > 0 {
                let walk_up: &[RevIdx] = match initial {
                    Slot::Base => return Err(GraphError::rev("Can't walk up from base")),
                    Slot::Nothing => &self.bases,
                    Slot::Rev(r) => &self.revision(r).children,
                };
                let filtered: Vec<RevIdx> = match branch_label {
                    Some(l) if !l.is_empty() && !walk_up.is_empty() => {
                        if mark.is_none() {
                            mark = Some(self.lineage_mark(l, false)?);
                        }
                        match mark.as_ref().and_then(|m| m.as_ref()) {
                            Some(m) => walk_up.iter().copied().filter(|r| m[r.index()]).collect(),
                            None => walk_up.to_vec(),
                        }
                    }
                    _ => walk_up.to_vec(),
                };
                filtered.into_iter().map(Slot::Rev).collect()
            } else {
                match initial {
                    Slot::Base => Vec::new(),
                    Slot::Nothing => self.heads.iter().map(|&h| Slot::Rev(h)).collect(),
                    Slot::Rev(r) => {
                        let p = &self.revision(r).parents;
                        if p.is_empty() {
                            vec![Slot::Base]
                        } else {
                            p.iter().map(|&h| Slot::Rev(h)).collect()
                        }
                    }
                }
            };
            if children.is_empty() {
                return Ok(if no_overwalk { Slot::Nothing } else { initial });
            }
            if children.len() > 1 {
                return Err(GraphError::rev("Ambiguous walk"));
            }
            initial = children[0];
        }
        Ok(initial)
    }

    /// Alembic `_parse_upgrade_target`.
    pub(crate) fn parse_upgrade_target(
        &self,
        current: &Ident,
        target: &Ident,
        assert_relative_length: bool,
    ) -> Result<Vec<Slot>, GraphError> {
        let relative = match target {
            Ident::One(t) => parse_relative(t),
            Ident::Many(_) => None,
        };
        let Some((label, symbol, rel_str)) = relative else {
            return self.get_revisions(target);
        };
        let rel = parse_py_int(rel_str).unwrap_or(0);
        let didnt = || {
            GraphError::rev(format!(
                "Relative revision {rel_str} didn't produce {} migrations",
                rel.unsigned_abs()
            ))
        };
        if rel > 0 {
            let Some(symbol) = symbol else {
                let cur = current.as_list();
                let start: Slot = match label {
                    Some(l) => {
                        let cur_revs = Self::revs_of(&self.get_revisions(&Ident::Many(cur))?);
                        let mut start = self.filter_for_lineage(&cur_revs, l, false)?;
                        if start.is_empty() {
                            let anc = self.closure(cur_revs.iter().copied(), Edges::NormalizedDown);
                            let anc_list: Vec<RevIdx> = (0..self.len())
                                .filter(|&i| anc[i])
                                .map(RevIdx::from_usize)
                                .collect();
                            let active = self.filter_for_lineage(&anc_list, l, false)?;
                            let mut below = vec![false; self.len()];
                            for &a in &active {
                                for &d in &self.revision(a).normalized_down {
                                    below[d.index()] = true;
                                }
                            }
                            start = active.into_iter().filter(|a| !below[a.index()]).collect();
                        }
                        if start.len() > 1 {
                            return Err(GraphError::rev(
                                "Ambiguous upgrade from multiple current revisions",
                            ));
                        }
                        start.first().map_or(Slot::Nothing, |&r| Slot::Rev(r))
                    }
                    None => {
                        if cur.len() > 1 {
                            return Err(GraphError::rev(
                                "Ambiguous upgrade from multiple current revisions",
                            ));
                        }
                        match cur.first() {
                            Some(c) => self.get_revision_slot(Some(c))?,
                            None => Slot::Nothing,
                        }
                    }
                };
                let rev = self.walk_steps(start, rel, label, assert_relative_length)?;
                if rev == Slot::Nothing {
                    return Err(didnt());
                }
                return Ok(vec![rev]);
            };
            let start = self.get_revision_slot(Some(symbol))?;
            return Ok(vec![self.walk_steps(
                start,
                rel,
                label,
                assert_relative_length,
            )?]);
        }
        let Some(symbol) = symbol else {
            return Err(GraphError::rev(format!(
                "Relative revision {rel} didn't produce {} migrations",
                rel.unsigned_abs()
            )));
        };
        let start = match label {
            None => self.get_revision_slot(Some(symbol))?,
            Some(l) => self.get_revision_slot(Some(&format!("{l}@{symbol}")))?,
        };
        Ok(vec![self.walk_steps(
            start,
            rel,
            None,
            assert_relative_length,
        )?])
    }

    /// Alembic `_parse_downgrade_target`: (branch label, target).
    pub(crate) fn parse_downgrade_target(
        &self,
        current: &Ident,
        target: Option<&str>,
        assert_relative_length: bool,
    ) -> Result<(Option<String>, Slot), GraphError> {
        let Some(target) = target else {
            return Ok((None, Slot::Nothing));
        };
        if let Some((label, symbol, rel_str)) = parse_relative(target) {
            let rel = parse_py_int(rel_str).unwrap_or(0);
            let didnt = || {
                GraphError::rev(format!(
                    "Relative revision {rel_str} didn't produce {} migrations",
                    rel.unsigned_abs()
                ))
            };
            if rel >= 0 {
                let Some(symbol) = symbol else {
                    return Err(didnt());
                };
                let start = self.get_revision_slot(Some(symbol))?;
                let rev = self.walk_steps(start, rel, label, assert_relative_length)?;
                if rev == Slot::Nothing {
                    return Err(GraphError::rev("Walked too far"));
                }
                return Ok((label.map(str::to_string), rev));
            }
            let relative_revision = symbol.is_none();
            let mut label: Option<String> = label.map(str::to_string);
            let symbol: String = match symbol {
                Some(s) => s.to_string(),
                None => match &label {
                    Some(l) => {
                        let cur = current.as_list();
                        let mut cur_revs = Vec::new();
                        for c in &cur {
                            if let Some(r) =
                                self.revision_for_ident(Some(&Resolved::Text(c.clone())), None)?
                            {
                                cur_revs.push(r);
                            }
                        }
                        let mut list = self.filter_for_lineage(&cur_revs, l, false)?;
                        if list.is_empty() {
                            let all = self.get_all_current_ident(&Ident::Many(cur))?;
                            list = self.filter_for_lineage(&all, l, false)?;
                        }
                        if list.len() != 1 {
                            return Err(GraphError::rev(format!(
                                "Relative revision {rel_str} is ambiguous for branch '{l}' \
                                 from the current revisions"
                            )));
                        }
                        self.id(list[0]).to_string()
                    }
                    None => {
                        let cur = current.as_list();
                        let Some(first) = cur.first() else {
                            return Err(didnt());
                        };
                        label = Some(first.clone());
                        first.clone()
                    }
                },
            };
            let start = match &label {
                None => self.get_revision_slot(Some(&symbol))?,
                Some(l) => self.get_revision_slot(Some(&format!("{l}@{symbol}")))?,
            };
            let rev = self.walk_steps(start, rel, None, assert_relative_length)?;
            if rev == Slot::Nothing {
                return Err(if relative_revision {
                    didnt()
                } else {
                    GraphError::rev("Walked too far")
                });
            }
            return Ok((label, rev));
        }
        let (label, symbol) = match target.rfind('@') {
            Some(i) => (&target[..i], &target[i + 1..]),
            None => ("", target),
        };
        let label = (!label.is_empty()).then(|| label.to_string());
        Ok((label, self.get_revision_slot(Some(symbol))?))
    }

    /// Alembic `_get_all_current`.
    pub(crate) fn get_all_current_ident(&self, ids: &Ident) -> Result<Vec<RevIdx>, GraphError> {
        let top = Self::revs_of(&self.get_revisions(ids)?);
        let set = self.closure(top.iter().copied(), Edges::NormalizedDown);
        Ok((0..self.len())
            .map(RevIdx::from_usize)
            .filter(|r| {
                set[r.index()] && !self.revision(*r).children.iter().any(|c| set[c.index()])
            })
            .collect())
    }
}
