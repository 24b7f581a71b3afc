//! The SQL the PostgreSQL renderer writes, as reviewed snapshots (plain and
//! with `concurrently`), and that SQL run on the real server: a database
//! built from the `before` model, seeded, upgraded, must hold exactly what
//! a database built from the `after` model holds (catalog fingerprint),
//! and the downgrade must bring back the `before` one.

mod common;
mod render_postgres_cases;

use aludel_schema::{Block, Migration, PostgresRenderer, Renames, Schema, plan};
use aludel_testkit::{Engine, REQUIRE_ENV, TestDb};
use render_postgres_cases::{Case, fingerprint};

fn migration(case: &Case, concurrently: bool) -> Migration {
    let renames = Renames::parse_flags(case.renames.iter().copied()).expect("flags");
    plan(
        &case.before,
        &case.after,
        &renames,
        &PostgresRenderer { concurrently },
    )
    .expect("plan")
}

/// Changes, warnings and both directions, each split into its
/// transactional part and the part that runs outside a transaction.
fn show(m: &Migration) -> String {
    let mut out = common::show(&Migration {
        upgrade: Vec::new(),
        downgrade: Vec::new(),
        ..m.clone()
    });
    out = out.replace("\n## upgrade\n\n## downgrade\n", "");
    let (first, second) = m.split_transactional();
    let part = |title: &str, blocks: &[Block]| -> String {
        if blocks.is_empty() {
            return String::new();
        }
        let body: Vec<String> = blocks.iter().map(Block::sql).collect();
        format!("\n## {title}\n{}", body.join("\n"))
    };
    out.push_str(&part("upgrade", &first.upgrade));
    if let Some(second) = &second {
        out.push_str(&part(
            "upgrade, outside a transaction (after)",
            &second.upgrade,
        ));
        out.push_str(&part(
            "downgrade, outside a transaction (first)",
            &second.downgrade,
        ));
    }
    out.push_str(&part("downgrade", &first.downgrade));
    out
}

#[test]
fn every_case_renders_as_reviewed() {
    for case in render_postgres_cases::all() {
        let plain = migration(&case, false);
        assert!(!plain.is_empty(), "{}: no changes", case.name);
        insta::assert_snapshot!(case.name, show(&plain));
        let safe = migration(&case, true);
        if safe != plain {
            insta::assert_snapshot!(format!("{}_concurrently", case.name), show(&safe));
        }
    }
}

#[test]
fn the_reverse_of_every_case_has_no_diff_with_itself() {
    for case in render_postgres_cases::all() {
        for side in [&case.before, &case.after] {
            let m = plan(side, side, &Renames::none(), &PostgresRenderer::default()).expect("plan");
            assert!(m.is_empty(), "{}: {:?}", case.name, m.changes);
        }
    }
}

/// Whether the PostgreSQL server is configured (else the test is skipped,
/// unless servers are required).
fn server() -> bool {
    if Engine::Postgres.server_url().is_some() {
        return true;
    }
    assert!(
        std::env::var(REQUIRE_ENV).map_or(true, |v| v != "1"),
        "ALUDEL_TEST_POSTGRES_URL is not set"
    );
    eprintln!("skipped: ALUDEL_TEST_POSTGRES_URL is not set");
    false
}

/// Runs blocks in order: consecutive transactional blocks in one
/// transaction, the others statement by statement.
fn run(db: &TestDb, blocks: &[Block], what: &str) {
    let mut tx: Vec<String> = Vec::new();
    let flush = |tx: &mut Vec<String>| {
        if !tx.is_empty() {
            let sql = format!("BEGIN;\n{};\nCOMMIT;", tx.join(";\n"));
            let result = std::panic::catch_unwind(|| db.execute(&sql));
            assert!(result.is_ok(), "{what}: the transactional part failed");
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

/// A database built from a model by the renderer itself.
fn build(schema: &Schema, what: &str) -> TestDb {
    let db = TestDb::scratch(Engine::Postgres);
    let m = plan(
        &Schema::default(),
        schema,
        &Renames::none(),
        &PostgresRenderer::default(),
    )
    .expect("plan");
    run(&db, &m.upgrade, what);
    db
}

fn upgrade_then_downgrade(case: Case) {
    if !server() {
        return;
    }
    let before = fingerprint(&build(&case.before, &format!("{}: before", case.name)));
    let after = fingerprint(&build(&case.after, &format!("{}: after", case.name)));
    for concurrently in [false, true] {
        let what = format!("{} (concurrently: {concurrently})", case.name);
        let db = build(&case.before, &what);
        for row in &case.seed {
            db.execute(row);
        }
        let m = migration(&case, concurrently);
        run(&db, &m.upgrade, &format!("{what}: upgrade"));
        assert_eq!(fingerprint(&db), after, "{what}: upgraded");
        run(&db, &m.downgrade, &format!("{what}: downgrade"));
        assert_eq!(fingerprint(&db), before, "{what}: downgraded");
    }
}

macro_rules! on_server {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            upgrade_then_downgrade(render_postgres_cases::all()
                .into_iter()
                .find(|c| c.name == stringify!($name))
                .expect("case"));
        }
    )*};
}

on_server!(
    objects_created,
    enum_values_added,
    enum_rebuilt,
    column_changes,
    constraints_added,
    functions_changed,
    renames_under_view,
    sequence_changed,
    generated_changed,
    drops_and_serial,
    cycles_and_serial_rename,
);

#[test]
fn a_new_enum_label_used_later_in_the_migration_is_warned_about() {
    let mut case = render_postgres_cases::enum_values_added();
    let person = case
        .after
        .tables
        .get_mut(&common::name("person"))
        .expect("person");
    person.columns.push(common::ColumnExt::default(
        common::col("next", "mood"),
        "'ok'::mood",
    ));
    let m = migration(&case, false);
    let warned: Vec<&str> = m
        .upgrade
        .iter()
        .filter(|b| !b.warnings.is_empty())
        .map(|b| b.title.as_str())
        .collect();
    assert_eq!(warned, ["Add value ok to enum type mood"]);
    assert!(m.warnings()[0].contains("is used later in this migration"));
}

#[test]
fn dropped_columns_and_tables_warn_of_data_loss() {
    let case = render_postgres_cases::drops_and_serial();
    let m = migration(&case, false);
    assert_eq!(
        m.warnings(),
        [
            "DATA LOSS: drops column 'a.x', if this was a rename, re-run with --rename a.x=NEW_NAME",
            "drops table 'b' and its 1 column: data is lost",
        ]
    );
}
