//! The rendered SQL run on a real (in-memory) SQLite, as the runner runs a
//! revision: foreign keys OFF, one transaction. Every scenario: the upgrade
//! reaches the schema a fresh database built from `after` has, the downgrade
//! returns to `before`'s, and rows survive both (FK children with ON DELETE
//! CASCADE included). Then the guards: each fails the rebuild, with its
//! message, and leaves everything as it was.

mod common;

use aludel_schema::{Migration, Renames, Schema, SqliteRenderer, plan};
use common::scenarios::{self, Scenario};
use sqlx::{AssertSqlSafe, Connection, SqliteConnection};

async fn open() -> SqliteConnection {
    SqliteConnection::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite")
}

async fn exec(conn: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Runs `sql` in one transaction with foreign keys on or off; rolls back on error.
async fn apply(conn: &mut SqliteConnection, sql: &str, foreign_keys: bool) -> Result<(), String> {
    let pragma = if foreign_keys { "ON" } else { "OFF" };
    exec(conn, &format!("PRAGMA foreign_keys={pragma}"))
        .await
        .map_err(|e| e.to_string())?;
    exec(conn, "BEGIN").await.map_err(|e| e.to_string())?;
    match exec(conn, sql).await {
        Ok(()) => exec(conn, "COMMIT").await.map_err(|e| e.to_string()),
        Err(e) => {
            exec(conn, "ROLLBACK").await.map_err(|e| e.to_string())?;
            Err(e.to_string())
        }
    }
}

async fn scalar(conn: &mut SqliteConnection, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The schema as SQLite stores it, comparable across ways of reaching it:
/// quotes, case and layout dropped; a table's elements sorted (ADD COLUMN
/// appends after the constraints).
async fn fingerprint(conn: &mut SqliteConnection) -> Vec<String> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("sqlite_schema");
    rows.into_iter()
        .map(|(kind, name, sql)| {
            let text = if kind == "table" {
                let (start, end) = (
                    sql.find('(').unwrap_or(0),
                    sql.rfind(')').unwrap_or(sql.len()),
                );
                let mut items: Vec<String> = top_level_items(&sql[start + 1..end])
                    .iter()
                    .map(|i| normal(i))
                    .collect();
                items.sort();
                format!("{} {}", items.join(" | "), normal(&sql[end..]))
            } else {
                normal(&sql)
            };
            format!("{kind} {}: {text}", name.to_lowercase())
        })
        .collect()
}

fn normal(sql: &str) -> String {
    let text = sql.replace('"', "").to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = words.join(" ");
    for p in ["(", ")", ",", ";"] {
        out = out
            .replace(&format!(" {p}"), p)
            .replace(&format!("{p} "), p);
    }
    out
}

fn top_level_items(body: &str) -> Vec<String> {
    let (mut items, mut current, mut depth, mut quote) = (Vec::new(), String::new(), 0, None);
    for c in body.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
}

fn migration(s: &Scenario) -> Migration {
    let renames = Renames::parse_flags(s.renames.iter().copied()).expect("flags");
    plan(&s.before, &s.after, &renames, &SqliteRenderer).expect("plan")
}

/// A database built from `schema` alone (its CREATE statements).
async fn built(schema: &Schema) -> SqliteConnection {
    let mut conn = open().await;
    let create = plan(
        &Schema::default(),
        schema,
        &Renames::none(),
        &SqliteRenderer,
    )
    .expect("plan");
    apply(&mut conn, &create.upgrade_sql(), false)
        .await
        .unwrap_or_else(|e| panic!("creating the schema: {e}\n{}", create.upgrade_sql()));
    conn
}

async fn counts(conn: &mut SqliteConnection, tables: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tables {
        out.push(scalar(conn, &format!("SELECT '{t}: ' || count(*) FROM \"{t}\"")).await);
    }
    out
}

/// Builds `before`, seeds it, upgrades, downgrades; checks schema and rows.
async fn run(s: &Scenario) -> SqliteConnection {
    let m = migration(s);
    let mut conn = built(&s.before).await;
    for seed in &s.seed {
        exec(&mut conn, seed)
            .await
            .unwrap_or_else(|e| panic!("{}: seed {seed}: {e}", s.name));
    }
    let before_tables: Vec<&str> = s.counts.iter().map(|c| c.0).collect();
    let after_tables: Vec<&str> = s.counts.iter().map(|c| c.1).collect();
    let seeded = counts(&mut conn, &before_tables).await;
    let strip = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|c| c.split(": ").nth(1).unwrap_or("").to_string())
            .collect()
    };
    let want_before = fingerprint(&mut built(&s.before).await).await;
    let want_after = fingerprint(&mut built(&s.after).await).await;
    assert_ne!(
        want_before, want_after,
        "{}: the fingerprint sees no change",
        s.name
    );

    let up = m.upgrade_sql();
    apply(&mut conn, &up, false)
        .await
        .unwrap_or_else(|e| panic!("{}: upgrade: {e}\n{up}", s.name));
    assert_eq!(
        fingerprint(&mut conn).await,
        want_after,
        "{}: schema after upgrade\n{up}",
        s.name
    );
    assert_eq!(
        strip(counts(&mut conn, &after_tables).await),
        strip(seeded.clone()),
        "{}: rows after upgrade",
        s.name
    );

    let down = m.downgrade_sql();
    apply(&mut conn, &down, false)
        .await
        .unwrap_or_else(|e| panic!("{}: downgrade: {e}\n{down}", s.name));
    assert_eq!(
        fingerprint(&mut conn).await,
        want_before,
        "{}: schema after downgrade\n{down}",
        s.name
    );
    assert_eq!(
        counts(&mut conn, &before_tables).await,
        seeded,
        "{}: rows after downgrade",
        s.name
    );
    conn
}

