//! Errors of the revision graph, with Alembic's messages.

use std::fmt;

/// How a "multiple heads" error is worded; Alembic words it per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultipleHeadsHint {
    /// Alembic's internal `MultipleHeads` message (lists the heads).
    Raw,
    /// The message Alembic's commands print for a target argument
    /// (`upgrade`, `downgrade`, `history`, `show`, ...).
    Target,
    /// The message of `alembic revision` / `merge` when no `--head` is given.
    NewRevision,
    /// The message of `alembic stamp`.
    Stamp,
}

/// How a "not an ancestor" error is worded; Alembic words it per command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeHint {
    /// Alembic's internal `RangeNotAncestorError` message.
    Raw,
    /// `history -r start:end`.
    Range {
        /// The start of the range as the user wrote it.
        start: String,
        /// The end of the range as the user wrote it.
        end: String,
    },
    /// `upgrade <destination>`.
    Upgrade(String),
    /// `downgrade <destination>`.
    Downgrade(String),
}

/// Which kind of cycle was detected at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleKind {
    /// A revision lists itself as a down revision.
    SelfLoop,
    /// A revision lists itself in `depends_on`.
    DependencySelfLoop,
    /// A cycle through `down_revision`s.
    Cycle,
    /// A cycle that needs `depends_on` edges.
    DependencyCycle,
}

impl CycleKind {
    fn label(self) -> &'static str {
        match self {
            CycleKind::SelfLoop => "Self-loop",
            CycleKind::DependencySelfLoop => "Dependency self-loop",
            CycleKind::Cycle => "Cycle",
            CycleKind::DependencyCycle => "Dependency cycle",
        }
    }
}

/// Every error the graph can report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphError {
    /// Two revision files declare the same revision id.
    DuplicateRevision {
        /// The duplicated id.
        id: String,
        /// The file that declared it first.
        first_origin: String,
        /// The file that declared it again.
        second_origin: String,
    },
    /// A revision id contains `@`, `-`, `+` or `:`.
    IllegalCharacters {
        /// The offending id.
        id: String,
        /// The illegal characters, sorted, joined by `", "`.
        chars: String,
        /// The file declaring it.
        origin: String,
    },
    /// A `down_revision` names a revision that does not exist.
    UnknownDownRevision {
        /// The revision naming the missing parent.
        id: String,
        /// Its file.
        origin: String,
        /// The missing id.
        missing: String,
    },
    /// A `depends_on` entry names neither a revision id nor a branch label.
    UnknownDependency {
        /// The revision naming the missing dependency.
        id: String,
        /// Its file.
        origin: String,
        /// The missing id or label.
        missing: String,
    },
    /// A branch label is claimed twice, or equals a revision id.
    DuplicateBranchLabel {
        /// The label.
        label: String,
        /// The revision claiming it second.
        id: String,
        /// That revision's file.
        origin: String,
        /// The revision already owning the label (or having it as id).
        used_by: String,
        /// That revision's file.
        used_by_origin: String,
    },
    /// The revisions form a cycle.
    Cycle {
        /// Self-loop, cycle, or their dependency variants.
        kind: CycleKind,
        /// The revisions Alembic reports (sorted ids).
        revisions: Vec<String>,
        /// Their files, in the same order.
        origins: Vec<String>,
    },
    /// A target cannot be resolved (Alembic's `ResolutionError`).
    NotFound {
        /// The argument Alembic reports.
        argument: String,
        /// Alembic's internal explanation, e.g. `No such branch: 'x'`.
        detail: String,
    },
    /// A partial revision identifier matches several revisions or labels.
    AmbiguousPrefix {
        /// The partial identifier.
        prefix: String,
        /// Every matching id / label (Alembic prints the first three).
        candidates: Vec<String>,
    },
    /// A symbolic target resolves to several heads.
    MultipleHeads {
        /// The heads found.
        heads: Vec<String>,
        /// The argument as reported (`head`, `label@head`, ...).
        argument: String,
        /// How the message is worded.
        hint: MultipleHeadsHint,
    },
    /// `lower` is not an ancestor of `upper` (Alembic's `RangeNotAncestorError`).
    RangeNotAncestor {
        /// The lower end as Alembic formats it.
        lower: String,
        /// The upper end as Alembic formats it.
        upper: String,
        /// How the message is worded.
        hint: RangeHint,
    },
    /// Any other `RevisionError` of Alembic, with its message.
    Revision(String),
    /// The version-table simulation hit a state Alembic would reject.
    VersionTable(String),
}

