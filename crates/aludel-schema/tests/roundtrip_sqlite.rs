//! The design's properties through the real reader: both sides built on
//! SQLite and read back with `sqlite::read_catalog_with_warnings` (as
//! autogenerate reads them), the rendered upgrade run, the database read
//! again: it re-diffs empty against the desired side; the downgrade: empty
//! against the current side. Every scenario, every pair of table edits, and
//! every table edit under views and triggers.

mod common;
mod db;

use aludel_schema::normalize::{
    normalize_collation, normalize_expr, normalize_sql, normalize_type,
};
use aludel_schema::{IndexKey, Renames, Schema, SqliteRenderer, describe_changes, diff, plan};
use common::objects::with_dependents;
use common::scenarios::{self, Scenario, feed_edit, on_base};
use db::{exec, read};
use sqlx::{Connection, SqliteConnection};

/// A database holding `schema` (its CREATE statements), or `None` when
/// SQLite refuses it (two edits can combine into a schema it refuses).
async fn built(schema: &Schema) -> Option<SqliteConnection> {
    let mut conn = SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("SQLite");
    exec(&mut conn, "PRAGMA foreign_keys=OFF")
        .await
        .expect("pragma");
    let create = plan(
        &Schema::default(),
        schema,
        &Renames::none(),
        &SqliteRenderer,
    )
    .expect("plan");
    exec(&mut conn, &create.upgrade_sql()).await.ok()?;
    Some(conn)
}

/// What goes wrong with `s`, if anything; `Ok(false)`: SQLite refuses `after`.
async fn round_trip(s: &Scenario) -> Result<bool, String> {
    let Some(mut conn) = built(&s.before).await else {
        return Err(format!("{}: SQLite refuses the before schema", s.name));
    };
    let Some(mut other) = built(&s.after).await else {
        return Ok(false);
    };
    let (current, desired) = (read(&mut conn).await, read(&mut other).await);
    for seed in &s.seed {
        exec(&mut conn, seed)
            .await
            .map_err(|e| format!("{}: seed: {e}", s.name))?;
    }
    let renames = Renames::parse_flags(s.renames.iter().copied()).expect("flags");
    let m = plan(&current, &desired, &renames, &SqliteRenderer).map_err(|e| e.to_string())?;
    let steps = [
        ("upgrade", m.upgrade_sql(), &desired),
        ("downgrade", m.downgrade_sql(), &current),
    ];
    for (step, sql, target) in steps {
        exec(&mut conn, &format!("BEGIN;\n{sql}\nCOMMIT;"))
            .await
            .map_err(|e| format!("{}: {step}: {e}\n{sql}", s.name))?;
        let left = diff(&read(&mut conn).await, target, &Renames::none()).expect("diff");
        if !left.is_empty() {
            return Err(format!(
                "{}: after the {step}: {:?}",
                s.name,
                describe_changes(&left)
            ));
        }
    }
    Ok(true)
}

async fn all_round_trip(scenarios: Vec<Scenario>) -> usize {
    let (mut ran, mut failures) = (0, Vec::new());
    for s in scenarios {
        match round_trip(&s).await {
            Ok(true) => ran += 1,
            Ok(false) => {}
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    ran
}

#[tokio::test]
async fn every_scenario_re_diffs_empty_after_upgrade_and_downgrade() {
    let all = scenarios::all();
    let n = all.len();
    assert_eq!(all_round_trip(all).await, n);
}

#[tokio::test]
async fn every_pair_of_table_edits_re_diffs_empty() {
    let edits = scenarios::feed_edits();
    let mut pairs = Vec::new();
    for (i, (a, edit_a)) in edits.iter().enumerate() {
        for (b, edit_b) in &edits[i + 1..] {
            let name: &'static str = Box::leak(format!("{a} + {b}").into_boxed_str());
            pairs.push(on_base(
                name,
                feed_edit(|t| {
                    edit_a(t);
                    edit_b(t);
                }),
            ));
        }
    }
    assert!(all_round_trip(pairs).await >= 180);
}

#[tokio::test]
async fn every_table_edit_under_views_and_triggers_re_diffs_empty() {
    let under_views: Vec<Scenario> = scenarios::feed_edits()
        .into_iter()
        .map(|(name, edit)| Scenario {
            before: with_dependents(feed_edit(|_| {})),
            ..on_base(name, with_dependents(feed_edit(edit)))
        })
        .collect();
    let n = under_views.len();
    assert_eq!(all_round_trip(under_views).await, n);
}

/// A hand-built model in the form the reader gives (expressions, types and
/// collations normalised), so the two compare.
fn normalized(schema: &Schema) -> Schema {
    let expr = |e: &mut String| *e = normalize_expr(e);
    let mut s = schema.clone();
    for t in s.tables.values_mut() {
        for c in &mut t.columns {
            c.data_type = normalize_type(&c.data_type);
            if let Some(d) = &mut c.default {
                expr(d);
            }
            c.collation = c.collation.as_deref().and_then(normalize_collation);
            if let Some(g) = &mut c.generated {
                expr(&mut g.expr);
            }
        }
        t.checks.iter_mut().for_each(|c| expr(&mut c.expr));
        for index in t.indexes.values_mut() {
            if let Some(p) = &mut index.predicate {
                expr(p);
            }
            for part in &mut index.parts {
                if let IndexKey::Expr(e) = &mut part.key {
                    expr(e);
                }
                part.collation = part.collation.as_deref().and_then(normalize_collation);
            }
        }
    }
    s.views
        .values_mut()
        .for_each(|v| v.definition = normalize_sql(&v.sql));
    s.triggers
        .values_mut()
        .for_each(|t| t.definition = normalize_sql(&t.sql));
    s
}

/// The renderer's CREATE statements carry everything in the model: built,
/// then read back, each scenario's schemas are the models they came from.
#[tokio::test]
async fn create_statements_read_back_as_the_model_they_came_from() {
    let mut failures = Vec::new();
    for s in scenarios::all() {
        for (side, schema) in [("before", &s.before), ("after", &s.after)] {
            let mut conn = built(schema).await.expect("SQLite accepts the scenario");
            let back = read(&mut conn).await;
            let left = diff(&back, &normalized(schema), &Renames::none()).expect("diff");
            if !left.is_empty() {
                failures.push(format!("{} {side}: {:?}", s.name, describe_changes(&left)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
