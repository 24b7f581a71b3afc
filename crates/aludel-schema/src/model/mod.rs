//! The schema model: what a database holds, as plain data.
//!
//! Everything here is engine-neutral; fields that only one engine fills are
//! `None`/empty elsewhere. Expressions (defaults, checks, predicates, view
//! bodies) are kept as SQL text in the form the catalog reader normalised them
//! to, so two models of the same schema compare equal.

mod objects;

use std::collections::BTreeMap;
use std::fmt;

pub use objects::{Domain, EnumType, Extension, Function, Sequence, Trigger, View};

/// A name that may live in a schema (namespace): `public.feed`, or `feed` on
/// engines without namespaces (SQLite) and for the connection's default.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectName {
    /// The schema (PostgreSQL) or database (MySQL); `None`: the default one.
    pub schema: Option<String>,
    /// The object's own name.
    pub name: String,
}

impl ObjectName {
    /// A name in the default schema.
    pub fn new(name: impl Into<String>) -> ObjectName {
        ObjectName {
            schema: None,
            name: name.into(),
        }
    }

    /// A name in the given schema.
    pub fn qualified(schema: impl Into<String>, name: impl Into<String>) -> ObjectName {
        ObjectName {
            schema: Some(schema.into()),
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A whole database schema as one engine sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Schemas (namespaces) other than the default one (PostgreSQL).
    pub namespaces: Vec<String>,
    /// Tables by name; each holds its columns, constraints and indexes.
    pub tables: BTreeMap<ObjectName, Table>,
    /// Views (and materialized views) by name.
    pub views: BTreeMap<ObjectName, View>,
    /// Triggers by key. SQLite and MySQL name triggers schema-wide: the key is
    /// the trigger's name. PostgreSQL names them per table, so the key is
    /// `ObjectName { schema: <table's schema>, name: "<table>.<trigger>" }`
    /// while [`Trigger::name`] holds the trigger's own name.
    pub triggers: BTreeMap<ObjectName, Trigger>,
    /// Enum types (PostgreSQL).
    pub enums: BTreeMap<ObjectName, EnumType>,
    /// Domains (PostgreSQL).
    pub domains: BTreeMap<ObjectName, Domain>,
    /// Sequences not owned by a column (PostgreSQL).
    pub sequences: BTreeMap<ObjectName, Sequence>,
    /// Functions and procedures (servers).
    pub functions: BTreeMap<ObjectName, Function>,
    /// Extensions (PostgreSQL), by name.
    pub extensions: BTreeMap<String, Extension>,
}

/// A table: columns in declaration order, constraints, indexes, options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The table's name.
    pub name: ObjectName,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// The primary key, if any.
    pub primary_key: Option<PrimaryKey>,
    /// Foreign keys, in declaration order.
    pub foreign_keys: Vec<ForeignKey>,
    /// Unique constraints (not unique indexes), in declaration order.
    pub uniques: Vec<UniqueConstraint>,
    /// Check constraints, column-level ones included, in declaration order.
    pub checks: Vec<CheckConstraint>,
    /// Exclusion constraints (PostgreSQL), in declaration order.
    pub exclusions: Vec<ExclusionConstraint>,
    /// Indexes created with `CREATE INDEX` (not those backing constraints), by name.
    pub indexes: BTreeMap<String, Index>,
    /// Storage options.
    pub options: TableOptions,
    /// `COMMENT ON TABLE` / MySQL table comment.
    pub comment: Option<String>,
}

impl Table {
    /// An empty table with default options.
    pub fn new(name: ObjectName) -> Table {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            foreign_keys: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            indexes: BTreeMap::new(),
            options: TableOptions::default(),
            comment: None,
        }
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// The type as the engine reports it (`INTEGER`, `VARCHAR(255)`,
    /// `character varying(255)`); empty for an untyped SQLite column.
    pub data_type: String,
    /// `false` for `NOT NULL`.
    pub nullable: bool,
    /// The default expression as SQL text (`0`, `'x'`, `CURRENT_TIMESTAMP`).
    pub default: Option<String>,
    /// `COLLATE` of the column, when declared.
    pub collation: Option<String>,
    /// Generated (computed) column.
    pub generated: Option<Generated>,
    /// Values the engine assigns itself.
    pub identity: Option<Identity>,
    /// Character set (MySQL), when it differs from the table's.
    pub charset: Option<String>,
    /// `ON UPDATE` expression (MySQL `ON UPDATE CURRENT_TIMESTAMP`).
    pub on_update: Option<String>,
    /// Column comment.
    pub comment: Option<String>,
}

impl Column {
    /// A nullable column of this type with nothing else declared.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            nullable: true,
            default: None,
            collation: None,
            generated: None,
            identity: None,
            charset: None,
            on_update: None,
            comment: None,
        }
    }
}

