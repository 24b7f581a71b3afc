//! Checks and rewrites of `aludel.toml` values, and TOML errors worded
//! without quoting a value (which may hold a password).

use std::path::Path;

use crate::error::Error;
use crate::url::redact_text;

/// The fields `file_template` may use.
const FILE_TEMPLATE_FIELDS: [&str; 8] = [
    "year", "month", "day", "hour", "minute", "second", "rev", "slug",
];

/// Refuses a `{field}` in `file_template` that no field fills, which would
/// otherwise be written into every file name as it stands (Alembic fails on
/// an unknown field too).
pub(super) fn check_file_template(template: &str, path: &Path) -> Result<(), Error> {
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
pub(super) fn check_here(key: &str, base: &Path, path: &Path) -> Result<(), Error> {
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
                "`{{here}}` in `{key}` cannot name this folder: its path holds `{c}`, \
                 which a database URL reads as the start of its query or fragment; \
                 give the database's path without `{{here}}`"
            ),
        }),
    }
}

/// Replaces `{here}` with the absolute path of the configuration file's folder
/// (Alembic's `%(here)s`), so `sqlite:///{here}/app.db` names a file next to it.
pub(super) fn expand_here(url: &str, base: &Path) -> String {
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
pub(super) fn toml_message(text: &str, e: &toml::de::Error) -> String {
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
