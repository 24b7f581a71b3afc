//! Every failure exits with status 2, names its culprit on stderr and leaves the
//! database as it was. Each test starts from a database migrated to a good
//! first revision `a1`, then breaks something.

mod common;

use common::{Engine, Project, Run, engines, rev};

/// A project whose database is at the good revision `aaa111`.
fn at_first_revision(extra_config: &str) -> Project {
    at_first_revision_on(Engine::Sqlite, extra_config)
}

/// A project whose database, on `engine`, is at the good revision `aaa111`.
fn at_first_revision_on(engine: Engine, extra_config: &str) -> Project {
    let p = Project::with_config_on(engine, extra_config);
    p.write_rev(&rev("aaa111", &[]));
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["aaa111"]);
    p
}

/// Runs `args`, which must fail with status 2 and name every `culprit` on
/// stderr.
fn fails_naming(p: &Project, args: &[&str], culprits: &[&str]) -> Run {
    let run = p.fails(args);
    for culprit in culprits {
        assert!(
            run.stderr.contains(culprit),
            "stderr should name {culprit:?}:\n{run}"
        );
    }
    assert!(
        !run.stderr.contains("panicked"),
        "a failure must be reported, not a panic:\n{run}"
    );
    run
}

/// [`fails_naming`], and checks that the database did not change at all.
fn fails_cleanly(p: &Project, args: &[&str], culprits: &[&str]) -> Run {
    let before = p.snapshot();
    let bytes = p.db_bytes();
    let run = fails_naming(p, args, culprits);
    assert_eq!(p.snapshot(), before, "the database changed");
    assert!(p.db_bytes() == bytes, "the database file's bytes changed");
    run
}

/// 1-based number of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in\n{text}"))
}

#[test]
fn a_file_without_header() {
    let p = at_first_revision("");
    p.write_file(
        "migrations/versions/bbb111_no_header.sql",
        "CREATE TABLE x (y INTEGER);\n",
    );
    for args in [&["upgrade", "head"][..], &["heads"], &["history"]] {
        fails_cleanly(&p, args, &["bbb111_no_header.sql"]);
    }
}

#[test]
fn a_header_without_revision_id() {
    let p = at_first_revision("");
    p.write_file(
        "migrations/versions/bbb111_no_id.sql",
        "-- No id here\n--\n-- Revises: aaa111\n-- Create Date: 2025-01-01 00:00:00\n\n\
         -- migrate:upgrade\nCREATE TABLE x (y INTEGER);\n-- migrate:downgrade\nDROP TABLE x;\n",
    );
    fails_cleanly(
        &p,
        &["upgrade", "head"],
        &["bbb111_no_id.sql", "Revision ID"],
    );
}

#[test]
fn duplicate_revision_ids_name_both_files() {
    let p = at_first_revision("");
    let r = rev("bbb111", &["aaa111"]);
    p.write_file("migrations/versions/first_copy.sql", &r.render());
    p.write_file("migrations/versions/second_copy.sql", &r.render());
    fails_cleanly(
        &p,
        &["upgrade", "head"],
        &["bbb111", "first_copy.sql", "second_copy.sql"],
    );
}

#[test]
fn an_unknown_parent() {
    let p = at_first_revision("");
    let file = p.write_rev(&rev("bbb111", &["zzz999"]));
    fails_cleanly(&p, &["upgrade", "head"], &["zzz999", "bbb111", &file]);
}

#[test]
fn an_unknown_dependency() {
    let p = at_first_revision("");
    let file = p.write_rev(&rev("bbb111", &["aaa111"]).depends_on(&["qqq999"]));
    fails_cleanly(&p, &["upgrade", "head"], &["qqq999", "bbb111", &file]);
}

#[test]
fn a_cycle() {
    let p = at_first_revision("");
    let one = p.write_rev(&rev("bbb111", &["ccc111"]));
    let two = p.write_rev(&rev("ccc111", &["bbb111"]));
    fails_cleanly(&p, &["upgrade", "head"], &["bbb111", "ccc111", &one, &two]);
}

#[test]
fn upgrade_head_with_two_heads_lists_them() {
    let p = at_first_revision("");
    p.write_rev(&rev("bbb111", &["aaa111"]));
    p.write_rev(&rev("ccc111", &["aaa111"]));
    fails_cleanly(&p, &["upgrade", "head"], &["bbb111", "ccc111"]);
}

