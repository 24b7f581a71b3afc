//! Alembic's text for a revision: `Script.cmd_format` and `Script.log_entry`,
//! reproduced line for line.

use aludel::graph::RevIdx;
use aludel::history::History;

/// Which parts `cmd_format` shows (Alembic's keyword arguments).
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    /// ` (label, …)` after the id.
    pub branches: bool,
    /// `, message` at the end.
    pub doc: bool,
    /// `parents -> ` before the id.
    pub parents: bool,
    /// ` (branchpoint)` / ` (mergepoint)`.
    pub tree: bool,
    /// ` (head)` / ` (effective head)` / ` (current)`.
    pub heads: bool,
}

impl Parts {
    /// Alembic's defaults: `include_branches=False, include_doc=False,
    /// include_parents=False, tree_indicators=True, head_indicators=True`.
    pub const DEFAULT: Parts = Parts {
        branches: false,
        doc: false,
        parents: false,
        tree: true,
        heads: true,
    };
}

fn down_revisions(history: &History, idx: RevIdx) -> String {
    let rev = history.graph().revision(idx);
    if rev.down_revisions().is_empty() {
        "<base>".to_string()
    } else {
        rev.down_revisions().join(", ")
    }
}

/// `Script.cmd_format(verbose=False, …)`.
pub fn short(history: &History, idx: RevIdx, parts: Parts, current: bool) -> String {
    let rev = history.graph().revision(idx);
    let mut text = rev.id().to_string();
    if parts.parents {
        text = if rev.depends_on().is_empty() {
            format!("{} -> {text}", down_revisions(history, idx))
        } else {
            format!(
                "{} ({}) -> {text}",
                down_revisions(history, idx),
                rev.depends_on().join(", ")
            )
        };
    }
    if parts.branches && !rev.effective_branch_labels().is_empty() {
        text.push_str(&format!(" ({})", rev.effective_branch_labels().join(", ")));
    }
    if parts.heads || parts.tree {
        if rev.is_real_head() {
            text.push_str(" (head)");
        }
        if rev.is_head() && !rev.is_real_head() {
            text.push_str(" (effective head)");
        }
        if current {
            text.push_str(" (current)");
        }
    }
    if parts.tree {
        if rev.is_branch_point() {
            text.push_str(" (branchpoint)");
        }
        if rev.is_merge_point() {
            text.push_str(" (mergepoint)");
        }
    }
    if parts.doc {
        text.push_str(", ");
        text.push_str(history.file(idx).header.summary());
    }
    text
}

/// `Script.cmd_format(verbose=True)`, i.e. `Script.log_entry`; ends with a newline.
pub fn log_entry(history: &History, idx: RevIdx, current: bool) -> String {
    let graph = history.graph();
    let rev = graph.revision(idx);
    let file = history.file(idx);
    let mut entry = format!(
        "Rev: {}{}{}{}{}\n",
        rev.id(),
        if rev.is_head() { " (head)" } else { "" },
        if rev.is_branch_point() {
            " (branchpoint)"
        } else {
            ""
        },
        if rev.is_merge_point() {
            " (mergepoint)"
        } else {
            ""
        },
        if current { " (current)" } else { "" },
    );
    if rev.is_merge_point() {
        entry.push_str(&format!("Merges: {}\n", down_revisions(history, idx)));
    } else {
        entry.push_str(&format!("Parent: {}\n", down_revisions(history, idx)));
    }
    if !rev.depends_on().is_empty() {
        entry.push_str(&format!(
            "Also depends on: {}\n",
            rev.depends_on().join(", ")
        ));
    }
    if rev.is_branch_point() {
        let children: Vec<&str> = rev
            .children()
            .iter()
            .map(|c| graph.revision(*c).id())
            .collect();
        entry.push_str(&format!("Branches into: {}\n", children.join(", ")));
    }
    if !rev.effective_branch_labels().is_empty() {
        entry.push_str(&format!(
            "Branch names: {}\n",
            rev.effective_branch_labels().join(", ")
        ));
    }
    let path = std::path::absolute(&file.path).unwrap_or_else(|_| file.path.clone());
    entry.push_str(&format!("Path: {}\n", path.display()));
    let doc: Vec<String> = file
        .header
        .doc
        .lines()
        .map(|l| format!("    {l}"))
        .collect();
    entry.push_str(&format!("\n{}\n", doc.join("\n")));
    entry
}
