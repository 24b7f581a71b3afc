//! Input and output safety of the CLI: failed writes, passwords in messages,
//! revision messages that look like header keys, ids that can never work, which
//! database a command uses, and `{here}` in `database_url`.

mod common;

use std::process::Stdio;

use common::{Project, rev};

/// `aludel ARGS…` with stdout on `/dev/full`, where every write fails (ENOSPC).
fn run_into_full_disk(p: &Project, args: &[&str]) -> common::Run {
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let out = p
        .std_cmd()
        .args(args)
        .stdout(full)
        .output()
        .expect("run aludel");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_failed_write_to_stdout_fails_the_command() {
    let p = Project::anypod();
    let run = run_into_full_disk(&p, &["upgrade", "head", "--sql"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("FAILED: cannot write to stdout"),
        "{run}"
    );

    let run = run_into_full_disk(&p, &["history"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("FAILED: cannot write to stdout"),
        "{run}"
    );
}

#[test]
fn help_and_version_that_cannot_be_written_fail_the_command() {
    let p = Project::anypod();
    for args in [&["--help"][..], &["--version"], &["upgrade", "--help"]] {
        let run = run_into_full_disk(&p, args);
        assert_eq!(run.code, 2, "{args:?}: {run}");
        assert!(
            run.stderr.contains("FAILED: cannot write to stdout"),
            "{args:?}: {run}"
        );
    }
    // Written, they still succeed, and a usage error is still exit status 2.
    assert_eq!(p.run(&["--version"]).code, 0);
    assert_eq!(p.run(&["no-such-command"]).code, 2);
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let p = Project::new();
    // Enough revisions that `history` writes well past a pipe's buffer.
    let mut parent: Vec<String> = Vec::new();
    for i in 0..400 {
        let id = format!("r{i:04}");
        let parents: Vec<&str> = parent.iter().map(String::as_str).collect();
        p.write_rev(&rev(&id, &parents).message(&"long message ".repeat(20)));
        parent = vec![id];
    }
    let mut child = p
        .std_cmd()
        .args(["history", "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aludel");
    // Read one line, then close the pipe, as `| head -1` does.
    {
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut first = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        assert!(first.starts_with("Rev: "), "{first}");
    }
    let out = child.wait_with_output().expect("aludel ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "a closed pipe is not an error");
}

/// Every way a command can be given a URL with a password that parsers choke on.
#[test]
fn no_command_prints_a_password() {
    let p = Project::anypod();
    let secrets = ["sec#ret", "sec?ret", "sec/ret", "s3cr@t:x"];
    for secret in secrets {
        for url in [
            format!("postgres://user:{secret}@h/db"),
            format!("postgres:user:{secret}@h/db"),
            format!("oracle://user:{secret}@h/db"),
            format!("sqlite://user:{secret}@h/db?password={secret}"),
            format!("sqlite://user:{secret}@h/db"),
            format!("user:{secret}@h/db"),
        ] {
            for args in [
                vec!["current"],
                vec!["upgrade", "head"],
                vec!["upgrade", "head", "--sql"],
            ] {
                let mut with_flag = args.clone();
                with_flag.extend(["--url", &url]);
                let run = p.run(&with_flag);
                assert!(!run.to_string().contains(secret), "--url {url}:\n{run}");

                let run = common::run_assert_cmd(p.cmd().args(&args).env("DATABASE_URL", &url));
                assert!(
                    !run.to_string().contains(secret),
                    "DATABASE_URL {url}:\n{run}"
                );
            }
        }
    }
}

#[test]
fn a_broken_config_line_is_not_quoted_with_its_password() {
    let p = Project::anypod();
    p.write_config(
        "script_location = \"migrations\"\ndatabase_url = \"postgres://u:hunter2@h/db\" oops\n",
    );
    let run = p.fails(&["current"]);
    assert!(!run.stderr.contains("hunter2"), "{run}");
    assert!(
        run.stderr.contains("aludel.toml: line 2, column "),
        "the error names the file and line:\n{run}"
    );
}

#[test]
fn ids_and_labels_that_can_never_work_are_refused() {
    let p = Project::new();
    p.ok(&["revision", "-m", "first", "--rev-id", "aaa111"]);
    let long = "a".repeat(33);
    for (id, why) in [
        ("base", "`base` is reserved"),
        ("head", "`head` is reserved"),
        ("heads", "`heads` is reserved"),
        ("current", "`current` is reserved"),
        (long.as_str(), "33 bytes long"),
        ("ab\u{200B}cd", "invisible character U+200B"),
        ("\u{FEFF}abc", "invisible character U+FEFF"),
        ("ab\u{00A0}cd", "'\\u{a0}' not allowed"),
        ("ab*", "'*'"),
        ("ab?", "'?'"),
        ("[ab]", "'['"),
    ] {
        let run = p.fails(&["revision", "-m", "x", "--rev-id", id]);
        assert!(run.stderr.contains(why), "{id:?}:\n{run}");
        if id.len() <= 32 {
            let run = p.fails(&["revision", "-m", "x", "--branch-label", id]);
            assert!(
                run.stderr.contains("invalid branch label"),
                "{id:?}:\n{run}"
            );
        }
    }
    // Exactly 32 bytes is what the version table holds.
    p.ok(&["revision", "-m", "x", "--rev-id", &"b".repeat(32)]);
    p.ok(&["upgrade", "heads"]);
    // Nothing refused was written.
    assert_eq!(std::fs::read_dir(p.versions_dir()).unwrap().count(), 2);
}

/// An id that is also a branch label makes every command fail on the graph,
/// so `revision` refuses it before writing anything.
#[test]
fn an_id_that_clashes_with_a_branch_label_is_refused() {
    let p = Project::new();
    p.ok(&[
        "revision",
        "-m",
        "first",
        "--rev-id",
        "aaa111",
        "--branch-label",
        "core",
    ]);
    let run = p.fails(&["revision", "-m", "x", "--rev-id", "core"]);
    assert!(
        run.stderr
            .contains("'core' is already used as a branch name by revision aaa111"),
        "{run}"
    );
    let run = p.fails(&[
        "revision",
        "-m",
        "x",
        "--rev-id",
        "bbb222",
        "--branch-label",
        "bbb222",
    ]);
    assert!(run.stderr.contains("the new revision's own id"), "{run}");
    assert_eq!(std::fs::read_dir(p.versions_dir()).unwrap().count(), 1);
    p.ok(&["heads"]);
}

#[test]
fn files_with_such_ids_are_refused_naming_file_and_line() {
    let p = Project::new();
    p.write_file(
        "migrations/versions/x.sql",
        "-- m\n--\n-- Revision ID: head\n-- Revises:\n\n-- migrate:upgrade\n",
    );
    let run = p.fails(&["heads"]);
    assert!(run.stderr.contains("x.sql:3: "), "{run}");
    assert!(run.stderr.contains("`head` is reserved"), "{run}");

    p.write_file(
        "migrations/versions/x.sql",
        "-- m\n--\n-- Revision ID: abc\n-- Revises:\n-- Branch Labels: ok, a\u{200B}b\n\n-- migrate:upgrade\n",
    );
    let run = p.fails(&["history"]);
    assert!(run.stderr.contains("x.sql:5: "), "{run}");
    assert!(run.stderr.contains("U+200B"), "{run}");
}

#[test]
fn a_message_never_changes_the_header() {
    let p = Project::new();
    p.ok(&["revision", "-m", "base one", "--rev-id", "aaa111"]);
    let messages = [
        ("bbb222", "fix\nDepends On: aaa111"),
        ("ccc333", "x\nBranch Labels: y"),
        ("ddd444", "z\nRevision ID: zzz\nRevises: aaa111"),
        ("eee555", "migrate:upgrade"),
        (
            "fff666",
            "w\n-- migrate:downgrade\nmigrate:downgrade\n\\escaped",
        ),
    ];
    for (id, message) in messages {
        let run = p.ok(&["revision", "-m", message, "--rev-id", id]);
        assert!(run.stderr.is_empty(), "{run}");
    }
    let heads = p.ok(&["heads"]);
    assert_eq!(heads.stdout, "fff666 (head)\n", "one chain, no labels");
    let history = p.ok(&["history", "-v"]);
    for (_, message) in messages {
        assert!(
            history.stdout.contains(&message.replace('\n', "\n    ")),
            "{message:?} missing from:\n{history}"
        );
    }
    assert!(!history.stdout.contains("Branch names"), "{history}");
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["fff666"]);
    let current = p.ok(&["current"]);
    assert_eq!(current.stdout, "fff666 (head)\n");
}

#[test]
fn commands_say_which_database_and_where_it_came_from() {
    let p = Project::anypod();
    let run = p.ok(&["current"]);
    let line = format!("INFO  [aludel] Database {} (from ", p.db_url());
    assert!(run.stderr.contains(&line), "{run}");
    assert!(run.stderr.contains("aludel.toml)\n"), "{run}");
    assert_eq!(
        run.stderr.matches("INFO  [aludel] Database ").count(),
        1,
        "{run}"
    );

    let other = p.path().join("other.db");
    let url = format!("sqlite://{}", other.display());
    let run = p.ok(&["upgrade", "head", "--url", &url]);
    assert!(
        run.stderr
            .starts_with(&format!("INFO  [aludel] Database {url} (from --url)\n")),
        "{run}"
    );
    let run = common::run_assert_cmd(p.cmd().args(["current"]).env("DATABASE_URL", &url));
    assert!(
        run.stderr.contains(&format!(
            "INFO  [aludel] Database {url} (from DATABASE_URL)\n"
        )),
        "{run}"
    );
    assert_eq!(run.stdout, format!("{} (head)\n", common::ANYPOD_HEAD));

    let url = "postgres://user:hunter2@h/db";
    let run = p.fails(&["upgrade", "head", "--url", url]);
    assert!(!run.stderr.contains("hunter2"), "{run}");

    // Silenced by -q; and commands that touch no database do not log it.
    assert_eq!(p.ok(&["-q", "current"]).stderr, "");
    assert!(
        !p.ok(&["upgrade", "head", "--sql"])
            .stderr
            .contains("Database ")
    );
    assert!(!p.ok(&["history"]).stderr.contains("Database "));
}

#[test]
fn a_missing_sqlite_file_is_reported_and_not_created() {
    let p = Project::anypod();
    for args in [&["current"][..], &["history", "-i"], &["show", "current"]] {
        let run = p.ok(args);
        assert!(
            run.stderr.contains(&format!(
                "The database file {} does not exist",
                p.db_path().display()
            )),
            "{args:?}:\n{run}"
        );
        assert!(!p.db_exists(), "{args:?} created the database");
    }
}

#[test]
fn a_file_that_is_not_a_database_is_named() {
    let p = Project::anypod();
    std::fs::write(p.db_path(), vec![0x5a_u8; 4096]).unwrap();
    for args in [&["current"][..], &["upgrade", "head"], &["stamp", "head"]] {
        let run = p.fails(args);
        assert!(
            run.stderr.contains(&format!(
                "FAILED: database error while opening {}: file is not a database",
                p.db_url()
            )),
            "{args:?}:\n{run}"
        );
    }
    assert_eq!(std::fs::read(p.db_path()).unwrap(), vec![0x5a_u8; 4096]);
}

#[test]
fn a_malformed_version_table_is_described_in_words() {
    let p = Project::anypod();
    p.exec("CREATE TABLE alembic_version (version_num INTEGER)");
    p.exec("INSERT INTO alembic_version VALUES (5)");
    for args in [&["current"][..], &["upgrade", "head"]] {
        let run = p.fails(args);
        assert!(
            run.stderr.contains(
                "the version table `alembic_version` holds a version_num that is not text"
            ),
            "{args:?}:\n{run}"
        );
        assert!(!run.stderr.contains("Rust type"), "{run}");
    }
    p.exec("UPDATE alembic_version SET version_num = NULL");
    for args in [&["current"][..], &["upgrade", "head"]] {
        let run = p.fails(args);
        assert!(
            run.stderr
                .contains("the version table `alembic_version` holds a NULL version_num"),
            "{args:?}:\n{run}"
        );
    }
}

#[test]
fn here_in_database_url_is_the_config_files_folder() {
    let p = Project::anypod();
    std::fs::create_dir(p.path().join("elsewhere")).unwrap();
    p.write_config(
        "script_location = \"migrations\"\ndatabase_url = \"sqlite:///{here}/app.db\"\n",
    );
    // Run from another folder, naming the config file: the database is still
    // the one next to it.
    let run = common::run_assert_cmd(p.cmd().current_dir(p.path().join("elsewhere")).args([
        "-c",
        "../aludel.toml",
        "upgrade",
        "head",
    ]));
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(p.versions(), [common::ANYPOD_HEAD]);
    assert!(!p.path().join("elsewhere/app.db").exists());
}

#[test]
fn every_file_revision_writes_is_loaded() {
    let p = Project::with_config("file_template = \"{year}/{rev}_{slug}\"\n");
    let run = p.fails(&["revision", "-m", "one"]);
    assert!(
        run.stderr.contains("file_template `{year}/{rev}_{slug}`"),
        "{run}"
    );
    assert!(run.stderr.contains("subfolder"), "{run}");
    assert_eq!(std::fs::read_dir(p.versions_dir()).unwrap().count(), 0);

    let p = Project::with_config("file_template = \".{rev}\"\n");
    let run = p.fails(&["revision", "-m", "one"]);
    assert!(run.stderr.contains("hidden file"), "{run}");

    // A template that repeats a name would overwrite a revision: refused.
    let p = Project::with_config("file_template = \"{slug}\"\n");
    p.ok(&["revision", "-m", "same", "--rev-id", "aaa111"]);
    let run = p.fails(&["revision", "-m", "same", "--rev-id", "bbb222"]);
    assert!(run.stderr.contains("already exists"), "{run}");

    // Whatever the accepted templates write, the next command loads.
    for template in ["{rev}_{slug}", "{year}_{month}_{day}_{rev}", "{slug}_{rev}"] {
        let p = Project::with_config(&format!("file_template = \"{template}\"\n"));
        p.ok(&["revision", "-m", "one", "--rev-id", "aaa111"]);
        p.ok(&["revision", "-m", "two", "--rev-id", "bbb222"]);
        assert_eq!(p.ok(&["heads"]).stdout, "bbb222 (head)\n", "{template}");
        assert_eq!(p.ok(&["history"]).stdout.lines().count(), 2, "{template}");
    }
}

#[test]
fn init_says_what_paths_are_relative_to() {
    let p = Project::empty();
    p.ok(&["init", "migrations"]);
    let text = std::fs::read_to_string(p.path().join("aludel.toml")).unwrap();
    assert!(text.contains("relative to this file's folder"), "{text}");
    assert!(text.contains("relative to the working directory"), "{text}");
    assert!(text.contains("{here}"), "{text}");
}

#[test]
fn a_version_location_that_does_not_exist_is_reported() {
    // Alembic skips it silently; a typo then hides every revision in it.
    let p = Project::with_config(
        "version_locations = [\"migrations/versions\", \"migrations/versoins\"]\n",
    );
    let run = p.ok(&["heads"]);
    assert!(
        run.stderr.contains("version location ")
            && run
                .stderr
                .contains("versoins does not exist; no revisions are read from it"),
        "{run}"
    );
    assert!(!run.stderr.contains("versions does not exist"), "{run}");
}
