//! Error types shared by the header parser, the section parser and the splitter.

use std::fmt;

use crate::flavor::Flavor;

/// An error in a revision file, located at a 1-based line of that file.
///
/// Displays as `line 3: missing `Revision ID` in header`; the caller prefixes
/// the file path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct ScriptError {
    /// 1-based line number in the file.
    pub line: usize,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl ScriptError {
    /// Creates an error at `line`.
    pub fn new(line: usize, kind: ErrorKind) -> Self {
        Self { line, kind }
    }
}

/// What went wrong, without the location.
///
/// Also returned on its own by [`render_header`](crate::render_header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file does not start with a `--` comment block.
    #[error("missing header: the file must start with a block of `--` comment lines")]
    MissingHeader,
    /// The header has no `Revision ID` line.
    #[error("missing `Revision ID` in header")]
    MissingRevisionId,
    /// A header key appears twice.
    #[error("duplicate `{0}` line in header")]
    DuplicateKey(&'static str),
    /// A revision id or label breaks the character rules.
    #[error("invalid `{key}` value `{value}`: {reason}")]
    InvalidValue {
        /// Canonical header key (`Revision ID`, `Revises`, ...).
        key: &'static str,
        /// The offending entry.
        value: String,
        /// Which rule it breaks.
        reason: IdError,
    },
    /// The same entry appears twice in one comma-separated list.
    #[error("duplicate entry `{value}` in `{key}`")]
    DuplicateValue {
        /// Canonical header key.
        key: &'static str,
        /// The repeated entry.
        value: String,
    },
    /// `-- migrate:<name>` with a name other than `upgrade`/`downgrade`.
    #[error("unknown section `{0}`: expected `migrate:upgrade` or `migrate:downgrade`")]
    UnknownSection(String),
    /// An option on a marker line that is not `transaction:true|false`.
    #[error("unknown section option `{0}`: expected `transaction:true` or `transaction:false`")]
    UnknownOption(String),
    /// The same option given twice on one marker line.
    #[error("duplicate section option `{0}`")]
    DuplicateOption(String),
    /// A second `-- migrate:upgrade` or `-- migrate:downgrade` marker.
    #[error("duplicate `migrate:{0}` section")]
    DuplicateSection(SectionKind),
    /// SQL between the header and the first section marker.
    #[error("SQL before the first `-- migrate:upgrade` / `-- migrate:downgrade` marker")]
    ContentBeforeSection,
    /// A construct opened at the error's line is never closed.
    #[error("unterminated {0}")]
    Unterminated(Construct),
    /// A `DELIMITER` line, which only the MySQL/MariaDB client reads, in a
    /// file read by another flavour.
    #[error(
        "`DELIMITER` is a MySQL client command, not SQL: the {0} flavour would send it to the server as a statement; end statements with `;` instead"
    )]
    DelimiterCommand(Flavor),
    /// A `DELIMITER` line the MySQL client would not read as one (the
    /// reason), in the MySQL flavour.
    #[error("invalid DELIMITER line: {0}")]
    InvalidDelimiter(&'static str),
}

/// The two sections of a revision file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// `-- migrate:upgrade`
    Upgrade,
    /// `-- migrate:downgrade`
    Downgrade,
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SectionKind::Upgrade => "upgrade",
            SectionKind::Downgrade => "downgrade",
        })
    }
}

/// A lexical construct that can be left open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Construct {
    /// `'...'` or `E'...'`.
    StringLiteral,
    /// `"..."` or `` `...` ``.
    QuotedIdentifier,
    /// `/* ... */` (nesting is counted in PostgreSQL, not in SQLite).
    BlockComment,
    /// `$tag$ ... $tag$`; holds the tag including both `$`.
    DollarQuote(String),
    /// `BEGIN`/`CASE` ... `END` of a trigger, function or procedure, or a
    /// SQLite trigger without its closing `; END`.
    RoutineBody,
}

impl fmt::Display for Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Construct::StringLiteral => f.write_str("string literal"),
            Construct::QuotedIdentifier => f.write_str("quoted identifier"),
            Construct::BlockComment => f.write_str("block comment"),
            Construct::DollarQuote(tag) => write!(f, "dollar-quoted string `{tag}`"),
            Construct::RoutineBody => f.write_str("BEGIN ... END body (missing `END`)"),
        }
    }
}

/// Why a revision id or label is invalid (see [`validate_id`](crate::validate_id)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("must not be empty")]
    Empty,
    /// The id contains a forbidden character.
    #[error("must not contain {0:?}")]
    ForbiddenChar(char),
    /// The id is `None`, which means "no parent" in `Revises`.
    #[error("`None` is reserved")]
    Reserved,
    /// The id is a word revision targets use (`base`, `head`, `heads`, `current`).
    #[error(
        "`{0}` is reserved: as a target it means something else, so the revision could never be named"
    )]
    ReservedWord(&'static str),
    /// The id contains a character that does not show (zero-width space, BOM, …).
    #[error("must not contain the invisible character U+{:04X}", *.0 as u32)]
    Invisible(char),
    /// A revision id longer than the version table's `VARCHAR(32)` column.
    #[error("is {0} bytes long; the version table holds at most 32")]
    TooLong(usize),
}
