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
    for &flavor in Flavor::ALL {
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
        assert_eq!(
            control(
                "ROLLBACK TO s; ROLLBACK TRANSACTION TO SAVEPOINT s; rollback to savepoint s; \
                 SAVEPOINT s; RELEASE s; START x; SELECT 'COMMIT'; \"commit\"; committed; \
                 CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END",
                flavor
            ),
            [None; 10],
            "{flavor:?}"
        );
    }
    assert_eq!(control("ABORT", Flavor::Postgres), [Some(Rollback)]);
    assert_eq!(control("ABORT", Flavor::Sqlite), [None]);
}

#[test]
fn terminator_goes_on_its_own_line_after_a_line_comment() {
    let mut out = String::new();
    push_terminated(&mut out, "SELECT 1");
    push_terminated(&mut out, "\nSELECT 2 -- note");
    push_terminated(&mut out, "SELECT 3 -- a\n  + 4");
    assert_eq!(out, "SELECT 1;\nSELECT 2 -- note\n;SELECT 3 -- a\n  + 4;");
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
