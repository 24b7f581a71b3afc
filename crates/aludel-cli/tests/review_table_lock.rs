//! `lock_mode = "table"` on PostgreSQL: eight migrators starting together on
//! an empty database race to create the version table (there is nothing to
//! lock before it exists); every one of them must still succeed.

mod common;

use std::process::Stdio;

use common::{Engine, Project, engines, rev};

const ROUNDS: usize = 20;

#[test]
fn eight_table_lock_starters_on_an_empty_database_all_succeed() {
    if !engines().contains(&Engine::Postgres) {
        return;
    }
    for round in 0..ROUNDS {
        let p = Project::with_config_on(Engine::Postgres, "lock_mode = \"table\"\n");
        p.write_rev(&rev("t1", &[]));
        p.write_rev(&rev("t2", &["t1"]));
        let children: Vec<_> = (0..8)
            .map(|_| {
                p.std_cmd()
                    .args(["upgrade", "head"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn aludel")
            })
            .collect();
        let mut ran = 0;
        for child in children {
            let out = child.wait_with_output().expect("wait for aludel");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {stderr}");
            ran += stderr.matches("Running upgrade").count();
        }
        assert_eq!(ran, 2, "round {round}");
        assert_eq!(p.history_rows().len(), 2, "round {round}");
        assert_eq!(p.versions(), ["t2"], "round {round}");
    }
}
