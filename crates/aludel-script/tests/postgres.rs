//! The PostgreSQL flavour's end-of-statement rules (checked against a live
//! server in `postgres_reference.rs`).

use aludel_script::{Flavor, split_statements};

fn texts(sql: &str) -> Vec<&str> {
    split_statements(sql, 1, Flavor::Postgres)
        .unwrap_or_else(|e| panic!("split failed: {e}\n{sql}"))
        .into_iter()
        .map(|s| s.text)
        .collect()
}

#[test]
fn semicolons_inside_parentheses_do_not_split() {
    assert_eq!(
        texts(
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY c); SELECT 2"
        ),
        [
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY c)",
            "SELECT 2"
        ]
    );
    // A stray `)` does not hide later `;`.
    assert_eq!(texts("SELECT 1); SELECT 2"), ["SELECT 1)", "SELECT 2"]);
}

#[test]
fn only_begin_atomic_opens_a_body() {
    // PostgreSQL has no `BEGIN … END` routine body without `ATOMIC`: the
    // server reads such text as separate (failing) statements, so it splits.
    assert_eq!(
        texts("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN SELECT 1; END; SELECT 2"),
        [
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN SELECT 1",
            "END",
            "SELECT 2"
        ]
    );
    // Nor do triggers or events (MySQL's and SQLite's bodies).
    assert_eq!(
        texts("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END").len(),
        2
    );
    // Keywords as names: after `.` and `AS`; `CASE … END` nests.
    let f = "CREATE OR REPLACE PROCEDURE p(begin int) LANGUAGE sql\nBEGIN ATOMIC\n  \
             SELECT 1 AS end, t.case FROM t;\n  SELECT CASE WHEN CASE WHEN true THEN 1 END = 1 THEN 2 END;\nEND";
    assert_eq!(texts(&format!("{f};\nSELECT 3")), [f, "SELECT 3"]);
    // `BEGIN` inside the parameter list does not open a body.
    assert_eq!(
        texts("CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN begin; SELECT 1").len(),
        2
    );
}

#[test]
fn prefixed_strings() {
    assert_eq!(
        texts("SELECT U&'d\\0061t;', B'1;'::text, X'1F', N'n;', E'\\';'; SELECT 2"),
        [
            "SELECT U&'d\\0061t;', B'1;'::text, X'1F', N'n;', E'\\';'",
            "SELECT 2"
        ]
    );
}
