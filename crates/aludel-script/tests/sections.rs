//! Whole-file parsing: header + sections.

use aludel_script::Flavor;

/// The flavour most of these tests were written for.
const PG: Flavor = Flavor::Postgres;
/// SQLite, for the files with SQLite triggers.
const LITE: Flavor = Flavor::Sqlite;
use aludel_script::{ErrorKind, ScriptError, SectionKind, parse_script};

const EXAMPLE: &str = "-- Add database triggers.
--
-- Revision ID: 78f7e4e33398
-- Revises: 423d964333d1
-- Create Date: 2025-06-25 23:50:21.208077

-- migrate:upgrade
UPDATE feed SET total_downloads = 0;
CREATE TRIGGER IF NOT EXISTS feeds_update_updated_at AFTER UPDATE OF title ON feed
FOR EACH ROW BEGIN
    UPDATE feed SET updated_at = datetime('now') WHERE id = NEW.id;
END;

-- migrate:downgrade
DROP TRIGGER IF EXISTS feeds_update_updated_at;
";

fn err(src: &str) -> ScriptError {
    parse_script(src, PG).expect_err("expected an error")
}

#[test]
fn example_file() {
    let s = parse_script(EXAMPLE, LITE).unwrap();
    assert_eq!(s.header.revision, "78f7e4e33398");
    assert_eq!(s.header.revises, ["423d964333d1"]);
    assert!(s.upgrade.present && s.downgrade.present);
    assert!(s.upgrade.transactional && s.downgrade.transactional);
    assert_eq!(s.upgrade.first_line, 8);
    assert!(
        s.upgrade
            .text
            .starts_with("UPDATE feed SET total_downloads = 0;\n")
    );
    assert!(s.upgrade.text.ends_with("END;\n\n"));
    assert_eq!(s.downgrade.first_line, 15);
    assert_eq!(
        s.downgrade.text,
        "DROP TRIGGER IF EXISTS feeds_update_updated_at;\n"
    );

    let up = s.upgrade.statements(LITE).unwrap();
    assert_eq!(up.len(), 2);
    assert_eq!(up[0].text, "UPDATE feed SET total_downloads = 0");
    assert_eq!(up[0].line, 8);
    assert!(up[1].text.starts_with("CREATE TRIGGER IF NOT EXISTS"));
    assert!(up[1].text.ends_with("NEW.id;\nEND"));
    assert_eq!(up[1].line, 9);
    let down = s.downgrade.statements(LITE).unwrap();
    assert_eq!(down.len(), 1);
    assert_eq!(down[0].line, 15);
}

#[test]
fn transaction_option_and_whitespace_variants() {
    let src = "-- m\n-- Revision ID: a\n--migrate:upgrade   transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n  --   migrate:downgrade transaction:true\nDROP INDEX i;";
    let s = parse_script(src, PG).unwrap();
    assert!(!s.upgrade.transactional);
    assert!(s.downgrade.transactional);
    assert_eq!(s.upgrade.text, "CREATE INDEX CONCURRENTLY i ON t (x);\n");
    assert_eq!(s.downgrade.text, "DROP INDEX i;");
    assert_eq!(s.downgrade.first_line, 6);
}

#[test]
fn downgrade_first_and_missing_sections() {
    let s = parse_script(
        "-- m\n-- Revision ID: a\n\n-- migrate:downgrade\nDROP TABLE t;\n",
        PG,
    )
    .unwrap();
    assert!(!s.upgrade.present);
    assert_eq!(s.upgrade.text, "");
    assert!(s.upgrade.statements(PG).unwrap().is_empty());
    assert!(s.downgrade.present);
    assert_eq!(s.downgrade.first_line, 5);

    let s = parse_script("-- m\n-- Revision ID: a\n", PG).unwrap();
    assert!(!s.upgrade.present && !s.downgrade.present);

    // Marker on the last line without newline: present but empty.
    let s = parse_script("-- m\n-- Revision ID: a\n-- migrate:upgrade", PG).unwrap();
    assert!(s.upgrade.present);
    assert_eq!(s.upgrade.text, "");
    assert_eq!(s.upgrade.first_line, 4);
}

#[test]
fn comments_allowed_before_first_marker_but_not_sql() {
    let ok =
        "-- m\n-- Revision ID: a\n\n-- a note\n/* block\n note */\n\n-- migrate:upgrade\nSELECT 1;";
    assert_eq!(parse_script(ok, PG).unwrap().upgrade.first_line, 9);

    let e = err("-- m\n-- Revision ID: a\n\n\nSELECT 1;\n-- migrate:upgrade\n");
    assert_eq!(e, ScriptError::new(5, ErrorKind::ContentBeforeSection));
    // Header running straight into SQL.
    let e = err("-- m\n-- Revision ID: a\nSELECT 1;\n");
    assert_eq!(e, ScriptError::new(3, ErrorKind::ContentBeforeSection));
}

