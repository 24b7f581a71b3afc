//! `aludel init DIR`: scaffolds a migration environment.

use std::path::{Path, PathBuf};

use aludel::Error;
use aludel::config::CONFIG_FILE_NAME;

use crate::output::Output;

/// The template new revision files are rendered from (minijinja).
pub const DEFAULT_TEMPLATE: &str = "\
-- {{ message }}
--
-- Revision ID: {{ revision }}
-- Revises: {{ down_revision }}
{% if branch_labels %}-- Branch Labels: {{ branch_labels }}
{% endif %}{% if depends_on %}-- Depends On: {{ depends_on }}
{% endif %}-- Create Date: {{ create_date }}

-- migrate:upgrade
{{ upgrades }}
-- migrate:downgrade
{{ downgrades }}";

fn config_text(script_location: &str) -> String {
    format!(
        "# aludel configuration. script_location, version_locations and\n\
         # target_schema are relative to this file's folder.\n\
         script_location = \"{script_location}\"\n\
         \n\
         # Database URL; $DATABASE_URL overrides it and --url overrides both.\n\
         # A relative SQLite path is relative to the working directory of the\n\
         # command; {{here}} stands for this file's folder (absolute), e.g.\n\
         # \"sqlite:///{{here}}/app.db\" for app.db next to this file.\n\
         # database_url = \"sqlite://app.db\"\n\
         \n\
         # version_table = \"alembic_version\"\n\
         # Fields: {{year}} {{month}} {{day}} {{hour}} {{minute}} {{second}} {{rev}} {{slug}}\n\
         # (no `/`: revision files live directly in the versions folder)\n\
         # file_template = \"{{rev}}_{{slug}}\"\n\
         # transaction_per_migration = true\n\
         # truncate_slug_length = 40\n\
         \n\
         # Seconds to wait for another migrator's lock before failing.\n\
         # lock_timeout = 60\n\
         # How migrators are kept apart: \"session\" (a lock file on SQLite, an\n\
         # advisory lock on PostgreSQL, GET_LOCK on MySQL), or on PostgreSQL\n\
         # \"transaction\" (behind PgBouncer), \"table\"; \"none\" takes no lock.\n\
         # lock_mode = \"session\"\n\
         # PostgreSQL schema of the version table (default: the search_path's).\n\
         # version_table_schema = \"app\"\n\
         \n\
         # The desired schema for `aludel check` and `revision --autogenerate`:\n\
         # DDL files in the database's dialect, or instead target_schema_command,\n\
         # a program and its arguments (e.g. [\"python3\", \"dump_schema.py\"])\n\
         # printing the DDL, run without a shell in this file's folder.\n\
         # target_schema = [\"schema.sql\"]\n\
         # A scratch database for comparing schemas on PostgreSQL/MySQL (next\n\
         # release); ignored on SQLite, which compares in memory.\n\
         # dev_url = \"postgres://localhost/scratch\"\n"
    )
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `aludel.toml` (or the `-c` file), `DIR/versions/` and `DIR/script.sql.j2`.
pub fn run(directory: &Path, config: Option<&Path>, out: &Output) -> Result<(), Error> {
    if directory.exists()
        && std::fs::read_dir(directory)
            .map_err(io(directory))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "Directory {} already exists and is not empty",
            directory.display()
        )));
    }
    let config_path = config.map_or_else(|| PathBuf::from(CONFIG_FILE_NAME), Path::to_path_buf);
    let versions = directory.join("versions");
    for dir in [directory, versions.as_path()] {
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
            out.status(&format!("Creating directory {}", absolute(dir).display()));
        }
    }
    let template = directory.join("script.sql.j2");
    std::fs::write(&template, DEFAULT_TEMPLATE).map_err(io(&template))?;
    out.status(&format!("Generating {}", absolute(&template).display()));
    if config_path.exists() {
        out.msg(&format!(
            "File {} already exists, skipping",
            absolute(&config_path).display()
        ));
    } else {
        let base = absolute(
            config_path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        );
        let dir = absolute(directory);
        let relative = dir
            .strip_prefix(&base)
            .map_or(dir.clone(), Path::to_path_buf);
        let location = relative.to_string_lossy().replace('\\', "/");
        std::fs::write(&config_path, config_text(&location)).map_err(io(&config_path))?;
        out.status(&format!("Generating {}", absolute(&config_path).display()));
    }
    out.msg(&format!(
        "Please edit configuration/connection settings in {} before proceeding.",
        absolute(&config_path).display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::config_text;

    #[test]
    fn every_commented_setting_of_a_new_config_is_valid_when_uncommented() {
        let text = config_text("migrations");
        let uncommented: String = text
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") => rest,
                _ => line,
            })
            .map(|line| format!("{line}\n"))
            .collect();
        assert!(
            uncommented.contains("\nlock_mode = \"session\"\n"),
            "{uncommented}"
        );
        let config = aludel::config::Config::parse(
            &uncommented,
            std::path::Path::new("project/aludel.toml"),
        )
        .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert_eq!(config.version_table_schema.as_deref(), Some("app"));
        assert_eq!(config.lock_mode, aludel::driver::LockMode::Session);
        assert_eq!(
            config.target_schema,
            [std::path::PathBuf::from("project/schema.sql")]
        );
        assert!(config.target_schema_command.is_none());
        assert!(config.dev_url.is_some());
    }
}
