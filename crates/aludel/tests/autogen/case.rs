//! One corpus case: a folder under `tests/autogen/corpus/<name>/` holding
//! `before.sql` and `after.sql` (the two schemas), and optionally
//! `renames.txt` (one `--rename` value per line), `rows.sql` (INSERTs run on
//! `before` before upgrading), `reviewed_upgrade.sql` /
//! `reviewed_downgrade.sql` (the generated SQL as a reviewer edited it, run
//! instead of it) and `assert_after.sql` / `assert_downgraded.sql` (queries
//! that must each return 1 after the upgrade / the downgrade), and
//! `upgrade_fails.txt` (the upgrade must fail with this message on these rows,
//! leaving the database as it was), `no_change` (a marker: the two schemas
//! mean the same, the migration must be empty) and `known_bug.txt` (what is
//! wrong: the case is expected to fail until it is fixed).
//!
//! The server corpora (`corpus_postgres/`, `corpus_mysql/`) use the same
//! format, plus `servers.txt` in a MySQL case: the servers it applies to
//! (`mariadb`, `mysql`, one a line; none: both), and the marker
//! `concurrently` in a PostgreSQL case (generate with `--concurrently`).

use std::path::{Path, PathBuf};

/// A case, read from its folder or built by a property test.
#[derive(Debug, Clone, Default)]
pub struct Case {
    /// The folder's name (the snapshot's name).
    pub name: String,
    /// The schema the database has.
    pub before: String,
    /// The schema the sources declare.
    pub after: String,
    /// `--rename` values.
    pub renames: Vec<String>,
    /// INSERTs run on `before`, foreign keys on (empty: none).
    pub rows: String,
    /// Run instead of the generated upgrade.
    pub reviewed_upgrade: Option<String>,
    /// Run instead of the generated downgrade.
    pub reviewed_downgrade: Option<String>,
    /// Queries that must each return 1 after the upgrade.
    pub assert_after: Option<String>,
    /// Queries that must each return 1 after the downgrade.
    pub assert_downgraded: Option<String>,
    /// The upgrade must fail with this message (and change nothing).
    pub upgrade_fails: Option<String>,
    /// The schemas mean the same: the migration must be empty.
    pub no_change: bool,
    /// A known bug this case shows (it must fail until fixed).
    pub known_bug: Option<String>,
    /// Render with `--concurrently` (marker file `concurrently`, PostgreSQL).
    pub concurrently: bool,
    /// The servers the case applies to (`servers.txt`; empty: every one).
    pub servers: Vec<String>,
}

/// The SQLite corpus folder.
pub const SQLITE: &str = "corpus";
/// The PostgreSQL corpus folder.
pub const POSTGRES: &str = "corpus_postgres";
/// The MySQL/MariaDB corpus folder.
pub const MYSQL: &str = "corpus_mysql";

/// The SQLite corpus folder.
pub fn corpus_dir() -> PathBuf {
    folder_dir(SQLITE)
}

/// The corpus folder `folder` (one of [`SQLITE`], [`POSTGRES`], [`MYSQL`]).
pub fn folder_dir(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/autogen")
        .join(folder)
}

/// The names of every case folder of the SQLite corpus, sorted.
pub fn all_names() -> Vec<String> {
    names_in(SQLITE)
}

/// The names of every case folder of the corpus `folder`, sorted.
pub fn names_in(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder_dir(folder))
        .expect("the corpus folder is readable")
        .map(|entry| entry.expect("a corpus entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn optional(dir: &Path, file: &str) -> Option<String> {
    let path = dir.join(file);
    path.exists().then(|| {
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

/// The non-empty lines of an optional file, trimmed.
fn lines(text: Option<String>) -> Vec<String> {
    text.unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

impl Case {
    /// Reads the case folder `name` of the SQLite corpus.
    pub fn load(name: &str) -> Case {
        Case::load_in(SQLITE, name)
    }

    /// Reads the case folder `name` of the corpus `folder`.
    pub fn load_in(folder: &str, name: &str) -> Case {
        let dir = folder_dir(folder).join(name);
        let required = |file: &str| {
            optional(&dir, file).unwrap_or_else(|| panic!("case {name} has no {file}"))
        };
        Case {
            name: name.to_string(),
            before: required("before.sql"),
            after: required("after.sql"),
            renames: lines(optional(&dir, "renames.txt")),
            rows: optional(&dir, "rows.sql").unwrap_or_default(),
            reviewed_upgrade: optional(&dir, "reviewed_upgrade.sql"),
            reviewed_downgrade: optional(&dir, "reviewed_downgrade.sql"),
            assert_after: optional(&dir, "assert_after.sql"),
            assert_downgraded: optional(&dir, "assert_downgraded.sql"),
            upgrade_fails: optional(&dir, "upgrade_fails.txt").map(|m| m.trim().to_string()),
            no_change: dir.join("no_change").exists(),
            known_bug: optional(&dir, "known_bug.txt"),
            concurrently: dir.join("concurrently").exists(),
            servers: lines(optional(&dir, "servers.txt")),
        }
    }
}
