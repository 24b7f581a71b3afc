//! Property test of autogenerate on SQLite: random schemas (2–5 tables,
//! columns of a few types, nullability, defaults, foreign keys to earlier
//! tables with random actions, indexes, a view, a trigger naming another
//! table) and a random sequence of changes to them (add/drop column, type,
//! NULL and default changes, add/drop index, foreign key changes, add/drop
//! table), with random rows: the generated migration keeps the four
//! properties of `autogen::check` (and is deterministic).

mod autogen;

use autogen::case::Case;
use autogen::changes::KINDS;
use autogen::check::check;
use autogen::random::Db;
use proptest::collection::vec;
use proptest::prelude::*;

/// How one initial table is built.
#[derive(Debug, Clone)]
struct TableSeed {
    ty: u8,
    fk: Option<(u8, u8)>,
    cols: Vec<(u8, u8)>,
    indexes: Vec<(u8, u8)>,
}

fn table_seed() -> impl Strategy<Value = TableSeed> {
    (
        any::<u8>(),
        proptest::option::of((any::<u8>(), any::<u8>())),
        vec((any::<u8>(), any::<u8>()), 0..3),
        vec((any::<u8>(), any::<u8>()), 0..2),
    )
        .prop_map(|(ty, fk, cols, indexes)| TableSeed {
            ty,
            fk,
            cols,
            indexes,
        })
}

/// The initial schema from its table seeds.
fn build(seeds: &[TableSeed]) -> Db {
    let mut db = Db::new();
    for (i, seed) in seeds.iter().enumerate() {
        let fk = seed
            .fk
            .filter(|_| i > 0)
            .map(|(parent, action)| (parent as usize % i, action as usize));
        db.add_table(seed.ty, fk);
        for &(ty, kind) in &seed.cols {
            db.add_column(i, ty, kind);
        }
        for &(b, c) in &seed.indexes {
            db.apply(5, i as u8, b, c);
        }
    }
    db.mark_origins();
    db
}

proptest! {
    #![proptest_config(ProptestConfig {
        // 64 by default; `PROPTEST_CASES=1000` for a longer hunt.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_migrations_keep_the_four_properties(
        seeds in vec(table_seed(), 2..=5),
        changes in vec((0..KINDS, any::<u8>(), any::<u8>(), any::<u8>()), 1..6),
        seed in any::<u64>(),
    ) {
        let before = build(&seeds);
        let mut after = before.clone();
        for &(kind, a, b, c) in &changes {
            after.apply(kind, a, b, c);
        }
        let case = Case {
            name: "prop".into(),
            before: before.ddl(),
            after: after.ddl(),
            rows: before.rows(seed),
            renames: after.renames(),
            ..Case::default()
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let described = format!(
            "--- before.sql ---\n{}--- after.sql ---\n{}--- rows.sql ---\n{}--- renames ---\n{:?}\n",
            case.before, case.after, case.rows, case.renames
        );
        match runtime.block_on(check(&case)) {
            Err(e) => prop_assert!(false, "generation failed: {e}\n{described}"),
            Ok(outcome) => prop_assert!(
                outcome.failures.is_empty(),
                "{:#?}\n{described}--- upgrade ---\n{}--- downgrade ---\n{}",
                outcome.failures,
                outcome.upgrade,
                outcome.downgrade
            ),
        }
    }
}
