//! Two `aludel upgrade head` processes started together on the same SQLite file
//! must apply each migration exactly once, and both must succeed.

mod common;

use std::process::Stdio;

use common::{Project, rev};

const CHAIN: usize = 60;
const ROUNDS: usize = 4;

fn id(i: usize) -> String {
    format!("r{i:04}")
}

/// A project with a 60-revision chain, each revision creating a table.
fn chain_project() -> Project {
    let p = Project::new();
    for i in 0..CHAIN {
        let this = id(i);
        let parent = if i == 0 { None } else { Some(id(i - 1)) };
        let parents: Vec<&str> = parent.iter().map(String::as_str).collect();
        p.write_rev(&rev(&this, &parents));
    }
    p
}

#[test]
fn two_concurrent_upgrades_apply_each_migration_once() {
    for round in 0..ROUNDS {
        let p = chain_project();
        // Start both before waiting for either.
        let children: Vec<_> = (0..2)
            .map(|_| {
                p.std_cmd()
                    .args(["upgrade", "head"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn aludel")
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait for aludel"))
            .collect();
        for out in &outputs {
            assert!(
                out.status.success(),
                "round {round}: an upgrader failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Between them the two processes ran every migration exactly once.
        let ran: usize = outputs
            .iter()
            .map(|o| {
                String::from_utf8_lossy(&o.stderr)
                    .matches("Running upgrade")
                    .count()
            })
            .sum();
        assert_eq!(
            ran, CHAIN,
            "round {round}: progress lines of both processes"
        );

        let rows = p.history_rows();
        assert_eq!(rows.len(), CHAIN, "round {round}: {rows:?}");
        for (i, (revision, direction)) in rows.iter().enumerate() {
            assert_eq!(revision, &id(i), "round {round}: history out of order");
            assert_eq!(direction, "upgrade");
        }
        assert_eq!(p.versions(), [id(CHAIN - 1)], "round {round}");
        assert_eq!(p.user_tables().len(), CHAIN, "round {round}");
    }
}

#[test]
fn a_concurrent_upgrade_and_read_only_commands_do_not_interfere() {
    let p = chain_project();
    let mut upgrader = p
        .std_cmd()
        .args(["upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aludel");
    // While it runs, `current` must either see nothing yet or a revision of
    // the chain, and never fail.
    for _ in 0..10 {
        let run = p.run(&["current"]);
        assert_eq!(run.code, 0, "{run}");
        let line = run.stdout.trim_end();
        assert!(
            line.is_empty() || line.starts_with('r'),
            "unexpected current output:\n{run}"
        );
    }
    let out = upgrader.wait().expect("wait for aludel");
    assert!(out.success());
    assert_eq!(
        p.ok(&["current"]).stdout,
        format!("{} (head)\n", id(CHAIN - 1))
    );
}
