//! Statement splitter behaviour.

use aludel_script::Flavor;

/// The flavour these tests were written for: the splitter's original reading.
const PG: Flavor = Flavor::Postgres;
use aludel_script::{Construct, ErrorKind, ScriptError, Statement, split_statements};

/// SQLite and MySQL, for the tests of their triggers and routines.
const LITE: Flavor = Flavor::Sqlite;
const MY: Flavor = Flavor::MySql;

fn split(sql: &str) -> Vec<(&str, usize)> {
    split_in(PG, sql)
}

fn split_in(flavor: Flavor, sql: &str) -> Vec<(&str, usize)> {
    split_statements(sql, 1, flavor)
        .unwrap_or_else(|e| panic!("split failed: {e}\n{sql}"))
        .into_iter()
        .map(|s| (s.text, s.line))
        .collect()
}

fn texts(sql: &str) -> Vec<&str> {
    texts_in(PG, sql)
}

fn texts_in(flavor: Flavor, sql: &str) -> Vec<&str> {
    split_in(flavor, sql).into_iter().map(|(t, _)| t).collect()
}

fn split_err(sql: &str) -> ScriptError {
    split_statements(sql, 1, PG).expect_err("expected an error")
}

#[test]
fn simple_statements_with_lines() {
    let sql = "CREATE TABLE a (id INT);\n\nINSERT INTO a VALUES (1);  INSERT INTO a VALUES (2);\n";
    assert_eq!(
        split(sql),
        [
            ("CREATE TABLE a (id INT)", 1),
            ("INSERT INTO a VALUES (1)", 3),
            ("INSERT INTO a VALUES (2)", 3),
        ]
    );
}

#[test]
fn first_line_offsets_line_numbers() {
    let out = split_statements("\n\nSELECT 1;\nSELECT\n2;", 14, PG).unwrap();
    assert_eq!(
        out,
        [
            Statement {
                text: "SELECT 1",
                line: 16
            },
            Statement {
                text: "SELECT\n2",
                line: 17
            },
        ]
    );
}

#[test]
fn empty_statements_dropped_and_last_without_semicolon_kept() {
    assert_eq!(
        texts(";;  ;\nSELECT 1;;\n-- trailing; comment\n/* x; */\n"),
        ["SELECT 1"]
    );
    assert_eq!(
        texts("SELECT 1;\nSELECT 2\n-- after\n"),
        ["SELECT 1", "SELECT 2"]
    );
    assert!(texts("").is_empty());
    assert!(texts("  \n-- only a comment;\n").is_empty());
}

#[test]
fn leading_comments_skipped_inner_comments_kept() {
    assert_eq!(
        split("-- lead;\n/* lead; */ SELECT 1 /* in; */ -- tail;\n;\nSELECT 2"),
        [("SELECT 1 /* in; */ -- tail;", 2), ("SELECT 2", 4)]
    );
}

#[test]
fn semicolons_in_strings_and_identifiers() {
    assert_eq!(
        texts(
            "INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"we;ird\"\"id\" FROM `my;tbl`; SELECT 2"
        ),
        [
            "INSERT INTO t VALUES ('a;b', 'it''s;')",
            "SELECT \"we;ird\"\"id\" FROM `my;tbl`",
            "SELECT 2"
        ]
    );
}

#[test]
fn postgres_escape_strings() {
    assert_eq!(
        texts("SELECT E'it\\'s; fine'; SELECT e'\\\\'; SELECT 'C:\\'; SELECT 3"),
        [
            "SELECT E'it\\'s; fine'",
            "SELECT e'\\\\'",
            "SELECT 'C:\\'",
            "SELECT 3"
        ]
    );
}

#[test]
fn nested_block_comments() {
    assert_eq!(
        texts("SELECT /* a /* b; */ c; */ 1; SELECT 2"),
        ["SELECT /* a /* b; */ c; */ 1", "SELECT 2"]
    );
}

