//! The PostgreSQL renderer.

use super::{Block, Renderer};
use crate::change::Change;
use crate::model::Schema;

/// Renders changes as PostgreSQL SQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresRenderer {
    /// Write index creation and constraint validation on existing tables
    /// the non-blocking way, in non-transactional blocks.
    pub concurrently: bool,
}

impl Renderer for PostgresRenderer {
    fn render(&self, changes: &[Change], _before: &Schema, _after: &Schema) -> Vec<Block> {
        let _ = changes;
        Vec::new()
    }
}
