//! Edited revisions and databases ahead of the code, against real SQLite
//! files: the runner refuses, accepts when told and records it; `verify`
//! counts; the embedded `Migrations` return the same errors.

mod common;

use aludel::dialect::VersionTable;
use aludel::driver::SessionSettings;
use std::path::Path;

use aludel::Error;
use aludel::history::History;
use aludel::runner::verify::{self, Verification};
use aludel::runner::{self, Direction, RunOptions, RunSummary};
use aludel::sqlx::{self, SqlitePool};
use common::{Scratch, open, scratch};

static CHAIN: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/chain");
static CHAIN_ACCEPTING: aludel::Migrations =
    aludel::embed_migrations!("tests/fixtures/chain").with_accept_edited(true);

/// A revision whose downgrade drops the table named after it.
fn write_rev(dir: &Path, id: &str, parent: &str, up: &str) {
    common::write_rev(dir, id, parent, up, &format!("DROP TABLE IF EXISTS {id};"));
}

/// A project with `r1 <- r2` applied, and `r3` on top written but not applied.
async fn applied_chain() -> Scratch {
    let s = scratch();
    write_rev(&s.versions, "r1", "", "CREATE TABLE r1 (id INTEGER);");
    write_rev(&s.versions, "r2", "r1", "CREATE TABLE r2 (id INTEGER);");
    run(&s, Direction::Upgrade, "head", false).await.unwrap();
    write_rev(&s.versions, "r3", "r2", "CREATE TABLE r3 (id INTEGER);");
    s
}

fn load(s: &Scratch) -> History {
    History::load(std::slice::from_ref(&s.versions)).unwrap()
}

async fn run(
    s: &Scratch,
    direction: Direction,
    target: &str,
    accept_edited: bool,
) -> Result<RunSummary, Error> {
    let history = load(s);
    let mut db = open(&s.url).await;
    let mut log = |_: &str| {};
    let result = runner::migrate(
        &mut db,
        &history,
        direction,
        target,
        RunOptions {
            session: SessionSettings::default(),
            transaction_per_migration: true,
            on_step: &mut log,
            accept_edited,
        },
    )
    .await;
    db.close().await;
    result
}

async fn check(s: &Scratch) -> Result<Verification, Error> {
    let history = load(s);
    let mut db = open(&s.url).await;
    let heads = runner::current_heads(&mut db, &VersionTable::new("alembic_version")).await?;
    let found = verify::verify(
        &mut db,
        &history,
        &heads,
        &VersionTable::new("alembic_version"),
    )
    .await;
    db.close().await;
    found
}

async fn strings(url: &str, sql: &str) -> Vec<String> {
    let pool = SqlitePool::connect(url).await.unwrap();
    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}

