//! # aludel — schema migrations for Rust
//!
//! Revision files are plain SQL with an Alembic-style header; they form a graph
//! (branches, merges, labels, dependencies) with Alembic's semantics, and the
//! database records its position in Alembic's own `alembic_version` table, so a
//! database can move between Python Alembic and aludel in either direction.
//!
//! ## Migrating at startup
//!
//! Embed the application's `migrations/versions/*.sql` and bring the database
//! to `head` before serving, through the pool the application uses anyway:
//!
//! ```no_run
//! use aludel::sqlx::sqlite::SqlitePoolOptions;
//!
//! // Read and checked (headers, sections, statements, graph) at compile time.
//! static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations");
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let url = std::env::var("DATABASE_URL")?;
//!     let pool = SqlitePoolOptions::new().connect(&url).await?;
//!     match MIGRATIONS.upgrade_pool(&pool, "head").await {
//!         Ok(run) => println!("applied {:?}, now at {:?}", run.applied, run.heads),
//!         // A newer release migrated this database: refuse to start.
//!         Err(aludel::Error::DatabaseAhead { unknown, .. }) => {
//!             return Err(format!("database is ahead of this binary: {unknown:?}").into());
//!         }
//!         Err(e) => return Err(e.into()),
//!     }
//!     // ... serve requests with `pool` ...
//!     Ok(())
//! }
//! ```
//!
//! The same call shapes take a URL (`MIGRATIONS.upgrade(&url, "head")`, aludel
//! opens and closes its own connection) or a connection the application
//! holds (`MIGRATIONS.upgrade_connection(&mut conn, "head")`, with no
//! transaction open), of every engine this build enables: a `sqlx::Pool` of
//! `Sqlite`, `Postgres` or `MySql` ([`Engine`]), their connections
//! ([`EngineConnection`]). Every path runs the same code with the same
//! settings: the migration lock held for the whole run, so concurrent
//! starters take turns and each migration runs exactly once; one transaction
//! per migration; on SQLite foreign keys off while migrating. A pooled or
//! borrowed connection gets its own settings back.
//!
//! Options are set in code, in the `static` (all `const`):
//! [`Migrations::with_lock_timeout`], [`Migrations::with_lock_mode`],
//! [`Migrations::with_version_table`],
//! [`Migrations::with_version_table_schema`],
//! [`Migrations::with_transaction_per_migration`],
//! [`Migrations::with_accept_edited`].
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
//! ## Asking without migrating
//!
//! ```no_run
//! # static MIGRATIONS: aludel::Migrations = aludel::embed_migrations!("migrations");
//! # async fn health(pool: &aludel::sqlx::SqlitePool) -> Result<(), aludel::Error> {
//! // A health check: one query, no lock, no DDL, creates nothing.
//! let ready = MIGRATIONS.is_at_head_pool(pool).await?;
//! // What an upgrade would run now, and its SQL for a review.
//! let plan = MIGRATIONS.pending_pool(pool, "head").await?;
//! for step in &plan.steps {
//!     println!("{} {}", step.revision, step.description);
//! }
//! let sql = plan.sql(aludel::Backend::Postgres)?;
//! # let _ = (ready, sql);
//! # Ok(())
//! # }
//! ```
//!
//! [`Migrations::offline_sql`] renders the SQL between two revisions
//! without a database, as `aludel upgrade --sql` does.
//!
//! ## Errors and progress
//!
//! Errors are one enum, [`Error`], to match on: [`Error::DatabaseAhead`]
//! (the database holds revisions this binary does not know),
//! [`Error::LockTimeout`] (another migrator kept the lock; its holder when
//! known), [`Error::Statement`] (a migration's statement failed and its
//! migration was rolled back; file, line and revision), [`Error::Database`],
//! [`Error::EditedRevisions`]. The database's own error is the
//! [`source`](std::error::Error::source) (a [`driver::DbError`], whose source
//! is the `sqlx::Error`), and [`Error::db_code`] reads its code (SQLSTATE,
//! MySQL error number, SQLite extended result code). No error shows a
//! password.
//!
//! Progress goes out as `tracing` events with target `"aludel"` and fields
//! (`revision`, `direction`, `description`, `duration_ms`; lock waits as
//! warnings): see [`events`].
//!
//! Data flows one way: files ([`history`]) → revision graph ([`aludel_graph`]) →
//! plan → [`runner`] (through a [`driver`] and its [`dialect`]) → database.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "_sqlite")]
pub mod autogen;
pub mod config;
pub mod dialect;
pub mod driver;
pub mod embed;
pub mod error;
pub mod events;
pub mod history;
pub mod offline;
pub mod runner;
pub mod url;

pub use aludel_graph as graph;
pub use aludel_macros::embed_migrations;
pub use aludel_schema as schema;
pub use aludel_script as script;
pub use driver::LockMode;
pub use embed::{EmbeddedFile, Engine, EngineConnection, Migrations, Plan, PlannedStep};
pub use error::{Error, Result};
pub use runner::{Direction, RunSummary};
pub use url::{Backend, DatabaseUrl};

/// Re-exported so applications can pass their own pools.
pub use sqlx;
