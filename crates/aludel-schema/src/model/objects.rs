//! Schema objects other than tables: views, triggers, and the server-only
//! kinds (enum types, domains, sequences, functions, extensions).

use super::ObjectName;

/// A view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The view's name.
    pub name: ObjectName,
    /// The whole `CREATE VIEW` statement as written (rendered as is).
    pub sql: String,
    /// The definition normalised for comparison (comments and layout removed).
    pub definition: String,
    /// PostgreSQL materialized view.
    pub materialized: bool,
    /// Tables and views the definition reads, as far as the reader could tell.
    pub depends_on: Vec<ObjectName>,
}

/// A trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The trigger's name.
    pub name: ObjectName,
    /// The table (or view, for `INSTEAD OF`) it fires on.
    pub table: ObjectName,
    /// The whole `CREATE TRIGGER` statement as written (rendered as is).
    pub sql: String,
    /// The statement normalised for comparison.
    pub definition: String,
    /// Tables and views the trigger's body names, as far as the reader could tell.
    pub depends_on: Vec<ObjectName>,
}

/// An enum type (PostgreSQL `CREATE TYPE … AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The type's name.
    pub name: ObjectName,
    /// Labels in order.
    pub values: Vec<String>,
}

/// A sequence (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// The sequence's name.
    pub name: ObjectName,
    /// Its options as SQL text, in the form `CREATE SEQUENCE name <options>`
    /// and `ALTER SEQUENCE name <options>` both take (`AS bigint INCREMENT BY 1
    /// MINVALUE 1 …`); compared as text.
    pub definition: String,
    /// `OWNED BY table.column`, when a column owns it.
    pub owned_by: Option<(ObjectName, String)>,
}

/// A function or procedure (servers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The function's name; on PostgreSQL with its argument types, as
    /// `f(integer, text)`, so that overloads are distinct.
    pub name: ObjectName,
    /// `true` for a procedure (`CREATE PROCEDURE`, `DROP PROCEDURE`).
    pub procedure: bool,
    /// The whole `CREATE FUNCTION` statement (rendered as is).
    pub sql: String,
    /// The definition normalised for comparison.
    pub definition: String,
}

/// An extension (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The extension's name.
    pub name: String,
    /// The schema it is installed in.
    pub schema: Option<String>,
}

/// A domain (PostgreSQL `CREATE DOMAIN`): a type with constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// The domain's name.
    pub name: ObjectName,
    /// The whole `CREATE DOMAIN` statement, as the reader rebuilt it from
    /// the catalog (rendered as is).
    pub sql: String,
    /// The definition normalised for comparison.
    pub definition: String,
}