#[test]
fn postgres_function_with_dollar_quotes() {
    let sql = "CREATE FUNCTION bump() RETURNS trigger AS $$
BEGIN
    NEW.n := NEW.n + 1;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION f() RETURNS text AS $body$
  SELECT '$$;' || $1;
$body$ LANGUAGE sql;
PREPARE q AS SELECT $1, $2;
SELECT 1";
    let out = split(sql);
    assert_eq!(out.len(), 4, "{out:#?}");
    assert!(out[0].0.starts_with("CREATE FUNCTION bump()"));
    assert!(out[0].0.ends_with("$$ LANGUAGE plpgsql"));
    assert_eq!(out[0].1, 1);
    assert!(out[1].0.ends_with("$body$ LANGUAGE sql"));
    assert_eq!(out[1].1, 7);
    assert_eq!(out[2], ("PREPARE q AS SELECT $1, $2", 10));
    assert_eq!(out[3], ("SELECT 1", 11));
}

#[test]
fn the_feed_trigger_is_one_statement() {
    let trigger = "CREATE TRIGGER downloads_status_to_downloaded_total_downloads
        AFTER UPDATE OF status ON download
        FOR EACH ROW
        WHEN NEW.status = 'DOWNLOADED' AND OLD.status != 'DOWNLOADED'
        BEGIN
            UPDATE feed SET total_downloads = total_downloads + 1 WHERE id = NEW.feed_id;
        END";
    let sql = format!("UPDATE feed SET total_downloads = 0;\n{trigger};\nSELECT 1;");
    assert_eq!(
        split_in(LITE, &sql),
        [
            ("UPDATE feed SET total_downloads = 0", 1),
            (trigger, 2),
            ("SELECT 1", 9)
        ]
    );
}

#[test]
fn sqlite_trigger_variants() {
    let sql = "CREATE TRIGGER IF NOT EXISTS t1 AFTER UPDATE OF title ON feed
FOR EACH ROW BEGIN
    UPDATE feed SET updated_at = datetime('now') WHERE id = NEW.id;
    INSERT INTO log VALUES ('x;y');
END;
create temp trigger t2 after insert on a begin select 1; select 2; end;
CREATE TEMPORARY TRIGGER t3 AFTER INSERT ON a BEGIN SELECT 3; END;
SELECT 4;";
    let out = texts_in(LITE, sql);
    assert_eq!(out.len(), 4, "{out:#?}");
    assert!(out[0].ends_with("('x;y');\nEND"));
    assert_eq!(
        out[1],
        "create temp trigger t2 after insert on a begin select 1; select 2; end"
    );
    assert_eq!(
        out[2],
        "CREATE TEMPORARY TRIGGER t3 AFTER INSERT ON a BEGIN SELECT 3; END"
    );
    assert_eq!(out[3], "SELECT 4");
}

#[test]
fn case_in_trigger_when_and_body() {
    let sql = "CREATE TRIGGER t AFTER UPDATE ON a
WHEN CASE WHEN NEW.x > 0 THEN 1 ELSE 0 END = 1
BEGIN
    UPDATE b SET y = CASE NEW.x WHEN 1 THEN 'one;' ELSE 'many' END;
    SELECT CASE WHEN 1 THEN RAISE(ABORT, 'no') END;
END;
SELECT 'after';";
    let out = split_in(LITE, sql);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out[0].0.ends_with("'no') END;\nEND"));
    assert_eq!(out[1], ("SELECT 'after'", 7));
}

#[test]
fn qualified_keywords_are_names() {
    let sql = "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET x = NEW.end, [case] = OLD.begin; END; SELECT 2;";
    assert_eq!(
        texts_in(LITE, sql),
        [
            "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET x = NEW.end, [case] = OLD.begin; END",
            "SELECT 2"
        ]
    );
}

#[test]
fn keywords_in_strings_comments_identifiers_do_not_count() {
    let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 'BEGIN', \"case\", `end` /* BEGIN */; -- CASE\nEND; SELECT 2;";
    let out = texts_in(LITE, sql);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert_eq!(out[1], "SELECT 2");
}

