//! Reading the catalog rows: checked access to a row's cells, and the
//! kinds read here (schemas, extensions, sequences, enums, warnings); tables
//! and the other objects have modules of their own.

use super::{Query, objects, tables};
use crate::catalog::{Read, ReadError, Row, Rows};
use crate::model::{EnumType, Extension, ObjectName, Schema, Sequence};

/// One row of a query, read cell by cell; a missing cell is an error naming
/// the query.
pub(crate) struct Cells<'a> {
    row: &'a Row,
    query: Query,
}

impl<'a> Cells<'a> {
    /// The cell at `i`, `None` for SQL `NULL`.
    pub(crate) fn opt(&self, i: usize) -> Result<Option<&'a str>, ReadError> {
        match self.row.get(i) {
            Some(cell) => Ok(cell.as_deref()),
            None => Err(ReadError {
                object: format!("catalog query for {}", self.query.what()),
                message: format!("a row has {} columns, expected more", self.row.len()),
            }),
        }
    }

    /// The cell at `i`, which must not be `NULL`.
    pub(crate) fn req(&self, i: usize) -> Result<&'a str, ReadError> {
        self.opt(i)?.ok_or_else(|| ReadError {
            object: format!("catalog query for {}", self.query.what()),
            message: format!("column {} is NULL", i + 1),
        })
    }

    /// The cell at `i` as an optional owned string (empty text as `None`).
    pub(crate) fn text(&self, i: usize) -> Result<Option<String>, ReadError> {
        Ok(self.opt(i)?.filter(|s| !s.is_empty()).map(str::to_string))
    }

    /// The cell at `i` as a boolean (`true`/`t`).
    pub(crate) fn flag(&self, i: usize) -> Result<bool, ReadError> {
        Ok(matches!(self.opt(i)?, Some("true" | "t")))
    }

    /// The object name in cells `i` (schema, `NULL` for the current one)
    /// and `i + 1`.
    pub(crate) fn name(&self, i: usize) -> Result<ObjectName, ReadError> {
        let name = self.req(i + 1)?;
        Ok(match self.opt(i)? {
            Some(schema) => ObjectName::qualified(schema, name),
            None => ObjectName::new(name),
        })
    }

    /// An error about `object` found while reading this row.
    pub(crate) fn error(&self, object: String, message: impl Into<String>) -> ReadError {
        ReadError {
            object,
            message: message.into(),
        }
    }
}

/// The rows of one query, read as [`Cells`].
pub(crate) fn rows(results: &[Rows], query: Query) -> Result<Vec<Cells<'_>>, ReadError> {
    let i = Query::ALL.iter().position(|q| *q == query).unwrap_or(0);
    let rows = results.get(i).ok_or_else(|| ReadError {
        object: "catalog".into(),
        message: format!(
            "{} query results given, expected {} (the rows for {} are missing)",
            results.len(),
            Query::ALL.len(),
            query.what()
        ),
    })?;
    Ok(rows.iter().map(|row| Cells { row, query }).collect())
}

/// Reads every query's rows into a schema and its warnings.
pub(crate) fn read(results: &[Rows]) -> Result<Read, ReadError> {
    if results.len() != Query::ALL.len() {
        return Err(ReadError {
            object: "catalog".into(),
            message: format!(
                "{} query results given, expected {}",
                results.len(),
                Query::ALL.len()
            ),
        });
    }
    let mut schema = Schema::default();
    let mut warnings = Vec::new();
    for row in rows(results, Query::Namespaces)? {
        schema.namespaces.push(row.req(0)?.to_string());
    }
    for row in rows(results, Query::Extensions)? {
        let name = row.req(0)?.to_string();
        let schema_name = row.text(1)?;
        schema.extensions.insert(
            name.clone(),
            Extension {
                name,
                schema: schema_name,
            },
        );
    }
    tables::read_tables(results, &mut schema, &mut warnings)?;
    read_sequences(results, &mut schema)?;
    read_enums(results, &mut schema)?;
    objects::read_objects(results, &mut schema, &mut warnings)?;
    for row in rows(results, Query::Unmodelled)? {
        warnings.push(row.req(0)?.to_string());
    }
    Ok(Read { schema, warnings })
}

/// Sequences not owned by a `serial` or identity column, with their
/// options rebuilt as `CREATE SEQUENCE` takes them.
fn read_sequences(results: &[Rows], schema: &mut Schema) -> Result<(), ReadError> {
    for row in rows(results, Query::Sequences)? {
        let name = row.name(0)?;
        let definition = format!(
            "AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
            row.req(2)?,
            row.req(3)?,
            row.req(4)?,
            row.req(5)?,
            row.req(6)?,
            row.req(7)?,
            if row.flag(8)? { "CYCLE" } else { "NO CYCLE" }
        );
        let owned_by = match (row.opt(10)?, row.opt(11)?) {
            (Some(_), Some(column)) => Some((row.name(9)?, column.to_string())),
            _ => None,
        };
        schema.sequences.insert(
            name.clone(),
            Sequence {
                name,
                definition,
                owned_by,
            },
        );
    }
    Ok(())
}

/// Enum types and their labels in order (one row per label).
fn read_enums(results: &[Rows], schema: &mut Schema) -> Result<(), ReadError> {
    for row in rows(results, Query::Enums)? {
        let name = row.name(0)?;
        let label = row.req(2)?.to_string();
        schema
            .enums
            .entry(name.clone())
            .or_insert_with(|| EnumType {
                name,
                values: Vec::new(),
            })
            .values
            .push(label);
    }
    Ok(())
}
