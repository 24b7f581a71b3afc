//! Writing revisions and managing the version table by hand: `init`,
//! `revision`, `merge`, branch labels, `stamp`, `ensure-version`, `edit`.

mod common;

use common::{ALEMBIC_VERSION_DDL, Project, rev};

/// Runs `aludel init migrations` in an empty folder.
fn initialised() -> Project {
    let p = Project::empty();
    p.ok(&["init", "migrations"]);
    p
}

/// The header line `-- Key: value` of a file, without the prefix.
fn header_value(text: &str, key: &str) -> Option<String> {
    let prefix = format!("-- {key}:");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|v| v.trim().to_string())
}

fn read(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Files in `migrations/versions/`, sorted.
fn version_files(p: &Project) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p.versions_dir())
        .expect("versions folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn init_creates_the_project() {
    let p = initialised();
    assert!(p.path().join("aludel.toml").is_file());
    assert!(p.path().join("migrations/versions").is_dir());
    assert!(p.path().join("migrations/script.sql.j2").is_file());
    // The generated configuration loads, and the project has no revisions.
    let run = p.ok(&["heads"]);
    assert_eq!(run.stdout, "");
    assert_eq!(version_files(&p), Vec::<String>::new());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let p = initialised();
    let config = read(&p, "aludel.toml");
    let run = p.fails(&["init", "migrations"]);
    assert!(run.stderr.contains("migrations"), "{run}");
    assert_eq!(read(&p, "aludel.toml"), config);
}

#[test]
fn revision_writes_a_file_that_parses_and_chains() {
    let p = initialised();
    p.ok(&["revision", "-m", "add users", "--rev-id", "aaa111"]);
    let first = read(&p, "migrations/versions/aaa111_add_users.sql");
    assert!(first.starts_with("-- add users\n"), "{first}");
    assert_eq!(
        header_value(&first, "Revision ID").as_deref(),
        Some("aaa111")
    );
    assert_eq!(header_value(&first, "Revises").as_deref(), Some(""));
    assert!(header_value(&first, "Create Date").is_some(), "{first}");
    assert!(first.contains("-- migrate:upgrade"), "{first}");
    assert!(first.contains("-- migrate:downgrade"), "{first}");
    assert_eq!(p.ok(&["heads"]).stdout, "aaa111 (head)\n");

    p.ok(&[
        "revision",
        "-m",
        "Add the posts table!",
        "--rev-id",
        "bbb222",
    ]);
    let second = read(&p, "migrations/versions/bbb222_add_the_posts_table.sql");
    assert_eq!(header_value(&second, "Revises").as_deref(), Some("aaa111"));
    assert_eq!(p.ok(&["heads"]).stdout, "bbb222 (head)\n");
    assert_eq!(
        p.ok(&["history"]).stdout,
        "aaa111 -> bbb222 (head), Add the posts table!\n<base> -> aaa111, add users\n"
    );

    // The empty revisions run.
    let url = format!("sqlite://{}", p.db_path().display());
    p.ok(&["--url", &url, "upgrade", "head"]);
    assert_eq!(p.versions(), ["bbb222"]);
}

