//! Database URLs: sqlx's forms and SQLAlchemy's `dialect+driver://` forms.
//!
//! Architecture invariant: parsing is pure; the password of a URL never appears in
//! anything this module prints (`Display` redacts it).

use std::fmt;
use std::path::PathBuf;

use crate::error::Error;

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, a file or memory.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    MySql,
}

/// Where a SQLite URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteLocation {
    /// `sqlite::memory:` — a private in-memory database.
    Memory,
    /// A database file, relative to the working directory or absolute.
    File(PathBuf),
}

/// A parsed database URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// The URL as the user wrote it.
    original: String,
    /// The URL in the form sqlx understands.
    driver_url: String,
    sqlite: Option<SqliteLocation>,
    /// Query string of a SQLite URL (`mode=ro`, …), without the `?`.
    sqlite_query: Option<String>,
}

impl DatabaseUrl {
    /// Parses a URL; the error names the URL with its password hidden.
    pub fn parse(url: &str) -> Result<DatabaseUrl, Error> {
        let url = url.trim();
        let bad = |why: &str| Error::Url {
            url: redact(url),
            message: why.to_string(),
        };
        let (scheme, rest) = url
            .split_once(':')
            .ok_or_else(|| bad("expected a URL such as sqlite://app.db or postgres://host/db"))?;
        let (dialect, driver) = match scheme.split_once('+') {
            Some((d, drv)) => (d.to_ascii_lowercase(), Some(drv)),
            None => (scheme.to_ascii_lowercase(), None),
        };
        match dialect.as_str() {
            "sqlite" => {
                let (location, query) = if driver.is_some() {
                    sqlalchemy_sqlite(rest)
                } else {
                    sqlx_sqlite(rest)
                };
                let location = location
                    .ok_or_else(|| bad("a SQLite URL needs a path, e.g. sqlite://app.db"))?;
                let driver_url = match &location {
                    SqliteLocation::Memory => "sqlite::memory:".to_string(),
                    SqliteLocation::File(p) => format!("sqlite://{}", p.display()),
                };
                Ok(DatabaseUrl {
                    backend: Backend::Sqlite,
                    original: url.to_string(),
                    driver_url,
                    sqlite: Some(location),
                    sqlite_query: query,
                })
            }
            "postgres" | "postgresql" => Ok(DatabaseUrl {
                backend: Backend::Postgres,
                original: url.to_string(),
                driver_url: format!("postgres:{rest}"),
                sqlite: None,
                sqlite_query: None,
            }),
            "mysql" | "mariadb" => Ok(DatabaseUrl {
                backend: Backend::MySql,
                original: url.to_string(),
                driver_url: format!("mysql:{rest}"),
                sqlite: None,
                sqlite_query: None,
            }),
            other => Err(bad(&format!(
                "unknown database `{other}`; expected sqlite, postgres/postgresql or mysql/mariadb"
            ))),
        }
    }

    /// The engine this URL points at.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite location, for SQLite URLs.
    pub fn sqlite_location(&self) -> Option<&SqliteLocation> {
        self.sqlite.as_ref()
    }

    /// Query parameters of a SQLite URL, without the `?`.
    pub fn sqlite_query(&self) -> Option<&str> {
        self.sqlite_query.as_deref()
    }

    /// The URL in sqlx's syntax (contains the password: never print it).
    pub fn driver_url(&self) -> &str {
        &self.driver_url
    }

    /// The URL as written, password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.original)
    }

    /// `text` (a driver's message about this URL) with every secret of this URL
    /// replaced by `***`, in case the driver quoted one.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in secrets(&self.original) {
            if !secret.is_empty() {
                text = text.replace(secret, "***");
            }
        }
        text
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("backend", &self.backend)
            .field("url", &self.redacted())
            .finish()
    }
}

