//! # aludel-schema — the schema model, its diff, and the SQL that applies it
//!
//! Data flows one way: schema sources (catalog rows an engine reported) →
//! [`model::Schema`] → diff → [`change::Change`]s → SQL written by an
//! engine's renderer, as an upgrade and the downgrade that undoes it.
//!
//! *Architecture invariant:* like the revision graph, this crate does no I/O
//! and never talks to a database: the library (`aludel`) runs the catalog
//! queries and hands their rows here.

pub mod catalog;
pub mod change;
pub mod describe;
pub mod diff;
mod ident;
pub mod model;
pub mod mysql;
pub mod normalize;
pub mod postgres;
pub mod rename;
pub mod render;
pub mod sqlite;

pub use change::{Change, EnumPosition, TableChange};
pub use describe::describe_changes;
pub use diff::{DiffError, diff, diff_case_sensitive};
pub use model::{
    CheckConstraint, Column, Deferrable, Domain, EnumType, ExclusionConstraint, Extension,
    FkAction, ForeignKey, Function, Generated, Identity, Index, IndexKey, IndexPart, ObjectName,
    PrimaryKey, Schema, Sequence, Table, TableOptions, Trigger, UniqueConstraint, View,
};
pub use rename::{ColumnRename, RenameCandidate, RenameFlagError, Renames, rename_candidates};
pub use render::{
    Block, Migration, MySqlRenderer, PostgresRenderer, Renderer, SqliteRenderer, plan,
};
