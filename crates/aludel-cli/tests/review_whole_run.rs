//! `transaction_per_migration = false` on every engine: a failure later in
//! the run never leaves an earlier migration applied but unrecorded. Where
//! DDL commits at once (MySQL, MariaDB), a migration's `CREATE TABLE` stays
//! whatever happens after it, so its version row must stay too.

mod common;

use common::{Project, engines, rev};

#[test]
fn a_failure_later_in_a_one_transaction_run_leaves_nothing_unrecorded() {
    for engine in engines() {
        let p = Project::with_config_on(engine, "transaction_per_migration = false\n");
        p.write_rev(
            &rev("w1", &[])
                .upgrade("CREATE TABLE a (id INTEGER);")
                .downgrade("DROP TABLE a;"),
        );
        p.write_rev(
            &rev("w2", &["w1"])
                .upgrade("INSERT INTO a VALUES (2);")
                .downgrade("DELETE FROM a;"),
        );
        p.write_rev(
            &rev("w3", &["w2"])
                .upgrade("INSERT INTO a VALUES (3);\nINSERT INTO missing VALUES (3);")
                .downgrade("DELETE FROM a;"),
        );
        let failed = p.fails(&["upgrade", "head"]);
        assert!(failed.stderr.contains("missing"), "{failed}");
        let kept = p.server().is_some() || p.db_exists();
        if kept && p.has_table("a") {
            // The table stayed (DDL committed at once): so did its revision
            // (and w2's, committed with its row: each migration commits).
            let versions = p.versions();
            assert!(
                versions == ["w1"] || versions == ["w2"],
                "{}: {versions:?} {failed}",
                engine.name()
            );
        } else if kept {
            assert!(p.versions().is_empty(), "{}", engine.name());
        }
        // Fixed, the next run finishes from there.
        p.write_rev(
            &rev("w3", &["w2"])
                .upgrade("INSERT INTO a VALUES (3);")
                .downgrade("DELETE FROM a;"),
        );
        let run = p.run(&["upgrade", "head"]);
        assert_eq!(run.code, 0, "{}: {run}", engine.name());
        assert_eq!(p.versions(), ["w3"], "{}", engine.name());
        assert_eq!(p.int("SELECT count(*) FROM a"), 2, "{}", engine.name());
    }
}