#[test]
fn an_unknown_target() {
    let p = at_first_revision("");
    let run = fails_cleanly(&p, &["upgrade", "zzz999"], &["zzz999"]);
    assert!(
        run.stderr
            .contains("Can't locate revision identified by 'zzz999'"),
        "{run}"
    );
    fails_cleanly(&p, &["downgrade", "zzz999"], &["zzz999"]);
    fails_cleanly(&p, &["stamp", "zzz999"], &["zzz999"]);
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    let p = at_first_revision("");
    p.write_rev(&rev("abcd11", &["aaa111"]));
    p.write_rev(&rev("abcd22", &["abcd11"]));
    fails_cleanly(&p, &["upgrade", "abcd"], &["abcd", "abcd11", "abcd22"]);
    // A longer prefix is unambiguous and works.
    p.ok(&["upgrade", "abcd1"]);
    assert_eq!(p.versions(), ["abcd11"]);
}

#[test]
fn a_statement_failing_half_way_rolls_its_migration_back() {
    for engine in engines() {
        let p = at_first_revision_on(engine, "");
        let bad = rev("bbb111", &["aaa111"]).upgrade(
            "CREATE TABLE half_made (x INTEGER);\n\
             INSERT INTO half_made VALUES (1);\n\
             INSERT INTO no_such_table VALUES (1);\n\
             CREATE TABLE never_made (x INTEGER);\n",
        );
        let file = p.write_rev(&bad);
        let line = line_of(&bad.render(), "INSERT INTO no_such_table");
        let culprits = [
            &format!("{file}:{line}"),
            &p.no_such_table("no_such_table"),
            "bbb111",
        ];
        // Where DDL commits at once, the CREATE stays (recorded as run) and
        // the INSERT after it is rolled back.
        let run = if engine.ddl_commits() {
            fails_naming(&p, &["upgrade", "head"], &culprits)
        } else {
            fails_cleanly(&p, &["upgrade", "head"], &culprits)
        };
        assert!(
            run.stderr.contains("INSERT INTO no_such_table"),
            "the statement should be quoted:\n{run}"
        );
        if engine.ddl_commits() {
            assert!(
                run.stderr
                    .contains("revision bbb111 is half-applied (upgrade): statement 1 ran"),
                "{run}"
            );
            assert!(run.stderr.contains("resumes with statement 2"), "{run}");
            assert_eq!(p.strings("SELECT COUNT(*) FROM half_made"), ["0"]);
        } else {
            assert!(!p.has_table("half_made"));
        }
        assert!(!p.has_table("never_made"));
        assert_eq!(p.versions(), ["aaa111"]);
        assert_eq!(
            p.history_rows(),
            [("aaa111".to_string(), "upgrade".to_string())]
        );
    }
}

/// A syntax error in a later statement of a migration names that statement
/// (PostgreSQL refuses a whole batch's text before running any of it, so
/// only the error's position tells which), also in a one-transaction run.
#[test]
fn a_syntax_error_names_its_own_statement() {
    for engine in engines() {
        for extra in ["", "transaction_per_migration = false\n"] {
            let p = at_first_revision_on(engine, extra);
            p.write_rev(&rev("bbb111", &["aaa111"]));
            let bad = rev("ccc111", &["bbb111"]).upgrade(
                "CREATE TABLE ok1 (x INTEGER);\n\
                 INSERT INTO ok1 VALUES (1);\n\
                 CREATE TABLEX bad (x INTEGER);\n\
                 CREATE TABLE ok2 (x INTEGER);\n",
            );
            let file = p.write_rev(&bad);
            let line = line_of(&bad.render(), "CREATE TABLEX");
            let run = p.fails(&["upgrade", "head"]);
            let syntax = match engine {
                Engine::MySql => "error in your SQL syntax",
                _ => "syntax error",
            };
            assert!(
                run.stderr.contains(&format!("{file}:{line}:"))
                    && run.stderr.contains(syntax)
                    && run.stderr.contains("statement: CREATE TABLEX bad"),
                "{}: {run}",
                engine.name()
            );
            assert!(
                !run.stderr.contains("aludel_progress"),
                "the server's quote stops at the statement: {run}"
            );
            // Where DDL commits at once, ok1 and what came before it stay.
            assert_eq!(p.has_table("ok1"), engine.ddl_commits());
            let expected = if extra.is_empty() || engine.ddl_commits() {
                "bbb111"
            } else {
                "aaa111"
            };
            assert_eq!(p.versions(), [expected], "{}", engine.name());
        }
    }
}

#[test]
fn a_failing_downgrade_statement_rolls_back_too() {
    for engine in engines() {
        let p = Project::on(engine);
        let r = rev("aaa111", &[]).downgrade("DROP TABLE t_aaa111;\nDROP TABLE no_such_table;\n");
        let file = p.write_rev(&r);
        p.ok(&["upgrade", "head"]);
        let line = line_of(&r.render(), "DROP TABLE no_such_table");
        let location = format!("{file}:{line}");
        if engine.ddl_commits() {
            // The first DROP committed at once: it stays, recorded as run.
            let run = fails_naming(
                &p,
                &["downgrade", "base"],
                &[&location, "Unknown table", "no_such_table"],
            );
            assert!(
                run.stderr
                    .contains("revision aaa111 is half-applied (downgrade): statement 1 ran"),
                "{run}"
            );
            assert!(!p.has_table("t_aaa111"));
        } else {
            fails_cleanly(
                &p,
                &["downgrade", "base"],
                &[&location, &p.no_such_table("no_such_table")],
            );
            assert!(p.has_table("t_aaa111"), "the first DROP must be undone");
        }
        assert_eq!(p.versions(), ["aaa111"]);
    }
}

