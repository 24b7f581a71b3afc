//! Table contents compared across a migration: for every table on both sides
//! (after the declared renames), the rows projected on the columns whose
//! values the migration keeps — on both sides, same type, same generation,
//! and not turned NOT NULL (those get `COALESCE`d) — and the table's
//! `sqlite_sequence` value when both sides are AUTOINCREMENT.

use std::collections::BTreeMap;

use aludel::sqlx::sqlite::SqliteConnection;
use aludel::sqlx::{self, AssertSqlSafe};
use aludel_schema::{Column, Identity, ObjectName, Schema, Table};

/// Table contents, by the `before` name of the table: sorted rows, each the
/// `quote()`d values joined with `|`.
pub type Snapshot = BTreeMap<String, Vec<String>>;

/// One table compared: its names and the columns compared on each side.
#[derive(Debug, Clone)]
struct Compared {
    before: String,
    after: String,
    before_name: ObjectName,
    after_name: ObjectName,
    columns: Vec<(String, String)>,
    sequence: bool,
}

/// Which tables and columns are compared, and under which names.
#[derive(Debug, Clone, Default)]
pub struct Projection {
    tables: Vec<Compared>,
}

/// Which side of the migration a database is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Named as in `before`.
    Before,
    /// Named as in `after`.
    After,
}

/// `old=new` table renames and `table.old=new` column renames.
/// `(table, old column, new column)`.
type ColumnRenames = Vec<(String, String, String)>;

fn parse_renames(renames: &[String]) -> (BTreeMap<String, String>, ColumnRenames) {
    let mut tables = BTreeMap::new();
    let mut columns = Vec::new();
    for flag in renames {
        let Some((from, to)) = flag.split_once('=') else {
            continue;
        };
        match from.split_once('.') {
            Some((table, column)) => columns.push((
                table.to_lowercase(),
                column.to_lowercase(),
                to.to_lowercase(),
            )),
            None => {
                tables.insert(from.to_lowercase(), to.to_lowercase());
            }
        }
    }
    (tables, columns)
}

fn keeps_values(before: &Column, after: &Column) -> bool {
    before.data_type.eq_ignore_ascii_case(&after.data_type)
        && before.generated == after.generated
        && (after.nullable || !before.nullable)
}

fn autoincrement(table: &Table) -> bool {
    table
        .columns
        .iter()
        .any(|c| c.identity == Some(Identity::AutoIncrement))
}

impl Projection {
    /// What a migration from `before` to `after` with `renames` keeps.
    pub fn new(before: &Schema, after: &Schema, renames: &[String]) -> Projection {
        let (table_renames, column_renames) = parse_renames(renames);
        let mut tables = Vec::new();
        for (name, old) in &before.tables {
            let before_name = name.name.to_lowercase();
            let after_name = table_renames
                .get(&before_name)
                .cloned()
                .unwrap_or_else(|| before_name.clone());
            let Some(new) = after
                .tables
                .iter()
                .find(|(n, _)| n.name.eq_ignore_ascii_case(&after_name))
                .map(|(_, t)| t)
            else {
                continue;
            };
            let columns = old
                .columns
                .iter()
                .filter_map(|column| {
                    let from = column.name.to_lowercase();
                    let to = column_renames
                        .iter()
                        .find(|(t, c, _)| (*t == before_name || *t == after_name) && *c == from)
                        .map(|(_, _, to)| to.clone())
                        .unwrap_or_else(|| from.clone());
                    let other = new
                        .columns
                        .iter()
                        .find(|c| c.name.eq_ignore_ascii_case(&to))?;
                    keeps_values(column, other).then(|| (column.name.clone(), other.name.clone()))
                })
                .collect();
            tables.push(Compared {
                before: old.name.name.clone(),
                after: new.name.name.clone(),
                before_name: old.name.clone(),
                after_name: new.name.clone(),
                columns,
                sequence: autoincrement(old) && autoincrement(new),
            });
        }
        Projection { tables }
    }