#[test]
fn mysql_procedure_with_end_if_loop_case() {
    let sql = "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)
BEGIN
    DECLARE i INT DEFAULT 0;
    IF n > 0 THEN
        SET i = 1;
    END IF;
    lbl: LOOP
        SET i = i + 1;
        IF i > n THEN LEAVE lbl; END IF;
    END LOOP lbl;
    WHILE i > 0 DO SET i = i - 1; END WHILE;
    REPEAT SET i = i + 1; UNTIL i > 3 END REPEAT;
    CASE i WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE;
    BEGIN
        SELECT 'inner';
    END;
END;
SELECT 'next';";
    let out = split_in(MY, sql);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out[0].0.ends_with("    END;\nEND"));
    assert_eq!(out[1], ("SELECT 'next'", 18));
}

#[test]
fn routine_prefixes() {
    for create in [
        "CREATE OR REPLACE PROCEDURE x()",
        "CREATE DEFINER = CURRENT_USER() PROCEDURE x(IN a INT) COMMENT 'c;' MODIFIES SQL DATA",
        "CREATE FUNCTION x(a INT) RETURNS VARCHAR(10) CHARACTER SET utf8mb4 DETERMINISTIC",
        "CREATE DEFINER='u'@'%' TRIGGER x BEFORE INSERT ON t FOR EACH ROW",
        "CREATE DEFINER=`root`@`localhost` TRIGGER x AFTER UPDATE ON t FOR EACH ROW FOLLOWS y",
        "CREATE EVENT x ON SCHEDULE EVERY 1 DAY COMMENT 'a;b' DO",
    ] {
        let sql = format!("{create} BEGIN SELECT 1; SELECT 2; END; SELECT 3");
        assert_eq!(texts_in(MY, &sql).len(), 2, "{create}");
    }
}

#[test]
fn standalone_begin_is_a_statement() {
    assert_eq!(
        texts("BEGIN; UPDATE a SET x = 1; COMMIT; BEGIN TRANSACTION; END;"),
        [
            "BEGIN",
            "UPDATE a SET x = 1",
            "COMMIT",
            "BEGIN TRANSACTION",
            "END"
        ]
    );
    // CASE in ordinary statements does not matter either.
    assert_eq!(
        texts("SELECT CASE WHEN a THEN 1 END; SELECT 2"),
        ["SELECT CASE WHEN a THEN 1 END", "SELECT 2"]
    );
}

#[test]
fn non_routine_create_with_begin_word_is_plain() {
    assert_eq!(
        texts("CREATE TABLE t (begin INT, \"end\" INT); SELECT 1"),
        ["CREATE TABLE t (begin INT, \"end\" INT)", "SELECT 1"]
    );
}

#[test]
fn crlf_line_endings() {
    let sql = "SELECT 1;\r\n-- c;\r\nSELECT 'a;\r\nb'\r\n;\r\nCREATE TRIGGER t AFTER INSERT ON a\r\nBEGIN\r\n  SELECT 1;\r\nEND;\r\n";
    assert_eq!(
        split_in(LITE, sql),
        [
            ("SELECT 1", 1),
            ("SELECT 'a;\r\nb'", 3),
            (
                "CREATE TRIGGER t AFTER INSERT ON a\r\nBEGIN\r\n  SELECT 1;\r\nEND",
                6
            ),
        ]
    );
}

#[test]
fn unterminated_errors_name_opening_line() {
    let cases: [(&str, usize, Construct); 6] = [
        ("SELECT 1;\nSELECT 'abc;\n", 2, Construct::StringLiteral),
        (
            "SELECT 1;\n\nSELECT \"abc;\n",
            3,
            Construct::QuotedIdentifier,
        ),
        ("\n/* a /* b */ c;\n", 2, Construct::BlockComment),
        ("SELECT $q$ a;\n", 1, Construct::DollarQuote("$q$".into())),
        ("SELECT E'\\';\n", 1, Construct::StringLiteral),
        (
            "SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT 1;\n",
            3,
            Construct::RoutineBody,
        ),
    ];
    for (sql, line, construct) in cases {
        assert_eq!(
            split_err(sql),
            ScriptError::new(line, ErrorKind::Unterminated(construct)),
            "{sql:?}"
        );
    }
    assert_eq!(
        split_statements("SELECT 'x", 20, PG)
            .unwrap_err()
            .to_string(),
        "line 20: unterminated string literal"
    );
}

