//! What a run would do ([`Plan`]): the revisions it would apply or undo, in
//! order, and the SQL it would send, rendered offline for any engine.

use std::fmt;

use aludel_graph::Step;

use super::Migrations;
use crate::dialect;
use crate::error::Error;
use crate::history::History;
use crate::offline::{self, OfflineOptions};
use crate::runner::Direction;
use crate::url::Backend;

/// One migration of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    /// The revision id.
    pub revision: String,
    /// Whether its upgrade or its downgrade would run.
    pub direction: Direction,
    /// Its message (the first paragraph of the header's text).
    pub description: String,
    /// The embedded file, e.g. `migrations/versions/a1_init.sql`.
    pub path: String,
}

/// What a run would do, computed without changing anything; from
/// [`Migrations::pending`] (and its `_pool`/`_connection` forms) or
/// [`Migrations::plan`].
pub struct Plan<'m> {
    /// The version table's rows the plan starts from.
    pub from: Vec<String>,
    /// The steps, in the order they would run (empty: nothing to do).
    pub steps: Vec<PlannedStep>,
    raw: Vec<Step>,
    migrations: &'m Migrations,
    history: &'m History,
}

impl fmt::Debug for Plan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plan")
            .field("from", &self.from)
            .field("steps", &self.steps)
            .finish()
    }
}

impl Plan<'_> {
    /// Whether there is nothing to run.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The revisions that would run, in order.
    pub fn revisions(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.revision.as_str()).collect()
    }

    /// The SQL a run of this plan would send to a database of `backend`,
    /// with the version-table changes and transactions (`BEGIN;`/`COMMIT;`
    /// per migration, or around the whole run with
    /// [`Migrations::with_transaction_per_migration`]`(false)`), as
    /// `aludel upgrade --sql` prints it. Touches no database.
    pub fn sql(&self, backend: Backend) -> Result<String, Error> {
        offline::render(
            self.history,
            dialect::for_backend(backend),
            &self.raw,
            &OfflineOptions {
                version_table: &self.migrations.version_table(),
                transaction_per_migration: self.migrations.transaction_per_migration,
                start_heads: self.from.clone(),
            },
            &mut |_| {},
        )
    }
}

impl Migrations {
    /// What a run in `direction` to `target` would do on a database whose
    /// version table holds `from` (`"base"`: an empty one; otherwise a
    /// revision, a label or `"heads"`), without a database.
    pub fn plan(&self, direction: Direction, from: &str, target: &str) -> Result<Plan<'_>, Error> {
        let history = self.history()?;
        let heads = match from {
            "" | "base" => Vec::new(),
            from => {
                let graph = history.graph();
                graph
                    .resolve(from, &[])?
                    .into_iter()
                    .map(|idx| graph.revision(idx).id().to_string())
                    .collect()
            }
        };
        self.plan_from(heads, direction, target)
    }

    /// The SQL of an upgrade from `from` to `to` (e.g. `"base"`, `"head"`)
    /// on `backend`: [`Migrations::plan`] then [`Plan::sql`].
    pub fn offline_sql(&self, backend: Backend, from: &str, to: &str) -> Result<String, Error> {
        self.plan(Direction::Upgrade, from, to)?.sql(backend)
    }

    /// The plan from the version table's rows `heads`.
    pub(super) fn plan_from(
        &self,
        heads: Vec<String>,
        direction: Direction,
        target: &str,
    ) -> Result<Plan<'_>, Error> {
        let history = self.history()?;
        let current: Vec<&str> = heads.iter().map(String::as_str).collect();
        let raw = match direction {
            Direction::Upgrade => history.graph().plan_upgrade(&current, target)?,
            Direction::Downgrade => history.graph().plan_downgrade(&current, target)?,
        };
        let steps = raw
            .iter()
            .map(|step| {
                let file = history.file(step.revision);
                PlannedStep {
                    revision: file.header.revision.clone(),
                    direction: step.direction,
                    description: file.header.summary().to_string(),
                    path: file.path.display().to_string(),
                }
            })
            .collect();
        Ok(Plan {
            from: heads,
            steps,
            raw,
            migrations: self,
            history,
        })
    }
}
