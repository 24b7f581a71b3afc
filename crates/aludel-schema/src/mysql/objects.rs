//! Views, triggers, stored functions and procedures. Their statements are
//! rebuilt from `information_schema` (a fixed number of queries: `SHOW
//! CREATE` would be one per object), without the database qualification
//! the server writes into bodies.

use std::collections::BTreeMap;

use super::text::{
    normalize_layout, quote_ident, quote_string, quoted_identifiers, strip_database,
};
use super::{cell, required};
use crate::catalog::{ReadError, Row, Rows};
use crate::model::{Function, ObjectName, Schema, Trigger, View};

/// The tables and views (other than `own`) that `body` names in backticks.
fn dependencies(schema: &Schema, views: &[String], body: &str, own: &str) -> Vec<ObjectName> {
    let mut out: Vec<ObjectName> = quoted_identifiers(body)
        .into_iter()
        .filter(|n| n != own)
        .map(ObjectName::new)
        .filter(|n| schema.tables.contains_key(n) || views.contains(&n.name))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Views: `CREATE [SQL SECURITY INVOKER] VIEW name AS <definition> [WITH …
/// CHECK OPTION]`.
pub(super) fn views(
    database: &str,
    schema: &mut Schema,
    view_names: &[String],
    rows: &Rows,
) -> Result<(), ReadError> {
    for row in rows {
        let name = required(row, 0, "view")?;
        let body = strip_database(required(row, 1, &format!("view {name}"))?, database);
        let security = match cell(row, 3) {
            Some(s) if s.eq_ignore_ascii_case("INVOKER") => "SQL SECURITY INVOKER ",
            _ => "",
        };
        let check = match cell(row, 2)
            .unwrap_or_default()
            .to_ascii_uppercase()
            .as_str()
        {
            "CASCADED" => " WITH CASCADED CHECK OPTION",
            "LOCAL" => " WITH LOCAL CHECK OPTION",
            _ => "",
        };
        let sql = format!(
            "CREATE {security}VIEW {} AS {body}{check}",
            quote_ident(name)
        );
        let view = View {
            name: ObjectName::new(name),
            definition: sql.clone(),
            sql,
            materialized: false,
            depends_on: dependencies(schema, view_names, &body, name),
        };
        schema.views.insert(view.name.clone(), view);
    }
    Ok(())
}

/// Triggers: `CREATE TRIGGER name timing event ON table FOR EACH ROW body`.
pub(super) fn triggers(
    database: &str,
    schema: &mut Schema,
    view_names: &[String],
    rows: &Rows,
    warnings: &mut Vec<String>,
) -> Result<(), ReadError> {
    for row in rows {
        let name = required(row, 0, "trigger")?;
        let object = format!("trigger {name}");
        let event = required(row, 1, &object)?;
        let table = required(row, 2, &object)?;
        let timing = required(row, 3, &object)?;
        let body = strip_database(required(row, 4, &object)?, database);
        if cell(row, 5).is_some_and(|order| order != "1") {
            warnings.push(format!(
                "trigger {name}: its order among the {timing} {event} triggers of {table} \
                 (FOLLOWS/PRECEDES) is not modelled; triggers are created by name"
            ));
        }
        let sql = format!(
            "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW {body}",
            quote_ident(name),
            quote_ident(table)
        );
        let trigger = Trigger {
            name: ObjectName::new(name),
            table: ObjectName::new(table),
            definition: normalize_layout(&sql),
            sql,
            depends_on: dependencies(schema, view_names, &body, ""),
        };
        schema.triggers.insert(trigger.name.clone(), trigger);
    }
    Ok(())
}

/// Stored functions and procedures, their `CREATE` statements rebuilt
/// from `ROUTINES` and `PARAMETERS`.
pub(super) fn routines(
    database: &str,
    schema: &mut Schema,
    rows: &Rows,
    parameter_rows: &Rows,
) -> Result<(), ReadError> {
    let mut parameters: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
    for row in parameter_rows {
        let key = (
            cell(row, 0).unwrap_or_default(),
            cell(row, 1).unwrap_or_default(),
        );
        if cell(row, 2) != Some("0") {
            parameters.entry(key).or_default().push(row);
        }
    }
    for row in rows {
        let name = required(row, 0, "routine")?;
        let kind = required(row, 1, &format!("routine {name}"))?.to_ascii_uppercase();
        let procedure = kind == "PROCEDURE";
        let object = format!("{} {name}", kind.to_ascii_lowercase());
        let mut params = Vec::new();
        for p in parameters.get(&(name, kind.as_str())).into_iter().flatten() {
            let param = required(p, 4, &object)?;
            let ty = required(p, 5, &object)?;
            let mode = match (procedure, cell(p, 3)) {
                (true, Some(mode)) => format!("{mode} "),
                _ => String::new(),
            };
            params.push(format!("{mode}{} {ty}", quote_ident(param)));
        }
        let mut sql = format!("CREATE {kind} {}({})", quote_ident(name), params.join(", "));
        if !procedure {
            sql.push_str(&format!(" RETURNS {}", required(row, 2, &object)?));
        }
        if cell(row, 4) == Some("YES") {
            sql.push_str(" DETERMINISTIC");
        }
        match cell(row, 5) {
            Some(access) if !access.eq_ignore_ascii_case("CONTAINS SQL") => {
                sql.push_str(&format!(" {access}"));
            }
            _ => {}
        }
        if cell(row, 6).is_some_and(|s| s.eq_ignore_ascii_case("INVOKER")) {
            sql.push_str(" SQL SECURITY INVOKER");
        }
        if let Some(comment) = cell(row, 7).filter(|c| !c.is_empty()) {
            sql.push_str(&format!(" COMMENT {}", quote_string(comment)));
        }
        let body = strip_database(required(row, 3, &object)?, database);
        sql.push_str(&format!("\n{}", body.trim()));
        let function = Function {
            name: ObjectName::new(name),
            procedure,
            definition: normalize_layout(&sql),
            sql,
        };
        schema.functions.insert(function.name.clone(), function);
    }
    Ok(())
}
