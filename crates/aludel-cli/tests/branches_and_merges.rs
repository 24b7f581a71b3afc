//! A branchy history through the CLI, with Alembic's semantics:
//!
//! ```text
//!             ┌─ bbb111 ── bbb222 ─┐
//! aaa000 ─────┤                    ├── mmm000 (merge)
//!             └─ ccc111 ───────────┘
//! ```
//!
//! Each revision creates table `t_<id>` and its downgrade drops it, so the
//! tables present tell which revisions are applied.

mod common;

use common::{Engine, Project, engines, rev, sorted_lines};

fn branchy_on(engine: Engine, with_merge: bool) -> Project {
    let p = Project::on(engine);
    p.write_revs(&[
        rev("aaa000", &[]),
        rev("bbb111", &["aaa000"]),
        rev("bbb222", &["bbb111"]),
        rev("ccc111", &["aaa000"]),
    ]);
    if with_merge {
        p.write_rev(&rev("mmm000", &["bbb222", "ccc111"]));
    }
    p
}

fn tables(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|id| format!("t_{id}")).collect();
    v.sort();
    v
}

#[test]
fn upgrading_to_one_branch_leaves_the_other_alone() {
    for engine in engines() {
        let p = branchy_on(engine, true);
        p.ok(&["upgrade", "bbb222"]);
        assert_eq!(p.versions(), ["bbb222"]);
        assert_eq!(p.user_tables(), tables(&["aaa000", "bbb111", "bbb222"]));
        assert_eq!(p.ok(&["current"]).stdout, "bbb222\n");
    }
}

#[test]
fn upgrading_the_other_branch_adds_a_second_row() {
    for engine in engines() {
        // From bbb222, `upgrade ccc111` applies only ccc111; its parent aaa000 is
        // not in the version table, so Alembic INSERTs a second row.
        let p = branchy_on(engine, true);
        p.ok(&["upgrade", "bbb222"]);
        let run = p.ok(&["upgrade", "ccc111"]);
        assert!(
            run.stderr
                .contains("Running upgrade aaa000 -> ccc111, create t_ccc111"),
            "{run}"
        );
        assert_eq!(run.stderr.matches("Running upgrade").count(), 1, "{run}");
        assert_eq!(p.versions(), ["bbb222", "ccc111"]);
        assert_eq!(
            sorted_lines(&p.ok(&["current"]).stdout),
            ["bbb222", "ccc111"]
        );
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 1, "not at the merge head:\n{run}");
    }
}

#[test]
fn upgrade_heads_without_a_merge_reaches_both_heads() {
    for engine in engines() {
        let p = branchy_on(engine, false);
        p.ok(&["upgrade", "heads"]);
        assert_eq!(p.versions(), ["bbb222", "ccc111"]);
        assert_eq!(
            p.user_tables(),
            tables(&["aaa000", "bbb111", "bbb222", "ccc111"])
        );
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 0, "at all heads:\n{run}");
        // aaa000 ran once although both branches start from it.
        let aaa = p
            .history_rows()
            .into_iter()
            .filter(|(r, _)| r == "aaa000")
            .count();
        assert_eq!(aaa, 1);
    }
}

#[test]
fn upgrade_through_the_merge_collapses_the_rows() {
    for engine in engines() {
        let p = branchy_on(engine, true);
        p.ok(&["upgrade", "bbb222"]);
        let run = p.ok(&["upgrade", "heads"]);
        // ccc111 first, then the merge, logged with both parents.
        let c = run
            .stderr
            .find("Running upgrade aaa000 -> ccc111")
            .expect("ccc111 runs");
        let m = run
            .stderr
            .find("Running upgrade bbb222, ccc111 -> mmm000, create t_mmm000")
            .unwrap_or_else(|| panic!("the merge runs:\n{run}"));
        assert!(c < m, "{run}");
        assert_eq!(p.versions(), ["mmm000"]);
        assert_eq!(p.ok(&["current"]).stdout, "mmm000 (head) (mergepoint)\n");
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 0, "{run}");
    }
}

