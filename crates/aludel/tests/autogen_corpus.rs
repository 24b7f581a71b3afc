//! The autogenerate corpus: every case folder under `tests/autogen/corpus/`
//! (two schemas, rows, renames) generates its migration, which must keep the
//! four properties of `autogen::check` on real SQLite files (through the
//! runner and through the offline `--sql` script); the generated upgrade and
//! downgrade are insta snapshots (`tests/snapshots/`), reviewed like code.

mod autogen;

use autogen::case::{Case, all_names};
use autogen::check::check;
use autogen::history::{BEFORE, Revisions, close, open, run_script};

/// One test per case, so a failure names its case.
macro_rules! corpus {
    ($($name:ident),* $(,)?) => {
        /// Every case folder has its test.
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[tokio::test(flavor = "multi_thread")]
            async fn $name() {
                run_case(stringify!($name)).await;
            }
        )*
    };
}

async fn run_case(name: &str) {
    let case = Case::load(name);
    let outcome = check(&case)
        .await
        .unwrap_or_else(|e| panic!("case {name}: {e}"));
    if let Some(bug) = &case.known_bug {
        assert!(
            !outcome.failures.is_empty(),
            "case {name} passes: if its known bug is fixed, remove known_bug.txt ({bug})"
        );
        eprintln!(
            "case {name}: known bug ({}): {:?}",
            bug.trim(),
            outcome.failures
        );
    } else {
        outcome.assert_holds(name);
    }
    let sql = format!(
        "-- upgrade\n{}\n-- downgrade\n{}",
        outcome.upgrade, outcome.downgrade
    );
    insta::assert_snapshot!(name, sql);
}

/// The failures of `case` with its upgrade or downgrade replaced.
async fn failures_with(name: &str, upgrade: Option<&str>, downgrade: Option<&str>) -> Vec<String> {
    let mut case = Case::load(name);
    let generated = check(&case).await.unwrap_or_else(|e| panic!("{e}"));
    case.reviewed_upgrade = upgrade.map(|u| u.replace("{generated}", &generated.upgrade));
    case.reviewed_downgrade = downgrade.map(|d| d.replace("{generated}", &generated.downgrade));
    check(&case)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .failures
}

