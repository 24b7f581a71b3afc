//! `aludel upgrade head` processes started together on the same database
//! must apply each migration exactly once, and all must succeed; a migrator
//! killed while holding the lock does not keep the next one waiting.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Engine, Project, engines, migration_lock_rows, rev, sleep_5s, sleeping_rows};

const CHAIN: usize = 60;
const ROUNDS: usize = 4;

fn id(i: usize) -> String {
    format!("r{i:04}")
}

/// A project with a 60-revision chain, each revision creating a table.
fn chain_project() -> Project {
    chain_project_on(Engine::Sqlite)
}

/// [`chain_project`] on `engine`.
fn chain_project_on(engine: Engine) -> Project {
    let p = Project::on(engine);
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

/// Eight processes at once, on every engine: each migration runs once.
#[test]
fn eight_concurrent_upgrades_apply_each_migration_once() {
    for engine in engines() {
        let p = chain_project_on(engine);
        let children: Vec<_> = (0..8)
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
        let mut ran = 0;
        for out in &outputs {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "{}: an upgrader failed ({}):\n{stderr}",
                engine.name(),
                out.status
            );
            ran += stderr.matches("Running upgrade").count();
        }
        assert_eq!(
            ran,
            CHAIN,
            "{}: progress lines of all processes",
            engine.name()
        );
        let rows = p.history_rows();
        assert_eq!(rows.len(), CHAIN, "{}: {rows:?}", engine.name());
        for (i, (revision, direction)) in rows.iter().enumerate() {
            assert_eq!(revision, &id(i), "{}: history out of order", engine.name());
            assert_eq!(direction, "upgrade");
        }
        assert_eq!(p.versions(), [id(CHAIN - 1)]);
        assert_eq!(p.user_tables().len(), CHAIN);
    }
}

/// A migrator killed with SIGKILL in the middle of a migration, holding the
/// migration lock: the server ends its session (and its lock and
/// transaction) once the statement it runs returns, and the next migrator
/// takes the lock then and finishes. Servers only: a SQLite lock file is
/// released by the kernel as the process dies.
#[test]
fn a_killed_lock_holder_does_not_keep_the_next_migrator_waiting() {
    for engine in engines().into_iter().filter(|e| *e != Engine::Sqlite) {
        let p = Project::on(engine);
        p.write_revs(&[
            rev("k1", &[]),
            rev("k2", &["k1"]).upgrade(&format!(
                "CREATE TABLE t_k2 (x INTEGER);\n{}\n",
                sleep_5s(engine)
            )),
            rev("k3", &["k2"]),
        ]);
        let mut victim = p
            .std_cmd()
            .args(["upgrade", "head"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn aludel");
        let db = p.server().expect("a server database");
        let sleeping = sleeping_rows(engine);
        let deadline = Instant::now() + Duration::from_secs(60);
        while db.column(sleeping).is_empty() {
            assert!(Instant::now() < deadline, "the migrator never reached k2");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!db.column(&migration_lock_rows(db)).is_empty());
        victim.kill().expect("SIGKILL the migrator");
        victim.wait().expect("reap the migrator");
        let started = Instant::now();
        let run = p.ok(&["upgrade", "head"]);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the next migrator waited {:?}:\n{run}",
            started.elapsed()
        );
        assert!(run.stderr.contains("Running upgrade k1 -> k2"), "{run}");
        assert_eq!(p.versions(), ["k3"]);
        let rows: Vec<String> = p.history_rows().into_iter().map(|(r, _)| r).collect();
        assert_eq!(rows, ["k1", "k2", "k3"], "each migration recorded once");
    }
}
