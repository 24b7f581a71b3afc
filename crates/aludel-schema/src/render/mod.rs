//! Rendering: the SQL that applies a list of changes, engine by engine, and
//! the migration (upgrade and its exact inverse) made from two schemas.

pub mod mysql;
pub mod postgres;
pub mod sqlite;

use crate::change::Change;
use crate::describe::describe_changes;
use crate::diff::{DiffError, diff};
use crate::model::Schema;
use crate::rename::Renames;

pub use mysql::MySqlRenderer;
pub use postgres::PostgresRenderer;
pub use sqlite::SqliteRenderer;

/// Writes the SQL of an engine.
pub trait Renderer {
    /// The blocks that apply `changes` (a diff of `before` into `after`, in
    /// its order) to a database whose schema is `before`.
    fn render(&self, changes: &[Change], before: &Schema, after: &Schema) -> Vec<Block>;

    /// The blocks of a downgrade ([`plan`] renders the reverse diff with
    /// this): like [`Renderer::render`], except that non-transactional
    /// blocks run before the transactional ones, so a renderer may write
    /// them differently. By default the same as [`Renderer::render`].
    fn render_downgrade(&self, changes: &[Change], before: &Schema, after: &Schema) -> Vec<Block> {
        self.render(changes, before, after)
    }

    /// Whether the engine's names are case-sensitive, so that [`plan`]
    /// diffs with [`crate::diff_case_sensitive`]. By default not (SQLite).
    fn case_sensitive_names(&self) -> bool {
        false
    }
}

/// The SQL of one change: a title, warnings, notes, statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block does (`Add column feed.x`).
    pub title: String,
    /// Data-loss and other warnings, also shown to the user.
    pub warnings: Vec<String>,
    /// What a reviewer should know that is not a loss: the locks a statement
    /// takes (`ACCESS EXCLUSIVE lock on public.feed`), a MySQL statement that
    /// copies the table. Written into the file only.
    pub notes: Vec<String>,
    /// The statements, without their final `;`.
    pub statements: Vec<String>,
    /// `false`: the statements must run outside a transaction (`CREATE INDEX
    /// CONCURRENTLY`, a `VALIDATE CONSTRAINT` meant to run after the commit
    /// that added the constraint). A renderer puts such blocks after every
    /// transactional one in an upgrade, and before them in a downgrade, so
    /// the two groups can be written as two revisions (see
    /// [`Migration::split_transactional`]).
    pub transactional: bool,
}

impl Block {
    /// A block with no warnings.
    pub fn new(title: impl Into<String>, statements: Vec<String>) -> Block {
        Block {
            title: title.into(),
            warnings: Vec::new(),
            notes: Vec::new(),
            statements,
            transactional: true,
        }
    }

    /// The block as script text: `-- title`, `-- WARNING: …` lines,
    /// `-- NOTE: …` lines, then each statement followed by `;` and a newline.
    pub fn sql(&self) -> String {
        let mut out = format!("-- {}\n", self.title);
        for warning in &self.warnings {
            out.push_str(&format!("-- WARNING: {warning}\n"));
        }
        for note in &self.notes {
            out.push_str(&format!("-- NOTE: {note}\n"));
        }
        for statement in &self.statements {
            out.push_str(statement);
            out.push_str(";\n");
        }
        out
    }
}

/// A migration made from two schemas: the changes, the upgrade that applies
/// them, and the downgrade that undoes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The changes the upgrade makes, in order.
    pub changes: Vec<Change>,
    /// The upgrade's blocks.
    pub upgrade: Vec<Block>,
    /// The downgrade's blocks (the rendered diff of the desired schema back
    /// into the current one).
    pub downgrade: Vec<Block>,
}

impl Migration {
    /// Whether there is nothing to change (no drift).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The upgrade script: every block, a blank line between blocks.
    pub fn upgrade_sql(&self) -> String {
        join(&self.upgrade)
    }

    /// The downgrade script: every block, a blank line between blocks.
    pub fn downgrade_sql(&self) -> String {
        join(&self.downgrade)
    }

    /// The detected changes, one line each (see [`describe_changes`]).
    pub fn describe(&self) -> Vec<String> {
        describe_changes(&self.changes)
    }

    /// The upgrade's warnings (data loss), in block order.
    pub fn warnings(&self) -> Vec<String> {
        self.upgrade
            .iter()
            .flat_map(|b| b.warnings.iter().cloned())
            .collect()
    }
}

impl Migration {
    /// Splits the migration in two: the part that runs in a transaction and
    /// the part that must not (its blocks have `transactional == false`),
    /// each with its own downgrade. Applying the first then the second is
    /// the whole upgrade; the second's downgrade then the first's is the
    /// whole downgrade. The second is `None` when every block is
    /// transactional.
    pub fn split_transactional(&self) -> (Migration, Option<Migration>) {
        let (up_tx, up_later): (Vec<Block>, Vec<Block>) =
            self.upgrade.iter().cloned().partition(|b| b.transactional);
        let (down_tx, down_first): (Vec<Block>, Vec<Block>) = self
            .downgrade
            .iter()
            .cloned()
            .partition(|b| b.transactional);
        let first = Migration {
            changes: self.changes.clone(),
            upgrade: up_tx,
            downgrade: down_tx,
        };
        if up_later.is_empty() && down_first.is_empty() {
            return (first, None);
        }
        let second = Migration {
            changes: Vec::new(),
            upgrade: up_later,
            downgrade: down_first,
        };
        (first, Some(second))
    }
}

fn join(blocks: &[Block]) -> String {
    blocks.iter().map(Block::sql).collect::<Vec<_>>().join("\n")
}

/// The migration from `current` to `desired`: the upgrade renders
/// `diff(current, desired, renames)`, the downgrade renders
/// `diff(desired, current, renames.inverted())`, so one undoes the other by
/// construction.
pub fn plan(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
    renderer: &dyn Renderer,
) -> Result<Migration, DiffError> {
    let diff = if renderer.case_sensitive_names() {
        crate::diff_case_sensitive
    } else {
        diff
    };
    let changes = diff(current, desired, renames)?;
    let back = diff(desired, current, &renames.inverted())?;
    let upgrade = renderer.render(&changes, current, desired);
    let downgrade = renderer.render_downgrade(&back, desired, current);
    Ok(Migration {
        changes,
        upgrade,
        downgrade,
    })
}
