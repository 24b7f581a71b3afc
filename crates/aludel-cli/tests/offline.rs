//! Offline mode (`--sql`) on the Anypod example: the SQL Alembic would print,
//! and no database touched.

mod common;

use common::{ANYPOD_BASE, ANYPOD_HEAD, Engine, OFFLINE_VERSION_DDL, Project, engines, rev};

const INSERT_BASE: &str = "INSERT INTO alembic_version (version_num) VALUES ('423d964333d1');";
const UPDATE_TO_HEAD: &str = "UPDATE alembic_version SET version_num='78f7e4e33398' WHERE alembic_version.version_num = '423d964333d1';";
const UPDATE_TO_BASE: &str = "UPDATE alembic_version SET version_num='423d964333d1' WHERE alembic_version.version_num = '78f7e4e33398';";
const DELETE_BASE: &str =
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '423d964333d1';";

/// Byte offset of `needle` in `hay`, which must contain it exactly once.
fn once(hay: &str, needle: &str) -> usize {
    assert_eq!(
        hay.matches(needle).count(),
        1,
        "expected exactly one {needle:?} in\n{hay}"
    );
    hay.find(needle).unwrap()
}

/// The `BEGIN;` … `COMMIT;` blocks of a script, in order.
fn transactions(sql: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = sql;
    while let Some(start) = rest.find("BEGIN;\n") {
        let after = &rest[start..];
        let end = after.find("COMMIT;").expect("every BEGIN; has its COMMIT;") + "COMMIT;".len();
        blocks.push(&after[..end]);
        rest = &after[end..];
    }
    blocks
}

/// The `CREATE TRIGGER … END;` statements of the head revision's upgrade.
fn trigger_statements() -> Vec<String> {
    let up = common::section(&common::anypod_file(ANYPOD_HEAD), true);
    let mut out = Vec::new();
    let mut rest = up.as_str();
    while let Some(start) = rest.find("CREATE TRIGGER") {
        let after = &rest[start..];
        let end = after.find("END;").expect("a trigger ends with END;") + "END;".len();
        out.push(after[..end].to_string());
        rest = &after[end..];
    }
    assert_eq!(out.len(), 7);
    out
}

#[test]
fn upgrade_head_sql_prints_both_migrations_in_transactions() {
    let p = Project::anypod();
    let run = p.ok(&["upgrade", "head", "--sql"]);
    let sql = &run.stdout;
    assert!(!p.db_exists(), "offline mode must not create the database");

    let blocks = transactions(sql);
    assert_eq!(blocks.len(), 2, "one transaction per migration:\n{sql}");
    // Every statement is inside a transaction.
    let outside = blocks
        .iter()
        .fold(sql.to_string(), |s, b| s.replacen(b, "", 1));
    assert_eq!(outside.trim(), "", "SQL outside BEGIN/COMMIT:\n{outside}");

    // First migration: the version table, the schema, the INSERT.
    let first = blocks[0];
    once(sql, &format!("{OFFLINE_VERSION_DDL};"));
    assert!(
        first.contains(&format!("{OFFLINE_VERSION_DDL};")),
        "{first}"
    );
    assert!(first.contains("CREATE TABLE feed ("), "{first}");
    assert!(first.contains("CREATE INDEX idx_feed_status ON download (feed_id, status);"));
    assert!(
        first.ends_with(&format!("{INSERT_BASE}\n\nCOMMIT;")),
        "{first}"
    );
    assert!(first.find("CREATE TABLE alembic_version") < first.find("CREATE TABLE feed"));

    // Second migration: the triggers, verbatim, then the UPDATE.
    let second = blocks[1];
    for trigger in trigger_statements() {
        assert!(
            second.contains(&trigger),
            "missing or altered:\n{trigger}\nin\n{second}"
        );
    }
    assert!(
        second.ends_with(&format!("{UPDATE_TO_HEAD}\n\nCOMMIT;")),
        "{second}"
    );
    once(sql, INSERT_BASE);
    once(sql, UPDATE_TO_HEAD);

    // Progress goes to stderr, not into the SQL.
    assert!(!sql.contains("INFO  [aludel]"));
    assert!(
        run.stderr.contains("Running upgrade  -> 423d964333d1"),
        "{run}"
    );
}

