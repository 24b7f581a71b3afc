//! The MySQL/MariaDB flavour: comments, strings, executable comments,
//! `DELIMITER` and compound statements (checked against a live server in
//! `mysql_reference.rs`).

use aludel_script::{Construct, ErrorKind, Flavor, ScriptError, parse_script, split_statements};

const MY: Flavor = Flavor::MySql;

fn split(sql: &str) -> Vec<(&str, usize)> {
    split_statements(sql, 1, MY)
        .unwrap_or_else(|e| panic!("split failed: {e}\n{sql}"))
        .into_iter()
        .map(|s| (s.text, s.line))
        .collect()
}

fn texts(sql: &str) -> Vec<&str> {
    split(sql).into_iter().map(|(t, _)| t).collect()
}

fn error(sql: &str, flavor: Flavor) -> ScriptError {
    split_statements(sql, 1, flavor).expect_err("expected an error")
}

#[test]
fn comments() {
    assert_eq!(
        texts("SELECT 1 # a; b\n; SELECT 2 -- c; d\n; SELECT 3 --4;SELECT 5 --\t;\n;SELECT 6 --"),
        [
            "SELECT 1 # a; b",
            "SELECT 2 -- c; d",
            "SELECT 3 --4",
            "SELECT 5 --\t;",
            "SELECT 6"
        ]
    );
    // Not nested: the first `*/` ends the comment.
    assert_eq!(
        texts("SELECT /* a /* b */ 1; SELECT 2 */"),
        ["SELECT /* a /* b */ 1", "SELECT 2 */"]
    );
}

#[test]
fn strings_with_backslash_escapes() {
    assert_eq!(
        texts(
            "SELECT 'it\\'s;', 'a''b;', '\\\\'; SELECT \"x\\\";\", \"y\"\";\"; SELECT `a;``b`; SELECT 'C:\\\\';"
        ),
        [
            "SELECT 'it\\'s;', 'a''b;', '\\\\'",
            "SELECT \"x\\\";\", \"y\"\";\"",
            "SELECT `a;``b`",
            "SELECT 'C:\\\\'"
        ]
    );
    // Under the other flavours `'C:\'` is a whole string.
    assert_eq!(
        error("SELECT 'C:\\'; SELECT 1", MY),
        ScriptError::new(1, ErrorKind::Unterminated(Construct::StringLiteral))
    );
    // No dollar quotes or bracket identifiers.
    assert_eq!(
        texts("SELECT $$a; SELECT [b;c]"),
        ["SELECT $$a", "SELECT [b", "c]"]
    );
}

#[test]
fn executable_comments_are_statement_text() {
    assert_eq!(
        split(
            "/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SELECT 'a;*/' ; */;\nSELECT 1 /*!, 2 */;"
        ),
        [
            ("/*!40101 SET NAMES utf8mb4 */", 1),
            ("/*M!100100 SELECT 'a;*/' ; */", 2),
            ("SELECT 1 /*!, 2 */", 3)
        ]
    );
    assert_eq!(
        error("SELECT 1;\n/*! SELECT 2;", MY),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::BlockComment))
    );
}

#[test]
fn delimiter_blocks() {
    let sql = "DELIMITER $$\n\
               CREATE PROCEDURE p()\nBEGIN\n  SELECT '$$';\nEND$$\n\
               SELECT 1; SELECT 2$$\n\
               delimiter //\n\
               SELECT 3 // SELECT 4//\n\
                 DELIMITER ;  ignored\n\
               SELECT 5;\n\
               DELIMITER ;;\n\
               SELECT 6;;\n\
               DELIMITER \"!!\"\n\
               SELECT 7 !!\n\
               SELECT 8";
    assert_eq!(
        split(sql),
        [
            ("CREATE PROCEDURE p()\nBEGIN\n  SELECT '$$';\nEND", 2),
            ("SELECT 1; SELECT 2", 6),
            ("SELECT 3", 8),
            ("SELECT 4", 8),
            ("SELECT 5", 10),
            ("SELECT 6", 12),
            ("SELECT 7", 14),
            ("SELECT 8", 15),
        ]
    );
    // Inside a string, a comment or a statement, `DELIMITER` is no command.
    assert_eq!(
        texts("SELECT 'x\nDELIMITER //\n'; /* \nDELIMITER //\n*/ SELECT a,\ndelimiter\nFROM t;"),
        ["SELECT 'x\nDELIMITER //\n'", "SELECT a,\ndelimiter\nFROM t"]
    );
}

