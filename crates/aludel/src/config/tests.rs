use super::*;

#[test]
fn file_template_fields_must_be_known() {
    let path = Path::new("aludel.toml");
    let err = Config::parse("file_template = \"{rev}_{nope}\"\n", path)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`file_template` uses `{nope}`, which is not a field"),
        "{err}"
    );
    assert!(err.contains("{year} {month} {day}"), "{err}");
    let c = Config::parse(
        "file_template = \"{year}{month}{day}_{hour}{minute}{second}_{rev}_{slug}\"\n",
        path,
    )
    .unwrap();
    assert!(c.file_template.starts_with("{year}"));
}

#[test]
fn here_in_a_folder_whose_path_a_url_cannot_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a?b", "c#d"] {
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join("aludel.toml");
        let err = Config::parse("database_url = \"sqlite:///{here}/app.db\"\n", &path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`{here}` in `database_url` cannot name this folder"),
            "{err}"
        );
        let err = Config::parse("dev_url = \"sqlite:///{here}/dev.db\"\n", &path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`{here}` in `dev_url` cannot name this folder"),
            "{err}"
        );
        // Without `{here}` the folder is fine.
        Config::parse("database_url = \"sqlite://app.db\"\n", &path).unwrap();
    }
}

#[test]
fn a_missing_script_location_is_alembics_error() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::parse(
        "script_location = \"nowhere\"\n",
        &dir.path().join("aludel.toml"),
    )
    .unwrap();
    let message = c.history().unwrap_err().to_string();
    assert!(message.starts_with("Path doesn't exist: "), "{message}");
    assert!(
        message.contains("nowhere.  Please use the 'init' command"),
        "{message}"
    );
}

#[test]
fn only_files_are_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let versions = dir.path().join("migrations/versions");
    std::fs::create_dir_all(versions.join("folder.sql")).unwrap();
    std::fs::write(
        versions.join("a1.sql"),
        "-- one\n--\n-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\n",
    )
    .unwrap();
    let c = Config::parse("", &dir.path().join("aludel.toml")).unwrap();
    let history = c.history().unwrap();
    assert_eq!(history.len(), 1);
}

#[test]
fn defaults_are_alembic_like() {
    let c = Config::parse("", Path::new("proj/aludel.toml")).unwrap();
    assert_eq!(c.script_location, Path::new("proj/migrations"));
    assert_eq!(
        c.version_locations,
        vec![PathBuf::from("proj/migrations/versions")]
    );
    assert_eq!(c.version_table, "alembic_version");
    assert_eq!(c.file_template, "{rev}_{slug}");
    assert!(c.transaction_per_migration);
    assert_eq!(c.truncate_slug_length, 40);
    assert_eq!(c.lock_timeout, Duration::from_secs(60));
}

#[test]
fn lock_timeout_is_seconds_and_never_negative() {
    let path = Path::new("a/aludel.toml");
    let c = Config::parse("lock_timeout = 2\n", path).unwrap();
    assert_eq!(c.lock_timeout, Duration::from_secs(2));
    let c = Config::parse("lock_timeout = 0.5\n", path).unwrap();
    assert_eq!(c.lock_timeout, Duration::from_millis(500));
    let text = Config::parse("lock_timeout = -1\n", path)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("a/aludel.toml") && text.contains("lock_timeout"),
        "{text}"
    );
}

#[test]
fn unknown_key_is_an_error_naming_file_and_key() {
    let err = Config::parse("scrip_location = \"m\"\n", Path::new("a/aludel.toml")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("a/aludel.toml"), "{text}");
    assert!(text.contains("scrip_location"), "{text}");
}

#[test]
fn paths_are_relative_to_the_file() {
    let c = Config::parse(
        "script_location = \"db\"\ntarget_schema = [\"s1.sql\", \"s2.sql\"]\n",
        Path::new("x/aludel.toml"),
    )
    .unwrap();
    assert_eq!(c.script_location, Path::new("x/db"));
    assert_eq!(
        c.target_schema,
        vec![PathBuf::from("x/s1.sql"), PathBuf::from("x/s2.sql")]
    );
}

#[test]
fn target_schema_command_is_a_program_and_its_arguments() {
    let c = Config::parse(
        "target_schema_command = [\"python3\", \"dump.py\", \"--ddl\"]\n",
        Path::new("x/aludel.toml"),
    )
    .unwrap();
    assert_eq!(
        c.target_schema_command.as_deref(),
        Some(&["python3".to_string(), "dump.py".into(), "--ddl".into()][..])
    );
    assert!(c.target_schema.is_empty());
    assert_eq!(c.base_dir(), Path::new("x"));
    assert_eq!(
        Config::parse("", Path::new("aludel.toml"))
            .unwrap()
            .base_dir(),
        Path::new(".")
    );
}

#[test]
fn target_schema_and_its_command_together_are_refused() {
    let err = Config::parse(
        "target_schema = \"schema.sql\"\ntarget_schema_command = [\"cat\", \"schema.sql\"]\n",
        Path::new("x/aludel.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("x/aludel.toml: "), "{err}");
    assert!(
        err.contains("`target_schema` and `target_schema_command` both name the desired schema"),
        "{err}"
    );
}

#[test]
fn a_target_schema_command_without_a_program_is_refused() {
    for text in [
        "target_schema_command = []\n",
        "target_schema_command = [\"\"]\n",
    ] {
        let err = Config::parse(text, Path::new("aludel.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("must name a program"), "{text}: {err}");
    }
    let err = Config::parse(
        "target_schema_command = \"cat s.sql\"\n",
        Path::new("aludel.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("target_schema_command"), "{err}");
}

#[test]
fn dev_url_is_accepted_expanded_and_never_shown_with_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::parse(
        "dev_url = \"postgres://u:s3cret@localhost/scratch\"\n",
        &dir.path().join("aludel.toml"),
    )
    .unwrap();
    assert_eq!(
        c.dev_url.as_deref(),
        Some("postgres://u:s3cret@localhost/scratch")
    );
    let debug = format!("{c:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    let c = Config::parse(
        "dev_url = \"sqlite:///{here}/dev.db\"\n",
        &dir.path().join("aludel.toml"),
    )
    .unwrap();
    let url = c.dev_url.unwrap();
    assert!(!url.contains("{here}") && url.ends_with("/dev.db"), "{url}");
}

#[test]
fn autogenerate_concurrently_is_a_boolean_off_by_default() {
    let path = Path::new("aludel.toml");
    assert!(!Config::parse("", path).unwrap().autogenerate_concurrently);
    assert!(!Config::defaults(Path::new(".")).autogenerate_concurrently);
    let on = Config::parse("autogenerate_concurrently = true\n", path).unwrap();
    assert!(on.autogenerate_concurrently);
    let err = Config::parse("autogenerate_concurrently = \"yes\"\n", path)
        .unwrap_err()
        .to_string();
    assert!(err.contains("aludel.toml"), "{err}");
    assert!(err.contains("autogenerate_concurrently"), "{err}");
}