#[test]
fn revision_ids_are_random_and_unique_by_default() {
    let p = initialised();
    p.ok(&["revision", "-m", "one"]);
    p.ok(&["revision", "-m", "two"]);
    let files = version_files(&p);
    assert_eq!(files.len(), 2, "{files:?}");
    let ids: Vec<String> = files
        .iter()
        .map(|f| {
            header_value(
                &read(&p, &format!("migrations/versions/{f}")),
                "Revision ID",
            )
            .unwrap()
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert_eq!(id.len(), 12, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    }
    assert_eq!(p.ok(&["heads"]).stdout.lines().count(), 1);
}

#[test]
fn revision_follows_file_template() {
    let p = Project::with_config("file_template = \"{year}_{month}_{day}_{rev}_{slug}\"\n");
    p.ok(&["revision", "-m", "templated", "--rev-id", "aaa111"]);
    let files = version_files(&p);
    assert_eq!(files.len(), 1);
    let name = &files[0];
    // YYYY_MM_DD_aaa111_templated.sql
    assert!(name.ends_with("_aaa111_templated.sql"), "{name}");
    let date = name.strip_suffix("_aaa111_templated.sql").unwrap();
    let parts: Vec<&str> = date.split('_').collect();
    assert_eq!(parts.len(), 3, "{name}");
    assert_eq!(
        parts.iter().map(|s| s.len()).collect::<Vec<_>>(),
        [4, 2, 2],
        "{name}"
    );
    assert!(parts.iter().all(|s| s.chars().all(|c| c.is_ascii_digit())));
}

#[test]
fn revision_with_two_heads_needs_head_or_merge() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));
    p.write_rev(&rev("ccc333", &["aaa111"]));
    let run = p.fails(&["revision", "-m", "x", "--rev-id", "ddd444"]);
    assert!(run.stderr.contains("Multiple heads"), "{run}");
    assert_eq!(version_files(&p).len(), 3, "no file written");

    // Naming one of the heads works.
    p.ok(&[
        "revision", "-m", "x", "--head", "ccc333", "--rev-id", "ddd444",
    ]);
    let text = read(&p, "migrations/versions/ddd444_x.sql");
    assert_eq!(header_value(&text, "Revises").as_deref(), Some("ccc333"));
}

#[test]
fn head_that_is_not_a_head_needs_splice() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));
    let run = p.fails(&[
        "revision", "-m", "side", "--head", "aaa111", "--rev-id", "ccc333",
    ]);
    assert!(run.stderr.contains("aaa111"), "{run}");
    assert!(run.stderr.contains("--splice"), "{run}");
    assert_eq!(version_files(&p).len(), 2, "no file written");

    p.ok(&[
        "revision", "-m", "side", "--head", "aaa111", "--splice", "--rev-id", "ccc333",
    ]);
    let text = read(&p, "migrations/versions/ccc333_side.sql");
    assert_eq!(header_value(&text, "Revises").as_deref(), Some("aaa111"));
    assert_eq!(
        common::sorted_lines(&p.ok(&["heads"]).stdout),
        ["bbb222 (head)", "ccc333 (head)"]
    );
    assert!(
        p.ok(&["history"])
            .stdout
            .contains("<base> -> aaa111 (branchpoint), create t_aaa111\n")
    );
}

#[test]
fn merge_heads_writes_a_mergepoint() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));
    p.write_rev(&rev("ccc333", &["aaa111"]));
    p.ok(&["merge", "heads", "-m", "merge", "--rev-id", "mmm111"]);
    let text = read(&p, "migrations/versions/mmm111_merge.sql");
    let revises = header_value(&text, "Revises").expect("Revises line");
    let mut parents: Vec<&str> = revises.split(", ").collect();
    parents.sort_unstable();
    assert_eq!(parents, ["bbb222", "ccc333"], "{text}");

    // heads has no tree indicators; history marks the merge point.
    assert_eq!(p.ok(&["heads"]).stdout, "mmm111 (head)\n");
    let history = p.ok(&["history"]).stdout;
    assert_eq!(
        history.lines().next(),
        Some(format!("{revises} -> mmm111 (head) (mergepoint), merge").as_str()),
        "{history}"
    );

    // The merge runs: both parents, then the merge.
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["mmm111"]);
    assert!(p.has_table("t_bbb222") && p.has_table("t_ccc333"));
}

#[test]
fn branch_label_and_label_at_head() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.ok(&[
        "revision",
        "-m",
        "feature root",
        "--head",
        "base",
        "--branch-label",
        "feat",
        "--rev-id",
        "fff111",
    ]);
    let text = read(&p, "migrations/versions/fff111_feature_root.sql");
    assert_eq!(
        header_value(&text, "Branch Labels").as_deref(),
        Some("feat")
    );
    assert_eq!(header_value(&text, "Revises").as_deref(), Some(""));
    p.ok(&[
        "revision",
        "-m",
        "feature step",
        "--head",
        "feat@head",
        "--rev-id",
        "fff222",
    ]);
    let text = read(&p, "migrations/versions/fff222_feature_step.sql");
    assert_eq!(header_value(&text, "Revises").as_deref(), Some("fff111"));

    p.ok(&["upgrade", "feat@head"]);
    assert_eq!(p.versions(), ["fff222"]);
    assert!(!p.has_table("t_aaa111"), "the other branch must not run");

    // The label cannot be used twice.
    let run = p.fails(&[
        "revision",
        "-m",
        "again",
        "--head",
        "base",
        "--branch-label",
        "feat",
        "--rev-id",
        "ggg111",
    ]);
    assert!(run.stderr.contains("feat"), "{run}");
}