async fn exec(url: &str, sql: &str) {
    let pool = SqlitePool::connect(url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

async fn history_rows(url: &str) -> Vec<String> {
    strings(
        url,
        "SELECT revision || ' ' || direction FROM aludel_history ORDER BY id",
    )
    .await
}

fn edit_r1(s: &Scratch) {
    write_rev(
        &s.versions,
        "r1",
        "",
        "CREATE TABLE r1 (id INTEGER, extra TEXT);",
    );
}

#[tokio::test]
async fn an_edited_applied_file_stops_upgrade_before_anything_runs() {
    let s = applied_chain().await;
    edit_r1(&s);
    let before = history_rows(&s.url).await;
    let err = run(&s, Direction::Upgrade, "head", false)
        .await
        .unwrap_err();
    let Error::EditedRevisions(edited) = &err else {
        panic!("expected EditedRevisions, got {err}");
    };
    assert_eq!(edited.len(), 1, "{err}");
    assert_eq!(edited[0].revision, "r1");
    assert!(edited[0].path.ends_with("r1.sql"), "{err}");
    assert!(edited[0].applied_at.starts_with("20"), "{err}");
    assert!(edited[0].applied_by.contains('@'), "{err}");
    assert_ne!(edited[0].checksum, edited[0].recorded_checksum);
    let text = err.to_string();
    assert!(text.contains("r1.sql: revision r1 applied 20"), "{text}");
    assert!(text.contains("--accept-edited"), "{text}");
    assert_eq!(
        strings(&s.url, "SELECT version_num FROM alembic_version").await,
        vec!["r2"]
    );
    assert_eq!(history_rows(&s.url).await, before);
    assert!(
        strings(&s.url, "SELECT name FROM sqlite_master WHERE name = 'r3'")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn downgrade_refuses_too() {
    let s = applied_chain().await;
    edit_r1(&s);
    let err = run(&s, Direction::Downgrade, "-1", false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::EditedRevisions(_)), "{err}");
    assert_eq!(
        strings(&s.url, "SELECT version_num FROM alembic_version").await,
        vec!["r2"]
    );
}

#[tokio::test]
async fn a_line_ending_change_is_not_an_edit() {
    let s = applied_chain().await;
    let path = s.versions.join("r1.sql");
    let crlf = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&path, crlf).unwrap();
    let found = check(&s).await.unwrap();
    assert!(found.edited.is_empty(), "{found:?}");
    assert_eq!(found.verified, 2);
    run(&s, Direction::Upgrade, "head", false).await.unwrap();
}

#[tokio::test]
async fn accepting_runs_records_the_new_checksum_and_the_next_run_is_quiet() {
    let s = applied_chain().await;
    edit_r1(&s);
    let summary = run(&s, Direction::Upgrade, "head", true).await.unwrap();
    assert_eq!(summary.applied, vec!["r3"]);
    let rows = history_rows(&s.url).await;
    assert_eq!(
        rows,
        vec!["r1 upgrade", "r2 upgrade", "r1 accept", "r3 upgrade"]
    );
    let history = load(&s);
    let now = history
        .file(history.graph().find("r1").unwrap())
        .checksum()
        .unwrap();
    assert_eq!(
        strings(
            &s.url,
            "SELECT checksum FROM aludel_history WHERE direction = 'accept'"
        )
        .await,
        vec![now]
    );
    let found = check(&s).await.unwrap();
    assert!(found.edited.is_empty(), "{found:?}");
    assert_eq!(found.verified, 3);
    run(&s, Direction::Downgrade, "r2", false).await.unwrap();
}

#[tokio::test]
async fn stamped_revisions_are_not_verifiable_and_are_not_edits() {
    let s = applied_chain().await;
    // r3 is stamped, not run; then r1 is undone, edited, and stamped back.
    let history = load(&s);
    let mut db = open(&s.url).await;
    let mut log = |_: &str| {};
    runner::stamp(
        &mut db,
        &history,
        &["r3"],
        false,
        &SessionSettings::default(),
        &mut log,
    )
    .await
    .unwrap();
    db.close().await;
    let found = check(&s).await.unwrap();
    assert_eq!((found.verified, found.unverifiable), (2, 1), "{found:?}");
    run(&s, Direction::Downgrade, "base", false).await.unwrap();
    edit_r1(&s);
    let history = load(&s);
    let mut db = open(&s.url).await;
    runner::stamp(
        &mut db,
        &history,
        &["r1"],
        false,
        &SessionSettings::default(),
        &mut log,
    )
    .await
    .unwrap();
    db.close().await;
    let found = check(&s).await.unwrap();
    assert_eq!(
        found,
        Verification {
            edited: Vec::new(),
            verified: 0,
            unverifiable: 1
        }
    );
}

#[tokio::test]
async fn a_database_without_a_history_table_is_unverifiable_and_left_alone() {
    let s = applied_chain().await;
    exec(&s.url, "DROP TABLE aludel_history").await;
    edit_r1(&s);
    let found = check(&s).await.unwrap();
    assert_eq!((found.verified, found.unverifiable), (0, 2), "{found:?}");
    assert!(
        strings(
            &s.url,
            "SELECT name FROM sqlite_master WHERE name = 'aludel_history'"
        )
        .await
        .is_empty()
    );
}

#[tokio::test]
async fn a_version_table_with_unknown_revisions_is_a_database_ahead() {
    let s = applied_chain().await;
    exec(
        &s.url,
        "INSERT INTO alembic_version VALUES ('newer1'); INSERT INTO alembic_version VALUES ('newer2')",
    )
    .await;
    for (direction, target) in [(Direction::Upgrade, "head"), (Direction::Downgrade, "base")] {
        let err = run(&s, direction, target, false).await.unwrap_err();
        let Error::DatabaseAhead {
            version_table,
            unknown,
        } = &err
        else {
            panic!("expected DatabaseAhead, got {err}");
        };
        assert_eq!(version_table, "alembic_version");
        assert_eq!(unknown, &["newer1", "newer2"]);
        let text = err.to_string();
        assert!(text.contains("'newer1', 'newer2'"), "{text}");
        assert!(text.contains("newer version of the application"), "{text}");
    }
    assert!(matches!(
        check(&s).await.unwrap_err(),
        Error::DatabaseAhead { .. }
    ));
    let history = load(&s);
    let mut db = open(&s.url).await;
    let mut log = |_: &str| {};
    let stamped = runner::stamp(
        &mut db,
        &history,
        &["r1"],
        false,
        &SessionSettings::default(),
        &mut log,
    )
    .await;
    assert!(matches!(stamped, Err(Error::DatabaseAhead { .. })));
    // `--purge` is the way out: it does not read the version table.
    let purged = runner::stamp(
        &mut db,
        &history,
        &["r2"],
        true,
        &SessionSettings::default(),
        &mut log,
    )
    .await;
    assert_eq!(purged.unwrap(), vec!["r2"]);
    db.close().await;
}

#[tokio::test]
async fn embedded_migrations_report_a_database_ahead_and_edited_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    CHAIN.upgrade(&url, "c2").await.unwrap();
    exec(
        &url,
        "UPDATE aludel_history SET checksum = 'old' WHERE revision = 'c1'",
    )
    .await;
    let err = CHAIN.upgrade(&url, "head").await.unwrap_err();
    assert!(
        matches!(&err, Error::EditedRevisions(e) if e[0].revision == "c1"),
        "{err}"
    );
    assert!(
        err.to_string().contains("with_accept_edited(true)"),
        "an application is told how it accepts the files, not only the CLI: {err}"
    );
    assert_eq!(CHAIN.current(&url).await.unwrap(), vec!["c2"]);
    CHAIN_ACCEPTING.upgrade(&url, "head").await.unwrap();
    CHAIN.downgrade(&url, "c2").await.unwrap();
    exec(&url, "UPDATE alembic_version SET version_num = 'c9'").await;
    let ahead = |r: Result<(), Error>| matches!(r, Err(Error::DatabaseAhead { unknown, .. }) if unknown == ["c9"]);
    assert!(ahead(CHAIN.current(&url).await.map(|_| ())));
    assert!(ahead(CHAIN.upgrade(&url, "head").await.map(|_| ())));
    assert!(ahead(CHAIN.downgrade(&url, "base").await.map(|_| ())));
    let pool = SqlitePool::connect(&url).await.unwrap();
    assert!(ahead(CHAIN.current_pool(&pool).await.map(|_| ())));
    pool.close().await;
}

#[tokio::test]
async fn accepting_with_nothing_to_run_still_records_the_acceptance() {
    let s = applied_chain().await;
    std::fs::remove_file(s.versions.join("r3.sql")).unwrap();
    edit_r1(&s);
    let summary = run(&s, Direction::Upgrade, "head", true).await.unwrap();
    assert!(summary.applied.is_empty());
    assert_eq!(
        history_rows(&s.url).await,
        vec!["r1 upgrade", "r2 upgrade", "r1 accept"]
    );
    run(&s, Direction::Upgrade, "head", false).await.unwrap();
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_on_every_url_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    std::fs::write(&path, vec![0x5a_u8; 4096]).unwrap();
    let url = format!("sqlite://{}", path.display());
    for err in [
        CHAIN.upgrade(&url, "head").await.unwrap_err(),
        CHAIN.downgrade(&url, "base").await.unwrap_err(),
        CHAIN.current(&url).await.unwrap_err(),
    ] {
        let text = err.to_string();
        assert!(
            text.contains(&format!("opening {url}")) && text.contains("file is not a database"),
            "{text}"
        );
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        vec![0x5a_u8; 4096],
        "left as it was"
    );
}
