//! What a `CREATE TABLE` / `CREATE INDEX` says that SQLite's pragmas do not:
//! column collations, generated expressions, `AUTOINCREMENT`, checks,
//! constraint names, foreign-key deferrability, index expressions and
//! partial-index predicates. Parsed with sqlparser's SQLite dialect; the
//! reader falls back to the pragmas when a statement does not parse.

use std::collections::BTreeMap;

use sqlparser::ast::{
    ColumnOption, ConstraintCharacteristics, CreateIndex, DeferrableInitial, Expr, Ident,
    Statement, TableConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use crate::model::{CheckConstraint, Deferrable};
use crate::normalize::{normalize_collation, normalize_expr, normalize_ident, sqlite_tokens};

/// What the `CREATE TABLE` of one table says beyond the pragmas. Constraint
/// names are as written; column and table names lowercased (keys to match
/// the pragmas' rows with); expressions normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedTable {
    /// By column name.
    pub columns: BTreeMap<String, ParsedColumn>,
    /// `CONSTRAINT name PRIMARY KEY`.
    pub pk_name: Option<String>,
    /// Foreign keys in declaration order.
    pub foreign_keys: Vec<ParsedForeignKey>,
    /// Unique constraints in declaration order.
    pub uniques: Vec<ParsedUnique>,
    /// Checks in declaration order (column-level ones where their column is).
    pub checks: Vec<CheckConstraint>,
}

/// A column's collation, generated expression and `AUTOINCREMENT`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedColumn {
    pub collation: Option<String>,
    pub generated: Option<String>,
    pub autoincrement: bool,
}

/// A foreign key's name, columns and deferrability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub deferrable: Deferrable,
}

/// A unique constraint's name and columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedUnique {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// One key part of a parsed `CREATE INDEX`: its expression (normalised,
/// without a `COLLATE`) when it is not a bare column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedIndex {
    pub parts: Vec<String>,
    pub predicate: Option<String>,
}

fn ident(i: &Ident) -> String {
    normalize_ident(&i.value)
}

/// A constraint's name as written.
fn written(i: &Ident) -> String {
    i.value.clone()
}

fn name_of(outer: &Option<Ident>, inner: &Option<Ident>) -> Option<String> {
    outer.as_ref().or(inner.as_ref()).map(written)
}

fn deferrable(c: &Option<ConstraintCharacteristics>) -> Deferrable {
    match c {
        Some(ConstraintCharacteristics {
            deferrable: Some(true),
            initially,
            ..
        }) => match initially {
            Some(DeferrableInitial::Deferred) => Deferrable::InitiallyDeferred,
            _ => Deferrable::InitiallyImmediate,
        },
        _ => Deferrable::No,
    }
}

fn expr_text(e: &Expr) -> String {
    normalize_expr(&e.to_string())
}

fn parse_one(sql: &str) -> Result<Statement, String> {
    // Tokenized as SQLite reads hex integers, so `0x10` stays a number.
    let tokens = sqlite_tokens(sql).map_err(|e| e.to_string())?;
    let mut statements = Parser::new(&SQLiteDialect {})
        .with_tokens_with_locations(tokens)
        .parse_statements()
        .map_err(|e| e.to_string())?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        n => Err(format!("expected one statement, found {n}")),
    }
}

/// Parses a `CREATE TABLE`; `Err` carries the parser's message.
pub(crate) fn parse_table(sql: &str) -> Result<ParsedTable, String> {
    let Statement::CreateTable(create) = parse_one(sql)? else {
        return Err("not a CREATE TABLE statement".into());
    };
    let mut out = ParsedTable::default();
    for column in &create.columns {
        let col = ident(&column.name);
        let mut parsed = ParsedColumn::default();
        for def in &column.options {
            match &def.option {
                ColumnOption::Collation(name) => {
                    parsed.collation = normalize_collation(&name.to_string());
                }
                ColumnOption::Generated {
                    generation_expr: Some(e),
                    ..
                } => parsed.generated = Some(expr_text(e)),
                ColumnOption::DialectSpecific(tokens)
                    if tokens
                        .iter()
                        .any(|t| t.to_string().eq_ignore_ascii_case("AUTOINCREMENT")) =>
                {
                    parsed.autoincrement = true;
                }
                ColumnOption::PrimaryKey(pk) => {
                    out.pk_name = name_of(&def.name, &pk.name);
                }
                ColumnOption::Unique(u) => out.uniques.push(ParsedUnique {
                    name: name_of(&def.name, &u.name),
                    columns: vec![col.clone()],
                }),
                ColumnOption::ForeignKey(fk) => out.foreign_keys.push(ParsedForeignKey {
                    name: name_of(&def.name, &fk.name),
                    columns: vec![col.clone()],
                    referenced_table: normalize_ident(&object_name(&fk.foreign_table)),
                    deferrable: deferrable(&fk.characteristics),
                }),
                ColumnOption::Check(check) => out.checks.push(CheckConstraint {
                    name: name_of(&def.name, &check.name),
                    expr: expr_text(&check.expr),
                }),
                _ => {}
            }
        }
        out.columns.insert(col, parsed);
    }
    for constraint in &create.constraints {
        match constraint {
            TableConstraint::PrimaryKey(pk) => out.pk_name = pk.name.as_ref().map(written),
            TableConstraint::Unique(u) => out.uniques.push(ParsedUnique {
                name: u.name.as_ref().map(written),
                columns: u
                    .columns
                    .iter()
                    .map(|c| match &c.column.expr {
                        Expr::Identifier(i) => ident(i),
                        e => normalize_expr(&e.to_string()),
                    })
                    .collect(),
            }),
            TableConstraint::ForeignKey(fk) => out.foreign_keys.push(ParsedForeignKey {
                name: fk.name.as_ref().map(written),
                columns: fk.columns.iter().map(ident).collect(),
                referenced_table: normalize_ident(&object_name(&fk.foreign_table)),
                deferrable: deferrable(&fk.characteristics),
            }),
            TableConstraint::Check(check) => out.checks.push(CheckConstraint {
                name: check.name.as_ref().map(written),
                expr: expr_text(&check.expr),
            }),
            _ => {}
        }
    }
    Ok(out)
}

/// The unquoted last part of an object name (`main.feed` → `feed`).
fn object_name(name: &sqlparser::ast::ObjectName) -> String {
    name.0
        .last()
        .and_then(|part| part.as_ident())
        .map(|i| i.value.clone())
        .unwrap_or_else(|| name.to_string())
}

/// Parses a `CREATE INDEX`: its key parts' expressions and its predicate.
pub(crate) fn parse_index(sql: &str) -> Result<ParsedIndex, String> {
    let Statement::CreateIndex(CreateIndex {
        columns, predicate, ..
    }) = parse_one(sql)?
    else {
        return Err("not a CREATE INDEX statement".into());
    };
    let parts = columns
        .iter()
        .map(|c| match &c.column.expr {
            Expr::Collate { expr, .. } => expr_text(expr),
            e => expr_text(e),
        })
        .collect();
    Ok(ParsedIndex {
        parts,
        predicate: predicate.as_ref().map(expr_text),
    })
}