/// sqlx's rule: everything after `sqlite://` (or `sqlite:`) is the path,
/// verbatim, except that a run of leading slashes is one (`sqlite:///{here}/a.db`
/// with `{here}` expanded to `/srv/app` names `/srv/app/a.db`, the same file
/// `//srv/app/a.db` would on POSIX).
fn sqlx_sqlite(rest: &str) -> (Option<SqliteLocation>, Option<String>) {
    let body = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = split_query(body);
    let path = match path.trim_start_matches('/') {
        trimmed if trimmed.len() + 1 < path.len() => &path[path.len() - trimmed.len() - 1..],
        _ => path,
    };
    let location = match path {
        "" => None,
        ":memory:" => Some(SqliteLocation::Memory),
        p => Some(SqliteLocation::File(PathBuf::from(p))),
    };
    (location, query)
}

/// SQLAlchemy's rule: `sqlite:///rel.db` is relative, `sqlite:////abs.db` absolute,
/// `sqlite://` and `sqlite:///:memory:` are in memory.
fn sqlalchemy_sqlite(rest: &str) -> (Option<SqliteLocation>, Option<String>) {
    let body = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = split_query(body);
    let path = path.strip_prefix('/').unwrap_or(path);
    let location = match path {
        "" | ":memory:" => Some(SqliteLocation::Memory),
        p => Some(SqliteLocation::File(PathBuf::from(p))),
    };
    (location, query)
}

fn split_query(body: &str) -> (&str, Option<String>) {
    match body.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (body, None),
    }
}

/// Replaces every password in a URL (`user:password@host`, `?password=…`) with `***`.
///
/// Conservative, so that malformed URLs leak nothing either: everything between
/// the scheme's `:` (or `://`) plus the user name and the *last* `@` of the URL
/// is hidden, whatever characters it holds (`#`, `?`, `/`, `@`, `:`), as are
/// the values of secret query parameters up to the next `&`. A URL with no
/// `://` and no scheme aludel knows (`user:pass@host`) is hidden from its
/// first `:` to its last `@`.
pub fn redact(url: &str) -> String {
    redact_query(&redact_userinfo(url))
}

