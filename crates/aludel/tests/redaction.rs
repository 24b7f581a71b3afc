//! No message or display of a URL or configuration parse shows a password,
//! however odd the password or the URL (SPEC §1).

use std::path::Path;

use aludel::DatabaseUrl;
use aludel::config::Config;
use aludel::url::{redact, redact_text};
use proptest::prelude::*;

/// Passwords made of the characters that confuse URL parsers. They start with
/// `pw`, which no fixed part of the URLs below contains.
fn password() -> impl Strategy<Value = String> {
    "[A-Za-z0-9#?/@:%!$&*+,;=~._\\[\\] -]{1,16}".prop_map(|tail| format!("pw{tail}"))
}

/// Every way the URLs are shown: parse errors, `Display`, `Debug`, `redact`.
fn shown(url: &str) -> Vec<String> {
    let mut all = vec![
        redact(url),
        redact_text(url),
        redact_text(&format!("bad `{url}` here")),
    ];
    match DatabaseUrl::parse(url) {
        Ok(parsed) => {
            all.push(parsed.to_string());
            all.push(format!("{parsed:?}"));
            all.push(parsed.redacted());
        }
        Err(e) => all.push(e.to_string()),
    }
    all
}

proptest! {
    #[test]
    fn no_parse_path_shows_the_password(pw in password()) {
        let urls = [
            format!("postgres://user:{pw}@host:5432/db"),
            format!("postgresql+asyncpg://user:{pw}@host/db?sslmode=require"),
            format!("mysql://user:{pw}@host/db#frag"),
            format!("postgres:user:{pw}@h/db"),
            format!("oracle://user:{pw}@h/db"),
            format!("nonsense:user:{pw}@h"),
            format!("user:{pw}@h/db"),
            format!("/srv/app/user:{pw}@h/db"),
            format!("postgres://:{pw}@h/db"),
        ];
        for url in &urls {
            for text in shown(url) {
                prop_assert!(!text.contains(&pw), "{url} shown as {text}");
            }
        }
    }

    #[test]
    fn secret_query_parameters_are_hidden(pw in "pw[A-Za-z0-9#?/@:%!$*+,;=~._ -]{1,16}") {
        let url = format!("postgres://h/db?user=u&password={pw}&sslmode=require");
        for text in shown(&url) {
            prop_assert!(!text.contains(&pw), "{url} shown as {text}");
        }
    }

    #[test]
    fn config_errors_never_quote_the_password(pw in "pw[A-Za-z0-9#?/@:%!$&*+,;=~._ -]{1,16}") {
        let broken = [
            // A syntax error on the `database_url` line itself.
            format!("database_url = \"postgres://u:{pw}@h/db\" oops\n"),
            format!("database_url = \"postgres://u:{pw}@h/db\n"),
            // A type error whose value is the URL.
            format!("version_table = 1\ndatabase_url = [\"postgres://u:{pw}@h/db\"]\n"),
            format!("transaction_per_migration = \"postgres://u:{pw}@h/db\"\n"),
        ];
        let good = format!("database_url = \"postgres://u:{pw}@h/db\"\n");
        let config = Config::parse(&good, Path::new("aludel.toml")).unwrap();
        let debug = format!("{config:?}");
        prop_assert!(!debug.contains(&pw), "{}", debug);
        for text in &broken {
            let err = Config::parse(text, Path::new("dir/aludel.toml")).unwrap_err().to_string();
            prop_assert!(!err.contains(&pw), "{text} gave {err}");
            prop_assert!(err.contains("dir/aludel.toml"), "{err}");
        }
    }
}

#[test]
fn malformed_urls_are_redacted_up_to_the_last_at() {
    assert_eq!(
        redact("postgres://user:sec#ret@h/db"),
        "postgres://user:***@h/db"
    );
    assert_eq!(
        redact("postgres://user:sec?ret@h/db"),
        "postgres://user:***@h/db"
    );
    assert_eq!(
        redact("postgres://user:sec/ret@h/db"),
        "postgres://user:***@h/db"
    );
    assert_eq!(
        redact("postgres:user:secret@h/db"),
        "postgres:user:***@h/db"
    );
    assert_eq!(redact("postgres://u:a@b@h/db"), "postgres://u:***@h/db");
    assert_eq!(redact("sqlite://data/app.db"), "sqlite://data/app.db");
    assert_eq!(redact("postgres://user@h/db"), "postgres://user@h/db");
}

#[test]
fn config_syntax_errors_name_line_and_column() {
    let err = Config::parse(
        "script_location = \"m\"\ndatabase_url = \"postgres://u:hunter2@h/db\" x\n",
        Path::new("a/aludel.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(!err.contains("hunter2"), "{err}");
    assert!(err.starts_with("a/aludel.toml: line 2, column "), "{err}");
}

#[test]
fn here_is_the_config_files_folder() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::parse(
        "database_url = \"sqlite:///{here}/app.db\"\n",
        &dir.path().join("aludel.toml"),
    )
    .unwrap();
    let url = DatabaseUrl::parse(c.database_url.as_deref().unwrap()).unwrap();
    assert_eq!(
        url.sqlite_location(),
        Some(&aludel::url::SqliteLocation::File(
            dir.path().join("app.db")
        ))
    );
    // A config file named without a folder: `{here}` is the working directory.
    let c = Config::parse(
        r#"database_url = "sqlite://{here}/x.db""#,
        Path::new("aludel.toml"),
    )
    .unwrap();
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        c.database_url,
        Some(format!("sqlite://{}/x.db", cwd.display()))
    );
}