fn has(failures: &[String], prefix: &str) -> bool {
    failures.iter().any(|f| f.starts_with(prefix))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checks_catch_an_upgrade_that_misses_a_change() {
    let failures = failures_with("add_column_nullable", Some("SELECT 1;"), None).await;
    assert!(has(&failures, "1: the database differs"), "{failures:?}");
    assert!(
        has(&failures, "1 (offline --sql script): the database differs"),
        "{failures:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checks_catch_a_table_a_rebuild_left_behind() {
    let leftover = "{generated}\nCREATE TABLE _aludel_new_feed (id INTEGER);";
    let failures = failures_with("not_null_relaxed", Some(leftover), None).await;
    assert!(
        has(&failures, "1: left behind [\"_aludel_new_feed\"]"),
        "{failures:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checks_catch_a_downgrade_that_does_not_undo() {
    let failures = failures_with("index_add", None, Some("SELECT 1;")).await;
    assert!(has(&failures, "2: the database differs"), "{failures:?}");
    assert!(
        !has(&failures, "1: ") && !has(&failures, "4"),
        "{failures:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checks_catch_lost_and_changed_rows() {
    let lost = "{generated}\nDELETE FROM feed WHERE id = 2;";
    let failures = failures_with("drop_column_plain", Some(lost), None).await;
    assert!(
        has(&failures, "4 (after the upgrade): table feed"),
        "{failures:?}"
    );
    assert!(
        has(&failures, "4 (offline --sql script): table feed"),
        "{failures:?}"
    );
    let changed = "{generated}\nUPDATE event SET at = 'changed' WHERE id = 1;";
    let failures = failures_with("autoincrement_kept_across_rebuild", None, Some(changed)).await;
    assert!(
        has(&failures, "4 (after the downgrade): table event"),
        "{failures:?}"
    );
    let sequence = "{generated}\nUPDATE sqlite_sequence SET seq = 1 WHERE name = 'event';";
    let failures = failures_with("autoincrement_kept_across_rebuild", Some(sequence), None).await;
    assert!(
        has(&failures, "4 (after the upgrade): table event"),
        "{failures:?}"
    );
}

/// An offline script run on a connection with foreign keys ON: the script
/// turns them off itself before its first BEGIN (as the runner does), so the
/// rebuild runs and its DROP TABLE cascades to no child row.
#[tokio::test(flavor = "multi_thread")]
async fn an_offline_rebuild_with_foreign_keys_on_stops_before_any_cascade() {
    let case = Case::load("anypod_not_null_relaxed_cascade_parent");
    let outcome = check(&case).await.unwrap_or_else(|e| panic!("{e}"));
    let revisions = Revisions::write(&case.before, &outcome.upgrade, &outcome.downgrade).unwrap();
    let path = revisions.database("fk_on");
    let mut conn = open(&path, true).await.unwrap();
    let setup = revisions.offline_upgrade(&[], BEFORE).unwrap();
    run_script(&mut conn, &setup).await.unwrap();
    run_script(&mut conn, &case.rows).await.unwrap();
    let script = revisions.offline_upgrade(&[BEFORE], "head").unwrap();
    assert!(
        script.starts_with("-- table rebuilds below")
            && script.contains("PRAGMA foreign_keys = OFF;"),
        "{script}"
    );
    run_script(&mut conn, &script)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{script}"));
    close(conn).await.unwrap();
    let mut conn = open(&path, true).await.unwrap();
    let children: i64 = aludel::sqlx::query_scalar("SELECT count(*) FROM download")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(children, 4);
}

#[test]
fn every_case_folder_has_a_test() {
    let folders = all_names();
    let listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        folders, sorted,
        "the corpus! list and the case folders differ"
    );
    assert!(folders.len() >= 35, "only {} cases", folders.len());
}

corpus!(
    add_column_non_constant_default,
    add_column_not_null_with_default,
    add_column_nullable,
    add_column_references,
    add_column_unique_needs_rebuild,
    add_column_with_default,
    add_table,
    anypod_column_rename_under_triggers,
    anypod_enum_text_to_boolean,
    anypod_full_schema_edit,
    anypod_not_null_relaxed_cascade_parent,
    anypod_view_on_rebuilt_table,
    autoincrement_kept_across_rebuild,
    autoincrement_table_renamed_and_rebuilt,
    check_named,
    check_unnamed,
    collation_change,
    column_rename_under_trigger_and_view,
    composite_foreign_key_rebuilt,
    create_three_tables_fk_ordered,
    default_added,
    default_changed,
    default_hex_integer_kept_in_rebuild,
    default_literal_forms,
    default_removed,
    drop_column_in_check_and_expression_index,
    drop_column_in_fk,
    drop_column_in_partial_index_predicate,
    drop_column_in_pk,
    drop_column_indexed,
    drop_column_plain,
    drop_column_used_by_trigger_and_view,
    drop_referenced_parent_and_child,
    drop_table,
    fk_action_change,
    fk_added,
    fk_deferrable,
    fk_removed,
    formatting_only_is_no_change,
    generated_changed,
    generated_column_source_renamed,
    generated_stored_added,
    generated_virtual_added,
    hex_integers_in_check_generated_and_index,
    identifier_case_kept_in_rebuild,
    index_add,
    index_desc,
    index_drop,
    index_expression,
    index_partial,
    index_unique,
    instead_of_trigger_on_view_over_rebuilt_table,
    literal_spelling_is_no_change,
    not_null_added_with_default,
    not_null_relaxed,
    not_null_without_default_refused_on_null_rows,
    primary_key_change,
    primary_key_change_referenced_by_child,
    quoted_identifiers_and_keywords,
    renamed_table_named_by_trigger_elsewhere,
    self_referencing_table_rebuilt,
    strict_off,
    strict_on,
    table_and_column_renamed_with_view,
    table_rename,
    trigger_add,
    trigger_change,
    trigger_drop,
    trigger_elsewhere_names_rebuilt_table,
    type_change,
    unique_named,
    unique_unnamed,
    view_add,
    view_chain_over_rebuilt_table,
    view_change,
    view_drop,
    view_over_two_rebuilt_tables,
    without_rowid_off,
    without_rowid_on,
    without_rowid_strict_type_change,
);
