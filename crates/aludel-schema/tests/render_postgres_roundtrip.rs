//! The PostgreSQL round trip through the reader: a `before` and an `after`
//! database are built from DDL and read; the migration planned between the
//! two models is run on the (seeded) `before` database, which must then
//! read as the `after` model (and diff empty against it), and its
//! downgrade must bring back the `before` model. Plain and with
//! `concurrently`.

mod render_postgres_roundtrip_cases;
mod server;

use aludel_schema::catalog::Read;
use aludel_schema::{Block, PostgresRenderer, Renames, Schema, diff, plan};
use aludel_testkit::TestDb;
use render_postgres_roundtrip_cases::{PAIRS, Pair};

/// Runs blocks in order: consecutive transactional blocks in one
/// transaction, the others statement by statement.
fn run(db: &TestDb, blocks: &[Block]) {
    let mut tx: Vec<String> = Vec::new();
    let flush = |tx: &mut Vec<String>| {
        if !tx.is_empty() {
            db.execute(&format!("BEGIN;\n{};\nCOMMIT;", tx.join(";\n")));
            tx.clear();
        }
    };
    for block in blocks {
        if block.transactional {
            tx.extend(block.statements.iter().cloned());
        } else {
            flush(&mut tx);
            for statement in &block.statements {
                db.execute(statement);
            }
        }
    }
    flush(&mut tx);
}

fn read(db: &TestDb) -> Schema {
    let Read { schema, .. } = server::read(db);
    schema
}

fn assert_same(what: &str, got: &Schema, want: &Schema) {
    let changes = diff(got, want, &Renames::none()).expect("diff");
    assert!(changes.is_empty(), "{what}: still differs: {changes:#?}");
    // Column order is no difference (an added column comes last).
    let sorted = |s: &Schema| {
        let mut s = s.clone();
        for t in s.tables.values_mut() {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        s
    };
    assert_eq!(sorted(got), sorted(want), "{what}: the models differ");
}

fn round_trip(name: &str) {
    let pair: &Pair = PAIRS.iter().find(|p| p.name == name).expect("pair");
    let Some(before_db) = server::postgres_with(pair.before) else {
        return;
    };
    let after_db = server::postgres_with(pair.after).expect("server");
    let (before, after) = (read(&before_db), read(&after_db));
    let renames = Renames::parse_flags(pair.renames.iter().copied()).expect("flags");
    for concurrently in [false, true] {
        let what = format!("{name} (concurrently: {concurrently})");
        let db = server::postgres_with(pair.before).expect("server");
        db.execute(pair.seed);
        let m = plan(
            &before,
            &after,
            &renames,
            &PostgresRenderer { concurrently },
        )
        .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(!m.is_empty(), "{what}: no changes");
        run(&db, &m.upgrade);
        assert_same(&format!("{what}: upgraded"), &read(&db), &after);
        run(&db, &m.downgrade);
        assert_same(&format!("{what}: downgraded"), &read(&db), &before);
    }
}

macro_rules! round_trips {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            round_trip(stringify!($name));
        }
    )*};
}

round_trips!(
    domains_in_use_altered,
    every_kind,
    enum_added_and_removed,
    columns_under_views,
    constraints_on_populated_tables,
    functions_under_trigger_and_view,
    renames_under_a_view,
    sequences_and_generated_columns,
    tables_in_a_cycle_and_schemas,
);
