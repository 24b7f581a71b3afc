//! [`read_catalog`]: SQLite's catalog rows → the [`Schema`] model.
//!
//! Names are kept as declared (`sqlite_schema.name`, the pragmas' column
//! names, constraint and index names as written), and every reference
//! (foreign-key columns, referenced table and columns, key and index
//! columns, a trigger's table, what a view or trigger depends on) is spelled
//! as the object it names is declared, so the model is consistent; the diff
//! matches names without regard to ASCII case, as SQLite does. Types,
//! defaults and expressions are normalised ([`crate::normalize`]), so two
//! schemas written differently but meaning the same read equal.
//! Views and triggers keep their statement verbatim for rendering.

use std::collections::{BTreeMap, BTreeSet};

use super::catalog::{Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexListRow, ObjectRow};
use super::table::read_table;
pub use crate::catalog::{Read, ReadError};
use crate::model::{ObjectName, Schema, Trigger, View};
use crate::normalize::{identifiers, normalize_ident, normalize_sql, normalize_trigger};

/// Reads a catalog into a schema (its warnings dropped; see
/// [`read_catalog_with_warnings`]).
pub fn read_catalog(catalog: &Catalog) -> Result<Schema, ReadError> {
    read_catalog_with_warnings(catalog).map(|read| read.schema)
}

/// The rows of one table (or of one index), by the name SQLite reports.
pub(crate) struct Rows<'c> {
    pub columns: BTreeMap<&'c str, Vec<&'c ColumnRow>>,
    pub foreign_keys: BTreeMap<&'c str, Vec<&'c ForeignKeyRow>>,
    pub indexes: BTreeMap<&'c str, Vec<&'c IndexListRow>>,
    pub index_columns: BTreeMap<&'c str, Vec<&'c IndexColumnRow>>,
    pub index_sql: BTreeMap<&'c str, &'c str>,
}

impl Rows<'_> {
    /// The declared spelling of a table, looked up without regard to case.
    pub fn table_spelling(&self, name: &str) -> Option<&str> {
        if self.columns.contains_key(name) {
            return self.columns.get_key_value(name).map(|(k, _)| *k);
        }
        self.columns
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .copied()
    }

    /// The declared spelling of a column of a table (declared spelling),
    /// looked up without regard to case; `name` itself when there is none.
    pub fn column_spelling(&self, table: &str, name: &str) -> String {
        self.columns
            .get(table)
            .and_then(|cols| {
                cols.iter()
                    .find(|c| c.name == name)
                    .or_else(|| cols.iter().find(|c| c.name.eq_ignore_ascii_case(name)))
            })
            .map_or_else(|| name.to_string(), |c| c.name.clone())
    }
}