/// Two pending revisions, the second fails: with one transaction per
/// migration (the default) the first stays applied.
#[test]
fn with_transaction_per_migration_the_earlier_migrations_stay() {
    for engine in engines() {
        let p = at_first_revision_on(engine, "");
        p.write_rev(&rev("bbb111", &["aaa111"]));
        let bad = rev("ccc111", &["bbb111"])
            .upgrade("CREATE TABLE half_made (x INTEGER);\nSELECT * FROM no_such_table;\n");
        let file = p.write_rev(&bad);
        let run = p.fails(&["upgrade", "head"]);
        assert!(run.stderr.contains(&file), "{run}");
        assert!(
            run.stderr.contains(&p.no_such_table("no_such_table")),
            "{run}"
        );
        assert_eq!(p.versions(), ["bbb111"]);
        assert!(p.has_table("t_bbb111"));
        // Where DDL commits at once, the CREATE stays (recorded as run).
        assert_eq!(p.has_table("half_made"), engine.ddl_commits());
        assert_eq!(p.ok(&["current"]).stdout, "bbb111\n");
    }
}

/// The same with `transaction_per_migration = false`: one transaction for the
/// whole run, so nothing of it stays — where DDL is transactional. Where it
/// commits at once, the run's DDL commits what came before it, recorded:
/// `bbb111` applied, and the first statement of `ccc111`.
#[test]
fn without_transaction_per_migration_nothing_stays() {
    for engine in engines() {
        let p = at_first_revision_on(engine, "transaction_per_migration = false\n");
        p.write_rev(&rev("bbb111", &["aaa111"]));
        let bad = rev("ccc111", &["bbb111"])
            .upgrade("CREATE TABLE half_made (x INTEGER);\nSELECT * FROM no_such_table;\n");
        let file = p.write_rev(&bad);
        let culprits = [file.as_str(), &p.no_such_table("no_such_table")];
        if engine.ddl_commits() {
            let run = fails_naming(&p, &["upgrade", "head"], &culprits);
            assert!(
                run.stderr
                    .contains("revision ccc111 is half-applied (upgrade): statement 1 ran"),
                "{run}"
            );
            assert_eq!(p.versions(), ["bbb111"]);
            assert!(p.has_table("t_bbb111"));
            assert!(p.has_table("half_made"));
            let rows = p.history_rows();
            assert_eq!(
                rows.len(),
                2,
                "bbb111 is recorded with its version: {rows:?}"
            );
            continue;
        }
        fails_cleanly(&p, &["upgrade", "head"], &culprits);
        assert_eq!(p.versions(), ["aaa111"]);
        assert!(!p.has_table("t_bbb111"));
        assert!(!p.has_table("half_made"));
    }
}

#[test]
fn an_unopenable_url() {
    let p = at_first_revision("");
    let url = "sqlite:///nonexistent-dir/x.db";
    fails_cleanly(&p, &["--url", url, "upgrade", "head"], &["nonexistent-dir"]);
    fails_cleanly(&p, &["--url", url, "stamp", "head"], &["nonexistent-dir"]);
    assert!(!std::path::Path::new("/nonexistent-dir").exists());
}

#[test]
fn an_unsupported_or_malformed_url() {
    let p = at_first_revision("");
    fails_cleanly(
        &p,
        &["--url", "nosuchscheme://x", "upgrade", "head"],
        &["nosuchscheme"],
    );
}

#[test]
fn a_config_file_with_an_unknown_key() {
    let p = at_first_revision("");
    let config = std::fs::read_to_string(p.path().join("aludel.toml")).unwrap();
    p.write_config(&format!("{config}scrip_location = \"elsewhere\"\n"));
    for args in [&["upgrade", "head"][..], &["current"], &["heads"]] {
        fails_cleanly(&p, args, &["scrip_location", "aludel.toml"]);
    }
}

#[test]
fn a_config_file_that_is_not_toml() {
    let p = at_first_revision("");
    p.write_config("database_url = \n");
    fails_cleanly(&p, &["upgrade", "head"], &["aludel.toml"]);
}

#[test]
fn usage_errors_exit_2() {
    let p = at_first_revision("");
    fails_cleanly(&p, &["upgrade"], &[]);
    fails_cleanly(&p, &["no-such-command"], &[]);
    fails_cleanly(&p, &["upgrade", "aaa111:head"], &["Range"]);
}

