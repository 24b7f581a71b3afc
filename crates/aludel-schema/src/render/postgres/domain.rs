//! A changed domain altered in place (`ALTER DOMAIN`) when only its
//! default, `NOT NULL` or check constraints change: dropping it would take
//! every column using it along, so PostgreSQL refuses. The statement is
//! read in the form the catalog reader writes it: `CREATE DOMAIN name AS
//! type [COLLATE c] [DEFAULT d] [NOT NULL] [CONSTRAINT n CHECK (…)]…`.

use super::Ctx;
use super::alter::block;
use super::ddl::{effective_default, verbatim};
use super::notes::{exclusive, rewrites};
use super::quote::{quote_ident, quote_name};
use crate::model::{Domain, ObjectName};
use crate::render::Block;

/// The parts of a `CREATE DOMAIN` statement.
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    /// Up to the type and collation.
    head: &'a str,
    default: Option<&'a str>,
    not_null: bool,
    /// (name, `CHECK (…)`).
    checks: Vec<(&'a str, &'a str)>,
}

fn parts(sql: &str) -> Option<Parts<'_>> {
    let mut pieces = sql.trim().split(" CONSTRAINT ");
    let base = pieces.next()?;
    let mut checks = Vec::new();
    for piece in pieces {
        let (name, check) = piece.split_once(' ')?;
        if !check.trim_start().starts_with("CHECK") {
            return None;
        }
        checks.push((name, check.trim()));
    }
    let (base, not_null) = match base.strip_suffix(" NOT NULL") {
        Some(b) => (b, true),
        None => (base, false),
    };
    let (head, default) = match base.split_once(" DEFAULT ") {
        Some((h, d)) => (h, Some(d.trim())),
        None => (base, None),
    };
    Some(Parts {
        head: head.trim(),
        default,
        not_null,
        checks,
    })
}

/// The `ALTER DOMAIN` statements that turn `old` into `new`, or `None`
/// when the type or collation changes (or the text is not in the
/// reader's form): then it is dropped and created again.
pub(crate) fn alter_domain(old: &Domain, new: &Domain) -> Option<Vec<String>> {
    let (a, b) = (parts(&old.sql)?, parts(&new.sql)?);
    if a.head != b.head {
        return None;
    }
    let name = quote_name(&new.name);
    let mut out = Vec::new();
    if a.default != b.default {
        out.push(match b.default {
            Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d}"),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
        });
    }
    if a.not_null != b.not_null {
        let verb = if b.not_null { "SET" } else { "DROP" };
        out.push(format!("ALTER DOMAIN {name} {verb} NOT NULL"));
    }
    for check in &a.checks {
        if !b.checks.contains(check) {
            out.push(format!("ALTER DOMAIN {name} DROP CONSTRAINT {}", check.0));
        }
    }
    for check in &b.checks {
        if !a.checks.contains(check) {
            out.push(format!(
                "ALTER DOMAIN {name} ADD CONSTRAINT {} {}",
                check.0, check.1
            ));
        }
    }
    Some(out)
}

/// A domain whose type changes: the old one renamed aside, the new one
/// created, every column using it converted (defaults dropped and set
/// again), the old one dropped.
pub(crate) fn retype_domain(ctx: &Ctx, old: &Domain, new: &Domain) -> Block {
    let aside = ObjectName {
        schema: old.name.schema.clone(),
        name: format!("{}__old", old.name.name),
    };
    let name = quote_name(&new.name);
    let mut statements = vec![
        format!(
            "ALTER DOMAIN {} RENAME TO {}",
            quote_name(&old.name),
            quote_ident(&aside.name)
        ),
        verbatim(&new.sql),
    ];
    let mut restore = Vec::new();
    let mut notes = Vec::new();
    for (table, column) in crate::diff::type_columns(ctx.before, &old.name) {
        let col = ctx
            .before
            .tables
            .get(&table)
            .and_then(|t| t.column(&column));
        let suffix = if col.is_some_and(|c| c.data_type.ends_with("[]")) {
            "[]"
        } else {
            ""
        };
        let (t, c) = (quote_name(&table), quote_ident(&column));
        if let Some(default) = col.and_then(effective_default) {
            statements.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"));
            restore.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}",
                default.trim()
            ));
        }
        statements.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} TYPE {name}{suffix} USING {c}::{name}{suffix}"
        ));
        for note in [exclusive(&table), rewrites(&table)] {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    statements.push(format!("DROP DOMAIN {}", quote_name(&aside)));
    statements.extend(restore);
    block(
        format!("Change the type of domain {}", new.name),
        statements,
        notes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ObjectName;

    fn domain(sql: &str) -> Domain {
        Domain {
            name: ObjectName::new("positive"),
            sql: sql.into(),
            definition: sql.into(),
        }
    }

    #[test]
    fn checks_defaults_and_not_null_alter_in_place() {
        let old = domain(
            "CREATE DOMAIN positive AS integer DEFAULT 1 CONSTRAINT positive_check CHECK ((VALUE >= 0))",
        );
        let new = domain(
            "CREATE DOMAIN positive AS integer NOT NULL CONSTRAINT positive_check CHECK ((VALUE > 0))",
        );
        assert_eq!(
            alter_domain(&old, &new),
            Some(vec![
                "ALTER DOMAIN positive DROP DEFAULT".to_string(),
                "ALTER DOMAIN positive SET NOT NULL".to_string(),
                "ALTER DOMAIN positive DROP CONSTRAINT positive_check".to_string(),
                "ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK ((VALUE > 0))"
                    .to_string(),
            ])
        );
        let other_type = domain("CREATE DOMAIN positive AS bigint");
        assert_eq!(alter_domain(&old, &other_type), None);
    }
}