#[test]
fn sqlite_bracket_identifiers_with_semicolons() {
    assert_eq!(
        split(
            "CREATE TABLE [a;b](x);\nSELECT [c;d], t.[e;f] FROM [g;\nh] AS [i;j] WHERE [k] = 1;\nSELECT 2"
        ),
        [
            ("CREATE TABLE [a;b](x)", 1),
            (
                "SELECT [c;d], t.[e;f] FROM [g;\nh] AS [i;j] WHERE [k] = 1",
                2
            ),
            ("SELECT 2", 4),
        ]
    );
    // SQL Server style, also accepted by SQLite.
    assert_eq!(
        texts("CREATE TABLE [dbo].[t;1] ([id;] [int] NOT NULL); SELECT 1"),
        [
            "CREATE TABLE [dbo].[t;1] ([id;] [int] NOT NULL)",
            "SELECT 1"
        ]
    );
}

#[test]
fn sqlite_trigger_with_bracket_identifiers() {
    let trigger = "CREATE TRIGGER [t;x] AFTER INSERT ON [a;b]
BEGIN
    INSERT INTO [log;1] ([end], [begin;]) VALUES (NEW.[case;], 'x;y');
    UPDATE [c] SET [case] = CASE WHEN NEW.[end] THEN 1 END;
END";
    let sql = format!("{trigger};\nSELECT [end];");
    assert_eq!(split_in(LITE, &sql), [(trigger, 1), ("SELECT [end]", 6)]);
}

#[test]
fn unterminated_bracket_identifier_names_opening_line() {
    assert_eq!(
        split_err("SELECT 1;\n\nCREATE TABLE [a;b(x);\nSELECT 2;\n"),
        ScriptError::new(3, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
    assert_eq!(
        split_statements("SELECT 1;\nSELECT [x", 7, PG)
            .unwrap_err()
            .to_string(),
        "line 8: unterminated quoted identifier"
    );
}

#[test]
fn postgres_arrays_and_subscripts() {
    assert_eq!(
        texts(
            "SELECT a[1], a[1:2], a[i][j], (f(x))[1], $1[2], ARRAY[1,2][2] FROM t;
SELECT ARRAY['a;b', 'c]d', ']', '[;'] AS x;
SELECT '{1}'::int[], x::text[], CAST(y AS varchar(3)[]), z::int [3];
SELECT ARRAY[['a;b'], [';]'], [$$;]$$]], ARRAY[[1,2],[3,4]];
SELECT j['k;]'], j[E'\\';]'], (ARRAY['x'])[1] /* ]; */, a[ -- ];
1];
CREATE TABLE p (tags text[] DEFAULT ARRAY[';]']::text[], m int[][]);
SELECT 2"
        ),
        [
            "SELECT a[1], a[1:2], a[i][j], (f(x))[1], $1[2], ARRAY[1,2][2] FROM t",
            "SELECT ARRAY['a;b', 'c]d', ']', '[;'] AS x",
            "SELECT '{1}'::int[], x::text[], CAST(y AS varchar(3)[]), z::int [3]",
            "SELECT ARRAY[['a;b'], [';]'], [$$;]$$]], ARRAY[[1,2],[3,4]]",
            "SELECT j['k;]'], j[E'\\';]'], (ARRAY['x'])[1] /* ]; */, a[ -- ];\n1]",
            "CREATE TABLE p (tags text[] DEFAULT ARRAY[';]']::text[], m int[][])",
            "SELECT 2",
        ]
    );
}

#[test]
fn postgres_subscripts_in_atomic_body() {
    // `CASE ... END` inside a subscript counts as usual: the `END` closes
    // the `CASE`, not the body.
    let function = "CREATE FUNCTION f(a int[]) RETURNS int LANGUAGE sql
BEGIN ATOMIC
    SELECT a[CASE WHEN a[1] > 0 THEN 1 ELSE 2 END];
    SELECT (ARRAY['x;]', 'y'])[CASE WHEN true THEN 1 END];
END";
    let sql = format!("{function};\nSELECT 3");
    assert_eq!(split(&sql), [(function, 1), ("SELECT 3", 6)]);
}