#[test]
fn upgrade_sql_runs_on_sqlite_and_yields_the_online_result() {
    let offline = Project::anypod();
    let sql = offline.ok(&["upgrade", "head", "--sql"]).stdout;
    offline.exec(&sql);
    assert_eq!(offline.ok(&["current"]).stdout, "78f7e4e33398 (head)\n");

    let online = Project::anypod();
    online.ok(&["upgrade", "head"]);
    // Same objects, same SQL text (aludel's history table aside; the version
    // table's DDL has spaces for tabs offline, as in Alembic).
    let objects = |p: &Project| {
        p.strings(
            "SELECT type || ' ' || name || ': ' || replace(coalesce(sql, ''), char(9), '    ') \
             FROM sqlite_master \
             WHERE name NOT IN ('aludel_history', 'sqlite_sequence') ORDER BY type, name",
        )
    };
    assert_eq!(objects(&offline), objects(&online));
}

#[test]
fn a_range_starting_at_the_first_revision_prints_only_the_second() {
    let p = Project::anypod();
    let run = p.ok(&["upgrade", "423d964333d1:head", "--sql"]);
    let sql = &run.stdout;
    assert!(!p.db_exists());
    assert_eq!(transactions(sql).len(), 1, "{sql}");
    assert!(!sql.contains("CREATE TABLE alembic_version"), "{sql}");
    assert!(!sql.contains("CREATE TABLE feed"), "{sql}");
    assert!(!sql.contains(INSERT_BASE), "{sql}");
    once(sql, UPDATE_TO_HEAD);
    assert!(sql.contains("CREATE TRIGGER IF NOT EXISTS feeds_update_updated_at"));
}

#[test]
fn downgrade_range_sql_undoes_both_and_keeps_the_version_table() {
    let p = Project::anypod();
    let run = p.ok(&["downgrade", "head:base", "--sql"]);
    let sql = &run.stdout;
    assert!(!p.db_exists());
    let blocks = transactions(sql);
    assert_eq!(blocks.len(), 2, "{sql}");
    assert!(blocks[0].contains("DROP TRIGGER IF EXISTS feeds_update_updated_at;"));
    assert!(blocks[0].contains(UPDATE_TO_BASE), "{}", blocks[0]);
    assert!(blocks[1].contains("DROP TABLE feed;"));
    assert!(blocks[1].contains(DELETE_BASE), "{}", blocks[1]);
    assert!(sql.find(UPDATE_TO_BASE) < sql.find(DELETE_BASE));
    // Trigger drops come before the tables they are on are dropped.
    assert!(sql.find("DROP TRIGGER") < sql.find("DROP TABLE download;"));
    // Alembic 1.20 no longer drops the version table at base (its #1822):
    // the script ends with the last DELETE, like an online downgrade.
    assert!(!sql.contains("DROP TABLE alembic_version"), "{sql}");
    assert!(
        sql.ends_with(&format!("{DELETE_BASE}\n\nCOMMIT;\n\n")),
        "{sql}"
    );
}

#[test]
fn downgrade_sql_run_on_a_migrated_database_empties_it() {
    let p = Project::anypod();
    p.ok(&["upgrade", "head"]);
    let sql = p.ok(&["downgrade", "78f7e4e33398:base", "--sql"]).stdout;
    p.exec(&sql);
    assert_eq!(p.user_tables(), Vec::<String>::new());
    // As online and in Alembic 1.20: the version table stays, empty.
    assert!(p.has_table("alembic_version"));
    assert_eq!(p.versions(), Vec::<String>::new());
}

#[test]
fn downgrade_sql_without_a_range_is_an_error() {
    let p = Project::anypod();
    let run = p.fails(&["downgrade", "base", "--sql"]);
    assert_eq!(run.stdout, "");
    assert!(!p.db_exists());
}

#[test]
fn offline_mode_does_not_touch_an_existing_database() {
    let p = Project::anypod();
    p.ok(&["upgrade", ANYPOD_BASE]);
    let before = p.db_bytes();
    p.ok(&["upgrade", "head", "--sql"]);
    p.ok(&["downgrade", "head:base", "--sql"]);
    p.ok(&["stamp", "--sql", "head"]);
    p.ok(&["ensure-version", "--sql"]);
    assert!(
        p.db_bytes() == before,
        "an offline command changed the database"
    );
    assert_eq!(p.versions(), [ANYPOD_BASE]);
}

