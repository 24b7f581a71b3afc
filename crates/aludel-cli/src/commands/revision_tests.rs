//! Unit tests of `revision.rs`: slugs, file names, ids, markers.

use super::*;

#[test]
fn slug_follows_alembic() {
    assert_eq!(slug("Add database triggers.", 40), "add_database_triggers");
    assert_eq!(
        slug("Initial schema from SQLModels", 40),
        "initial_schema_from_sqlmodels"
    );
    assert_eq!(slug("one two three four", 10), "one_two_");
}

#[test]
fn file_names_fill_every_field() {
    use chrono::TimeZone;
    let now = chrono::Local.with_ymd_and_hms(2025, 6, 5, 3, 4, 9).unwrap();
    assert_eq!(
        file_name(
            "{year}_{month}_{day}_{hour}{minute}{second}_{rev}_{slug}",
            "abc",
            "s",
            &now
        ),
        "2025_06_05_030409_abc_s.sql"
    );
}

#[test]
fn new_ids_keep_to_safe_characters() {
    assert!(check_new_rev_id("423d964333d1").is_ok());
    assert!(check_new_rev_id("add_users.v2").is_ok());
    for id in [
        "../x", "a\\b", "a'b", "a;b", "a b", "a\u{7}b", "a,b", "None", "",
    ] {
        assert!(check_new_rev_id(id).is_err(), "{id:?}");
    }
}

#[test]
fn a_non_transactional_revision_says_so_on_both_markers() {
    let text = "-- m\n--\n-- Revision ID: x\n\n-- migrate:upgrade\nA;\n-- migrate:upgrade\n\n-- migrate:downgrade\r\nB;\n";
    assert_eq!(
        without_transactions(text),
        "-- m\n--\n-- Revision ID: x\n\n-- migrate:upgrade transaction:false\nA;\n-- migrate:upgrade\n\n-- migrate:downgrade transaction:false\r\nB;\n"
    );
}

#[test]
fn random_ids_are_twelve_hex_chars() {
    let id = random_rev_id().unwrap();
    assert_eq!(id.len(), 12);
    assert!(
        id.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
}