    /// The contents of the database on `side`.
    pub async fn snapshot(
        &self,
        conn: &mut SqliteConnection,
        side: Side,
    ) -> Result<Snapshot, String> {
        let mut snapshot = Snapshot::new();
        for table in &self.tables {
            let (name, columns): (&str, Vec<&str>) = match side {
                Side::Before => (
                    &table.before,
                    table.columns.iter().map(|c| c.0.as_str()).collect(),
                ),
                Side::After => (
                    &table.after,
                    table.columns.iter().map(|c| c.1.as_str()).collect(),
                ),
            };
            let values = if columns.is_empty() {
                "'row'".to_string()
            } else {
                columns
                    .iter()
                    .map(|c| format!("quote({})", quoted(c)))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ")
            };
            let query = format!("SELECT {values} FROM {}", quoted(name));
            let mut rows: Vec<String> = sqlx::query_scalar(AssertSqlSafe(query.clone()))
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| format!("{query}: {e}"))?;
            rows.sort();
            if table.sequence {
                let seq: Option<i64> = sqlx::query_scalar(
                    "SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE",
                )
                .bind(name)
                .fetch_optional(&mut *conn)
                .await
                .map_err(|e| format!("reading sqlite_sequence: {e}"))?;
                rows.push(format!("sqlite_sequence: {seq:?}"));
            }
            snapshot.insert(table.before.clone(), rows);
        }
        Ok(snapshot)
    }
}

/// How a server reads a row as one text value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerSql {
    /// PostgreSQL: `quote_nullable(c::text)`, `"` identifiers.
    Postgres,
    /// MySQL/MariaDB: `QUOTE(c)` (`NULL` for NULL), backtick identifiers.
    MySql,
}

impl ServerSql {
    /// `name` as this server's identifier.
    pub fn ident(self, name: &str) -> String {
        match self {
            ServerSql::Postgres => quoted(name),
            ServerSql::MySql => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// The table `name`, qualified when it has a schema.
    pub fn table(self, name: &ObjectName) -> String {
        match &name.schema {
            Some(schema) => format!("{}.{}", self.ident(schema), self.ident(&name.name)),
            None => self.ident(&name.name),
        }
    }

    fn value(self, column: &str) -> String {
        match self {
            ServerSql::Postgres => format!("quote_nullable({}::text)", self.ident(column)),
            ServerSql::MySql => format!("COALESCE(QUOTE({}), 'NULL')", self.ident(column)),
        }
    }
}

impl Projection {
    /// For a server: one query per compared table, keyed by the table's
    /// `before` name (qualified), each returning one text value per row.
    pub fn server_queries(&self, sql: ServerSql, side: Side) -> Vec<(String, String)> {
        self.tables
            .iter()
            .map(|table| {
                let (name, columns): (&ObjectName, Vec<&str>) = match side {
                    Side::Before => (
                        &table.before_name,
                        table.columns.iter().map(|c| c.0.as_str()).collect(),
                    ),
                    Side::After => (
                        &table.after_name,
                        table.columns.iter().map(|c| c.1.as_str()).collect(),
                    ),
                };
                let values = if columns.is_empty() {
                    "'row'".to_string()
                } else {
                    let parts: Vec<String> = columns.iter().map(|c| sql.value(c)).collect();
                    format!("CONCAT_WS('|', {})", parts.join(", "))
                };
                let key = match &table.before_name.schema {
                    Some(schema) => format!("{schema}.{}", table.before),
                    None => table.before.clone(),
                };
                (key, format!("SELECT {values} FROM {}", sql.table(name)))
            })
            .collect()
    }
}

/// `name` as an SQLite identifier.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The differences between two snapshots, one line per table that differs.
pub fn differences(expected: &Snapshot, found: &Snapshot) -> Vec<String> {
    expected
        .iter()
        .filter_map(|(table, rows)| {
            let other = found.get(table).cloned().unwrap_or_default();
            (rows != &other).then(|| format!("table {table}: expected {rows:?}, found {other:?}"))
        })
        .collect()
}
