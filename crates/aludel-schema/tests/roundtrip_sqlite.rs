//! The design's properties through the real reader: both sides built on
//! SQLite and read back with `sqlite::read_catalog_with_warnings` (as
//! autogenerate reads them), the rendered upgrade run, the database read
//! again: it re-diffs empty against the desired side; the downgrade: empty
//! against the current side. Every scenario, every pair of table edits, and
//! every table edit under views and triggers.

mod common;

use aludel_schema::normalize::{
    normalize_collation, normalize_expr, normalize_sql, normalize_type,
};
use aludel_schema::sqlite::{
    Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, IndexListRow, ObjectRow, TableListRow,
    read_catalog_with_warnings,
};
use aludel_schema::{IndexKey, Renames, Schema, SqliteRenderer, describe_changes, diff, plan};
use common::objects::with_dependents;
use common::scenarios::{self, Scenario, feed_edit, on_base};
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Connection, Row, SqliteConnection};

async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

async fn rows(conn: &mut SqliteConnection, sql: &'static str) -> Vec<SqliteRow> {
    sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn flag(row: &SqliteRow, i: usize) -> bool {
    row.get::<i64, _>(i) != 0
}

/// The catalog rows, by the same table-valued pragmas the library queries.
async fn catalog(conn: &mut SqliteConnection) -> Catalog {
    let mut c = Catalog::default();
    for r in rows(conn, "SELECT type, name, tbl_name, sql FROM sqlite_schema").await {
        c.objects.push(ObjectRow {
            kind: r.get(0),
            name: r.get(1),
            tbl_name: r.get(2),
            sql: r.get(3),
        });
    }
    let list = "SELECT name, type, strict, wr FROM pragma_table_list WHERE schema = 'main'";
    for r in rows(conn, list).await {
        c.tables.push(TableListRow {
            name: r.get(0),
            kind: r.get(1),
            strict: flag(&r, 2),
            without_rowid: flag(&r, 3),
        });
    }
    let columns = "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, \
                   p.hidden FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p \
                   WHERE m.type = 'table'";
    for r in rows(conn, columns).await {
        c.columns.push(ColumnRow {
            table: r.get(0),
            cid: r.get(1),
            name: r.get(2),
            data_type: r.get(3),
            notnull: flag(&r, 4),
            dflt_value: r.get(5),
            pk: r.get(6),
            hidden: r.get(7),
        });
    }
    let fks = "SELECT m.name, p.id, p.seq, p.\"table\", p.\"from\", p.\"to\", p.on_update, \
               p.on_delete, p.\"match\" FROM sqlite_schema m \
               JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'";
    for r in rows(conn, fks).await {
        c.foreign_keys.push(ForeignKeyRow {
            table: r.get(0),
            id: r.get(1),
            seq: r.get(2),
            referenced_table: r.get(3),
            from: r.get(4),
            to: r.get(5),
            on_update: r.get(6),
            on_delete: r.get(7),
            match_kind: r.get(8),
        });
    }
    let indexes = "SELECT m.name, p.name, p.\"unique\", p.origin, p.partial FROM sqlite_schema m \
                   JOIN pragma_index_list(m.name) p WHERE m.type = 'table'";
    for r in rows(conn, indexes).await {
        c.indexes.push(IndexListRow {
            table: r.get(0),
            name: r.get(1),
            unique: flag(&r, 2),
            origin: r.get(3),
            partial: flag(&r, 4),
        });
    }
    let parts = "SELECT il.name, x.seqno, x.cid, x.name, x.\"desc\", x.coll, x.\"key\" \
                 FROM sqlite_schema m JOIN pragma_index_list(m.name) il \
                 JOIN pragma_index_xinfo(il.name) x WHERE m.type = 'table'";
    for r in rows(conn, parts).await {
        c.index_columns.push(IndexColumnRow {
            index: r.get(0),
            seqno: r.get(1),
            cid: r.get(2),
            name: r.get(3),
            desc: flag(&r, 4),
            coll: r.get(5),
            key: flag(&r, 6),
        });
    }
    c
}

async fn read(conn: &mut SqliteConnection) -> Schema {
    let read = read_catalog_with_warnings(&catalog(conn).await).expect("read the catalog");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    read.schema
}

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
