//! # aludel — schema migrations for Rust
//!
//! Revision files are plain SQL with an Alembic-style header; they form a graph
//! (branches, merges, labels, dependencies) with Alembic's semantics, and the
//! database records its position in Alembic's own `alembic_version` table, so a
//! database can move between Python Alembic and aludel in either direction.
//!
//! Apply embedded migrations at application startup:
//!
//! ```no_run
//! // The folder holds `versions/*.sql`; it is read at compile time.
//! static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("tests/fixtures/chain");
//!
//! # async fn start() -> Result<(), aludel::Error> {
//! MIGRATIONS.upgrade("sqlite://app.db", "head").await?;
//! # Ok(())
//! # }
//! ```
//!
//! Cargo rebuilds when an embedded file changes, but not when a new file
//! appears in the folder; add a `build.rs` to the application's crate:
//!
//! ```ignore
//! // build.rs (a build script, not library code)
//! fn main() {
//!     println!("cargo:rerun-if-changed=migrations");
//! }
//! ```
//!
//! [`Migrations`] runs the same way given a URL, an application's
//! `SqlitePool` or one of its connections: foreign keys off while migrating,
//! the migration lock held for the whole run (waiting at most
//! [`Migrations::with_lock_timeout`]), one transaction per migration. Errors
//! are one enum, [`Error`], to match on: e.g. [`Error::Statement`] (a
//! migration's statement failed; it was rolled back), [`Error::DatabaseAhead`]
//! (the database was migrated by a newer release), [`Error::EditedRevisions`],
//! [`Error::LockTimeout`].
//!
//! Data flows one way: files ([`history`]) → revision graph ([`aludel_graph`]) →
//! plan → [`runner`] (through a [`driver`] and its [`dialect`]) → database.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod config;
pub mod dialect;
pub mod driver;
pub mod embed;
pub mod error;
pub mod history;
pub mod offline;
pub mod progress;
pub mod runner;
pub mod url;

pub use aludel_graph as graph;
pub use aludel_macros::embed_migrations;
pub use aludel_script as script;
pub use driver::LockMode;
pub use embed::{EmbeddedFile, Engine, EngineConnection, Migrations, Plan, PlannedStep};
pub use error::{Error, Result};
pub use runner::{Direction, RunSummary};
pub use url::{Backend, DatabaseUrl};

/// Re-exported so applications can pass their own pools.
pub use sqlx;