/// Alembic carries a branch label to every revision of its branch
/// (`RevisionMap._add_branches`), so `heads` and `history` show it on
/// descendants too: `fff222 (feat) (head)`.
#[test]
fn branch_labels_show_on_the_whole_branch() {
    let p = Project::new();
    p.write_rev(&rev("fff111", &[]).labels(&["feat"]));
    p.write_rev(&rev("fff222", &["fff111"]));
    assert_eq!(p.ok(&["heads"]).stdout, "fff222 (feat) (head)\n");
    assert_eq!(
        p.ok(&["history"]).stdout,
        "fff111 -> fff222 (feat) (head), create t_fff222\n\
         <base> -> fff111 (feat), create t_fff111\n"
    );
}

#[test]
fn depends_on_is_written_to_the_header() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &[]).labels(&["other"]));
    p.ok(&[
        "revision",
        "-m",
        "needs other",
        "--head",
        "aaa111",
        "--depends-on",
        "other",
        "--rev-id",
        "ccc333",
    ]);
    let text = read(&p, "migrations/versions/ccc333_needs_other.sql");
    let deps = header_value(&text, "Depends On").expect("Depends On line");
    // Alembic resolves the label to the revision it names.
    assert!(deps == "bbb222" || deps == "other", "{text}");
    let run = p.fails(&[
        "revision",
        "-m",
        "bad",
        "--head",
        "ccc333",
        "--depends-on",
        "zzz999",
        "--rev-id",
        "ddd444",
    ]);
    assert!(run.stderr.contains("zzz999"), "{run}");
}

#[test]
fn stamp_moves_the_version_table_without_running_anything() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));

    // Each step is logged like Alembic's `Running stamp_revision …` lines.
    let log = |run: common::Run| -> Vec<String> {
        run.stderr
            .lines()
            .filter(|l| l.starts_with("INFO  ") && !l.starts_with("INFO  [aludel] Database "))
            .map(str::to_string)
            .collect()
    };
    let run = p.ok(&["stamp", "bbb222"]);
    assert_eq!(run.stdout, "");
    assert_eq!(
        log(run),
        ["INFO  [aludel] Running stamp_revision  -> bbb222"]
    );
    assert_eq!(p.versions(), ["bbb222"]);
    assert_eq!(p.user_tables(), Vec::<String>::new(), "stamp runs no SQL");
    assert_eq!(p.ok(&["current"]).stdout, "bbb222 (head)\n");

    let run = p.ok(&["stamp", "aaa111"]);
    assert_eq!(
        log(run),
        ["INFO  [aludel] Running stamp_revision bbb222 -> aaa111"]
    );
    assert_eq!(p.versions(), ["aaa111"]);

    let run = p.ok(&["stamp", "base"]);
    assert_eq!(
        log(run),
        ["INFO  [aludel] Running stamp_revision aaa111 -> "]
    );
    assert_eq!(p.versions(), Vec::<String>::new());
    assert!(p.has_table("alembic_version"));

    let directions: Vec<String> = p.history_rows().into_iter().map(|(_, d)| d).collect();
    assert_eq!(directions, ["stamp", "stamp", "stamp"]);

    // Already at base: nothing to do, nothing logged.
    assert_eq!(log(p.ok(&["stamp", "base"])), Vec::<String>::new());
    assert_eq!(p.ok(&["-q", "stamp", "aaa111"]).stderr, "");
}

