//! The MySQL/MariaDB renderer.

use super::{Block, Renderer};
use crate::change::Change;
use crate::model::Schema;
use crate::mysql::MySqlServer;

/// Renders changes as MySQL or MariaDB SQL.
#[derive(Debug, Clone, Copy)]
pub struct MySqlRenderer {
    /// The server the SQL is for.
    pub server: MySqlServer,
}

impl Renderer for MySqlRenderer {
    fn render(&self, changes: &[Change], _before: &Schema, _after: &Schema) -> Vec<Block> {
        let _ = changes;
        Vec::new()
    }
}
