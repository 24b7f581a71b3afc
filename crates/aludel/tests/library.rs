//! The library's contract (SPEC §7): the same embedded migrations, given a
//! URL, an application's pool or one of its connections, on every enabled
//! engine, do the same — the same version and history rows, the same
//! answers from `pending` and `is_at_head`, the application's settings given
//! back — and fail the same, with the database's error kept as the source.

#[macro_use]
#[path = "common/paths.rs"]
mod paths;

use std::error::Error as _;

use aludel::driver::DbError;
use aludel::sqlx;
use aludel::{Error, Migrations};
use aludel_testkit::{Engine as TestEngine, TestDb};

static CHAIN: Migrations =
    aludel::embed_migrations!("tests/fixtures/portable").with_version_table("app_version");
static UNIQUE: Migrations = aludel::embed_migrations!("tests/fixtures/unique");
static UNIQUE_WHOLE_RUN: Migrations =
    aludel::embed_migrations!("tests/fixtures/unique").with_transaction_per_migration(false);

fn joined(revisions: &[String]) -> String {
    revisions.join(",")
}

#[tokio::test]
async fn every_path_runs_the_same_migrations_and_gives_the_connection_back() {
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    on_every_path!(|db, via| {
        let before = via.settings().await;
        let mut transcript = Vec::new();
        let mut note = |line: String| transcript.push(line);
        note(format!(
            "pending {}",
            joined(&via.pending(&CHAIN, "head").await.unwrap())
        ));
        note(format!("at head {}", via.is_at_head(&CHAIN).await.unwrap()));
        let up = via.upgrade(&CHAIN, "c2").await.unwrap();
        note(format!(
            "applied {} -> {}",
            joined(&up.applied),
            joined(&up.heads)
        ));
        note(format!(
            "pending {}",
            joined(&via.pending(&CHAIN, "head").await.unwrap())
        ));
        let up = via.upgrade(&CHAIN, "head").await.unwrap();
        note(format!(
            "applied {} -> {}",
            joined(&up.applied),
            joined(&up.heads)
        ));
        note(format!("at head {}", via.is_at_head(&CHAIN).await.unwrap()));
        let down = via.downgrade(&CHAIN, "-1").await.unwrap();
        note(format!(
            "undid {} -> {}",
            joined(&down.applied),
            joined(&down.heads)
        ));
        note(format!(
            "current {}",
            joined(&via.current(&CHAIN).await.unwrap())
        ));
        note(format!(
            "rows {}",
            db.column("SELECT version_num FROM app_version").join(",")
        ));
        for row in db.query("SELECT revision, direction FROM aludel_history ORDER BY id") {
            let row: Vec<String> = row.into_iter().map(Option::unwrap_or_default).collect();
            note(format!("history {}", row.join(" ")));
        }
        assert_eq!(
            via.settings().await,
            before,
            "settings given back ({})",
            via.name()
        );
        seen.push((format!("{} {}", db.engine.name(), via.name()), transcript));
    });
    let expected = [
        "pending c1,c2,c3",
        "at head false",
        "applied c1,c2 -> c2",
        "pending c3",
        "applied c3 -> c3",
        "at head true",
        "undid c3 -> c2",
        "current c2",
        "rows c2",
        "history c1 upgrade",
        "history c2 upgrade",
        "history c3 upgrade",
        "history c3 downgrade",
    ];
    assert_eq!(seen.len(), 3 * paths::engines().len(), "{seen:?}");
    for (path, transcript) in &seen {
        assert_eq!(transcript, &expected, "{path}");
    }
}

/// The code each engine gives a UNIQUE violation.
fn unique_violation(engine: TestEngine) -> &'static str {
    match engine {
        TestEngine::Sqlite => "2067",
        TestEngine::Postgres => "23505",
        TestEngine::MySql => "1062",
    }
}

