//! Taking over a database that Python Alembic migrated: built here with plain
//! SQL (Anypod's schema at head, Alembic's version table DDL byte for byte, the
//! head's id in it), then driven by the `aludel` CLI. On PostgreSQL the same
//! two revisions (ids, messages) are written in PostgreSQL's SQL: a feed and
//! download schema, then a PL/pgSQL trigger that counts downloads.

mod common;

use common::{ALEMBIC_VERSION_DDL, ANYPOD_BASE, ANYPOD_HEAD, Engine, Project, engines};

/// Anypod's schema at `78f7e4e33398` as plain SQL: the example's reference
/// dump of Alembic's database when present, else the upgrade sections of the
/// two revision files (the same statements Alembic ran).
fn anypod_schema_sql(engine: Engine) -> String {
    if engine != Engine::Sqlite {
        let (base, head) = common::anypod_sql(engine);
        return format!("{base}{head}");
    }
    let fixture = common::anypod_dir().join("tests/fixtures/schema_at_78f7e4e33398.sql");
    match std::fs::read_to_string(fixture) {
        Ok(sql) => sql,
        Err(_) => {
            common::section(&common::anypod_file(ANYPOD_BASE), true)
                + &common::section(&common::anypod_file(ANYPOD_HEAD), true)
        }
    }
}

/// The database Alembic leaves at head, with one feed and two downloads.
fn alembic_database(p: &Project) {
    assert!(
        p.snapshot().is_none_or(|s| s.is_empty()),
        "an empty database"
    );
    p.exec(&anypod_schema_sql(p.engine()));
    p.exec(&format!("{ALEMBIC_VERSION_DDL};"));
    p.exec(&format!(
        "INSERT INTO alembic_version VALUES ('{ANYPOD_HEAD}');"
    ));
    p.exec(
        "INSERT INTO feed (id, source_type, source_url) VALUES ('f', 'channel', 'https://example.com/f');\n\
         INSERT INTO download (feed_id, id, source_url, title, published, ext, mime_type, filesize, duration, status)\n\
         VALUES ('f', 'a', 'https://example.com/a', 'A', '2025-01-01 00:00:00', 'mp4', 'video/mp4', 1, 1, 'DOWNLOADED');\n\
         INSERT INTO download (feed_id, id, source_url, title, published, ext, mime_type, filesize, duration, status)\n\
         VALUES ('f', 'b', 'https://example.com/b', 'B', '2025-01-01 00:00:00', 'mp4', 'video/mp4', 1, 1, 'QUEUED');",
    );
    assert_eq!(
        total_downloads(p),
        1,
        "the Alembic triggers count downloads"
    );
}

fn total_downloads(p: &Project) -> i64 {
    p.int("SELECT total_downloads FROM feed WHERE id = 'f'")
}

/// The version table as the database describes it: its SQL on SQLite; its
/// columns and constraints on a server.
fn version_table_shape(p: &Project) -> String {
    let schema = match p.engine() {
        Engine::Sqlite => {
            return p
                .strings("SELECT sql FROM sqlite_master WHERE name = 'alembic_version'")
                .pop()
                .expect("alembic_version exists");
        }
        Engine::Postgres => "current_schema()",
        Engine::MySql => "DATABASE()",
    };
    let mut shape = p.strings(&format!(
        "SELECT CONCAT(column_name, ' ', data_type, '(', character_maximum_length, ') ', \
         is_nullable) FROM information_schema.columns \
         WHERE table_name = 'alembic_version' AND table_schema = {schema}"
    ));
    shape.extend(p.strings(&format!(
        "SELECT CONCAT(constraint_name, ' ', constraint_type) \
         FROM information_schema.table_constraints \
         WHERE table_name = 'alembic_version' AND table_schema = {schema} \
         AND constraint_type <> 'CHECK'"
    )));
    shape.join("; ")
}

/// [`version_table_shape`] of Alembic's version table (MySQL names every
/// primary key `PRIMARY`).
fn alembic_shape(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => ALEMBIC_VERSION_DDL,
        Engine::Postgres => "version_num character varying(32) NO; alembic_version_pkc PRIMARY KEY",
        Engine::MySql => "version_num varchar(32) NO; PRIMARY PRIMARY KEY",
    }
}

