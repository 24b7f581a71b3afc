//! What the autogenerate corpus (`autogen_corpus.rs`) and property tests
//! (`autogen_props.rs`) share: a case (two schemas, rows, renames), the calls
//! into aludel's autogenerate (`engine`), a two-revision history run through
//! the real runner and the offline renderer (`history`), table contents
//! compared across a migration (`rows`), the four properties (`check`), and
//! random schemas and changes for the property test (`random`).

#![allow(dead_code)]

pub mod case;
pub mod changes;
pub mod check;
pub mod engine;
pub mod history;
pub mod portable;
pub mod random;
pub mod rows;
#[cfg(all(feature = "postgres", feature = "mysql"))]
pub mod server;