#[test]
fn offline_stamp_and_ensure_version() {
    let p = Project::anypod();
    let sql = p.ok(&["stamp", "--sql", "head"]).stdout;
    assert!(sql.contains(&format!("{OFFLINE_VERSION_DDL};")), "{sql}");
    once(
        &sql,
        "INSERT INTO alembic_version (version_num) VALUES ('78f7e4e33398');",
    );
    assert!(!sql.contains("CREATE TABLE feed"), "{sql}");

    let sql = p.ok(&["ensure-version", "--sql"]).stdout;
    assert_eq!(sql.trim_end(), format!("{OFFLINE_VERSION_DDL};"));
    assert!(!p.db_exists());
}

#[test]
fn whole_run_transaction_offline() {
    let p = Project::with_config("transaction_per_migration = false\n");
    common::copy_dir(
        &common::anypod_dir().join("migrations"),
        &p.path().join("migrations"),
    );
    let sql = p.ok(&["upgrade", "head", "--sql"]).stdout;
    let blocks = transactions(&sql);
    assert_eq!(blocks.len(), 1, "one transaction for the whole run:\n{sql}");
    assert!(blocks[0].contains(INSERT_BASE) && blocks[0].contains(UPDATE_TO_HEAD));
}

/// Alembic's usual spelling puts the flags after the revisions.
#[test]
fn stamp_accepts_sql_after_the_revision() {
    let p = Project::anypod();
    let run = p.ok(&["stamp", "head", "--sql"]);
    once(
        &run.stdout,
        "INSERT INTO alembic_version (version_num) VALUES ('78f7e4e33398');",
    );
    assert!(!p.db_exists());
}

/// A three-way merge: `r0r0r0r0` with three children merged by `6785aa26fffc`.
fn three_way_merge() -> Project {
    let p = Project::new();
    p.write_revs(&[
        rev("r0r0r0r0", &[]),
        rev("a3a3a3a3", &["r0r0r0r0"]),
        rev("b2b2b2b2", &["r0r0r0r0"]),
        rev("c2c2c2c2", &["r0r0r0r0"]),
        rev("6785aa26fffc", &["a3a3a3a3", "b2b2b2b2", "c2c2c2c2"]),
    ]);
    p
}

/// The `-- Running …` comment lines of a script.
fn running_comments(sql: &str) -> Vec<&str> {
    sql.lines()
        .filter(|l| l.starts_with("-- Running"))
        .collect()
}

/// Recorded from Alembic 1.20.1 on the same graph.
#[test]
fn merge_steps_name_every_parent_in_the_sql_comment() {
    let p = three_way_merge();
    let up = p.ok(&["upgrade", "heads", "--sql"]);
    assert_eq!(
        running_comments(&up.stdout),
        [
            "-- Running upgrade  -> r0r0r0r0",
            "-- Running upgrade r0r0r0r0 -> c2c2c2c2",
            "-- Running upgrade r0r0r0r0 -> b2b2b2b2",
            "-- Running upgrade r0r0r0r0 -> a3a3a3a3",
            "-- Running upgrade a3a3a3a3, b2b2b2b2, c2c2c2c2 -> 6785aa26fffc",
        ],
        "{up}"
    );
    let down = p.ok(&["downgrade", "6785aa26fffc:base", "--sql"]);
    assert_eq!(
        running_comments(&down.stdout),
        [
            "-- Running downgrade 6785aa26fffc -> a3a3a3a3, b2b2b2b2, c2c2c2c2",
            "-- Running downgrade a3a3a3a3 -> r0r0r0r0",
            "-- Running downgrade b2b2b2b2 -> r0r0r0r0",
            "-- Running downgrade c2c2c2c2 -> r0r0r0r0",
            "-- Running downgrade r0r0r0r0 -> ",
        ],
        "{down}"
    );
    // The log line on stderr still carries the message.
    assert!(
        down.stderr.contains(
            "Running downgrade 6785aa26fffc -> a3a3a3a3, b2b2b2b2, c2c2c2c2, create t_6785aa26fffc\n"
        ),
        "{down}"
    );
}

/// Alembic's `-q` silences messages, not the SQL a `--sql` command produces.
#[test]
fn quiet_offline_commands_still_print_the_sql() {
    let p = Project::anypod();
    for args in [
        &["upgrade", "head", "--sql"][..],
        &["downgrade", "head:base", "--sql"],
        &["stamp", "head", "--sql"],
        &["ensure-version", "--sql"],
    ] {
        let loud = p.ok(args);
        let quiet = p.ok(&[&["-q"], args].concat());
        assert!(!loud.stdout.is_empty(), "{loud}");
        assert_eq!(quiet.stdout, loud.stdout, "-q {args:?}");
        assert_eq!(quiet.stderr, "", "-q {args:?}");
    }
    assert!(!p.db_exists());
}