#[test]
fn downgrading_below_the_merge_restores_one_row_per_parent() {
    for engine in engines() {
        let p = branchy_on(engine, true);
        p.ok(&["upgrade", "head"]);
        assert_eq!(p.versions(), ["mmm000"]);

        // `downgrade ccc111` undoes every applied revision that descends from
        // ccc111: only the merge. Unmerging puts both parents back.
        let run = p.ok(&["downgrade", "ccc111"]);
        assert_eq!(run.stderr.matches("Running downgrade").count(), 1, "{run}");
        assert!(
            run.stderr
                .contains("Running downgrade mmm000 -> bbb222, ccc111"),
            "{run}"
        );
        assert_eq!(p.versions(), ["bbb222", "ccc111"]);
        assert_eq!(
            p.user_tables(),
            tables(&["aaa000", "bbb111", "bbb222", "ccc111"])
        );

        // `downgrade bbb111` undoes the descendants of bbb111 that are applied:
        // bbb222. ccc111 is on the other branch and stays.
        p.ok(&["downgrade", "bbb111"]);
        assert_eq!(p.versions(), ["bbb111", "ccc111"]);
        assert_eq!(p.user_tables(), tables(&["aaa000", "bbb111", "ccc111"]));

        // Up again through the merge.
        p.ok(&["upgrade", "head"]);
        assert_eq!(p.versions(), ["mmm000"]);
        assert_eq!(p.user_tables().len(), 5);
    }
}

#[test]
fn downgrading_to_the_branch_point_undoes_both_branches() {
    for engine in engines() {
        // Everything above aaa000 descends from it: both branches and the merge.
        let p = branchy_on(engine, true);
        p.ok(&["upgrade", "head"]);
        let run = p.ok(&["downgrade", "aaa000"]);
        assert_eq!(run.stderr.matches("Running downgrade").count(), 4, "{run}");
        assert_eq!(p.versions(), ["aaa000"]);
        assert_eq!(p.user_tables(), tables(&["aaa000"]));
        // The merge is undone first, aaa000 never.
        let downs: Vec<String> = p
            .history_rows()
            .into_iter()
            .filter(|(_, d)| d == "downgrade")
            .map(|(r, _)| r)
            .collect();
        assert_eq!(downs.first().map(String::as_str), Some("mmm000"));
        assert!(!downs.contains(&"aaa000".to_string()));

        p.ok(&["downgrade", "base"]);
        assert_eq!(p.versions(), Vec::<String>::new());
        assert_eq!(p.user_tables(), Vec::<String>::new());
    }
}

#[test]
fn history_and_branches_show_the_shape() {
    let p = branchy_on(Engine::Sqlite, true);
    let history = p.ok(&["history"]).stdout;
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 5, "{history}");
    // Newest first, base last; the middle order is Alembic's walk.
    assert_eq!(
        lines[0],
        "bbb222, ccc111 -> mmm000 (head) (mergepoint), create t_mmm000"
    );
    assert_eq!(lines[4], "<base> -> aaa000 (branchpoint), create t_aaa000");
    assert_eq!(
        sorted_lines(&history),
        [
            "<base> -> aaa000 (branchpoint), create t_aaa000",
            "aaa000 -> bbb111, create t_bbb111",
            "aaa000 -> ccc111, create t_ccc111",
            "bbb111 -> bbb222, create t_bbb222",
            "bbb222, ccc111 -> mmm000 (head) (mergepoint), create t_mmm000",
        ]
    );
    // A revision comes after everything above it.
    let pos = |id: &str| {
        lines
            .iter()
            .position(|l| l.contains(&format!("-> {id}")))
            .unwrap()
    };
    assert!(pos("bbb222") < pos("bbb111"));

    // `branches`: the branch point and its children, then a blank line.
    let branches = p.ok(&["branches"]).stdout;
    assert!(branches.starts_with("aaa000 (branchpoint)\n"), "{branches}");
    assert_eq!(
        sorted_lines(&branches),
        [
            "",
            "       -> bbb111",
            "       -> ccc111",
            "aaa000 (branchpoint)"
        ]
    );
}

#[test]
fn history_range_on_one_branch() {
    let p = branchy_on(Engine::Sqlite, true);
    let out = p.ok(&["history", "-r", "bbb111:bbb222"]).stdout;
    assert_eq!(
        out,
        "bbb111 -> bbb222, create t_bbb222\naaa000 -> bbb111, create t_bbb111\n"
    );
}

