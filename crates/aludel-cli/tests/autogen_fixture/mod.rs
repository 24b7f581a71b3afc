//! What the autogenerate CLI tests share: a project whose history creates
//! `feed` and whose `target_schema` is `schema.sql`, and the revision files
//! the commands generate.

#![allow(dead_code)]

use crate::common::{Project, rev};

/// The first revision: a `feed` table with one row's worth of columns.
pub const FEED: &str = "CREATE TABLE feed (id INTEGER PRIMARY KEY, title TEXT NOT NULL);";

/// A project whose history creates `feed` (revision `f1`), whose target
/// schema is `schema` (in `schema.sql`), and whose database is `app.db`.
pub fn project(schema: &str) -> Project {
    let p = Project::with_config("target_schema = \"schema.sql\"\n");
    p.write_rev(&rev("f1", &[]).upgrade(FEED).downgrade("DROP TABLE feed;"));
    p.write_file("schema.sql", schema);
    p
}

/// The revision files in the versions folder other than `f1`'s.
pub fn generated(p: &Project) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(p.versions_dir())
        .expect("versions folder")
        .map(|e| e.expect("entry").path())
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("f1_"))
        })
        .collect();
    files.sort();
    files
}

/// The one generated revision file's text.
pub fn only_generated(p: &Project) -> String {
    let files = generated(p);
    assert_eq!(files.len(), 1, "one generated file: {files:?}");
    std::fs::read_to_string(&files[0]).expect("read generated file")
}
