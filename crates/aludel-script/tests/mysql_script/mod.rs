//! Generated MySQL/MariaDB script items for `mysql_reference.rs`: each
//! statement has exactly one effect, and `{k}` makes names and rows unique.

use proptest::prelude::*;

use crate::engines::Item;

/// Text for a `'…'` string: escapes, doubled quotes, comment openers,
/// delimiters, keywords.
fn single_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ";", "''", "\\'", "\\\\", "\"", "#", "-- ", "/*", "*/", "\n", " end ", "$$", "//", "x",
        ]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

/// Text for a `"…"` string.
fn double_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ";", "\"\"", "\\\"", "\\\\", "'", "#", "\n", "BEGIN", "y",
        ]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

/// A text-valued expression.
fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        single_body().prop_map(|b| format!("'{b}'")),
        double_body().prop_map(|b| format!("\"{b}\"")),
        Just("X'3B'".to_owned()),
        Just("/*!'a;b'*/".to_owned()),
        Just("CONCAT('a' /*M! , 'm;' */)".to_owned()),
        single_body().prop_map(|b| format!("'a' /* ; {} */", b.replace("*/", ""))),
        Just("'a' # c;\n".to_owned()),
        Just("'a' -- c;\n".to_owned()),
    ]
}

/// Statements for inside a stored program, with `;` after each, nested.
fn body() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("SET @i = @i + 1; ".to_owned()),
        literal().prop_map(|l| format!("SET @s = {l}; ")),
        literal().prop_map(|l| format!("SELECT CASE WHEN @i > 0 THEN 'x;' ELSE {l} END INTO @s; ")),
        Just("SET @i = IF(@i > 0, 1, 2); ".to_owned()),
        Just("SET @j = REPEAT('a;', 2); ".to_owned()),
        Just("blk: BEGIN SET @i = 1; LEAVE blk; END blk; ".to_owned()),
        Just("lp: WHILE @i < 2 DO ITERATE lp; END WHILE lp; ".to_owned()),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        let inner = prop::collection::vec(inner, 1..3).prop_map(|v| v.concat());
        prop_oneof![
            inner.clone().prop_map(|b| format!("BEGIN {b}END; ")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!(
                "IF @i > 0 THEN {a}ELSEIF @i < 0 THEN {b}ELSE BEGIN END; END IF; "
            )),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("IF (@i) THEN {a}ELSE IF @j THEN {b}END IF; END IF; ")),
            inner.clone().prop_map(|b| format!("LOOP {b}END LOOP; ")),
            inner
                .clone()
                .prop_map(|b| format!("WHILE @i < 3 DO {b}END WHILE; ")),
            inner
                .clone()
                .prop_map(|b| format!("REPEAT {b}UNTIL @i > 3 END REPEAT; ")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("CASE @i WHEN 1 THEN {a}ELSE {b}END CASE; ")),
            inner
                .clone()
                .prop_map(|b| format!("CASE WHEN @i THEN {b}END CASE; ")),
            inner
                .clone()
                .prop_map(|b| format!("FOR j IN 1..2 DO {b}END FOR; ")),
            inner
                .clone()
                .prop_map(|b| format!("IF CASE WHEN @i THEN 1 END = 1 THEN {b}END IF; ")),
            inner.clone().prop_map(|b| format!(
                "BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN SET @e = 1; END; {b}END; "
            )),
            inner.prop_map(|b| format!("BEGIN {b}END; ")),
        ]
    })
}

/// A compound statement that can be a whole stored-program body.
fn compound() -> impl Strategy<Value = String> {
    body()
        .prop_map(|b| format!("BEGIN {b}END"))
        .boxed()
        .prop_union(
            body()
                .prop_map(|b| format!("IF @i > 0 THEN {b}END IF"))
                .boxed(),
        )
        .or(body()
            .prop_map(|b| format!("lbl: LOOP {b}LEAVE lbl; END LOOP lbl"))
            .boxed())
}

