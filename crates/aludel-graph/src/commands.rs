//! Public resolution API and the checks of `revision` / `merge`.

use crate::error::{GraphError, MultipleHeadsHint};
use crate::graph::{RevIdx, RevisionGraph};
use crate::target::{Ident, Slot, parse_py_int, parse_relative};

impl RevisionGraph {
    /// Resolves a target the way Alembic's commands do.
    ///
    /// Absolute forms follow `get_revisions`: full id, unique prefix, branch
    /// label, `head`, `heads`, `base` (empty result), `label@head`,
    /// `label@heads`, `label@base`, `label@rev`, `-N` from the heads.
    /// Relative forms (`+N`, `-N`, `label@+N`, `rev+N`, `rev-N`, `head-N`,
    /// `base+N`, `label@head-N`) are resolved against `current_heads` like
    /// `upgrade` (positive) and `downgrade` (negative) do.
    pub fn resolve(&self, target: &str, current_heads: &[&str]) -> Result<Vec<RevIdx>, GraphError> {
        let ctx = |e: GraphError| e.with_heads_hint(MultipleHeadsHint::Target, None);
        let slots = match parse_relative(target) {
            Some((_, _, rel)) if parse_py_int(rel).unwrap_or(0) > 0 => self
                .parse_upgrade_target(
                    &Ident::many(current_heads),
                    &Ident::One(target.to_string()),
                    true,
                )
                .map_err(ctx)?,
            Some(_) => {
                let (_, slot) = self
                    .parse_downgrade_target(&Ident::many(current_heads), Some(target), true)
                    .map_err(ctx)?;
                vec![slot]
            }
            None => self.get_revisions_str(target).map_err(ctx)?,
        };
        let mut out = Vec::new();
        for s in slots {
            match s {
                Slot::Rev(r) => {
                    if !out.contains(&r) {
                        out.push(r);
                    }
                }
                Slot::Base => {}
                Slot::Nothing => return Err(GraphError::rev("Walked too far")),
            }
        }
        Ok(out)
    }

    /// Alembic `get_revision`: one revision, `None` for `base`; several
    /// heads is an error.
    pub fn resolve_one(&self, target: &str) -> Result<Option<RevIdx>, GraphError> {
        self.get_revision(Some(target))
            .map_err(|e| e.with_heads_hint(MultipleHeadsHint::Target, None))
    }

    /// The parents of a new revision for `alembic revision --head ...` /
    /// `alembic merge ...` (Alembic `generate_revision`). An empty `heads`
    /// means `head`; the result is empty for a new base (`--head base`).
    pub fn new_revision_parents(
        &self,
        heads: &[&str],
        splice: bool,
    ) -> Result<Vec<RevIdx>, GraphError> {
        let ident = if heads.is_empty() {
            Ident::One("head".to_string())
        } else {
            Ident::many(heads)
        };
        let slots = self
            .get_revisions(&ident)
            .map_err(|e| e.with_heads_hint(MultipleHeadsHint::NewRevision, None))?;
        let mut out: Vec<RevIdx> = Vec::new();
        for s in &slots {
            if let Slot::Rev(r) = s {
                if out.contains(r) {
                    return Err(GraphError::rev("Duplicate head revisions specified"));
                }
                out.push(*r);
            }
        }
        if !splice {
            for &r in &out {
                if !self.revision(r).is_head() {
                    return Err(GraphError::rev(format!(
                        "Revision {} is not a head revision; please specify --splice to create \
                         a new branch from this revision",
                        self.id(r)
                    )));
                }
            }
        }
        Ok(out)
    }

    /// How `alembic revision --depends-on` writes dependencies: a branch
    /// label of the resolved revision stays a label, anything else becomes
    /// the full revision id.
    pub fn new_revision_dependencies(
        &self,
        depends_on: &[&str],
    ) -> Result<Vec<String>, GraphError> {
        let mut out = Vec::new();
        for dep in depends_on {
            let rev = self
                .get_revision(Some(dep))
                .map_err(|e| e.with_heads_hint(MultipleHeadsHint::Target, None))?
                .ok_or_else(|| GraphError::NotFound {
                    argument: dep.to_string(),
                    detail: format!("No such revision or branch '{dep}'"),
                })?;
            let r = self.revision(rev);
            if r.effective_branch_labels.iter().any(|l| l == dep) {
                out.push(dep.to_string());
            } else {
                out.push(r.id.clone());
            }
        }
        Ok(out)
    }
}