#[tokio::test]
async fn a_failed_statement_keeps_the_databases_error_as_source_with_its_code() {
    on_every_path!(|db, via| {
        let err = via.upgrade(&UNIQUE, "head").await.unwrap_err();
        // Where DDL commits at once, the statements before it stay: the
        // migration is half-applied, and says which statement failed.
        let failure = match &err {
            Error::Statement(failure) => failure.as_ref(),
            Error::HalfApplied(half) if db.engine.ddl_commits() => match &half.problem {
                aludel::runner::progress::Problem::Failed(failure) => failure,
                other => panic!("{}: expected a failed statement, got {other:?}", via.name()),
            },
            _ => panic!("{}: expected a statement failure, got {err:?}", via.name()),
        };
        assert_eq!(failure.revision, "u2");
        assert_eq!((failure.line, failure.direction), (10, "upgrade"));
        assert_eq!(err.db_code(), Some(unique_violation(db.engine)), "{err}");
        let source = err.source().expect("a source");
        let db_error = source.downcast_ref::<DbError>().expect("a DbError");
        assert_eq!(db_error.code(), err.db_code());
        let sqlx_error = db_error.source().expect("the sqlx error");
        let sqlx_error = sqlx_error
            .downcast_ref::<sqlx::Error>()
            .expect("sqlx::Error");
        assert!(
            matches!(sqlx_error, sqlx::Error::Database(_)),
            "{sqlx_error}"
        );
        assert!(err.sqlx_error().is_some());
        // One transaction per migration: u1 stays, u2 is undone whole.
        assert_eq!(db.versions(), ["u1"]);
        assert_eq!(db.column("SELECT k FROM keyed"), ["a"]);
        if !db.engine.ddl_commits() {
            assert!(!db.has_table("other"), "{}", via.name());
        }
    });
}

#[tokio::test]
async fn one_transaction_for_the_run_is_honoured_on_every_path() {
    on_every_path!(|db, via| {
        let err = via.upgrade(&UNIQUE_WHOLE_RUN, "head").await.unwrap_err();
        assert_eq!(err.db_code(), Some(unique_violation(db.engine)), "{err}");
        if !db.engine.ddl_commits() {
            assert!(!db.has_table("keyed"), "u1 undone too ({})", via.name());
            assert!(!db.has_table("alembic_version"), "{}", via.name());
        }
    });
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_a_database_error_with_the_engines_code() {
    let db = TestDb::scratch(TestEngine::Sqlite);
    let path = db.sqlite_path().expect("a SQLite file");
    std::fs::write(&path, [b'x'; 4096]).unwrap();
    let err = CHAIN.current(&db.url).await.unwrap_err();
    let Error::Database { context, .. } = &err else {
        panic!("expected a database error, got {err:?}");
    };
    assert!(context.starts_with("opening sqlite://"), "{context}");
    assert_eq!(err.db_code(), Some("26"), "SQLITE_NOTADB: {err}");
    let sqlx_error = err
        .source()
        .and_then(|db_error| db_error.source())
        .and_then(|e| e.downcast_ref::<sqlx::Error>());
    assert!(sqlx_error.is_some(), "{err:?}");
}

#[tokio::test]
async fn no_error_shows_a_password() {
    let secret = "pw-Secret-42";
    for url in [
        format!("postgres://app:{secret}@127.0.0.1:1/db"),
        format!("mysql://app:{secret}@127.0.0.1:1/db?ssl-mode=DISABLED"),
    ] {
        let errors = [
            CHAIN.upgrade(&url, "head").await.unwrap_err(),
            CHAIN.current(&url).await.unwrap_err(),
            CHAIN.is_at_head(&url).await.unwrap_err(),
        ];
        for err in errors {
            let mut level: Option<&dyn std::error::Error> = Some(&err);
            while let Some(e) = level {
                let shown = format!("{e} {e:?}");
                assert!(!shown.contains(secret), "{shown}");
                level = e.source();
            }
        }
    }
}