/// Stored programs (and the tables their triggers need), one effect each.
fn routines() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        compound().prop_map(|c| vec![format!("CREATE PROCEDURE p{{k}}() {c}")]),
        body().prop_map(|b| vec![format!(
            "CREATE DEFINER = CURRENT_USER PROCEDURE q{{k}}(IN a INT) COMMENT 'c;' MODIFIES SQL DATA\n\
             BEGIN\n  DECLARE i INT DEFAULT 0;\n  DECLARE end INT DEFAULT 0;\n  DECLARE CONTINUE HANDLER FOR SQLSTATE '23000', NOT FOUND BEGIN SET i = -1; END;\n  {b}\n  SET end = end + 1;\n  SELECT end, i;\nEND"
        )]),
        (body(), literal()).prop_map(|(b, l)| vec![format!(
            "CREATE FUNCTION f{{k}}(a INT) RETURNS VARCHAR(100) CHARACTER SET utf8mb4 DETERMINISTIC\nBEGIN\n  {b}RETURN CONCAT(IF(a > 0, 'p;', 'n'), {l});\nEND"
        )]),
        compound().prop_map(|c| vec![
            "CREATE TABLE t{k} (x INT, end INT)".to_owned(),
            format!("CREATE TRIGGER tr{{k}} BEFORE INSERT ON t{{k}} FOR EACH ROW {c}"),
        ]),
        compound().prop_map(|c| vec![format!("CREATE EVENT e{{k}} ON SCHEDULE EVERY 1 DAY DISABLE COMMENT 'e;' DO {c}")]),
    ]
}

/// Plain statements that add one row.
fn inserts() -> impl Strategy<Value = String> {
    prop_oneof![
        literal().prop_map(|l| format!("INSERT INTO log VALUES ({{k}}, {l}, 1)")),
        literal().prop_map(|l| format!("INSERT INTO `log` (`n`, `s`, `v`) SELECT {{k}} AS `a;``b`, {l}, 1 --1")),
        literal().prop_map(|l| format!("INSERT INTO log VALUES ({{k}}, {l}, 2) # tail;")),
        literal().prop_map(|l| format!("BEGIN NOT ATOMIC INSERT INTO log VALUES ({{k}}, {l}, 3); IF 1 > 0 THEN SET @z = 'a;'; END IF; END")),
        literal().prop_map(|l| format!("IF 1 = 1 THEN INSERT INTO log VALUES ({{k}}, {l}, 4); ELSE SET @z = 1; END IF")),
    ]
}

fn trivia() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "", " ", "\n# c;\n", "\n-- c;\n", "\n/* c; */\n"])
}

/// An item for a script without `DELIMITER`, read by the server.
pub fn server_item() -> impl Strategy<Value = Item> {
    prop_oneof![
        2 => (inserts(), trivia()).prop_map(|(s, t)| Item::terminated(s, t)),
        1 => (routines(), trivia()).prop_map(|(statements, t)| Item {
            text: statements.iter().map(|s| Item::terminated(s.clone(), t).text).collect(),
            statements,
        }),
    ]
}

/// An item for a script read by the command-line client: plain statements,
/// or stored programs inside a `DELIMITER` block.
pub fn client_item() -> impl Strategy<Value = Item> {
    let delimiter = prop::sample::select(vec!["$$", "//", ";;", "!!"]);
    prop_oneof![
        inserts()
            .prop_filter("the client splits compound statements", |s| !s
                .contains("END"))
            .prop_map(|s| Item::terminated(s, "\n")),
        (routines(), inserts(), delimiter, any::<bool>()).prop_map(
            |(mut statements, insert, d, lower)| {
                let mut text = format!("{} {d}\n", if lower { "delimiter" } else { "DELIMITER" });
                statements.push(insert);
                for s in &statements {
                    let last_line = s.rsplit('\n').next().unwrap_or_default();
                    let newline = if last_line.contains('#') || last_line.contains("--") {
                        "\n"
                    } else {
                        ""
                    };
                    text.push_str(&format!("{s}{newline}{d}\n"));
                }
                text.push_str("DELIMITER ;\n");
                Item { statements, text }
            }
        ),
    ]
}