/// `GENERATED ALWAYS AS (expr) [STORED | VIRTUAL]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The expression, SQL text.
    pub expr: String,
    /// `true`: stored; `false`: virtual (computed when read).
    pub stored: bool,
}

/// How a column gets values the engine assigns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// SQLite `AUTOINCREMENT` (ids never reused), MySQL `AUTO_INCREMENT`.
    AutoIncrement,
    /// PostgreSQL `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// PostgreSQL `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
    /// PostgreSQL `serial`: a default from a sequence the column owns.
    Serial {
        /// The owned sequence.
        sequence: ObjectName,
    },
}

/// A primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    /// `CONSTRAINT name`, when one was given (or the server's name).
    pub name: Option<String>,
    /// Key columns in key order.
    pub columns: Vec<String>,
    /// Key order per column: `true` where the key is `DESC` (SQLite).
    pub descending: Vec<bool>,
}

/// What a foreign key does when the referenced row changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FkAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// The action as SQL (`ON DELETE <this>`).
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// When a foreign key is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (the default): at each statement.
    #[default]
    No,
    /// `DEFERRABLE INITIALLY IMMEDIATE`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: at commit.
    InitiallyDeferred,
}

impl Deferrable {
    /// The clause as SQL after a foreign key (` DEFERRABLE INITIALLY …`),
    /// empty for `NOT DEFERRABLE`.
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::No => "",
            Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// `CONSTRAINT name`, when one was given (or the server's name).
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub referenced_table: ObjectName,
    /// Referenced columns; empty when the key names only the table (SQLite:
    /// the referenced table's primary key).
    pub referenced_columns: Vec<String>,
    /// `ON UPDATE`.
    pub on_update: FkAction,
    /// `ON DELETE`.
    pub on_delete: FkAction,
    /// `DEFERRABLE …`.
    pub deferrable: Deferrable,
}

/// A `UNIQUE` constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueConstraint {
    /// `CONSTRAINT name`, when one was given (or the server's name).
    pub name: Option<String>,
    /// The columns.
    pub columns: Vec<String>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
}

/// A `CHECK` constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckConstraint {
    /// `CONSTRAINT name`, when one was given (or the server's name).
    pub name: Option<String>,
    /// The condition, SQL text.
    pub expr: String,
}

/// An exclusion constraint (PostgreSQL `EXCLUDE USING …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionConstraint {
    /// The constraint's name.
    pub name: String,
    /// Everything after `CONSTRAINT name`, as the server prints it
    /// (`EXCLUDE USING gist (room WITH =, during WITH &&)`).
    pub definition: String,
}

/// An index made with `CREATE INDEX`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The index's name.
    pub name: String,
    /// `CREATE UNIQUE INDEX`.
    pub unique: bool,
    /// Key parts in order.
    pub parts: Vec<IndexPart>,
    /// Partial index: the `WHERE` condition, SQL text.
    pub predicate: Option<String>,
    /// Access method when not the default (`gin`, `FULLTEXT`, `SPATIAL`).
    pub method: Option<String>,
    /// PostgreSQL `INCLUDE (…)` columns.
    pub include: Vec<String>,
    /// PostgreSQL `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPart {
    /// A column or an expression.
    pub key: IndexKey,
    /// `DESC`.
    pub descending: bool,
    /// `COLLATE`, when given.
    pub collation: Option<String>,
    /// MySQL prefix length (`name(10)`).
    pub prefix_length: Option<u32>,
    /// PostgreSQL `NULLS FIRST` (`Some(true)`) / `NULLS LAST` (`Some(false)`)
    /// when it differs from the default for the sort order.
    pub nulls_first: Option<bool>,
}

/// What an index part indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKey {
    /// A column, by name.
    Column(String),
    /// An expression, SQL text.
    Expr(String),
}

/// Storage options of a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableOptions {
    /// SQLite `STRICT`.
    pub strict: bool,
    /// SQLite `WITHOUT ROWID`.
    pub without_rowid: bool,
    /// MySQL storage engine.
    pub engine: Option<String>,
    /// MySQL default character set.
    pub charset: Option<String>,
    /// MySQL default collation.
    pub collation: Option<String>,
}
