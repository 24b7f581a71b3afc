//! Unit tests of the compile-time file checks.

use aludel_script::Flavor;

use super::{check_file, enabled_flavors};

const HEADER: &str = "-- m\n--\n-- Revision ID: a1\n-- Revises:\n\n";

fn file(upgrade: &str) -> String {
    format!("{HEADER}-- migrate:upgrade\n{upgrade}\n-- migrate:downgrade\nSELECT 1;\n")
}

#[test]
fn transaction_control_is_a_compile_error() {
    let source = format!(
        "{HEADER}-- migrate:upgrade\nCREATE TABLE t (x INTEGER);\nCOMMIT;\n-- migrate:downgrade\nDROP TABLE t;\n"
    );
    let err = check_file("m/versions/a1.sql", &source, &[Flavor::Sqlite]).unwrap_err();
    assert!(
        err.starts_with("m/versions/a1.sql:8: statement in upgrade of revision a1 commits"),
        "{err}"
    );
    assert!(err.contains("(read as sqlite)"), "{err}");
    assert!(err.contains("transaction:false"), "{err}");
    let manual = source.replace("-- migrate:upgrade", "-- migrate:upgrade transaction:false");
    assert!(check_file("m/versions/a1.sql", &manual, Flavor::ALL).is_ok());
}

#[test]
fn files_are_read_as_sqlite_reads_them() {
    // SQLite ends the comment at the first `*/`, so the trigger's body
    // with an `end` column splits right and the marker is found.
    let source = format!(
        "{HEADER}-- migrate:upgrade\n/* a /* b */\nCREATE TRIGGER t AFTER INSERT ON ev BEGIN\n  UPDATE ev SET end = NEW.id;\nEND;\n-- migrate:downgrade\nDROP TRIGGER t;\n"
    );
    assert!(check_file("a1.sql", &source, &[Flavor::Sqlite]).is_ok());
}

#[test]
fn every_enabled_flavor_reads_the_file() {
    // Fine for MySQL; PostgreSQL and SQLite have no `DELIMITER`.
    let source = file("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;");
    assert_eq!(
        check_file("v/a1.sql", &source, &[Flavor::MySql]).map(|h| h.revision),
        Ok("a1".to_owned())
    );
    for flavor in [Flavor::Postgres, Flavor::Sqlite] {
        let err = check_file("v/a1.sql", &source, &[Flavor::MySql, flavor]).unwrap_err();
        assert!(
            err.starts_with("v/a1.sql:7: `DELIMITER` is a MySQL client command"),
            "{err}"
        );
        assert!(
            err.ends_with(&format!("(read as {})", flavor.name())),
            "{err}"
        );
    }
    // A string that only PostgreSQL reads as closed (no backslash escapes).
    let source = file("INSERT INTO t VALUES ('C:\\');");
    assert!(check_file("v/a1.sql", &source, &[Flavor::Postgres, Flavor::Sqlite]).is_ok());
    let err = check_file("v/a1.sql", &source, Flavor::ALL).unwrap_err();
    assert_eq!(
        err,
        "v/a1.sql:7: unterminated string literal (read as mysql)"
    );
    // `END` commits for SQLite and PostgreSQL only.
    let source = file("END;");
    assert!(check_file("v/a1.sql", &source, &[Flavor::MySql]).is_ok());
    assert!(check_file("v/a1.sql", &source, &[Flavor::Postgres]).is_err());
}

#[test]
fn no_engine_enabled_means_every_flavor() {
    let enabled = enabled_flavors();
    let expected: Vec<Flavor> = [
        (cfg!(feature = "sqlite"), Flavor::Sqlite),
        (cfg!(feature = "postgres"), Flavor::Postgres),
        (cfg!(feature = "mysql"), Flavor::MySql),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect();
    if expected.is_empty() {
        assert_eq!(enabled, Flavor::ALL);
    } else {
        assert_eq!(enabled, expected);
    }
}