/// `ddd111` revises `bbb111` and depends on `ccc111`, which is on the other
/// branch. Upgrading to ddd111 must apply ccc111 first; afterwards the version
/// table holds ddd111 alone (Alembic merges the rows of a revision's
/// down-revisions and dependencies).
#[test]
fn depends_on_across_branches_applies_the_dependency_first() {
    for engine in engines() {
        let p = Project::on(engine);
        p.write_revs(&[
            rev("aaa000", &[]),
            rev("bbb111", &["aaa000"]),
            rev("ccc111", &["aaa000"]),
            rev("ddd111", &["bbb111"]).depends_on(&["ccc111"]),
        ]);
        p.ok(&["upgrade", "bbb111"]);
        assert_eq!(p.versions(), ["bbb111"]);
        assert!(!p.has_table("t_ccc111"));

        let run = p.ok(&["upgrade", "ddd111"]);
        let order: Vec<String> = p.history_rows().into_iter().map(|(r, _)| r).collect();
        assert_eq!(order, ["aaa000", "bbb111", "ccc111", "ddd111"], "{run}");
        assert_eq!(p.versions(), ["ddd111"]);
        assert_eq!(
            p.user_tables(),
            tables(&["aaa000", "bbb111", "ccc111", "ddd111"])
        );
    }
}

#[test]
fn depends_on_from_an_empty_database() {
    for engine in engines() {
        let p = Project::on(engine);
        p.write_revs(&[
            rev("aaa000", &[]),
            rev("bbb111", &["aaa000"]),
            rev("ccc111", &["aaa000"]),
            rev("ddd111", &["bbb111"]).depends_on(&["ccc111"]),
        ]);
        p.ok(&["upgrade", "ddd111"]);
        let order: Vec<String> = p.history_rows().into_iter().map(|(r, _)| r).collect();
        let at = |id: &str| order.iter().position(|r| r == id).unwrap();
        assert_eq!(order.len(), 4, "{order:?}");
        assert!(at("aaa000") < at("bbb111") && at("aaa000") < at("ccc111"));
        assert!(at("ccc111") < at("ddd111") && at("bbb111") < at("ddd111"));
        assert_eq!(p.versions(), ["ddd111"]);

        // history shows the dependency in parentheses, Alembic's `cmd_format`.
        let history = p.ok(&["history"]).stdout;
        assert!(
            history
                .lines()
                .any(|l| l == "bbb111 (ccc111) -> ddd111 (head), create t_ddd111"),
            "{history}"
        );
    }
}

#[test]
fn label_at_head_upgrades_one_branch() {
    for engine in engines() {
        let p = Project::on(engine);
        p.write_revs(&[
            rev("aaa000", &[]).labels(&["main"]),
            rev("aaa111", &["aaa000"]),
            rev("ccc000", &[]).labels(&["side"]),
            rev("ccc111", &["ccc000"]),
        ]);
        p.ok(&["upgrade", "side@head"]);
        assert_eq!(p.versions(), ["ccc111"]);
        assert_eq!(p.user_tables(), tables(&["ccc000", "ccc111"]));
        p.ok(&["upgrade", "main@aaa000"]);
        assert_eq!(p.versions(), ["aaa000", "ccc111"]);
        p.ok(&["upgrade", "heads"]);
        assert_eq!(p.versions(), ["aaa111", "ccc111"]);
        // Down one branch only.
        p.ok(&["downgrade", "side@base"]);
        assert_eq!(p.versions(), ["aaa111"]);
        assert_eq!(p.user_tables(), tables(&["aaa000", "aaa111"]));
    }
}

#[test]
fn stamp_to_both_branch_heads_and_upgrade_is_then_a_no_op() {
    for engine in engines() {
        let p = branchy_on(engine, false);
        p.ok(&["stamp", "bbb222", "ccc111"]);
        assert_eq!(p.versions(), ["bbb222", "ccc111"]);
        assert_eq!(p.user_tables(), Vec::<String>::new(), "stamp runs no SQL");
        let run = p.ok(&["upgrade", "heads"]);
        assert!(!run.stderr.contains("Running upgrade"), "{run}");
        assert_eq!(p.user_tables(), Vec::<String>::new());

        // Adding the merge: only the merge runs (its SQL creates t_mmm000).
        p.write_rev(&rev("mmm000", &["bbb222", "ccc111"]));
        let run = p.ok(&["upgrade", "head"]);
        assert_eq!(run.stderr.matches("Running upgrade").count(), 1, "{run}");
        assert_eq!(p.versions(), ["mmm000"]);
        assert_eq!(p.user_tables(), tables(&["mmm000"]));

        // Upgrading again does nothing and records nothing.
        let rows = p.history_rows().len();
        let run = p.ok(&["upgrade", "head"]);
        assert!(!run.stderr.contains("Running"), "{run}");
        assert_eq!(p.history_rows().len(), rows);
    }
}