impl<'c> Rows<'c> {
    fn new(catalog: &'c Catalog) -> Rows<'c> {
        let mut rows = Rows {
            columns: BTreeMap::new(),
            foreign_keys: BTreeMap::new(),
            indexes: BTreeMap::new(),
            index_columns: BTreeMap::new(),
            index_sql: BTreeMap::new(),
        };
        for c in &catalog.columns {
            rows.columns.entry(c.table.as_str()).or_default().push(c);
        }
        for f in &catalog.foreign_keys {
            rows.foreign_keys
                .entry(f.table.as_str())
                .or_default()
                .push(f);
        }
        for i in &catalog.indexes {
            rows.indexes.entry(i.table.as_str()).or_default().push(i);
        }
        for c in &catalog.index_columns {
            rows.index_columns
                .entry(c.index.as_str())
                .or_default()
                .push(c);
        }
        for o in &catalog.objects {
            if let ("index", Some(sql)) = (o.kind.as_str(), &o.sql) {
                rows.index_sql.insert(o.name.as_str(), sql.as_str());
            }
        }
        rows.columns
            .values_mut()
            .for_each(|v| v.sort_by_key(|c| c.cid));
        rows.foreign_keys
            .values_mut()
            .for_each(|v| v.sort_by_key(|f| (f.id, f.seq)));
        rows.index_columns
            .values_mut()
            .for_each(|v| v.sort_by_key(|c| c.seqno));
        rows
    }
}

/// SQLite's own objects (`sqlite_schema`, `sqlite_sequence`, `sqlite_stat1`…).
fn internal(name: &str) -> bool {
    name.len() >= 7 && name[..7].eq_ignore_ascii_case("sqlite_")
}

/// Reads a catalog into a schema, with what could not be read.
pub fn read_catalog_with_warnings(catalog: &Catalog) -> Result<Read, ReadError> {
    let rows = Rows::new(catalog);
    let mut schema = Schema::default();
    let mut warnings = Vec::new();
    let list: BTreeMap<&str, _> = catalog
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t))
        .collect();
    let objects: Vec<&ObjectRow> = catalog
        .objects
        .iter()
        .filter(|o| !internal(&o.name))
        .collect();
    for object in objects.iter().filter(|o| o.kind == "table") {
        let entry = list.get(object.name.as_str());
        match entry.map(|t| t.kind.as_str()) {
            Some("virtual") => {
                warnings.push(format!(
                    "table {}: virtual tables are not compared (left out of the model)",
                    object.name
                ));
                continue;
            }
            Some("shadow") => continue,
            _ => {}
        }
        let strict = entry.is_some_and(|t| t.strict);
        let without_rowid = entry.is_some_and(|t| t.without_rowid);
        let table = read_table(object, &rows, strict, without_rowid, &mut warnings)?;
        schema.tables.insert(table.name.clone(), table);
    }
    // Tables and views by their lowercased name → as declared.
    let mut names: BTreeMap<String, String> = schema
        .tables
        .keys()
        .map(|n| (normalize_ident(&n.name), n.name.clone()))
        .collect();
    for object in objects.iter().filter(|o| o.kind == "view") {
        names.insert(normalize_ident(&object.name), object.name.clone());
    }
    for object in objects.iter().filter(|o| o.kind == "view") {
        let name = ObjectName::new(object.name.clone());
        let sql = statement(object)?;
        let view = View {
            depends_on: depends_on(sql, &names, &name.name),
            definition: normalize_sql(sql),
            sql: sql.to_string(),
            materialized: false,
            name: name.clone(),
        };
        schema.views.insert(name, view);
    }
    for object in objects.iter().filter(|o| o.kind == "trigger") {
        let name = ObjectName::new(object.name.clone());
        let sql = statement(object)?;
        let table = names
            .get(&normalize_ident(&object.tbl_name))
            .cloned()
            .unwrap_or_else(|| object.tbl_name.clone());
        let trigger = Trigger {
            table: ObjectName::new(table),
            depends_on: depends_on(sql, &names, &name.name),
            definition: normalize_trigger(sql),
            sql: sql.to_string(),
            name: name.clone(),
        };
        schema.triggers.insert(name, trigger);
    }
    Ok(Read { schema, warnings })
}

/// The object's `CREATE` statement.
fn statement(object: &ObjectRow) -> Result<&str, ReadError> {
    object.sql.as_deref().ok_or_else(|| ReadError {
        object: format!("{} {}", object.kind, object.name),
        message: "sqlite_schema holds no CREATE statement for it".into(),
    })
}

/// The tables and views of the schema that `sql` names (not `own`), as
/// declared, sorted; `names`: lowercased → declared.
fn depends_on(sql: &str, names: &BTreeMap<String, String>, own: &str) -> Vec<ObjectName> {
    let own = normalize_ident(own);
    let found: BTreeSet<String> = identifiers(sql)
        .into_iter()
        .filter(|i| *i != own)
        .filter_map(|i| names.get(&i).cloned())
        .collect();
    found.into_iter().map(ObjectName::new).collect()
}
