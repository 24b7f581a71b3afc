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
use crate::url::{redact, redact_text};

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
    /// Desired-schema files for `check` and autogenerate.
    pub target_schema: Vec<PathBuf>,
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
        if raw
            .database_url
            .as_deref()
            .is_some_and(|u| u.contains("{here}"))
        {
            check_here(base, path)?;
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
            .field("version_table", &self.version_table)
            .field("file_template", &self.file_template)
            .field("version_locations", &self.version_locations)
            .finish_non_exhaustive()
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

/// Replaces `{here}` with the absolute path of the configuration file's folder
/// (Alembic's `%(here)s`), so `sqlite:///{here}/app.db` names a file next to it.
/// The fields `file_template` may use.
const FILE_TEMPLATE_FIELDS: [&str; 8] = [
    "year", "month", "day", "hour", "minute", "second", "rev", "slug",
];

/// Refuses a `{field}` in `file_template` that no field fills, which would
/// otherwise be written into every file name as it stands (Alembic fails on
/// an unknown field too).
fn check_file_template(template: &str, path: &Path) -> Result<(), Error> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let field = &after[..close];
        if !FILE_TEMPLATE_FIELDS.contains(&field) {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: format!(
                    "`file_template` uses `{{{field}}}`, which is not a field; the fields are {}",
                    FILE_TEMPLATE_FIELDS.map(|f| format!("{{{f}}}")).join(" ")
                ),
            });
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// `{here}` becomes part of a URL, where `?` starts the query and `#` a
/// fragment: a folder holding either cannot be named that way.
fn check_here(base: &Path, path: &Path) -> Result<(), Error> {
    let here = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    match here
        .to_string_lossy()
        .chars()
        .find(|c| matches!(c, '?' | '#'))
    {
        None => Ok(()),
        Some(c) => Err(Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "`{{here}}` in `database_url` cannot name this folder: its path holds `{c}`, \
                 which a database URL reads as the start of its query or fragment; \
                 give the database's path without `{{here}}`"
            ),
        }),
    }
}

fn expand_here(url: &str, base: &Path) -> String {
    if !url.contains("{here}") {
        return url.to_string();
    }
    let here = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    let here = here.to_string_lossy();
    let here = here.strip_suffix("/.").unwrap_or(&here);
    url.replace("{here}", here)
}

/// A TOML error as `line L, column C: message`, built from the parser's
/// message and span only: its usual rendering quotes the offending line, which
/// may be a `database_url` holding a password. The message itself is redacted
/// too, in case it quotes a value.
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = redact_text(e.message().trim_end());
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            match key_on_line(text, span.start) {
                Some(key) => format!("line {line}, column {column}, key `{key}`: {message}"),
                None => format!("line {line}, column {column}: {message}"),
            }
        }
        None => message,
    }
}

/// The bare key assigned on the line holding byte `at`, if the line is a
/// `key = value` line: a key name is safe to print, its value may not be.
fn key_on_line(text: &str, at: usize) -> Option<&str> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.split('\n').next()?;
    let key = line.split_once('=')?.0.trim();
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    bare.then_some(key)
}

#[cfg(test)]
mod tests;