#[test]
fn duplicate_section_and_bad_markers_name_their_line() {
    let e = err("-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT 1;\n-- migrate:upgrade\n");
    assert_eq!(
        e,
        ScriptError::new(5, ErrorKind::DuplicateSection(SectionKind::Upgrade))
    );
    assert_eq!(e.to_string(), "line 5: duplicate `migrate:upgrade` section");
    let e = err("-- m\n-- Revision ID: a\n\n-- migrate:upgrade transaction:off\n");
    assert_eq!(
        e,
        ScriptError::new(4, ErrorKind::UnknownOption("transaction:off".into()))
    );
    let e = err("-- m\n-- Revision ID: a\n\n-- migrate:Upgrade\n");
    assert_eq!(
        e,
        ScriptError::new(4, ErrorKind::UnknownSection("Upgrade".into()))
    );
    let e =
        err("-- m\n-- Revision ID: a\n-- migrate:upgrade transaction:false transaction:false\n");
    assert_eq!(e.line, 3);
    assert!(matches!(e.kind, ErrorKind::DuplicateOption(_)));
}

#[test]
fn markers_inside_block_comments_strings_and_dollar_quotes_are_ignored() {
    let src = "-- m\n-- Revision ID: a\n-- migrate:upgrade\n/*\n-- migrate:downgrade\n*/\nSELECT '\n-- migrate:downgrade\n';\nDO $$\n-- migrate:downgrade\n$$;\n-- migrate:downgrade\nSELECT 2;\n";
    let s = parse_script(src, PG).unwrap();
    assert_eq!(s.downgrade.first_line, 14);
    assert_eq!(s.downgrade.text, "SELECT 2;\n");
    assert_eq!(s.upgrade.statements(PG).unwrap().len(), 2);
}

#[test]
fn marker_must_start_its_line() {
    let src = "-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT 1; -- migrate:downgrade\n";
    let s = parse_script(src, PG).unwrap();
    assert!(!s.downgrade.present);
    assert_eq!(s.upgrade.statements(PG).unwrap()[0].text, "SELECT 1");
}

#[test]
fn marker_inside_trigger_body_is_still_a_marker() {
    // Documented choice: the marker wins, the trigger (line 4) is then
    // unterminated.
    let src = "-- m\n-- Revision ID: a\n-- migrate:upgrade\nCREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n-- migrate:downgrade\nEND;\n";
    let s = parse_script(src, LITE).unwrap();
    assert!(s.downgrade.present);
    assert_eq!(s.upgrade.statements(LITE).unwrap_err().line, 4);
}

#[test]
fn unterminated_string_reported_by_parse_script() {
    let e = err("-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT 'x;\n-- migrate:downgrade\n");
    assert_eq!(e.line, 4);
}

#[test]
fn crlf_and_bom_file() {
    let src = EXAMPLE.replace('\n', "\r\n");
    let src = format!("\u{feff}{src}");
    let s = parse_script(&src, LITE).unwrap();
    assert_eq!(s.header.message, "Add database triggers.");
    assert_eq!(
        s.header.create_date.as_deref(),
        Some("2025-06-25 23:50:21.208077")
    );
    let up = s.upgrade.statements(LITE).unwrap();
    assert_eq!(up.iter().map(|s| s.line).collect::<Vec<_>>(), [8, 9]);
    assert_eq!(up[0].text, "UPDATE feed SET total_downloads = 0");
    assert!(up[1].text.ends_with("NEW.id;\r\nEND"));
    assert_eq!(s.downgrade.statements(LITE).unwrap()[0].line, 15);
}

/// Markers are found as the given flavour reads comments: after
/// `/* a /* b */` SQLite is outside the comment, PostgreSQL still inside.
#[test]
fn markers_are_found_with_the_callers_flavor() {
    let src = "-- m\n-- Revision ID: a\n-- migrate:upgrade\n/* a /* b */\nCREATE TABLE t (x INTEGER);\n\
               -- migrate:downgrade\nDROP TABLE t; -- */\n";
    let s = parse_script(src, Flavor::Sqlite).unwrap();
    assert!(s.downgrade.present);
    assert_eq!(s.upgrade.statements(Flavor::Sqlite).unwrap().len(), 1);
    assert_eq!(s.downgrade.statements(Flavor::Sqlite).unwrap()[0].line, 7);
    // For PostgreSQL everything from line 4 to the `*/` after `--` is one comment.
    let s = parse_script(src, PG).unwrap();
    assert!(!s.downgrade.present);
    assert!(s.upgrade.statements(PG).unwrap().is_empty());
}
