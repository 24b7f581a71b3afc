//! The SPEC's own examples, run on a copy of the Anypod example's migrations:
//! exact stdout of `heads`, `history` and `current`, and a full up/down cycle.

mod common;

use common::{ANYPOD_BASE, ANYPOD_HEAD, Engine, Project, engines};

const ANYPOD_TABLES: [&str; 2] = ["download", "feed"];

#[test]
fn heads_prints_the_single_head() {
    let p = Project::anypod();
    let run = p.ok(&["heads"]);
    assert_eq!(run.stdout, "78f7e4e33398 (head)\n");
    assert!(!p.db_exists(), "heads must not create the database");
}

#[test]
fn history_prints_newest_first_with_parents_and_messages() {
    let p = Project::anypod();
    let run = p.ok(&["history"]);
    assert_eq!(
        run.stdout,
        "423d964333d1 -> 78f7e4e33398 (head), Add database triggers.\n\
         <base> -> 423d964333d1, Initial schema from SQLModels\n"
    );
    assert!(!p.db_exists(), "history must not create the database");
}

#[test]
fn current_on_a_fresh_database_prints_nothing_and_creates_nothing() {
    let p = Project::anypod();
    let run = p.ok(&["current"]);
    assert_eq!(run.stdout, "");
    assert!(
        !p.db_exists(),
        "current must not create the database file: {}",
        p.db_path().display()
    );
}

#[test]
fn read_only_commands_do_not_create_the_version_table() {
    for engine in engines() {
        // The database exists (with an unrelated table) but is unversioned.
        let p = Project::anypod_on(engine);
        p.exec("CREATE TABLE unrelated (x INTEGER);");
        for args in [
            &["current"][..],
            &["current", "-v"],
            &["history", "-i"],
            &["heads"],
            &["branches"],
            &["show", "head"],
        ] {
            p.ok(args);
            assert!(
                !p.has_table("alembic_version"),
                "aludel {args:?} created the version table"
            );
            assert!(
                !p.has_table("aludel_history"),
                "aludel {args:?} created the history table"
            );
        }
    }
}

#[test]
fn upgrade_then_downgrade_step_by_step() {
    for engine in engines() {
        let p = Project::anypod_on(engine);

        let up = p.ok(&["upgrade", "head"]);
        assert_eq!(up.stdout, "", "progress belongs on stderr");
        assert!(
            up.stderr.contains(
                "INFO  [aludel] Running upgrade  -> 423d964333d1, Initial schema from SQLModels\n"
            ),
            "{up}"
        );
        assert!(
            up.stderr.contains(
                "INFO  [aludel] Running upgrade 423d964333d1 -> 78f7e4e33398, Add database triggers.\n"
            ),
            "{up}"
        );
        assert_eq!(p.ok(&["current"]).stdout, "78f7e4e33398 (head)\n");
        assert_eq!(p.versions(), [ANYPOD_HEAD]);
        assert_eq!(p.user_tables(), ANYPOD_TABLES);
        assert_eq!(p.trigger_count(), common::anypod_head_triggers(engine));

        let down = p.ok(&["downgrade", "-1"]);
        assert!(
            down.stderr.contains(
                "INFO  [aludel] Running downgrade 78f7e4e33398 -> 423d964333d1, Add database triggers.\n"
            ),
            "{down}"
        );
        assert_eq!(p.ok(&["current"]).stdout, "423d964333d1\n");
        assert_eq!(p.versions(), [ANYPOD_BASE]);
        assert_eq!(p.trigger_count(), 0);

        p.ok(&["downgrade", "base"]);
        assert_eq!(p.ok(&["current"]).stdout, "");
        assert_eq!(p.versions(), Vec::<String>::new());
        assert_eq!(p.user_tables(), Vec::<String>::new());
    }
}

#[test]
fn history_indicate_current_marks_the_database_revision() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        p.ok(&["upgrade", "423d964333d1"]);
        let run = p.ok(&["history", "-i"]);
        assert_eq!(
            run.stdout,
            "423d964333d1 -> 78f7e4e33398 (head), Add database triggers.\n\
             <base> -> 423d964333d1 (current), Initial schema from SQLModels\n"
        );
    }
}