#[tokio::test]
async fn every_scenario_upgrades_and_downgrades_keeping_rows() {
    for s in scenarios::all() {
        run(&s).await;
    }
}

fn scenario(name: &str) -> Scenario {
    scenarios::all()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

#[tokio::test]
async fn a_column_becoming_not_null_gets_its_default_where_null() {
    let s = scenario("not_null_with_default");
    let m = migration(&s);
    let mut conn = built(&s.before).await;
    for seed in &s.seed {
        exec(&mut conn, seed).await.expect("seed");
    }
    apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect("upgrade");
    let titles = scalar(
        &mut conn,
        "SELECT group_concat(quote(title), ',') FROM (SELECT title FROM feed ORDER BY id)",
    )
    .await;
    assert_eq!(titles, "'a','','c'");
}

#[tokio::test]
async fn a_rebuild_keeps_the_autoincrement_sequence() {
    let s = scenario("autoincrement_kept");
    let mut conn = run(&s).await;
    // id 5 was used (then deleted): AUTOINCREMENT never reuses it.
    exec(&mut conn, "INSERT INTO parent (name) VALUES ('six')")
        .await
        .expect("insert");
    assert_eq!(
        scalar(&mut conn, "SELECT max(id) || '' FROM parent").await,
        "6"
    );
    let m = migration(&s);
    apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect("upgrade again");
    exec(&mut conn, "INSERT INTO parent (name) VALUES ('seven')")
        .await
        .expect("insert");
    assert_eq!(
        scalar(&mut conn, "SELECT max(id) || '' FROM parent").await,
        "7"
    );
}

#[tokio::test]
async fn the_guard_fails_a_rebuild_with_foreign_keys_on_and_nothing_is_dropped() {
    let s = scenario("autoincrement_kept");
    let m = migration(&s);
    let mut conn = built(&s.before).await;
    for seed in &s.seed {
        exec(&mut conn, seed).await.expect("seed");
    }
    let schema = fingerprint(&mut conn).await;
    let error = apply(&mut conn, &m.upgrade_sql(), true)
        .await
        .expect_err("must fail");
    assert!(
        error.contains("run with PRAGMA foreign_keys=OFF"),
        "{error}"
    );
    assert_eq!(fingerprint(&mut conn).await, schema);
    assert_eq!(
        counts(&mut conn, &["parent", "feed"]).await,
        ["parent: 2", "feed: 3"]
    );
}

#[tokio::test]
async fn a_column_becoming_not_null_with_null_rows_fails_naming_it() {
    let s = scenario("not_null_without_default");
    let m = migration(&s);
    let mut conn = built(&s.before).await;
    for seed in &s.seed {
        exec(&mut conn, seed).await.expect("seed");
    }
    exec(
        &mut conn,
        "INSERT INTO feed (id, title) VALUES (9, 'orphan')",
    )
    .await
    .expect("row");
    let error = apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect_err("must fail");
    assert!(
        error.contains("feed.parent_id becomes NOT NULL but rows have NULL in it"),
        "{error}"
    );
    assert_eq!(counts(&mut conn, &["feed"]).await, ["feed: 4"]);
}

#[tokio::test]
async fn an_added_not_null_column_without_default_fails_on_rows() {
    let s = scenario("type_change");
    let mut after = s.before.clone();
    if let Some(feed) = after.tables.get_mut(&common::name("feed")) {
        feed.columns
            .push(common::ColumnExt::not_null(common::col("must", "TEXT")));
    }
    let m = plan(&s.before, &after, &Renames::none(), &SqliteRenderer).expect("plan");
    let mut conn = built(&s.before).await;
    for seed in &s.seed {
        exec(&mut conn, seed).await.expect("seed");
    }
    let error = apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect_err("must fail");
    assert!(
        error.contains("feed.must is added NOT NULL without a default but feed has rows"),
        "{error}"
    );
    // On an empty table the same upgrade runs.
    exec(&mut conn, "DELETE FROM feed").await.expect("empty");
    apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect("upgrade on an empty table");
}

#[tokio::test]
async fn a_foreign_key_violation_after_a_rebuild_fails_it() {
    let s = scenario("foreign_key_add");
    let m = migration(&s);
    let mut conn = built(&s.before).await;
    for seed in &s.seed {
        exec(&mut conn, seed).await.expect("seed");
    }
    exec(&mut conn, "INSERT INTO feed (id, parent_id) VALUES (9, 99)")
        .await
        .expect("row");
    let error = apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect_err("must fail");
    assert!(
        error.contains("foreign key violations after rebuilding feed"),
        "{error}"
    );
    assert_eq!(counts(&mut conn, &["feed"]).await, ["feed: 4"]);
}

/// Whether SQLite accepts `schema` (two edits may combine into a schema it
/// refuses, e.g. WITHOUT ROWID without a primary key).
async fn accepted(schema: &Schema) -> bool {
    let mut conn = open().await;
    let create = plan(
        &Schema::default(),
        schema,
        &Renames::none(),
        &SqliteRenderer,
    )
    .expect("plan");
    apply(&mut conn, &create.upgrade_sql(), false).await.is_ok()
}

#[tokio::test]
async fn every_pair_of_table_edits_upgrades_and_downgrades_keeping_rows() {
    let edits = scenarios::feed_edits();
    let (mut ran, mut refused) = (0, Vec::new());
    for (i, (a, edit_a)) in edits.iter().enumerate() {
        for (b, edit_b) in &edits[i + 1..] {
            let after = scenarios::feed_edit(|t| {
                edit_a(t);
                edit_b(t);
            });
            let name: &'static str = Box::leak(format!("{a} + {b}").into_boxed_str());
            if !accepted(&after).await {
                refused.push(name);
                continue;
            }
            run(&scenarios::on_base(name, after)).await;
            ran += 1;
        }
    }
    assert!(
        ran >= 180,
        "only {ran} pairs ran; SQLite refused {refused:?}"
    );
}

#[tokio::test]
async fn every_table_edit_under_views_and_triggers_keeps_them() {
    use common::objects::with_dependents;
    let (mut ran, mut refused) = (0, Vec::new());
    for (name, edit) in scenarios::feed_edits() {
        let after = with_dependents(scenarios::feed_edit(edit));
        if !accepted(&after).await {
            refused.push(name);
            continue;
        }
        let s = Scenario {
            before: with_dependents(scenarios::feed_edit(|_| {})),
            ..scenarios::on_base(name, after)
        };
        run(&s).await;
        ran += 1;
    }
    assert!(
        refused.is_empty() && ran == scenarios::feed_edits().len(),
        "only {ran} edits ran; SQLite refused {refused:?}"
    );
}

/// A rebuild that moves the primary key a child references implicitly
/// (`REFERENCES parent`, no columns) breaks the child's rows: the children
/// are checked too, and the rebuild fails naming them, changing nothing.
#[tokio::test]
async fn a_rebuild_that_breaks_a_childs_references_fails_naming_the_child() {
    use common::{ColumnExt, TableExt, col, fk, schema, table};
    let child = table(
        "child",
        vec![col("id", "INTEGER"), col("parent_ref", "TEXT")],
    )
    .pk(&["id"])
    .with_fk(fk(&["parent_ref"], "parent", &[]));
    let columns = || {
        vec![
            col("code", "TEXT").not_null(),
            col("num", "INTEGER").not_null(),
        ]
    };
    let before = schema(
        vec![table("parent", columns()).pk(&["code"]), child.clone()],
        vec![],
        vec![],
    );
    let after = schema(
        vec![table("parent", columns()).pk(&["num"]), child],
        vec![],
        vec![],
    );
    let m = plan(&before, &after, &Renames::none(), &SqliteRenderer).expect("plan");
    assert!(
        m.upgrade_sql()
            .contains("pragma_foreign_key_check('child')"),
        "{}",
        m.upgrade_sql()
    );
    let mut conn = built(&before).await;
    exec(
        &mut conn,
        "INSERT INTO parent VALUES ('a', 7); INSERT INTO child VALUES (1, 'a')",
    )
    .await
    .expect("rows");
    let error = apply(&mut conn, &m.upgrade_sql(), false)
        .await
        .expect_err("must fail");
    assert!(
        error.contains("foreign key violations in child after rebuilding parent"),
        "{error}"
    );
    assert_eq!(
        counts(&mut conn, &["parent", "child"]).await,
        ["parent: 1", "child: 1"]
    );
}
