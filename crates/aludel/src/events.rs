//! Progress of a run as structured [`tracing`] events, all with target
//! `"aludel"`, for applications that migrate at startup and want to see, or
//! measure, what happens:
//!
//! | event | level | fields | message |
//! |---|---|---|---|
//! | a migration starts | `INFO` | `revision`, `direction` (`upgrade`/`downgrade`), `description` | Alembic's line, `Running upgrade a1 -> b2, add users` |
//! | a migration has run | `INFO` | `revision`, `direction`, `description`, `duration_ms` | `Ran upgrade a1 -> b2 in 12 ms` |
//! | a stamp step | `INFO` | `revision` (a target of the step, `base` when none), `direction` (`stamp`) | `Running stamp_revision a1 -> b2` |
//! | a lock wait passed a second | `WARN` | `lock`, `timeout_ms` | `Waiting for the migration lock …, which another process has (…)` |
//!
//! `duration_ms` is the time the migration's statements and version-table
//! change took, the value its `aludel_history` row records. The runner's
//! `on_step` callback still receives the messages as text (the CLI prints
//! them as Alembic does); the events are emitted whatever the callback does.
//!
//! Architecture invariant: the events carry no SQL text and no URL, so a
//! subscriber never sees a password.

use std::time::Duration;

use aludel_graph::Step;

use crate::history::History;
use crate::runner::{direction_name, step_log};

/// The target of every event aludel emits.
pub const TARGET: &str = "aludel";

/// A migration of a run is about to start; returns Alembic's log line.
pub(crate) fn step_started(history: &History, step: &Step) -> String {
    let line = step_log(history, step);
    let file = history.file(step.revision);
    tracing::info!(
        target: TARGET,
        revision = %file.header.revision,
        direction = direction_name(step.direction),
        description = %file.header.summary(),
        "{line}"
    );
    line
}

/// A migration of a run has run its statements and version-table change.
pub(crate) fn step_finished(history: &History, step: &Step, duration_ms: u64) {
    let file = history.file(step.revision);
    tracing::info!(
        target: TARGET,
        revision = %file.header.revision,
        direction = direction_name(step.direction),
        description = %file.header.summary(),
        duration_ms,
        "Ran {} in {duration_ms} ms",
        step.short_log()
    );
}

/// A stamp step is about to change the version table; returns Alembic's
/// log line.
pub(crate) fn stamp_step(short_log: &str, targets: &[String]) -> String {
    let line = format!("Running {short_log}");
    let revision = if targets.is_empty() {
        "base".to_string()
    } else {
        targets.join(",")
    };
    tracing::info!(target: TARGET, revision = %revision, direction = "stamp", "{line}");
    line
}

/// A wait for `lock` has lasted a second; returns the notice's text.
pub(crate) fn lock_wait(lock: &str, timeout: Duration) -> String {
    let line = crate::runner::wait_notice(lock, timeout);
    let timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
    tracing::warn!(target: TARGET, lock = %lock, timeout_ms, "{line}");
    line
}