#[test]
fn the_history_table_records_every_step() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        p.ok(&["upgrade", "head"]);
        p.ok(&["downgrade", "base"]);
        let rows = p.history_rows();
        let expected: Vec<(String, String)> = [
            (ANYPOD_BASE, "upgrade"),
            (ANYPOD_HEAD, "upgrade"),
            (ANYPOD_HEAD, "downgrade"),
            (ANYPOD_BASE, "downgrade"),
        ]
        .iter()
        .map(|(r, d)| (r.to_string(), d.to_string()))
        .collect();
        assert_eq!(rows, expected);
        // Every step carries a checksum of its file and who ran it.
        assert_eq!(
            p.int(
                "SELECT COUNT(*) FROM aludel_history WHERE length(checksum) = 64 \
                 AND applied_by LIKE '%@%' AND duration_ms >= 0"
            ),
            4
        );
    }
}

#[test]
fn quiet_silences_progress() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        let run = p.ok(&["-q", "upgrade", "head"]);
        assert_eq!(run.stdout, "");
        assert_eq!(run.stderr, "");
        assert_eq!(p.versions(), [ANYPOD_HEAD]);
    }
}

#[test]
fn url_flag_and_database_url_env_override_the_config() {
    let p = Project::anypod();
    let other = p.path().join("other.db");
    let env_db = p.path().join("env.db");
    let other_url = format!("sqlite://{}", other.display());
    let env_url = format!("sqlite://{}", env_db.display());

    // $DATABASE_URL beats database_url in aludel.toml.
    let run = common::run_assert_cmd(
        p.cmd()
            .env("DATABASE_URL", &env_url)
            .args(["upgrade", "423d964333d1"]),
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(env_db.exists());
    assert!(!p.db_exists());

    // --url beats $DATABASE_URL.
    let run = common::run_assert_cmd(
        p.cmd()
            .env("DATABASE_URL", &env_url)
            .args(["--url", &other_url, "upgrade", "head"]),
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(other.exists());
    assert!(!p.db_exists());
    let run = common::run_assert_cmd(p.cmd().args(["--url", &other_url, "current"]));
    assert_eq!(run.stdout, "78f7e4e33398 (head)\n");
    let run = common::run_assert_cmd(p.cmd().env("DATABASE_URL", &env_url).arg("current"));
    assert_eq!(run.stdout, "423d964333d1\n");
}

#[test]
fn config_is_found_through_flag_and_environment() {
    // The project lives in a subfolder; aludel runs from the parent folder.
    let p = common::Project::empty();
    let sub = p.path().join("proj");
    common::copy_dir(
        &common::anypod_dir().join("migrations"),
        &sub.join("migrations"),
    );
    // script_location is relative to the config file, not to the working folder.
    std::fs::write(
        sub.join("custom.toml"),
        "script_location = \"migrations\"\n",
    )
    .unwrap();

    let run = common::run_assert_cmd(p.cmd().args(["-c", "proj/custom.toml", "heads"]));
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout, "78f7e4e33398 (head)\n");

    let run = common::run_assert_cmd(
        p.cmd()
            .env("ALUDEL_CONFIG", "proj/custom.toml")
            .arg("heads"),
    );
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout, "78f7e4e33398 (head)\n");

    // A named configuration file that does not exist is an error naming it.
    let run = common::run_assert_cmd(p.cmd().args(["-c", "proj/missing.toml", "heads"]));
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("missing.toml"), "{run}");
}

/// `-- migrate:upgrade transaction:false` runs outside a transaction: VACUUM,
/// which SQLite and PostgreSQL refuse inside one (MySQL: `SET TRANSACTION`),
/// works there and fails elsewhere.
#[test]
fn transaction_false_sections_run_outside_a_transaction() {
    for engine in engines() {
        let p = Project::on(engine);
        // A statement the engine refuses inside a transaction.
        let outside_only = match engine {
            Engine::MySql => "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            _ => "VACUUM",
        };
        p.write_rev(&common::rev("aaa111", &[]));
        p.write_rev(
            &common::rev("bbb222", &["aaa111"])
                .upgrade(&format!("{outside_only};\n"))
                .downgrade("SELECT 1;\n")
                .no_transaction(),
        );
        let run = p.ok(&["upgrade", "head"]);
        assert!(
            run.stderr.contains("Running upgrade aaa111 -> bbb222"),
            "{run}"
        );
        assert_eq!(p.versions(), ["bbb222"]);

        // The same statement in an ordinary section fails, naming the engine's reason.
        p.write_rev(&common::rev("ccc333", &["bbb222"]).upgrade(&format!("{outside_only};\n")));
        let run = p.fails(&["upgrade", "head"]);
        assert!(run.stderr.contains("ccc333"), "{run}");
        assert!(run.stderr.contains(outside_only), "{run}");
        assert_eq!(p.versions(), ["bbb222"]);
    }
}