/// The exact script of `stamp head --sql`: the same shape as an upgrade, with
/// Alembic's `-- Running stamp_revision` comment.
#[test]
fn offline_stamp_prints_alembics_stamp_steps() {
    let p = Project::anypod();
    let run = p.ok(&["stamp", "head", "--sql"]);
    assert_eq!(
        run.stdout,
        format!(
            "BEGIN;\n\n{OFFLINE_VERSION_DDL};\n\n-- Running stamp_revision  -> {ANYPOD_HEAD}\n\n\
             INSERT INTO alembic_version (version_num) VALUES ('{ANYPOD_HEAD}');\n\nCOMMIT;\n\n"
        )
    );
    assert!(
        run.stderr.contains(&format!(
            "INFO  [aludel] Running stamp_revision  -> {ANYPOD_HEAD}\n"
        )),
        "{run}"
    );

    let run = p.ok(&["stamp", &format!("{ANYPOD_BASE}:head"), "--sql"]);
    assert_eq!(
        run.stdout,
        format!(
            "BEGIN;\n\n-- Running stamp_revision {ANYPOD_BASE} -> {ANYPOD_HEAD}\n\n{UPDATE_TO_HEAD}\n\nCOMMIT;\n\n"
        )
    );

    // Down to base: one DELETE, and the version table stays.
    let run = p.ok(&["stamp", &format!("{ANYPOD_HEAD}:base"), "--sql"]);
    assert_eq!(
        run.stdout,
        format!(
            "BEGIN;\n\n-- Running stamp_revision {ANYPOD_HEAD} -> \n\n\
             DELETE FROM alembic_version WHERE alembic_version.version_num = '{ANYPOD_HEAD}';\n\nCOMMIT;\n\n"
        )
    );

    // From nothing to base there is no step, and Alembic prints nothing.
    let run = p.ok(&["stamp", "base", "--sql"]);
    assert_eq!(run.stdout, "", "{run}");
    assert!(!p.db_exists());
}

#[test]
fn offline_stamp_refuses_purge() {
    let p = Project::anypod();
    let run = p.fails(&["stamp", "head", "--sql", "--purge"]);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("FAILED: Can't use --purge with --sql mode"),
        "{run}"
    );
    assert!(!p.db_exists());
}