impl GraphError {
    pub(crate) fn rev(msg: impl Into<String>) -> Self {
        GraphError::Revision(msg.into())
    }

    /// Rewords the error the way an Alembic command would show it.
    pub fn with_heads_hint(mut self, hint: MultipleHeadsHint, head_arg: Option<&str>) -> Self {
        if let GraphError::MultipleHeads {
            hint: h, argument, ..
        } = &mut self
        {
            *h = hint;
            if let Some(arg) = head_arg {
                *argument = arg.to_string();
            }
        }
        self
    }

    /// Rewords a range error the way an Alembic command would show it.
    pub fn with_range_hint(mut self, hint: RangeHint) -> Self {
        if let GraphError::RangeNotAncestor { hint: h, .. } = &mut self {
            *h = hint;
        }
        self
    }
}

fn join_origins(origins: &[String]) -> String {
    origins.join(", ")
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::DuplicateRevision {
                id,
                first_origin,
                second_origin,
            } => write!(
                f,
                "Revision {id} is present more than once (in {first_origin} and {second_origin})"
            ),
            GraphError::IllegalCharacters { id, chars, origin } => write!(
                f,
                "Character(s) '{chars}' not allowed in revision identifier '{id}' (in {origin})"
            ),
            GraphError::UnknownDownRevision {
                id,
                origin,
                missing,
            } => write!(
                f,
                "Revision {missing} referenced from {id} is not present (in {origin})"
            ),
            GraphError::UnknownDependency {
                id,
                origin,
                missing,
            } => write!(
                f,
                "Dependency {missing} referenced from {id} is not present as a revision or branch label (in {origin})"
            ),
            GraphError::DuplicateBranchLabel {
                label,
                id,
                origin,
                used_by,
                used_by_origin,
            } => write!(
                f,
                "Branch name '{label}' in revision {id} already used by revision {used_by} (in {origin} and {used_by_origin})"
            ),
            GraphError::Cycle {
                kind,
                revisions,
                origins,
            } => write!(
                f,
                "{} is detected in revisions ({}) (in {})",
                kind.label(),
                revisions.join(", "),
                join_origins(origins)
            ),
            GraphError::NotFound { argument, .. } => {
                write!(f, "Can't locate revision identified by '{argument}'")
            }
            GraphError::AmbiguousPrefix { prefix, candidates } => {
                let shown: Vec<String> = candidates
                    .iter()
                    .take(3)
                    .map(|c| format!("'{c}'"))
                    .collect();
                write!(
                    f,
                    "Multiple revisions start with '{prefix}': {}...",
                    shown.join(", ")
                )
            }
            GraphError::MultipleHeads {
                heads,
                argument,
                hint,
            } => {
                match hint {
                    MultipleHeadsHint::Raw => write!(
                        f,
                        "Multiple heads are present for given argument '{argument}'; {}",
                        heads.join(", ")
                    )?,
                    MultipleHeadsHint::Target => write!(
                        f,
                        "Multiple head revisions are present for given argument '{argument}'; \
                         please specify a specific target revision, '<branchname>@{argument}' to \
                         narrow to a specific head, or 'heads' for all heads"
                    )?,
                    MultipleHeadsHint::NewRevision => f.write_str(
                        "Multiple heads are present; please specify the head revision on which \
                         the new revision should be based, or perform a merge.",
                    )?,
                    MultipleHeadsHint::Stamp => f.write_str(
                        "Multiple heads are present; please specify a single target revision",
                    )?,
                }
                // Alembic's words, plus what the user needs to pick one.
                if *hint != MultipleHeadsHint::Raw {
                    write!(f, " (heads: {})", heads.join(", "))?;
                }
                Ok(())
            }
            GraphError::RangeNotAncestor { lower, upper, hint } => match hint {
                RangeHint::Raw => {
                    write!(f, "Revision {lower} is not an ancestor of revision {upper}")
                }
                RangeHint::Range { start, end } => write!(
                    f,
                    "Requested range {start}:{end} does not refer to ancestor/descendant \
                     revisions along the same branch"
                ),
                RangeHint::Upgrade(end) => write!(
                    f,
                    "Destination {end} is not a valid upgrade target from current head(s)"
                ),
                RangeHint::Downgrade(end) => write!(
                    f,
                    "Destination {end} is not a valid downgrade target from current head(s)"
                ),
            },
            GraphError::Revision(msg) | GraphError::VersionTable(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for GraphError {}
