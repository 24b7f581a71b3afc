//! `Statement::transaction_control` and `push_terminated`.

use aludel_script::{Flavor, Statement, TransactionControl, push_terminated, split_statements};

fn control(sql: &str, flavor: Flavor) -> Vec<Option<TransactionControl>> {
    split_statements(sql, 1, flavor)
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .iter()
        .map(|s| s.transaction_control(flavor))
        .collect()
}

#[test]
fn transaction_control_statements() {
    use TransactionControl::{Begin, Commit, Rollback};
    for flavor in [Flavor::Sqlite, Flavor::Postgres] {
        assert_eq!(
            control(
                "BEGIN; begin immediate transaction; START TRANSACTION; COMMIT; commit transaction; \
                 END; End Transaction; ROLLBACK; rollback transaction; /* c */ COMMIT",
                flavor
            ),
            [
                Some(Begin),
                Some(Begin),
                Some(Begin),
                Some(Commit),
                Some(Commit),
                Some(Commit),
                Some(Commit),
                Some(Rollback),
                Some(Rollback),
                Some(Commit),
            ],
            "{flavor:?}"
        );
        let routine = match flavor {
            Flavor::Sqlite => "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END",
            _ => "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
        };
        assert_eq!(
            control(
                &format!(
                    "ROLLBACK TO s; ROLLBACK TRANSACTION TO SAVEPOINT s; rollback to savepoint s; \
                     SAVEPOINT s; RELEASE s; START x; SELECT 'COMMIT'; \"commit\"; committed; {routine}"
                ),
                flavor
            ),
            [None; 10],
            "{flavor:?}"
        );
    }
    assert_eq!(control("ABORT", Flavor::Postgres), [Some(Rollback)]);
    assert_eq!(control("ABORT", Flavor::Sqlite), [None]);
    assert_eq!(
        control(
            "PREPARE TRANSACTION 'x'; COMMIT PREPARED 'x'; COMMIT AND CHAIN; BEGIN WORK; PREPARE q AS SELECT 1",
            Flavor::Postgres
        ),
        [Some(Commit), Some(Commit), Some(Commit), Some(Begin), None]
    );
    // `BEGIN ATOMIC` only ever opens a function body.
    assert_eq!(
        control(
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
            Flavor::Postgres
        ),
        [None]
    );
}

#[test]
fn mysql_transaction_control() {
    use TransactionControl::{Begin, Commit, Rollback};
    let my = Flavor::MySql;
    assert_eq!(
        control(
            "BEGIN; BEGIN WORK; START TRANSACTION READ ONLY; COMMIT AND NO CHAIN; commit work; \
             ROLLBACK WORK; XA START 'x'; XA COMMIT 'x'; XA ROLLBACK 'x'; XA END 'x'; \
             ROLLBACK WORK TO SAVEPOINT s; SAVEPOINT s; RELEASE SAVEPOINT s; END",
            my
        ),
        [
            Some(Begin),
            Some(Begin),
            Some(Begin),
            Some(Commit),
            Some(Commit),
            Some(Rollback),
            Some(Begin),
            Some(Commit),
            Some(Rollback),
            None,
            None,
            None,
            None,
            None,
        ]
    );
    // A block or a routine body is not transaction control, nor is `BEGIN`
    // inside it.
    assert_eq!(
        control(
            "BEGIN NOT ATOMIC SELECT 1; END; \
             CREATE PROCEDURE p() BEGIN START TRANSACTION; COMMIT; END",
            my
        ),
        [None, None]
    );
}

#[test]
fn terminator_goes_on_its_own_line_after_a_line_comment() {
    let mut out = String::new();
    push_terminated(&mut out, "SELECT 1");
    push_terminated(&mut out, "\nSELECT 2 -- note");
    push_terminated(&mut out, "SELECT 3 -- a\n  + 4");
    push_terminated(&mut out, "SELECT 5 # note");
    assert_eq!(
        out,
        "SELECT 1;\nSELECT 2 -- note\n;SELECT 3 -- a\n  + 4;SELECT 5 # note\n;"
    );
    // What the splitter hands out is written back to the same statements.
    let sql = "SELECT 1 -- x;\n;\nSELECT 2;";
    let statements = split_statements(sql, 1, Flavor::Sqlite).unwrap();
    let mut again = String::new();
    for s in &statements {
        push_terminated(&mut again, s.text);
        again.push('\n');
    }
    let texts = |v: &[Statement<'_>]| v.iter().map(|s| s.text.to_owned()).collect::<Vec<_>>();
    assert_eq!(
        texts(&split_statements(&again, 1, Flavor::Sqlite).unwrap()),
        texts(&statements)
    );
}