#[test]
fn misplaced_or_foreign_delimiter_lines_are_errors() {
    let invalid = |sql| match error(sql, MY).kind {
        ErrorKind::InvalidDelimiter(reason) => reason,
        other => panic!("{other:?}"),
    };
    assert!(invalid("SELECT 1; DELIMITER //").contains("first thing on its line"));
    assert!(invalid("DELIMITER").contains("needs a delimiter"));
    assert!(invalid("DELIMITER \\\\").contains("backslash"));
    assert!(invalid("DELIMITER;").contains("followed by a space"));
    for flavor in [Flavor::Sqlite, Flavor::Postgres] {
        let e = error("SELECT 1;\n\nDELIMITER $$\nSELECT 2$$\n", flavor);
        assert_eq!(e, ScriptError::new(3, ErrorKind::DelimiterCommand(flavor)));
        let shown = e.to_string();
        assert!(
            shown.starts_with("line 3: `DELIMITER` is a MySQL client command"),
            "{shown}"
        );
        assert!(shown.contains(flavor.name()), "{shown}");
    }
}

#[test]
fn stored_programs_without_delimiter() {
    let sql = "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\n\
               IF NEW.x < 0 THEN SET NEW.x = 0; SET NEW.end = 1; END IF;\n\
               CREATE PROCEDURE p(IN a INT)\n\
               BEGIN\n\
                 DECLARE end INT DEFAULT 0;\n\
                 DECLARE CONTINUE HANDLER FOR SQLSTATE '23000', NOT FOUND BEGIN SET end = 1; END;\n\
                 SET end = CASE WHEN a > 0 THEN 1 ELSE 2 END;\n\
                 REPEAT SET a = a + 1; UNTIL a > 3 END REPEAT;\n\
                 lbl: LOOP LEAVE lbl; END LOOP lbl;\n\
                 SELECT IF(a > 0, 'y;', 'n'), t.end FROM t;\n\
               END;\n\
               CREATE FUNCTION f() RETURNS INT DETERMINISTIC RETURN IF(1, 2, 3);\n\
               BEGIN NOT ATOMIC SELECT 1; END;\n\
               IF 1 THEN SELECT 2; END IF;\n\
               BEGIN;\n\
               CREATE TABLE event (begin INT, end INT);";
    let lines: Vec<usize> = split(sql).into_iter().map(|(_, l)| l).collect();
    assert_eq!(lines, [1, 3, 12, 13, 14, 15, 16]);
    assert!(texts(sql)[1].ends_with("FROM t;\nEND"));
}

#[test]
fn unterminated_body_names_its_opening_line() {
    assert_eq!(
        error("SELECT 1;\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n", MY),
        ScriptError::new(3, ErrorKind::Unterminated(Construct::RoutineBody))
    );
    // After a custom delimiter the client sends what it has at the end.
    assert_eq!(
        texts("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1;"),
        ["CREATE PROCEDURE p() BEGIN SELECT 1;"]
    );
}

#[test]
fn sections_are_found_with_mysql_comments() {
    let src = "-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT '\n-- migrate:downgrade\n';\n\
               # migrate:downgrade\nSELECT 1 --1\n;\n-- migrate:downgrade\nSELECT 2;\n";
    let s = parse_script(src, MY).unwrap();
    assert_eq!(s.downgrade.first_line, 11);
    let up: Vec<_> = s
        .upgrade
        .statements(MY)
        .unwrap()
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(up, ["SELECT '\n-- migrate:downgrade\n'", "SELECT 1 --1"]);
}
