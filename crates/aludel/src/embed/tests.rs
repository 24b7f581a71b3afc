//! Settings, plans and offline SQL of embedded migrations (no database).

use std::time::Duration;

use super::{EmbeddedFile, Migrations};
use crate::driver::LockMode;
use crate::runner::Direction;
use crate::url::Backend;

const CHAIN_FILES: &[EmbeddedFile] = &[
    EmbeddedFile {
        path: "migrations/versions/c1_step_1.sql",
        source: include_str!("../../tests/fixtures/chain/versions/c1_step_1.sql"),
    },
    EmbeddedFile {
        path: "migrations/versions/c2_step_2.sql",
        source: include_str!("../../tests/fixtures/chain/versions/c2_step_2.sql"),
    },
    EmbeddedFile {
        path: "migrations/versions/c3_step_3.sql",
        source: include_str!("../../tests/fixtures/chain/versions/c3_step_3.sql"),
    },
];

static CHAIN: Migrations = Migrations::from_embedded(CHAIN_FILES);

static TUNED: Migrations = Migrations::from_embedded(CHAIN_FILES)
    .with_version_table("app_version")
    .with_version_table_schema("meta")
    .with_lock_timeout(Duration::from_secs(5))
    .with_lock_mode(LockMode::Transaction)
    .with_transaction_per_migration(false)
    .with_accept_edited(true);

#[test]
fn the_defaults_are_the_configuration_files_defaults() {
    let session = CHAIN.session();
    assert_eq!(session, crate::driver::SessionSettings::default());
    assert!(CHAIN.transaction_per_migration);
    assert!(!CHAIN.accept_edited);
}

#[test]
fn every_setting_made_in_a_static_reaches_the_session() {
    let session = TUNED.session();
    assert_eq!(session.lock_timeout, Duration::from_secs(5));
    assert_eq!(session.lock_mode, LockMode::Transaction);
    assert_eq!(session.version_table.name, "app_version");
    assert_eq!(session.version_table.schema.as_deref(), Some("meta"));
    assert!(!TUNED.transaction_per_migration);
    assert!(TUNED.accept_edited);
}

#[test]
fn a_plan_lists_the_revisions_in_order_with_their_files() {
    let plan = CHAIN.plan(Direction::Upgrade, "base", "head").unwrap();
    assert_eq!(plan.revisions(), ["c1", "c2", "c3"]);
    assert!(plan.from.is_empty());
    assert_eq!(plan.steps[1].description, "Step 2");
    assert_eq!(plan.steps[1].path, "migrations/versions/c2_step_2.sql");
    assert_eq!(plan.steps[1].direction, Direction::Upgrade);

    let rest = CHAIN.plan(Direction::Upgrade, "c1", "head").unwrap();
    assert_eq!(rest.from, ["c1"]);
    assert_eq!(rest.revisions(), ["c2", "c3"]);

    let down = CHAIN.plan(Direction::Downgrade, "c3", "c1").unwrap();
    assert_eq!(down.revisions(), ["c3", "c2"]);
    assert!(
        CHAIN
            .plan(Direction::Upgrade, "c3", "head")
            .unwrap()
            .is_empty()
    );
    assert!(CHAIN.plan(Direction::Upgrade, "base", "nope").is_err());
}

#[test]
fn offline_sql_is_the_engines_own() {
    let sqlite = CHAIN.offline_sql(Backend::Sqlite, "base", "c2").unwrap();
    assert!(sqlite.contains("CREATE TABLE alembic_version"), "{sqlite}");
    assert!(sqlite.contains("CREATE TABLE t2"), "{sqlite}");
    assert!(!sqlite.contains("CREATE TABLE t3"), "{sqlite}");
    assert_eq!(sqlite.matches("BEGIN").count(), 2, "one per migration");
    assert!(sqlite.contains("INSERT INTO alembic_version (version_num) VALUES ('c1')"));

    let pg = TUNED.offline_sql(Backend::Postgres, "c1", "head").unwrap();
    assert!(
        pg.contains("UPDATE meta.app_version SET version_num='c2'"),
        "{pg}"
    );
    assert!(
        !pg.contains("CREATE TABLE meta.app_version"),
        "from c1 it exists"
    );
    assert_eq!(pg.matches("BEGIN").count(), 1, "one for the whole run");
}

/// Applications spawn startup work: every path's future must be `Send`.
#[cfg(feature = "_sqlite")]
#[allow(dead_code, clippy::let_underscore_future)]
fn futures_are_send(pool: sqlx::SqlitePool, mut conn: sqlx::SqliteConnection) {
    fn send<T: Send>(_: T) {}
    send(CHAIN.upgrade("sqlite://x.db", "head"));
    send(CHAIN.is_at_head("sqlite://x.db"));
    send(CHAIN.upgrade_pool(&pool, "head"));
    send(CHAIN.pending_pool(&pool, "head"));
    send(CHAIN.upgrade_connection(&mut conn, "head"));
}
