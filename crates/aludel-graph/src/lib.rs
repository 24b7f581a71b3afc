//! Revision graph of aludel: heads, branches, merges, labels, dependencies,
//! targets and migration plans, with Python Alembic's semantics.
//!
//! The graph does no I/O: it receives revision metadata ([`RevisionInfo`]),
//! validates it ([`RevisionGraph::build`]) and answers questions.

mod build;
mod commands;
mod error;
mod graph;
mod plan;
mod target;
mod walk;

pub use build::{RevisionInfo, verify_revision_id};
pub use error::{CycleKind, GraphError, MultipleHeadsHint, RangeHint};
pub use graph::{RevIdx, Revision, RevisionGraph};
pub use plan::{Direction, StampStep, Step, VersionOp};

#[cfg(test)]
mod tests;
