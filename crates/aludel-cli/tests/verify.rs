//! `current --verify`, `--accept-edited`, and a database ahead of the
//! revision files, through the binary on every engine.

mod common;

use common::{Engine, Project, Run, engines, rev};

/// A project with `aaa111 <- bbb222` applied and `ccc333` written on top.
fn applied(engine: Engine) -> Project {
    let p = Project::on(engine);
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));
    p.ok(&["upgrade", "head"]);
    p.write_rev(&rev("ccc333", &["bbb222"]));
    p
}

/// Changes the upgrade section of `aaa111`, which is applied.
fn edit_first(p: &Project) {
    p.write_rev(&rev("aaa111", &[]).upgrade("CREATE TABLE t_aaa111 (x INTEGER, y TEXT);\n"));
}

/// Runs `args`, which must fail with status 2 naming every `culprit`, and
/// checks that the database did not change.
fn refuses(p: &Project, args: &[&str], culprits: &[&str]) -> Run {
    let before = p.snapshot();
    let run = p.fails(args);
    for culprit in culprits {
        assert!(
            run.stderr.contains(culprit),
            "stderr should name {culprit:?}:\n{run}"
        );
    }
    assert_eq!(p.snapshot(), before, "the database changed:\n{run}");
    run
}

#[test]
fn an_edited_applied_file_is_refused_then_accepted_and_recorded() {
    for engine in engines() {
        let p = applied(engine);
        edit_first(&p);
        let run = refuses(
            &p,
            &["upgrade", "head"],
            &[
                "aaa111_rev.sql: revision aaa111 applied 20",
                "--accept-edited",
            ],
        );
        assert!(!run.stderr.contains("bbb222"), "{run}");
        let verify = p.run(&["current", "--verify"]);
        assert_eq!(verify.code, 1, "{verify}");
        assert!(verify.stdout.starts_with("bbb222\n"), "{verify}");
        assert!(
            verify
                .stdout
                .contains("aaa111_rev.sql: revision aaa111 changed since it was applied 20"),
            "{verify}"
        );
        assert!(verify.stderr.contains("1 edited"), "{verify}");

        p.ok(&["upgrade", "head", "--accept-edited"]);
        assert_eq!(p.versions(), ["ccc333"]);
        let rows: Vec<String> = p
            .history_rows()
            .into_iter()
            .map(|(r, d)| format!("{r} {d}"))
            .collect();
        assert_eq!(
            rows,
            [
                "aaa111 upgrade",
                "bbb222 upgrade",
                "aaa111 accept",
                "ccc333 upgrade"
            ]
        );
        let verify = p.run(&["current", "--verify"]);
        assert_eq!(verify.code, 0, "{verify}");
        assert!(verify.stderr.contains("3 unchanged, 0 edited"), "{verify}");
        p.ok(&["downgrade", "-1"]);
    }
}

#[test]
fn downgrade_refuses_an_edited_file_unless_told() {
    for engine in engines() {
        let p = applied(engine);
        edit_first(&p);
        refuses(
            &p,
            &["downgrade", "base"],
            &["aaa111_rev.sql", "--accept-edited"],
        );
        p.ok(&["downgrade", "base", "--accept-edited"]);
        assert!(p.versions().is_empty());
    }
}

#[test]
fn a_line_ending_change_is_not_an_edit() {
    for engine in engines() {
        let p = applied(engine);
        let path = p.versions_dir().join("aaa111_rev.sql");
        let crlf = std::fs::read_to_string(&path)
            .unwrap()
            .replace('\n', "\r\n");
        std::fs::write(&path, crlf).unwrap();
        let verify = p.run(&["current", "--verify"]);
        assert_eq!(verify.code, 0, "{verify}");
        p.ok(&["upgrade", "head"]);
    }
}

#[test]
fn verify_counts_what_it_cannot_verify_and_creates_nothing() {
    for engine in engines() {
        let p = Project::on(engine);
        p.write_rev(&rev("aaa111", &[]));
        p.write_rev(&rev("bbb222", &["aaa111"]));
        let fresh = p.run(&["current", "--verify"]);
        assert_eq!(fresh.code, 0, "{fresh}");
        assert!(p.db_is_empty());
        p.ok(&["stamp", "aaa111"]);
        p.ok(&["upgrade", "head"]);
        edit_first(&p);
        let verify = p.run(&["current", "--verify"]);
        assert_eq!(verify.code, 0, "{verify}");
        assert!(
            verify
                .stderr
                .contains("1 unchanged, 0 edited, 1 not verifiable"),
            "{verify}"
        );
    }
}

#[test]
fn verify_and_check_heads_together() {
    for engine in engines() {
        let p = applied(engine);
        edit_first(&p);
        let run = p.run(&["current", "--check-heads", "--verify"]);
        assert_eq!(run.code, 1, "{run}");
        assert!(
            run.stderr.contains("Database is not on all head revisions"),
            "{run}"
        );
        assert!(run.stdout.contains("aaa111_rev.sql"), "{run}");
    }
}

#[test]
fn accept_edited_has_no_meaning_offline() {
    for engine in engines() {
        let p = applied(engine);
        let run = p.run(&["upgrade", "bbb222:head", "--sql", "--accept-edited"]);
        assert_eq!(run.code, 2, "{run}");
    }
}

#[test]
fn a_database_ahead_of_the_files_says_so_everywhere() {
    for engine in engines() {
        let p = applied(engine);
        p.exec("INSERT INTO alembic_version VALUES ('fff999');");
        let says = ["'fff999'", "newer version of the application"];
        for args in [
            &["upgrade", "head"][..],
            &["downgrade", "base"],
            &["stamp", "aaa111"],
            &["current"],
            &["current", "--verify"],
            &["history", "-i"],
            &["show", "current"],
        ] {
            let run = refuses(&p, args, &says);
            assert!(!run.stderr.contains("Can't locate"), "{run}");
        }
        p.ok(&["stamp", "--purge", "bbb222"]);
        assert_eq!(p.versions(), ["bbb222"]);
    }
}
