//! Whether the embedded migrations build the schema an application expects:
//! the same comparison as `aludel check`, for a test of the application.

use super::Migrations;
use crate::autogen::{self, Drift, Renames, SchemaSource};
use crate::error::Error;
use crate::url::DatabaseUrl;

/// What a desired schema given as text is called in messages (an error in
/// it names this origin and the statement's line).
const DESIRED_ORIGIN: &str = "desired schema";

impl Migrations {
    /// How far the database at `url` (which must be at the embedded heads,
    /// else [`Error::NotUpToDate`]; nothing is created) is from the schema
    /// `desired_sql` defines (SQLite DDL). SQLite only for now.
    pub async fn drift(&self, url: &str, desired_sql: &str) -> Result<Drift, Error> {
        let url = DatabaseUrl::parse(url)?;
        autogen::drift_of_database(
            &url,
            self.history()?,
            &desired(desired_sql),
            &Renames::default(),
            &self.session(),
        )
        .await
    }

    /// How far the schema the embedded migrations build (replayed in a
    /// scratch in-memory SQLite database) is from the schema `desired_sql`
    /// defines: no database needed, for an application's test that its
    /// migrations and its schema agree.
    ///
    /// ```no_run
    /// static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations");
    ///
    /// // The schema the application expects (e.g. `include_str!("../schema.sql")`).
    /// const SCHEMA: &str =
    ///     "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE);";
    ///
    /// #[tokio::test]
    /// async fn migrations_build_the_schema() {
    ///     let drift = MIGRATIONS.drift_replayed(SCHEMA).await.expect("compared");
    ///     assert!(
    ///         drift.is_empty(),
    ///         "the migrations differ from the schema:\n{}\nmissing upgrade:\n{}",
    ///         drift.describe().join("\n"),
    ///         drift.migration.upgrade_sql()
    ///     );
    /// }
    /// # fn main() {}
    /// ```
    pub async fn drift_replayed(&self, desired_sql: &str) -> Result<Drift, Error> {
        autogen::drift_of_history(
            self.history()?,
            &desired(desired_sql),
            &Renames::default(),
            &self.session(),
        )
        .await
    }
}

fn desired(sql: &str) -> [SchemaSource; 1] {
    [SchemaSource {
        origin: DESIRED_ORIGIN.into(),
        text: sql.into(),
    }]
}
