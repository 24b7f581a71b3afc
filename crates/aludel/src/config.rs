//! `aludel.toml`: where the project's migrations live and how to reach its database.
//!
//! Architecture invariant: this module only reads the configuration file; it never
//! touches revision files or the database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::dialect::VersionTable;
use crate::driver::{LockMode, SessionSettings};
use crate::error::Error;
use crate::history::History;
use crate::url::redact;

mod checks;

use checks::{check_file_template, check_here, expand_here, toml_message};

/// Name of the configuration file looked up in the working directory.
pub const CONFIG_FILE_NAME: &str = "aludel.toml";

/// Environment variable naming the configuration file (overridden by `-c`).
pub const CONFIG_ENV: &str = "ALUDEL_CONFIG";

/// Environment variable holding the database URL (overridden by `--url`).
pub const DATABASE_URL_ENV: &str = "DATABASE_URL";

/// How long a migrator waits for another one's lock before failing, unless
/// `lock_timeout` says otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The keys of `aludel.toml` exactly as written; unknown keys are an error.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    script_location: Option<String>,
    database_url: Option<String>,
    version_table: Option<String>,
    file_template: Option<String>,
    target_schema: Option<TargetSchema>,
    target_schema_command: Option<Vec<String>>,
    dev_url: Option<String>,
    autogenerate_concurrently: Option<bool>,
    transaction_per_migration: Option<bool>,
    truncate_slug_length: Option<usize>,
    version_locations: Option<Vec<String>>,
    lock_timeout: Option<f64>,
    lock_mode: Option<String>,
    version_table_schema: Option<String>,
}

/// `target_schema` may name one file or a list of files.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum TargetSchema {
    One(String),
    Many(Vec<String>),
}

/// A loaded configuration with every path made absolute against the file's folder.
///
/// Its `Debug` shows `database_url` with the password hidden.
#[derive(Clone)]
pub struct Config {
    /// The configuration file this came from, if any.
    pub path: Option<PathBuf>,
    /// Folder holding `versions/` and `script.sql.j2`.
    pub script_location: PathBuf,
    /// `database_url` from the file (before `DATABASE_URL` / `--url` overrides),
    /// `{here}` replaced by the absolute path of the file's folder.
    pub database_url: Option<String>,
    /// Name of the version table (`alembic_version`).
    pub version_table: String,
    /// Template for new file names, e.g. `{rev}_{slug}`.
    pub file_template: String,
    /// Desired-schema files for `check` and `revision --autogenerate`: DDL
    /// in the database's dialect (`target_schema`, one file or a list).
    pub target_schema: Vec<PathBuf>,
    /// A command whose standard output is the desired schema's DDL
    /// (`target_schema_command`, program and arguments, run without a shell);
    /// it runs in [`Config::base_dir`]; aludel does not rewrite a relative
    /// program path (a bare name is looked up in `PATH`). Exclusive with
    /// `target_schema`.
    pub target_schema_command: Option<Vec<String>>,
    /// An empty database on the server compared (`dev_url`), `{here}`
    /// expanded: PostgreSQL and MySQL/MariaDB comparisons load the desired
    /// schema into it (and leave it empty) instead of creating and dropping
    /// a scratch database; on SQLite it is accepted and ignored, as both
    /// sides of a comparison are in-memory SQLite databases there.
    pub dev_url: Option<String>,
    /// `revision --autogenerate` on PostgreSQL writes index creation and
    /// constraint validation on existing tables the non-blocking way, as
    /// `--concurrently` does (`autogenerate_concurrently`, default `false`;
    /// ignored by other engines).
    pub autogenerate_concurrently: bool,
    /// `true`: one transaction per migration; `false`: one for the whole run.
    pub transaction_per_migration: bool,
    /// Longest slug put into new file names.
    pub truncate_slug_length: usize,
    /// Folders holding revision files; defaults to `<script_location>/versions`.
    pub version_locations: Vec<PathBuf>,
    /// How long to wait for another migrator's lock before failing
    /// (`lock_timeout`, in seconds; default 60).
    pub lock_timeout: Duration,
    /// How concurrent migrators are kept apart (`lock_mode`; default
    /// `session`).
    pub lock_mode: LockMode,
    /// Schema of the version table and the history table
    /// (`version_table_schema`; none: the connection's default).
    pub version_table_schema: Option<String>,
}