#[test]
fn check_heads_exits_1_when_not_at_head() {
    for engine in engines() {
        let p = at_first_revision_on(engine, "");
        // At head: 0.
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 0, "{run}");

        // A new revision the database does not have: 1, not an error.
        p.write_rev(&rev("bbb111", &["aaa111"]));
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 1, "{run}");
        assert!(!run.stderr.contains("FAILED"), "{run}");

        p.ok(&["upgrade", "head"]);
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 0, "{run}");

        // An empty database is not at head either.
        p.ok(&["downgrade", "base"]);
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 1, "{run}");
    }
}

#[test]
fn check_heads_on_a_database_file_that_does_not_exist_exits_1() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    let run = p.run(&["current", "--check-heads"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(!p.db_exists());
}

#[test]
fn a_version_table_naming_an_unknown_revision() {
    for engine in engines() {
        // The database is at a revision no file describes (e.g. a branch deleted).
        let p = at_first_revision_on(engine, "");
        p.exec("UPDATE alembic_version SET version_num = 'gone99';");
        let ahead = ["'gone99'", "newer version of the application"];
        fails_cleanly(&p, &["current"], &ahead);
        fails_cleanly(&p, &["upgrade", "head"], &ahead);
    }
}

/// A failing command on a project whose database does not exist yet leaves
/// no database file behind.
#[test]
fn failures_on_a_fresh_project_create_no_database_file() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    for args in [
        &["upgrade", "zzz999"][..],
        &["stamp", "zzz999"],
        &["downgrade", "zzz999"],
    ] {
        let run = p.fails(args);
        assert!(run.stderr.contains("zzz999"), "{run}");
        assert!(
            !p.db_exists(),
            "aludel {args:?} failed but created {}",
            p.db_path().display()
        );
    }
}

/// Issue 6, item 8: `COMMIT`, `END`, `ROLLBACK`, `BEGIN` in a section that
/// runs in a transaction would commit part of the migration; refused before
/// anything runs, online and offline, naming file, line, revision, statement.
#[test]
fn transaction_control_in_a_transactional_section() {
    for engine in engines() {
        let statements = match engine {
            Engine::MySql => [
                ("COMMIT", "commits the transaction"),
                ("commit work", "commits the transaction"),
                ("ROLLBACK", "rolls the transaction back"),
                ("START TRANSACTION", "starts a transaction"),
            ],
            _ => [
                ("COMMIT", "commits the transaction"),
                ("end transaction", "commits the transaction"),
                ("ROLLBACK", "rolls the transaction back"),
                ("BEGIN IMMEDIATE", "starts a transaction"),
            ],
        };
        for (statement, what) in statements {
            let p = at_first_revision_on(engine, "");
            let upgrade = format!(
                "CREATE TABLE early (x INTEGER);\n{statement};\nCREATE TABLE late (x INTEGER);\n"
            );
            let rel = p.write_rev(&rev("bbb222", &["aaa111"]).upgrade(&upgrade));
            let line = line_of(
                &std::fs::read_to_string(p.path().join(&rel)).unwrap(),
                statement,
            );
            let name = "bbb222_rev.sql";
            let run = fails_cleanly(
                &p,
                &["upgrade", "head"],
                &[
                    &format!("{name}:{line}:"),
                    "bbb222",
                    statement,
                    what,
                    "transaction:false",
                ],
            );
            assert!(!p.has_table("early"), "{run}");
            assert_eq!(p.versions(), ["aaa111"]);
            // Offline `--sql` refuses it alike.
            fails_cleanly(
                &p,
                &["upgrade", "aaa111:head", "--sql"],
                &[&format!("{name}:{line}:")],
            );
        }
    }
}

/// Savepoints and trigger bodies are not transaction control, and a
/// `transaction:false` section may manage its transactions by hand.
#[test]
fn savepoints_trigger_bodies_and_manual_transactions_are_allowed() {
    let p = at_first_revision("");
    p.write_rev(&rev("bbb222", &["aaa111"]).upgrade(
        "SAVEPOINT s;\nCREATE TABLE ev (id INTEGER, end INTEGER);\nROLLBACK TO SAVEPOINT s;\n\
         CREATE TABLE ev (id INTEGER, end INTEGER, begin INTEGER);\n\
         CREATE TRIGGER ev_ins AFTER INSERT ON ev BEGIN\n  UPDATE ev SET end = NEW.id WHERE id = NEW.id;\nEND;\n\
         RELEASE s;\n",
    ));
    p.write_rev(
        &rev("ccc333", &["bbb222"])
            .upgrade("BEGIN;\nINSERT INTO ev (id) VALUES (7);\nCOMMIT;\n")
            .no_transaction(),
    );
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["ccc333"]);
    assert_eq!(p.int("SELECT end FROM ev"), 7);
}