#[test]
fn stamp_purge_replaces_whatever_is_there() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.ok(&["upgrade", "head"]);
    // A row no revision describes: a plain stamp cannot get past it…
    p.exec("INSERT INTO alembic_version VALUES ('junk99');");
    p.fails(&["stamp", "aaa111"]);
    // …but --purge empties the table first.
    p.ok(&["stamp", "--purge", "aaa111"]);
    assert_eq!(p.versions(), ["aaa111"]);
}

/// Alembic's spelling puts flags after the revisions: `stamp REV --purge`.
#[test]
fn stamp_accepts_flags_after_the_revision() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.ok(&["stamp", "aaa111", "--purge"]);
    assert_eq!(p.versions(), ["aaa111"]);
    p.ok(&["stamp", "base", "-q"]);
    assert_eq!(p.versions(), Vec::<String>::new());
}

#[test]
fn ensure_version_creates_the_version_table_and_nothing_else() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    let run = p.ok(&["ensure-version"]);
    assert_eq!(run.stdout, "");
    assert_eq!(
        p.strings("SELECT sql FROM sqlite_master WHERE name = 'alembic_version'"),
        [ALEMBIC_VERSION_DDL]
    );
    assert_eq!(p.versions(), Vec::<String>::new());
    assert_eq!(p.user_tables(), Vec::<String>::new());
    // Idempotent.
    p.ok(&["ensure-version"]);
    assert_eq!(p.ok(&["current"]).stdout, "");
}

#[test]
fn show_prints_alembics_log_entry() {
    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));
    let out = p.ok(&["show", "bbb222"]).stdout;
    assert!(
        out.starts_with("Rev: bbb222 (head)\nParent: aaa111\nPath: "),
        "{out}"
    );
    assert!(out.contains("bbb222_rev.sql\n"), "{out}");
    assert!(out.contains("\n    create t_bbb222"), "{out}");
}

