//! The revisions reproduce, byte for byte, the schema Alembic made.

mod common;

use common::{SCHEMA_78F7E4E33398, SCHEMA_423D964333D1, scratch, tables, user_schema, versions};

static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations", sqlite);

#[test]
fn both_revisions_are_embedded() {
    let mut paths: Vec<&str> = MIGRATIONS.files().iter().map(|f| f.path).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "migrations/versions/2025_06_25_423d964333d1_initial_schema_from_sqlmodels.sql",
            "migrations/versions/2025_06_25_78f7e4e33398_add_database_triggers.sql",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrade_head_builds_the_reference_schema() {
    let db = scratch();
    let summary = MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    assert_eq!(summary.applied, ["423d964333d1", "78f7e4e33398"]);
    assert_eq!(summary.heads, ["78f7e4e33398"]);

    assert_eq!(user_schema(&db.url).await, SCHEMA_78F7E4E33398);
    assert_eq!(versions(&db.url).await, ["78f7e4e33398"]);
    assert_eq!(
        MIGRATIONS.current(&db.url).await.expect("current"),
        ["78f7e4e33398"]
    );

    // Running it again changes nothing.
    let again = MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head again");
    assert!(again.applied.is_empty(), "{:?}", again.applied);
    assert_eq!(user_schema(&db.url).await, SCHEMA_78F7E4E33398);
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrade_revision_by_revision() {
    let db = scratch();
    let first = MIGRATIONS
        .upgrade(&db.url, "423d964333d1")
        .await
        .expect("upgrade 423d964333d1");
    assert_eq!(first.applied, ["423d964333d1"]);
    assert_eq!(user_schema(&db.url).await, SCHEMA_423D964333D1);
    assert_eq!(versions(&db.url).await, ["423d964333d1"]);

    let second = MIGRATIONS.upgrade(&db.url, "+1").await.expect("upgrade +1");
    assert_eq!(second.applied, ["78f7e4e33398"]);
    assert_eq!(user_schema(&db.url).await, SCHEMA_78F7E4E33398);
    assert_eq!(versions(&db.url).await, ["78f7e4e33398"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn downgrade_undoes_each_revision() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");

    let down = MIGRATIONS
        .downgrade(&db.url, "423d964333d1")
        .await
        .expect("downgrade 423d964333d1");
    assert_eq!(down.applied, ["78f7e4e33398"]);
    assert_eq!(user_schema(&db.url).await, SCHEMA_423D964333D1);
    assert_eq!(versions(&db.url).await, ["423d964333d1"]);

    let down = MIGRATIONS
        .downgrade(&db.url, "base")
        .await
        .expect("downgrade base");
    assert_eq!(down.applied, ["423d964333d1"]);
    assert!(down.heads.is_empty(), "{:?}", down.heads);
    assert_eq!(user_schema(&db.url).await, "");
    assert_eq!(tables(&db.url).await, ["alembic_version", "aludel_history"]);
    assert!(versions(&db.url).await.is_empty());
    assert!(
        MIGRATIONS
            .current(&db.url)
            .await
            .expect("current")
            .is_empty()
    );

    // And back up again from base.
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head from base");
    assert_eq!(user_schema(&db.url).await, SCHEMA_78F7E4E33398);
}

#[tokio::test(flavor = "multi_thread")]
async fn downgrade_base_from_head_in_one_run() {
    let db = scratch();
    MIGRATIONS
        .upgrade(&db.url, "head")
        .await
        .expect("upgrade head");
    let down = MIGRATIONS
        .downgrade(&db.url, "base")
        .await
        .expect("downgrade base");
    assert_eq!(down.applied, ["78f7e4e33398", "423d964333d1"]);
    assert_eq!(user_schema(&db.url).await, "");
    assert_eq!(tables(&db.url).await, ["alembic_version", "aludel_history"]);
}
