//! What the progress table says, in words: a half-applied migration
//! ([`Unfinished`]) and the error that stops a run because of one
//! ([`HalfApplied`]), with the advice the operator needs.

use std::fmt;

use crate::error::StatementFailure;

/// One statement of a migration as the progress table holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementProgress {
    /// 1-based number of the statement in its section.
    pub statement: usize,
    /// 1-based line of the file where it starts.
    pub line: usize,
    /// SHA-256 of its text when it ran.
    pub sha256: String,
    /// Whether it is known to have run (`done`), rather than only started.
    pub done: bool,
    /// Its first line.
    pub first_line: String,
}

/// A migration that started and did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    /// The revision.
    pub revision: String,
    /// `upgrade` or `downgrade`.
    pub direction: String,
    /// Its statements that ran or started, in order.
    pub statements: Vec<StatementProgress>,
}

impl Unfinished {
    /// How many statements, from the first, are known to have run.
    pub fn done(&self) -> usize {
        self.statements.iter().take_while(|s| s.done).count()
    }

    /// The statement that started and may or may not have run, if any.
    pub fn uncertain(&self) -> Option<&StatementProgress> {
        self.statements.iter().find(|s| !s.done)
    }

    /// A sentence saying where the migration stands.
    pub fn describe(&self) -> String {
        let done = self.done();
        let ran = match done {
            0 => "none of its statements ran".to_string(),
            1 => "statement 1 ran".to_string(),
            n => format!("statements 1 to {n} ran"),
        };
        let mut text = format!(
            "revision {} is half-applied ({}): {ran}",
            self.revision, self.direction
        );
        if let Some(s) = self.uncertain() {
            text.push_str(&format!(
                "; statement {} (line {}: {}) may or may not have run",
                s.statement, s.line, s.first_line
            ));
        } else if let Some(last) = self.statements.get(done.wrapping_sub(1)) {
            text.push_str(&format!(
                " (the last, line {}: {})",
                last.line, last.first_line
            ));
        }
        text
    }
}

/// What is wrong with a half-applied migration, for [`HalfApplied`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A statement failed; the ones before it stay applied.
    Failed(StatementFailure),
    /// A statement started and may or may not have run (the migrator
    /// stopped between its `started` and `done` rows).
    Uncertain,
    /// A statement that already ran is not the same in the file now.
    Edited {
        /// Its number.
        statement: usize,
        /// Its line in the file now.
        line: usize,
    },
    /// The run would do something else first (another revision, or the
    /// other direction).
    Elsewhere {
        /// What the run would do first, e.g. `the downgrade of b2`.
        planned: String,
    },
}

/// A migration that is half-applied, and why the run stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HalfApplied {
    /// Where the migration stands.
    pub unfinished: Unfinished,
    /// The revision file.
    pub path: String,
    /// What stopped the run.
    pub problem: Problem,
    /// The progress table, for the advice.
    pub table: String,
}

impl std::error::Error for HalfApplied {
    /// The database's error, when a statement failed.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            Problem::Failed(failure) => Some(&failure.source),
            _ => None,
        }
    }
}

impl fmt::Display for HalfApplied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = &self.unfinished;
        let clear = format!(
            "DELETE FROM {} WHERE revision = '{}' AND direction = '{}'",
            self.table, u.revision, u.direction
        );
        match &self.problem {
            Problem::Failed(failure) => {
                write!(f, "{failure}\n{}", u.describe())?;
                if u.done() > 0 {
                    f.write_str("; what ran stays applied, as this engine commits DDL at once")?;
                }
                write!(
                    f,
                    "; the version table is unchanged.\nFix the failed statement in {} and run \
                     again: the {} resumes with statement {}",
                    self.path,
                    u.direction,
                    u.done() + 1
                )
            }
            Problem::Uncertain => {
                let Some(s) = u.uncertain() else {
                    return f.write_str(&u.describe());
                };
                write!(
                    f,
                    "{}: {}; the migrator stopped while it ran.\nCheck by hand whether it took \
                     effect; then, if it did, record it with: UPDATE {} SET state = 'done' \
                     WHERE revision = '{}' AND direction = '{}' AND statement = {}\nor, if it \
                     did not: DELETE FROM {} WHERE revision = '{}' AND direction = '{}' AND \
                     statement = {}\nand run again",
                    self.path,
                    u.describe(),
                    self.table,
                    u.revision,
                    u.direction,
                    s.statement,
                    self.table,
                    u.revision,
                    u.direction,
                    s.statement
                )
            }
            Problem::Edited { statement, line } => write!(
                f,
                "{}:{line}: statement {statement} of the {} of revision {} already ran, and the \
                 file has changed it since; {}.\nPut the statement back as it ran; or undo \
                 what ran by hand, run: {clear}\nand run again (the revision then runs from \
                 its first statement)",
                self.path,
                u.direction,
                u.revision,
                u.describe()
            ),
            Problem::Elsewhere { planned } => write!(
                f,
                "{}: {}; this run would start with {planned}.\nFinish it first (run the \
                 {} of {} again once its file is right); or undo what ran by hand, run: \
                 {clear}\nand run again",
                self.path,
                u.describe(),
                u.direction,
                u.revision
            ),
        }
    }
}