/// Runs `sql` through the real `sqlite3` shell on the project's database
/// (`-bail`: stop at the first error); the shell's stderr on failure.
fn sqlite3_shell(p: &Project, sql: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("sqlite3")
        .arg("-bail")
        .arg(p.db_path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the sqlite3 shell is installed");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(sql.as_bytes())
        .expect("write to sqlite3");
    let out = child.wait_with_output().expect("sqlite3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() && stderr.is_empty() {
        Ok(())
    } else {
        Err(stderr)
    }
}

/// Issue 6, item 5: a statement whose last line ends in a `--` comment gets
/// its `;` on a line of its own, so the `sqlite3` shell replays the script
/// and ends where an online run ends.
#[test]
fn offline_sql_with_trailing_line_comments_replays_in_the_sqlite3_shell() {
    let upgrade = "CREATE TABLE a (x INTEGER) -- note\n;\n\
                   INSERT INTO a VALUES (1) -- one; not two\n;\n\
                   CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN\n  \
                   UPDATE a SET x = x + 1 WHERE x = NEW.x; -- bump\nEND -- done\n;\n";
    let offline = Project::new();
    offline.write_rev(&rev("aaa111", &[]).upgrade(upgrade));
    let sql = offline.ok(&["upgrade", "head", "--sql"]).stdout;
    assert!(sql.contains("VALUES (1) -- one; not two\n;"), "{sql}");
    sqlite3_shell(&offline, &sql).unwrap_or_else(|e| panic!("sqlite3 refused:\n{e}\n{sql}"));
    assert_eq!(offline.versions(), ["aaa111"]);

    let online = Project::new();
    online.write_rev(&rev("aaa111", &[]).upgrade(upgrade));
    online.ok(&["upgrade", "head"]);
    let state = |p: &Project| {
        (
            p.strings("SELECT sql FROM sqlite_master WHERE name IN ('a', 'a_ins') ORDER BY name"),
            p.strings("SELECT CAST(x AS TEXT) FROM a"),
        )
    };
    assert_eq!(state(&offline), state(&online));
    assert_eq!(online.int("SELECT x FROM a"), 1);
}

/// Issue 6, item 6, offline: with `transaction_per_migration = false` a
/// `transaction:false` step's version row is committed right after it, so a
/// script replayed with `sqlite3 -bail` that fails at a later step leaves the
/// database where an online run leaves it: the step applied and recorded.
#[test]
fn offline_whole_run_commits_a_non_transactional_steps_version_row_as_online() {
    let write = |p: &Project| {
        p.write_revs(&[
            rev("r1", &[]).upgrade("CREATE TABLE t (x INTEGER);"),
            rev("r2", &["r1"])
                .no_transaction()
                .upgrade("CREATE INDEX i1 ON t (x);"),
            rev("r3", &["r2"]).upgrade("INSERT INTO missing VALUES (1);"),
        ]);
    };
    let online = Project::with_config("transaction_per_migration = false\n");
    write(&online);
    online.fails(&["upgrade", "head"]);

    let offline = Project::with_config("transaction_per_migration = false\n");
    write(&offline);
    let sql = offline.ok(&["upgrade", "head", "--sql"]).stdout;
    assert!(
        sqlite3_shell(&offline, &sql).is_err(),
        "r3 fails in the shell too:\n{sql}"
    );
    assert_eq!(online.versions(), ["r2"]);
    assert_eq!(offline.versions(), online.versions(), "{sql}");
    assert!(
        offline
            .strings("SELECT name FROM sqlite_master WHERE name = 'i1'")
            .len()
            == 1
    );
}

/// What Alembic 1.20.1 prints for `alembic upgrade head --sql` with a
/// `postgresql://` URL, its default one transaction per run, and the two
/// revisions of [`offline_sql_is_the_engines_and_replays_like_an_online_run`]
/// (`op.execute("CREATE TABLE t_a1 (x INTEGER)")`, …): note the `RETURNING`.
const ALEMBIC_PG_UPGRADE: &str = "BEGIN;\n\n\
CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    \
CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n\
-- Running upgrade  -> a1\n\n\
CREATE TABLE t_a1 (x INTEGER);\n\n\
INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;\n\n\
-- Running upgrade a1 -> b2\n\n\
CREATE TABLE t_b2 (x INTEGER);\n\n\
UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n\n\
COMMIT;\n\n";

/// Alembic 1.20.1's `alembic downgrade b2:base --sql` for the same project.
const ALEMBIC_PG_DOWNGRADE: &str = "BEGIN;\n\n\
-- Running downgrade b2 -> a1\n\n\
DROP TABLE t_b2;\n\n\
UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';\n\n\
-- Running downgrade a1 -> \n\n\
DROP TABLE t_a1;\n\n\
DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';\n\n\
COMMIT;\n\n";

/// Offline SQL is written in the engine's dialect (on PostgreSQL, byte for
/// byte what Alembic prints for PostgreSQL), and replayed on the database it
/// gives what an online run gives.
#[test]
fn offline_sql_is_the_engines_and_replays_like_an_online_run() {
    for engine in engines() {
        let revs = [rev("a1", &[]), rev("b2", &["a1"])];
        let offline = Project::with_config_on(engine, "transaction_per_migration = false\n");
        offline.write_revs(&revs);
        let up = offline.ok(&["upgrade", "head", "--sql"]).stdout;
        let down = offline.ok(&["downgrade", "b2:base", "--sql"]).stdout;
        if engine == Engine::Postgres {
            assert_eq!(up, ALEMBIC_PG_UPGRADE);
            assert_eq!(down, ALEMBIC_PG_DOWNGRADE);
        }
        assert!(
            offline
                .snapshot()
                .is_none_or(|s| !s.contains("alembic_version")),
            "offline mode ran nothing"
        );
        offline.exec(&up);
        assert_eq!(offline.ok(&["current"]).stdout, "b2 (head)\n");

        let online = Project::on(engine);
        online.write_revs(&revs);
        online.ok(&["upgrade", "head"]);
        assert_eq!(offline.user_tables(), online.user_tables());
        assert_eq!(offline.versions(), online.versions());

        offline.exec(&down);
        assert!(offline.versions().is_empty(), "{}", engine.name());
        assert!(offline.user_tables().is_empty(), "{}", engine.name());
    }
}