/// Redacts every URL-like part of `text` (`scheme:…user:secret@…`): each line,
/// and each part of it between quotes, is treated as a possible URL. For
/// messages that may quote a URL, such as a parser's complaint about a
/// configuration line; ordinary text without `:` and `@` is left as it is.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains(':') {
            out.push_str(&redact(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if matches!(c, '\n' | '"' | '\'' | '`') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The password and secret query values of a URL, as [`redact`] finds them.
fn secrets(url: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let query_from = match password_span(url) {
        Some((from, to)) => {
            found.push(&url[from..to]);
            to
        }
        None => 0,
    };
    if let Some(q) = url[query_from..].find('?') {
        for param in url[query_from + q + 1..].split('&') {
            if let Some((key, value)) = param.split_once('=')
                && is_secret_key(key)
            {
                found.push(value);
            }
        }
    }
    found
}

/// Byte range of the password in `scheme://user:password@…` (or the malformed
/// `scheme:user:password@…`): from after the user name's `:` to the last `@`.
/// Without `://` and a scheme aludel knows, the first `:` may as well end a
/// user name (`user:pass:word@host`, a URL missing its scheme), so everything
/// from it to the last `@` is taken for the password.
fn password_span(url: &str) -> Option<(usize, usize)> {
    let colon = url.find(':')?;
    let has_authority = url[colon..].starts_with("://");
    let start = if has_authority { colon + 3 } else { colon + 1 };
    let at = start + url[start..].rfind('@')?;
    if !has_authority && !is_known_scheme(&url[..colon]) {
        return (start < at).then_some((start, at));
    }
    let user_end = start + url[start..at].find(':')?;
    Some((user_end + 1, at))
}

/// A scheme `DatabaseUrl::parse` accepts (with or without a `+driver`).
fn is_known_scheme(scheme: &str) -> bool {
    let dialect = scheme.split_once('+').map_or(scheme, |(d, _)| d);
    ["sqlite", "postgres", "postgresql", "mysql", "mariadb"]
        .iter()
        .any(|known| dialect.eq_ignore_ascii_case(known))
}

/// `user:secret@host` becomes `user:***@host`, also in malformed URLs such as
/// `postgres:user:secret@host/db` or `postgres://user:sec/ret@host/db`.
fn redact_userinfo(url: &str) -> String {
    match password_span(url) {
        Some((from, to)) => format!("{}***{}", &url[..from], &url[to..]),
        None => url.to_string(),
    }
}

/// Query parameters that carry a secret (`password=`, `sslpassword=`,
/// `pwd=`, `pass=`) get `***` for a value, which runs to the next `&` (a `#`
/// inside it is not taken for the start of a fragment).
fn redact_query(url: &str) -> String {
    let Some(q) = url.find('?') else {
        return url.to_string();
    };
    let (head, query) = url.split_at(q + 1);
    let params: Vec<String> = query
        .split('&')
        .map(|param| match param.split_once('=') {
            Some((key, _)) if is_secret_key(key) => format!("{key}=***"),
            _ => param.to_string(),
        })
        .collect();
    format!("{head}{}", params.join("&"))
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("password") || key.contains("passwd") || key == "pwd" || key == "pass"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_the_query_are_redacted() {
        assert_eq!(
            redact("postgres://h/db?user=u&password=secret&sslmode=require"),
            "postgres://h/db?user=u&password=***&sslmode=require"
        );
        assert_eq!(
            redact("mysql://u:pw@h/db?sslpassword=x#frag"),
            "mysql://u:***@h/db?sslpassword=***"
        );
        assert_eq!(redact("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
    }

    #[test]
    fn a_url_missing_its_scheme_hides_its_password() {
        assert_eq!(redact("user:hunter2@host/db"), "user:***@host/db");
        assert_eq!(redact("user:hun:ter2@host/db"), "user:***@host/db");
        assert_eq!(redact("/srv/app/u:hunter2@h/db"), "/srv/app/u:***@h/db");
        let err = DatabaseUrl::parse("user:hunter2@host").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        // With `://` a user name alone is no secret.
        assert_eq!(redact("postgres://user@h/db"), "postgres://user@h/db");
    }

    fn file(url: &str) -> PathBuf {
        match DatabaseUrl::parse(url).unwrap().sqlite_location() {
            Some(SqliteLocation::File(p)) => p.clone(),
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn sqlx_paths_are_verbatim() {
        assert_eq!(file("sqlite://anypod.db"), PathBuf::from("anypod.db"));
        assert_eq!(
            file("sqlite:///var/lib/anypod.db"),
            PathBuf::from("/var/lib/anypod.db")
        );
        assert_eq!(file("sqlite:data/a.db"), PathBuf::from("data/a.db"));
        // `sqlite:///{here}/a.db` with `{here}` = `/srv`: one leading slash.
        assert_eq!(file("sqlite:////srv/a.db"), PathBuf::from("/srv/a.db"));
    }

    #[test]
    fn sqlalchemy_paths_follow_sqlalchemy() {
        assert_eq!(
            file("sqlite+aiosqlite:///anypod.db"),
            PathBuf::from("anypod.db")
        );
        assert_eq!(
            file("sqlite+aiosqlite:////abs.db"),
            PathBuf::from("/abs.db")
        );
        let mem = DatabaseUrl::parse("sqlite+pysqlite:///:memory:").unwrap();
        assert_eq!(mem.sqlite_location(), Some(&SqliteLocation::Memory));
    }

    #[test]
    fn memory_and_servers() {
        let m = DatabaseUrl::parse("sqlite::memory:").unwrap();
        assert_eq!(m.sqlite_location(), Some(&SqliteLocation::Memory));
        let p = DatabaseUrl::parse("postgresql+asyncpg://u:pw@h/db").unwrap();
        assert_eq!(p.backend(), Backend::Postgres);
        assert_eq!(p.driver_url(), "postgres://u:pw@h/db");
        assert_eq!(
            DatabaseUrl::parse("mariadb://root@h/t").unwrap().backend(),
            Backend::MySql
        );
    }

    #[test]
    fn passwords_are_never_displayed() {
        let p = DatabaseUrl::parse("postgres://user:s3cret@localhost:5432/db").unwrap();
        assert_eq!(p.to_string(), "postgres://user:***@localhost:5432/db");
        assert!(!format!("{p:?}").contains("s3cret"));
        let err = DatabaseUrl::parse("oracle://u:s3cret@h/db")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cret"), "{err}");
        assert!(err.contains("oracle"), "{err}");
    }
}