impl Config {
    /// The configuration used when no file exists: all defaults, relative to `base`.
    pub fn defaults(base: &Path) -> Config {
        Config::from_raw(RawConfig::default(), base, None)
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses configuration text that was read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: toml_message(text, &e),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let lock_timeout = match raw.lock_timeout {
            None => DEFAULT_LOCK_TIMEOUT,
            Some(seconds) => Duration::try_from_secs_f64(seconds).map_err(|_| Error::Config {
                path: path.to_path_buf(),
                message: format!(
                    "`lock_timeout` must be a number of seconds, 0 or more; found {seconds}"
                ),
            })?,
        };
        let lock_mode = match raw.lock_mode.as_deref() {
            None => LockMode::Session,
            Some(text) => LockMode::parse(text).ok_or_else(|| Error::Config {
                path: path.to_path_buf(),
                message: format!(
                    "`lock_mode` must be one of \"session\", \"transaction\", \"table\", \"none\"; found {text:?}"
                ),
            })?,
        };
        if raw.version_table_schema.as_deref() == Some("") {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message:
                    "`version_table_schema` must not be empty (leave it out for the default schema)"
                        .into(),
            });
        }
        if let Some(template) = raw.file_template.as_deref() {
            check_file_template(template, path)?;
        }
        check_target(&raw, path)?;
        for (key, url) in [
            ("database_url", &raw.database_url),
            ("dev_url", &raw.dev_url),
        ] {
            if url.as_deref().is_some_and(|u| u.contains("{here}")) {
                check_here(key, base, path)?;
            }
        }
        let mut config = Config::from_raw(raw, base, Some(path.to_path_buf()));
        config.lock_timeout = lock_timeout;
        config.lock_mode = lock_mode;
        if config.version_table.is_empty() {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: "`version_table` must not be empty".into(),
            });
        }
        if config.truncate_slug_length == 0 {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: "`truncate_slug_length` must be at least 1".into(),
            });
        }
        Ok(config)
    }

    /// Finds the configuration: `explicit` (from `-c`), else `$ALUDEL_CONFIG`, else
    /// `./aludel.toml`. An explicitly named file must exist. Without any file the
    /// defaults apply, provided `./migrations` exists; otherwise there is no
    /// project here and that is an error.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, Error> {
        let named = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os(CONFIG_ENV).map(PathBuf::from));
        match named {
            Some(path) => Config::load(&path),
            None => {
                let path = PathBuf::from(CONFIG_FILE_NAME);
                if path.is_file() {
                    Config::load(&path)
                } else if Path::new("migrations").is_dir() {
                    Ok(Config::defaults(Path::new(".")))
                } else {
                    Err(Error::Config {
                        path,
                        message: "not found; pass -c/--config, set ALUDEL_CONFIG, or run `aludel init migrations`".into(),
                    })
                }
            }
        }
    }

    fn from_raw(raw: RawConfig, base: &Path, path: Option<PathBuf>) -> Config {
        // Keep paths short in messages: `migrations/…`, not `./migrations/…`.
        let join = |p: &str| {
            if base == Path::new(".") {
                PathBuf::from(p)
            } else {
                base.join(p)
            }
        };
        let script_location = join(raw.script_location.as_deref().unwrap_or("migrations"));
        let version_locations = match raw.version_locations {
            Some(list) if !list.is_empty() => list.iter().map(|p| join(p)).collect(),
            _ => vec![script_location.join("versions")],
        };
        Config {
            path,
            version_table: raw
                .version_table
                .unwrap_or_else(|| "alembic_version".into()),
            file_template: raw.file_template.unwrap_or_else(|| "{rev}_{slug}".into()),
            target_schema: match raw.target_schema {
                None => Vec::new(),
                Some(TargetSchema::One(p)) => vec![join(&p)],
                Some(TargetSchema::Many(ps)) => ps.iter().map(|p| join(p)).collect(),
            },
            target_schema_command: raw.target_schema_command,
            dev_url: raw.dev_url.map(|url| expand_here(&url, base)),
            autogenerate_concurrently: raw.autogenerate_concurrently.unwrap_or(false),
            transaction_per_migration: raw.transaction_per_migration.unwrap_or(true),
            truncate_slug_length: raw.truncate_slug_length.unwrap_or(40),
            database_url: raw.database_url.map(|url| expand_here(&url, base)),
            script_location,
            version_locations,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            lock_mode: LockMode::Session,
            version_table_schema: raw.version_table_schema,
        }
    }

    /// The version table, in `version_table_schema` if one is set.
    pub fn version_table(&self) -> VersionTable {
        VersionTable::in_schema(&self.version_table, self.version_table_schema.clone())
    }

    /// The session settings of a run: the version table, the lock timeout
    /// and the lock mode.
    pub fn session(&self) -> SessionSettings {
        SessionSettings {
            lock_timeout: self.lock_timeout,
            lock_mode: self.lock_mode,
            version_table: self.version_table(),
        }
    }

    /// The database URL in force: `--url`, else `$DATABASE_URL`, else the file's.
    pub fn resolve_url(&self, cli_url: Option<&str>) -> Option<String> {
        self.resolve_url_with_source(cli_url).map(|(url, _)| url)
    }

    /// The database URL in force and where it came from.
    pub fn resolve_url_with_source(&self, cli_url: Option<&str>) -> Option<(String, UrlSource)> {
        if let Some(url) = cli_url {
            return Some((url.to_string(), UrlSource::Flag));
        }
        if let Some(url) = std::env::var(DATABASE_URL_ENV)
            .ok()
            .filter(|s| !s.is_empty())
        {
            return Some((url, UrlSource::Env));
        }
        let url = self.database_url.clone()?;
        let file = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(CONFIG_FILE_NAME));
        Some((url, UrlSource::File(file)))
    }

    /// Loads the project's history from its version locations; a
    /// `script_location` that does not exist is an error, as in Alembic.
    pub fn history(&self) -> Result<History, Error> {
        if !self.script_location.is_dir() {
            return Err(Error::NoScriptLocation(self.script_location.clone()));
        }
        History::load(&self.version_locations)
    }

    /// The folder of the configuration file (`.` without one): relative
    /// paths of the file are relative to it, and `target_schema_command`
    /// runs in it.
    pub fn base_dir(&self) -> &Path {
        match self.path.as_deref().and_then(Path::parent) {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }

    /// Path of the template for new revision files.
    pub fn template_path(&self) -> PathBuf {
        self.script_location.join("script.sql.j2")
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("path", &self.path)
            .field("script_location", &self.script_location)
            .field("database_url", &self.database_url.as_deref().map(redact))
            .field("dev_url", &self.dev_url.as_deref().map(redact))
            .field("autogenerate_concurrently", &self.autogenerate_concurrently)
            .field("version_table", &self.version_table)
            .field("file_template", &self.file_template)
            .field("version_locations", &self.version_locations)
            .field("target_schema", &self.target_schema)
            .field("target_schema_command", &self.target_schema_command)
            .finish_non_exhaustive()
    }
}

/// `target_schema` and `target_schema_command` name the desired schema
/// two ways: only one may be set, and a command must name a program.
fn check_target(raw: &RawConfig, path: &Path) -> Result<(), Error> {
    let fail = |message: &str| {
        Err(Error::Config {
            path: path.to_path_buf(),
            message: message.into(),
        })
    };
    match &raw.target_schema_command {
        Some(_) if raw.target_schema.is_some() => fail(
            "`target_schema` and `target_schema_command` both name the desired schema; set only one",
        ),
        Some(argv) if argv.first().is_none_or(|program| program.is_empty()) => {
            fail("`target_schema_command` must name a program, e.g. [\"python\", \"schema.py\"]")
        }
        _ => Ok(()),
    }
}

/// Where the database URL in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    /// The `--url` flag.
    Flag,
    /// The `DATABASE_URL` environment variable.
    Env,
    /// `database_url` in this configuration file.
    File(PathBuf),
}

impl std::fmt::Display for UrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlSource::Flag => f.write_str("--url"),
            UrlSource::Env => f.write_str(DATABASE_URL_ENV),
            UrlSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests;
