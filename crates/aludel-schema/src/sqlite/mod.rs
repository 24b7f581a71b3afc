//! SQLite: the catalog rows its introspection queries return
//! ([`Catalog`]) and how they read into the model ([`read_catalog`]).

pub mod catalog;
mod parse;
pub mod read;
mod table;

pub use catalog::{
    Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexListRow, ObjectRow, TableListRow,
};
pub use read::{Read, ReadError, read_catalog, read_catalog_with_warnings};

#[cfg(test)]
mod tests;
