//! Objects other than tables: domains, views, functions, triggers.

use super::Query;
use super::read::rows;
use super::text::{normalise, split_check};
use crate::catalog::{ReadError, Rows};
use crate::model::{Domain, Function, ObjectName, Schema, Trigger, View};

/// Reads domains, views (with what they read), functions and triggers.
pub(crate) fn read_objects(
    results: &[Rows],
    schema: &mut Schema,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    read_domains(results, schema)?;
    read_views(results, schema)?;
    read_functions(results, schema, warnings)?;
    for row in rows(results, Query::Triggers)? {
        let table = row.name(0)?;
        let trigger = row.req(2)?;
        let key = ObjectName {
            schema: table.schema.clone(),
            name: format!("{}.{trigger}", table.name),
        };
        let sql = row.req(3)?.trim().to_string();
        schema.triggers.insert(
            key,
            Trigger {
                name: ObjectName {
                    schema: table.schema.clone(),
                    name: trigger.to_string(),
                },
                table,
                definition: normalise(&sql),
                sql,
                depends_on: Vec::new(),
            },
        );
    }
    Ok(())
}

/// Domains, rebuilt as `CREATE DOMAIN` statements from one row per check.
fn read_domains(results: &[Rows], schema: &mut Schema) -> Result<(), ReadError> {
    for row in rows(results, Query::Domains)? {
        let name = row.name(0)?;
        let check = match (row.opt(7)?, row.opt(8)?) {
            (Some(constraint), Some(definition)) => {
                let (expr, _not_valid) = split_check(definition).ok_or_else(|| {
                    row.error(
                        format!("domain {name}"),
                        format!("unreadable constraint {constraint}: {definition}"),
                    )
                })?;
                Some(format!(" CONSTRAINT {constraint} CHECK ({expr})"))
            }
            _ => None,
        };
        if let Some(domain) = schema.domains.get_mut(&name) {
            if let Some(check) = check {
                domain.sql.push_str(&check);
                domain.definition = domain.sql.clone();
            }
            continue;
        }
        let mut sql = format!("CREATE DOMAIN {} AS {}", row.req(2)?, row.req(3)?);
        if let Some(collation) = row.text(6)? {
            sql.push_str(&format!(" COLLATE {collation}"));
        }
        if let Some(default) = row.text(4)? {
            sql.push_str(&format!(" DEFAULT {default}"));
        }
        if row.flag(5)? {
            sql.push_str(" NOT NULL");
        }
        if let Some(check) = check {
            sql.push_str(&check);
        }
        schema.domains.insert(
            name.clone(),
            Domain {
                name,
                definition: sql.clone(),
                sql,
            },
        );
    }
    Ok(())
}

/// Views and materialized views, and the relations they read.
fn read_views(results: &[Rows], schema: &mut Schema) -> Result<(), ReadError> {
    for row in rows(results, Query::Views)? {
        let name = row.name(0)?;
        let materialized = row.req(3)? == "m";
        let body = row.req(4)?.trim().trim_end_matches(';').trim_end();
        let options = match row.text(5)? {
            Some(options) => format!(" WITH ({options})"),
            None => String::new(),
        };
        let sql = format!(
            "CREATE {}VIEW {}{options} AS\n{body}",
            if materialized { "MATERIALIZED " } else { "" },
            row.req(2)?
        );
        schema.views.insert(
            name.clone(),
            View {
                name,
                definition: normalise(&sql),
                sql,
                materialized,
                depends_on: Vec::new(),
            },
        );
    }
    for row in rows(results, Query::ViewDeps)? {
        let view = row.name(0)?;
        let dependency = row.name(2)?;
        if let Some(view) = schema.views.get_mut(&view)
            && !view.depends_on.contains(&dependency)
        {
            view.depends_on.push(dependency);
        }
    }
    Ok(())
}

/// Functions and procedures; aggregates and window functions are left to
/// the warnings of the unmodelled query.
fn read_functions(
    results: &[Rows],
    schema: &mut Schema,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    for row in rows(results, Query::Functions)? {
        let base = row.name(0)?;
        let kind = row.req(3)?;
        if !matches!(kind, "f" | "p") {
            continue;
        }
        let name = ObjectName {
            schema: base.schema,
            name: format!("{}({})", base.name, row.req(2)?),
        };
        let Some(sql) = row.text(4)? else {
            warnings.push(format!("function {name}: its definition could not be read"));
            continue;
        };
        let sql = sql.trim_end().to_string();
        schema.functions.insert(
            name.clone(),
            Function {
                name,
                procedure: kind == "p",
                definition: sql.clone(),
                sql,
            },
        );
    }
    Ok(())
}
