//! Autogenerate and check: the desired schema (DDL sources loaded into a
//! scratch SQLite database, [`desired`]) and the current one (the database at
//! head, or every migration replayed, [`current`]), both read the same way
//! ([`introspect`]) into [`aludel_schema::Schema`] models to compare.

pub mod current;
pub mod desired;
pub mod introspect;
