//! Revision file format for aludel.
//!
//! A revision file is plain SQL: a leading `--` comment header (message,
//! `Revision ID`, `Revises`, ...), then `-- migrate:upgrade` and
//! `-- migrate:downgrade` sections. This crate parses that text (it does no
//! I/O) and splits sections into statements with file line numbers.
//!
//! * [`parse_header`] reads only the header (cheap, for whole histories).
//! * [`parse_script`] reads header and sections.
//! * [`Section::statements`] / [`split_statements`] split SQL into statements
//!   as the engine's [`Flavor`] reads it: SQLite exactly as `sqlite3_complete`
//!   and `sqlite3_prepare` do; PostgreSQL as its scanner and grammar do
//!   (dollar quotes, `E'…'`, nested comments, parentheses, `BEGIN ATOMIC`
//!   bodies); MySQL/MariaDB as the server and its command-line client do
//!   (`#` comments, backslash escapes, `/*! */`, `DELIMITER`, compound
//!   statements of stored programs). Each flavour is tested against the
//!   engine itself.
//! * [`Statement::transaction_control`] spots `BEGIN`/`COMMIT`/`ROLLBACK`
//!   (and each engine's other forms); [`push_terminated`] writes a statement
//!   back with its `;`.
//! * [`render_header`] writes the header for a new revision; [`render_message`]
//!   writes a message so that it reads back as message text only.
//! * [`validate_id`] checks revision ids and branch labels.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod atomic;
mod complete;
mod compound;
mod delimiter;
mod error;
mod flavor;
mod header;
mod ident;
mod lexer;
mod render;
mod sections;
mod split;
mod statement;

pub use error::{Construct, ErrorKind, IdError, ScriptError, SectionKind};
pub use flavor::Flavor;
pub use header::{Header, header_is_complete, parse_header};
pub use ident::{MAX_REVISION_ID_LEN, RESERVED_WORDS, validate_id, validate_revision_id};
pub use render::{HeaderFields, render_header, render_message};
pub use sections::{Script, Section, parse_script};
pub use split::split_statements;
pub use statement::{Statement, TransactionControl, push_terminated};
