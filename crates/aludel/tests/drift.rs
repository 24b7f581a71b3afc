//! The library's autogenerate API on real SQLite: embedded migrations
//! compared with a desired schema (replayed in memory, or a database file at
//! head), and the desired schema a project's configuration names.

use aludel::autogen::{self, Renames};
use aludel::config::Config;
use aludel::{Error, Migrations};

static PORTABLE: Migrations = aludel::embed_migrations!("tests/fixtures/portable");

/// The schema the `portable` fixture's three revisions build.
const AT_HEAD: &str = "
CREATE TABLE t1 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL);
CREATE TABLE t2 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL);
CREATE TABLE t3 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL);
";

fn sqlite_url(dir: &tempfile::TempDir) -> (String, std::path::PathBuf) {
    let file = dir.path().join("app.db");
    (format!("sqlite://{}", file.display()), file)
}

#[tokio::test]
async fn replayed_migrations_that_build_the_schema_have_no_drift() {
    let drift = PORTABLE.drift_replayed(AT_HEAD).await.unwrap();
    assert!(drift.is_empty(), "{:?}", drift.describe());
    assert!(drift.describe().is_empty());
}

#[tokio::test]
async fn replayed_drift_says_what_differs_and_how_to_get_there() {
    let desired = format!("{AT_HEAD}CREATE TABLE t4 (id INTEGER PRIMARY KEY);\n");
    let desired = desired.replace(
        "t3 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL)",
        "t3 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL, extra TEXT)",
    );
    let drift = PORTABLE.drift_replayed(&desired).await.unwrap();
    assert!(!drift.is_empty());
    let lines = drift.describe();
    assert!(lines.contains(&"added table 't4'".to_string()), "{lines:?}");
    assert!(
        lines.contains(&"added column 't3.extra'".to_string()),
        "{lines:?}"
    );
    let up = drift.migration.upgrade_sql();
    let down = drift.migration.downgrade_sql();
    assert!(up.contains("t4") && up.contains("extra"), "{up}");
    assert!(down.contains("t4"), "{down}");
}

#[tokio::test]
async fn a_desired_schema_that_does_not_load_is_an_error_naming_it() {
    let err = PORTABLE
        .drift_replayed("CREATE TABLE ok (x INTEGER);\nCREATE TABLE bad (x INTEGER,);")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("desired schema"), "{err}");
    assert!(err.contains('2'), "the statement's line: {err}");
}

#[tokio::test]
async fn the_database_must_be_at_head_and_is_never_created() {
    let dir = tempfile::tempdir().unwrap();
    let (url, file) = sqlite_url(&dir);
    let err = PORTABLE.drift(&url, AT_HEAD).await.unwrap_err();
    assert!(matches!(err, Error::NotUpToDate), "{err:?}");
    assert_eq!(err.to_string(), "Target database is not up to date.");
    assert!(!file.exists(), "drift created the database");

    PORTABLE.upgrade(&url, "c2").await.unwrap();
    let err = PORTABLE.drift(&url, AT_HEAD).await.unwrap_err();
    assert!(matches!(err, Error::NotUpToDate), "{err:?}");

    PORTABLE.upgrade(&url, "head").await.unwrap();
    let drift = PORTABLE.drift(&url, AT_HEAD).await.unwrap();
    assert!(drift.is_empty(), "{:?}", drift.describe());
    let drift = PORTABLE
        .drift(&url, &AT_HEAD.replace("CREATE TABLE t3", "CREATE TABLE t9"))
        .await
        .unwrap();
    assert!(!drift.is_empty());
}

#[tokio::test]
async fn an_unreachable_server_url_is_named_without_its_password() {
    for url in [
        "postgres://app:s3cret@127.0.0.1:1/app",
        "mysql://app:s3cret@127.0.0.1:1/app",
    ] {
        let err = PORTABLE.drift(url, AT_HEAD).await.unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains("app:***@127.0.0.1:1/app"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }
}

#[tokio::test]
async fn a_project_names_its_desired_schema_in_its_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("aludel.toml");
    let none = Config::parse("", &config_path).unwrap();
    let err = autogen::config_sources(&none).unwrap_err();
    assert!(matches!(err, Error::NoTargetSchema), "{err:?}");

    std::fs::write(dir.path().join("a.sql"), "CREATE TABLE a (x INTEGER);").unwrap();
    std::fs::write(dir.path().join("b.sql"), "CREATE TABLE b (x INTEGER);").unwrap();
    let files = Config::parse("target_schema = [\"a.sql\", \"b.sql\"]\n", &config_path).unwrap();
    let sources = autogen::config_sources(&files).unwrap();
    assert_eq!(sources.len(), 2);
    assert!(sources[0].origin.ends_with("a.sql") && sources[0].text.contains("TABLE a"));
    assert!(sources[1].origin.ends_with("b.sql") && sources[1].text.contains("TABLE b"));

    let missing = Config::parse("target_schema = \"gone.sql\"\n", &config_path).unwrap();
    let err = autogen::config_sources(&missing).unwrap_err().to_string();
    assert!(err.contains("gone.sql"), "{err}");

    // The command runs in the configuration's folder, whatever the caller's.
    let command = Config::parse(
        "target_schema_command = [\"cat\", \"b.sql\"]\n",
        &config_path,
    )
    .unwrap();
    let sources = autogen::config_sources(&command).unwrap();
    assert_eq!(sources.len(), 1);
    assert!(sources[0].text.contains("TABLE b"), "{:?}", sources[0]);

    // The same comparison as the CLI's, through the free functions.
    let history = PORTABLE.history().unwrap();
    let settings = PORTABLE.session();
    let desired = [autogen::SchemaSource {
        origin: "head.sql".into(),
        text: AT_HEAD.into(),
    }];
    let drift = autogen::drift_of_history(history, &desired, &Renames::default(), &settings)
        .await
        .unwrap();
    assert!(drift.is_empty(), "{:?}", drift.describe());
}
