//! PostgreSQL: the catalog queries introspection runs (a fixed number,
//! whatever the number of tables) and how their rows read into the model.
//!
//! Objects in the connection's `current_schema()` get names without a
//! schema (`ObjectName::new`), so a scratch database and the real one read
//! the same; objects in other schemas are qualified. System schemas and
//! objects that belong to an extension are not read. What the model cannot
//! hold yet (policies, rules, partitions, inheritance, …) is reported in
//! [`Read::warnings`], one line per object.

pub mod catalog;
mod domain;
mod objects;
mod read;
mod tables;
mod text;

pub use domain::{DomainParts, domain_parts};

use crate::catalog::{Read, ReadError, Rows};

/// Which query is which, in [`catalog_queries`]'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Query {
    Namespaces,
    Extensions,
    Tables,
    Columns,
    Constraints,
    Indexes,
    Sequences,
    Enums,
    Domains,
    Views,
    ViewDeps,
    Functions,
    Triggers,
    Unmodelled,
}

impl Query {
    /// Every query, in order.
    pub(crate) const ALL: [Query; 14] = [
        Query::Namespaces,
        Query::Extensions,
        Query::Tables,
        Query::Columns,
        Query::Constraints,
        Query::Indexes,
        Query::Sequences,
        Query::Enums,
        Query::Domains,
        Query::Views,
        Query::ViewDeps,
        Query::Functions,
        Query::Triggers,
        Query::Unmodelled,
    ];

    /// The query's text for a server version.
    fn sql(self, server_version_num: u32) -> &'static str {
        let pg15 = server_version_num >= 150_000;
        match self {
            Query::Namespaces => catalog::NAMESPACES,
            Query::Extensions => catalog::EXTENSIONS,
            Query::Tables => catalog::TABLES,
            Query::Columns => catalog::COLUMNS,
            Query::Constraints if pg15 => catalog::CONSTRAINTS_15,
            Query::Constraints => catalog::CONSTRAINTS_13,
            Query::Indexes if pg15 => catalog::INDEXES_15,
            Query::Indexes => catalog::INDEXES_13,
            Query::Sequences => catalog::SEQUENCES,
            Query::Enums => catalog::ENUMS,
            Query::Domains => catalog::DOMAINS,
            Query::Views => catalog::VIEWS,
            Query::ViewDeps => catalog::VIEW_DEPS,
            Query::Functions => catalog::FUNCTIONS,
            Query::Triggers => catalog::TRIGGERS,
            Query::Unmodelled => catalog::UNMODELLED,
        }
    }

    /// What the query reads, for error messages.
    fn what(self) -> &'static str {
        match self {
            Query::Namespaces => "schemas",
            Query::Extensions => "extensions",
            Query::Tables => "tables",
            Query::Columns => "columns",
            Query::Constraints => "constraints",
            Query::Indexes => "indexes",
            Query::Sequences => "sequences",
            Query::Enums => "enum types",
            Query::Domains => "domains",
            Query::Views => "views",
            Query::ViewDeps => "view dependencies",
            Query::Functions => "functions",
            Query::Triggers => "triggers",
            Query::Unmodelled => "unmodelled objects",
        }
    }
}

/// The catalog queries for a server whose `server_version_num` is given
/// (PostgreSQL 13 or later), in the order their rows go to
/// [`read_catalog`]. Each selects text columns only and takes no
/// parameters; their number does not depend on the schema.
pub fn catalog_queries(server_version_num: u32) -> Vec<&'static str> {
    Query::ALL
        .iter()
        .map(|q| q.sql(server_version_num))
        .collect()
}

/// Reads the rows of [`catalog_queries`] (in their order) into a schema.
pub fn read_catalog(results: &[Rows]) -> Result<Read, ReadError> {
    read::read(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Vec<Rows> {
        vec![Vec::new(); Query::ALL.len()]
    }

    #[test]
    fn the_query_count_is_fixed_and_texts_differ_only_for_nulls_not_distinct() {
        let (old, new) = (catalog_queries(130_000), catalog_queries(150_004));
        assert_eq!(old.len(), Query::ALL.len());
        assert_eq!(new.len(), old.len());
        let differing: Vec<_> = Query::ALL
            .iter()
            .zip(old.iter().zip(&new))
            .filter(|(_, (o, n))| o != n)
            .map(|(q, _)| *q)
            .collect();
        assert_eq!(differing, [Query::Constraints, Query::Indexes]);
        assert!(old.iter().all(|q| !q.contains("indnullsnotdistinct")));
    }

    #[test]
    fn an_empty_catalog_reads_as_an_empty_schema() {
        let read = read_catalog(&empty()).expect("reads");
        assert_eq!(read.schema, crate::model::Schema::default());
        assert!(read.warnings.is_empty());
    }

    #[test]
    fn missing_or_malformed_rows_are_errors_not_panics() {
        let err = read_catalog(&[]).expect_err("no results");
        assert_eq!(err.object, "catalog");
        let mut results = empty();
        results[2] = vec![vec![None, Some("feed".into()), None]];
        results[3] = vec![vec![None, Some("feed".into())]];
        let err = read_catalog(&results).expect_err("a short row");
        assert_eq!(err.object, "catalog query for columns");
        results[3] = vec![vec![None, Some("other".into()), Some("x".into())]];
        results[3][0].extend(vec![Some("integer".into()); 9]);
        let err = read_catalog(&results).expect_err("a column of no table");
        assert_eq!(err.object, "table other");
        results[3].clear();
        results[4] = vec![vec![
            None,
            Some("feed".into()),
            Some("k".into()),
            Some("u".into()),
        ]];
        results[4][0].extend(vec![Some("[\"a\"".into()); 11]);
        let err = read_catalog(&results).expect_err("an unreadable column list");
        assert!(err.message.contains("unreadable column list"), "{err}");
    }
}
