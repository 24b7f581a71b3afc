//! `schema.sql` (aludel.toml's `target_schema`) is the schema the revisions
//! build: a database upgraded to head has no drift, which is what `aludel
//! check` exits 0 on (the library call below is the code `check` runs), and
//! neither have the revisions replayed in memory; an edit of the schema is
//! drift, and a database behind head is refused.

mod common;

use common::scratch;

static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations", sqlite);

/// The desired schema, as `aludel check` reads it through aludel.toml.
const SCHEMA: &str = include_str!("../schema.sql");
/// The same after the README walk-through's edit.
const EDITED: &str = include_str!("../workflow/schema_edited.sql");

#[test]
fn aludel_toml_names_schema_sql() {
    let toml = include_str!("../aludel.toml");
    assert!(
        toml.lines()
            .any(|l| l.trim() == "target_schema = \"schema.sql\""),
        "{toml}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_at_head_has_no_drift() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    let drift = MIGRATIONS.drift(&db.url, SCHEMA).await.expect("compared");
    assert!(
        drift.is_empty(),
        "drift at head:\n{}\n{}",
        drift.describe().join("\n"),
        drift.migration.upgrade_sql()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_revisions_replayed_have_no_drift() {
    let drift = MIGRATIONS.drift_replayed(SCHEMA).await.expect("compared");
    assert!(drift.is_empty(), "{}", drift.describe().join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_walk_through_edit_is_drift() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    let drift = MIGRATIONS.drift(&db.url, EDITED).await.expect("compared");
    let mut found = drift.describe();
    found.sort();
    // Without a declared rename, feed.title -> name is a drop and an add.
    for expected in [
        "added column 'feed.name'",
        "added column 'feed.tags'",
        "removed column 'feed.title'",
        "NULL change of column 'download.mime_type' to nullable",
    ] {
        assert!(
            found.iter().any(|l| l == expected),
            "{expected:?} not in {found:#?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|l| l.starts_with("type change of column 'download.filesize'")),
        "{found:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_behind_head_is_refused() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "423d964333d1")
        .await
        .expect("upgrade to the first revision");
    let err = MIGRATIONS
        .drift(&db.url, SCHEMA)
        .await
        .expect_err("not at head");
    assert!(matches!(err, aludel::Error::NotUpToDate), "{err:?}: {err}");
    assert_eq!(err.to_string(), "Target database is not up to date.");
}