#[cfg(unix)]
#[test]
fn edit_opens_the_file_in_editor() {
    use std::os::unix::fs::PermissionsExt;

    let p = Project::new();
    p.write_rev(&rev("aaa111", &[]));
    p.write_rev(&rev("bbb222", &["aaa111"]));
    let script = p.write_file(
        "record-editor.sh",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/edited.txt\"\n",
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    let edit =
        |rev: &str| common::run_assert_cmd(p.cmd().env("EDITOR", &script).args(["edit", rev]));
    let run = edit("aaa111");
    assert_eq!(run.code, 0, "{run}");
    let run = edit("head");
    assert_eq!(run.code, 0, "{run}");
    let recorded = read(&p, "edited.txt");
    let lines: Vec<&str> = recorded.lines().collect();
    assert_eq!(lines.len(), 2, "one argument per call: {recorded}");
    assert!(lines[0].ends_with("aaa111_rev.sql"), "{recorded}");
    assert!(lines[1].ends_with("bbb222_rev.sql"), "{recorded}");
    assert!(std::path::Path::new(lines[0]).is_absolute() || p.path().join(lines[0]).is_file());

    // No editor: an error, not a hang.
    let run = p.run(&["edit", "aaa111"]);
    assert_eq!(run.code, 2, "{run}");
    // An editor that fails: an error too.
    let run = common::run_assert_cmd(p.cmd().env("EDITOR", "false").args(["edit", "aaa111"]));
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn version_locations_and_version_path() {
    let p = Project::with_config("version_locations = [\"migrations/versions\", \"extra\"]\n");
    std::fs::create_dir_all(p.path().join("extra")).unwrap();
    // Two folders and no parent to follow: the folder must be named.
    let run = p.fails(&["revision", "-m", "one", "--rev-id", "aaa111"]);
    assert!(run.stderr.contains("--version-path"), "{run}");
    let run = p.fails(&[
        "revision",
        "-m",
        "one",
        "--rev-id",
        "aaa111",
        "--version-path",
        "nowhere",
    ]);
    assert!(run.stderr.contains("nowhere"), "{run}");

    p.ok(&[
        "revision",
        "-m",
        "one",
        "--rev-id",
        "aaa111",
        "--version-path",
        "extra",
    ]);
    assert!(p.path().join("extra/aaa111_one.sql").is_file());
    // The next revision goes where its parent is.
    p.ok(&["revision", "-m", "two", "--rev-id", "bbb222"]);
    assert!(p.path().join("extra/bbb222_two.sql").is_file());
    // Revisions from every location form one history.
    p.write_rev(&rev("ccc333", &["bbb222"]));
    assert_eq!(p.ok(&["heads"]).stdout, "ccc333 (head)\n");
    p.ok(&["upgrade", "head"]);
    assert_eq!(p.versions(), ["ccc333"]);
}

/// Alembic's `util.msg` indents only when stdin is a terminal (it asks fd 0 for
/// the terminal width); with a pipe or /dev/null the status lines start flush.
#[test]
fn status_lines_are_not_indented_without_a_terminal() {
    let p = Project::empty();
    let run = common::run_assert_cmd(p.cmd().args(["init", "migrations"]).write_stdin(""));
    assert_eq!(run.code, 0, "{run}");
    let root = std::path::absolute(p.path()).unwrap();
    let root = root.display();
    assert_eq!(
        run.stdout,
        format!(
            "Creating directory {root}/migrations ...  done\n\
             Creating directory {root}/migrations/versions ...  done\n\
             Generating {root}/migrations/script.sql.j2 ...  done\n\
             Generating {root}/aludel.toml ...  done\n\
             Please edit configuration/connection settings in {root}/aludel.toml before proceeding.\n"
        )
    );
    let run = common::run_assert_cmd(
        p.cmd()
            .args(["revision", "-m", "one", "--rev-id", "aaa111"])
            .write_stdin(""),
    );
    assert_eq!(
        run.stdout,
        format!("Generating {root}/migrations/versions/aaa111_one.sql ...  done\n"),
        "{run}"
    );
}

/// Alembic's command is spelled `ensure_version`; scripts written for it work.
#[test]
fn ensure_version_is_accepted_with_an_underscore() {
    let p = Project::new();
    p.ok(&["ensure_version"]);
    assert!(p.has_table("alembic_version"));
    let sql = p.ok(&["ensure_version", "--sql"]).stdout;
    assert_eq!(sql, format!("{};\n\n", common::OFFLINE_VERSION_DDL));
}

/// Without `-m`, Alembic's file is `<rev>_.py` (empty slug) and only the
/// docstring says "empty message".
#[test]
fn revision_without_message_has_an_empty_slug() {
    let p = initialised();
    p.ok(&["revision", "--rev-id", "aaa111"]);
    assert_eq!(version_files(&p), ["aaa111_.sql"]);
    let text = read(&p, "migrations/versions/aaa111_.sql");
    assert!(text.starts_with("-- empty message\n--\n"), "{text}");
    assert_eq!(
        p.ok(&["history"]).stdout,
        "<base> -> aaa111 (head), empty message\n"
    );
}

/// Alembic takes a message of several lines: the docstring holds it verbatim,
/// `history` prints it after the comma, `show` indents every line.
#[test]
fn revision_message_of_several_lines() {
    let p = initialised();
    p.ok(&["revision", "-m", "one", "--rev-id", "aaa111"]);
    p.ok(&["revision", "-m", "two\nlines", "--rev-id", "bbb222"]);
    let text = read(&p, "migrations/versions/bbb222_two_lines.sql");
    assert!(
        text.starts_with("-- two\n-- lines\n--\n-- Revision ID: bbb222\n-- Revises: aaa111\n"),
        "{text}"
    );
    assert_eq!(
        p.ok(&["history", "-r", "bbb222:"]).stdout,
        "aaa111 -> bbb222 (head), two\nlines\n"
    );
    let show = p.ok(&["show", "bbb222"]).stdout;
    let body = show.split_once("\n\n").map(|(_, b)| b).unwrap_or_default();
    let date = header_value(&text, "Create Date").unwrap();
    assert_eq!(
        body,
        format!(
            "    two\n    lines\n    \n    Revision ID: bbb222\n    Revises: aaa111\n    Create Date: {date}\n\n"
        ),
        "{show}"
    );
    // The upgrade log carries the whole message, as Alembic's `doc` does.
    let url = p.db_url();
    let up = p.ok(&["--url", &url, "upgrade", "head"]).stderr;
    assert!(
        up.contains("Running upgrade aaa111 -> bbb222, two\nlines\n"),
        "{up}"
    );
    // A blank line inside the message ends Alembic's `doc` (its first paragraph).
    p.ok(&["revision", "-m", "title\n\nbody text", "--rev-id", "ccc333"]);
    let text = read(&p, "migrations/versions/ccc333_title_body_text.sql");
    assert!(
        text.starts_with("-- title\n--\n-- body text\n--\n"),
        "{text}"
    );
    assert_eq!(
        p.ok(&["history", "-r", "bbb222:"]).stdout,
        "bbb222 -> ccc333 (head), title\naaa111 -> bbb222, two\nlines\n"
    );
    let url = format!("sqlite://{}", p.db_path().display());
    p.ok(&["--url", &url, "upgrade", "head"]);
    assert_eq!(p.versions(), ["ccc333"]);
}

/// A new revision id becomes part of a file name and of SQL text: no path
/// separators, quotes, `;`, whitespace or control characters, nor Alembic's
/// `@ - + :`. Nothing is written.
#[test]
fn new_revision_ids_are_checked() {
    let p = initialised();
    p.ok(&["revision", "-m", "one", "--rev-id", "aaa111"]);
    p.ok(&[
        "revision", "-m", "two", "--rev-id", "bbb222", "--head", "base",
    ]);
    for (id, chars) in [
        ("../../x", "/"),
        ("a/b", "/"),
        ("a\\b", "\\"),
        ("a'b", "'"),
        ("a\"b", "\""),
        ("a;b", ";"),
        ("a b", " "),
        ("a-b", "-"),
        ("a-b+c@", "+, -, @"),
        ("a:b", ":"),
    ] {
        let expected =
            format!("FAILED: Character(s) '{chars}' not allowed in revision identifier '{id}'\n");
        let run = p.fails(&["revision", "-m", "x", "--rev-id", id]);
        assert_eq!(run.stderr, expected, "{id:?}");
        let run = p.fails(&["merge", "heads", "-m", "x", "--rev-id", id]);
        assert_eq!(run.stderr, expected, "merge {id:?}");
    }
    let run = p.fails(&["revision", "-m", "x", "--rev-id", "a\tb"]);
    assert!(
        run.stderr
            .contains("not allowed in revision identifier 'a\\tb'"),
        "{run}"
    );
    assert_eq!(version_files(&p), ["aaa111_one.sql", "bbb222_two.sql"]);
    assert!(!p.path().join("x_x.sql").exists());
    assert!(!p.path().join("migrations/x_x.sql").exists());
}

/// `edit` names the symbol it could not resolve, says so when the database has
/// no current revision, and opens every file a symbol names, as Alembic does.
#[cfg(unix)]
#[test]
fn edit_base_current_and_several_heads() {
    use std::os::unix::fs::PermissionsExt;

    let p = Project::new();
    p.write_revs(&[
        rev("aaa111", &[]),
        rev("bbb222", &["aaa111"]),
        rev("ccc333", &["aaa111"]),
    ]);
    let script = p.write_file(
        "record-editor.sh",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/edited.txt\"\n",
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let edit =
        |rev: &str| common::run_assert_cmd(p.cmd().env("EDITOR", &script).args(["edit", rev]));

    let run = edit("base");
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(
        run.stderr,
        "FAILED: No revision files indicated by symbol 'base'\n"
    );
    let run = edit("current");
    assert_eq!(run.code, 2, "{run}");
    // Before the error, the INFO lines saying which database it read.
    assert!(
        run.stderr.ends_with("\nFAILED: No current revisions\n"),
        "{run}"
    );
    assert!(!p.db_exists());

    let run = edit("heads");
    assert_eq!(run.code, 0, "{run}");
    let mut opened: Vec<String> = read(&p, "edited.txt")
        .lines()
        .map(|l| l.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    opened.sort();
    assert_eq!(opened, ["bbb222_rev.sql", "ccc333_rev.sql"]);
}