/// The tables whose name holds `version`.
fn version_tables(p: &Project) -> i64 {
    match p.engine() {
        Engine::Sqlite => p.int(
            "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%version%' AND type = 'table'",
        ),
        Engine::Postgres => p.int(
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_name LIKE '%version%' AND table_schema = current_schema()",
        ),
        Engine::MySql => p.int(
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_name LIKE '%version%' AND table_schema = DATABASE()",
        ),
    }
}

#[test]
fn current_reads_alembics_version_table() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        alembic_database(&p);
        let run = p.ok(&["current"]);
        assert_eq!(run.stdout, "78f7e4e33398 (head)\n");
        // Reading changed nothing: no history table appeared.
        assert!(!p.has_table("aludel_history"));
    }
}

#[test]
fn upgrade_head_on_an_alembic_database_at_head_runs_nothing() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        alembic_database(&p);
        let before = p.snapshot().unwrap();
        let run = p.ok(&["upgrade", "head"]);
        assert!(
            !run.stderr.contains("Running upgrade"),
            "nothing should run:\n{run}"
        );
        assert_eq!(p.versions(), [ANYPOD_HEAD]);
        assert_eq!(version_table_shape(&p), alembic_shape(engine));
        // Anypod's own objects are untouched (aludel may add its history table,
        // and on MySQL its progress table).
        let after = p.snapshot().unwrap();
        let strip = |s: &str| {
            s.lines()
                .filter(|l| {
                    !l.contains("aludel_history")
                        && !l.contains("aludel_progress")
                        && !l.contains("sqlite_sequence")
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&before), strip(&after));
    }
}

#[test]
fn downgrade_and_upgrade_again_keep_the_rows() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        alembic_database(&p);

        let run = p.ok(&["downgrade", "-1"]);
        assert!(
            run.stderr
                .contains("Running downgrade 78f7e4e33398 -> 423d964333d1, Add database triggers."),
            "{run}"
        );
        assert_eq!(p.ok(&["current"]).stdout, "423d964333d1\n");
        assert_eq!(p.versions(), [ANYPOD_BASE]);
        assert_eq!(p.trigger_count(), 0);
        assert_eq!(p.int("SELECT COUNT(*) FROM download"), 2);
        assert_eq!(p.int("SELECT COUNT(*) FROM feed"), 1);

        let run = p.ok(&["upgrade", "head"]);
        assert!(
            run.stderr
                .contains("Running upgrade 423d964333d1 -> 78f7e4e33398, Add database triggers."),
            "{run}"
        );
        assert!(
            !run.stderr.contains("Running upgrade  -> 423d964333d1"),
            "the initial schema must not run again:\n{run}"
        );
        assert_eq!(p.ok(&["current"]).stdout, "78f7e4e33398 (head)\n");
        assert_eq!(p.versions(), [ANYPOD_HEAD]);
        assert_eq!(p.trigger_count(), common::anypod_head_triggers(engine));
        assert_eq!(p.int("SELECT COUNT(*) FROM download"), 2);
        // The backfill recomputed the count and the triggers work again.
        assert_eq!(total_downloads(&p), 1);
        p.exec("UPDATE download SET status = 'DOWNLOADED' WHERE id = 'b';");
        assert_eq!(total_downloads(&p), 2);

        // Alembic's table is still exactly Alembic's, with one row.
        assert_eq!(version_table_shape(&p), alembic_shape(engine));
        assert_eq!(version_tables(&p), 1);
        // aludel's run log sits beside it.
        let rows = p.history_rows();
        assert_eq!(
            rows,
            [
                (ANYPOD_HEAD.to_string(), "downgrade".to_string()),
                (ANYPOD_HEAD.to_string(), "upgrade".to_string()),
            ]
        );
    }
}

#[test]
fn history_indicates_the_alembic_revision_as_current() {
    for engine in engines() {
        let p = Project::anypod_on(engine);
        alembic_database(&p);
        let run = p.ok(&["history", "-i"]);
        assert_eq!(
            run.stdout,
            "423d964333d1 -> 78f7e4e33398 (head) (current), Add database triggers.\n\
             <base> -> 423d964333d1, Initial schema from SQLModels\n"
        );
        let run = p.run(&["current", "--check-heads"]);
        assert_eq!(run.code, 0, "{run}");
    }
}
