//! The SQLite flavour against SQLite itself: `sqlite3_complete` (the rule the
//! `sqlite3` shell uses to cut its input into statements) and
//! `sqlite3_prepare_v2` with its tail pointer (what runs), called through FFI
//! on the SQLite that sqlx links.

mod sqlite_ffi;

use aludel_script::{Flavor, Statement, push_terminated, split_statements};
use proptest::prelude::*;
use sqlite_ffi::{Db, complete};

/// The shell's reading: a statement ends at the first `;` at which
/// `sqlite3_complete` of the text since the previous end is true. Returns
/// the offsets of the `;` that end non-blank statements, and the text after
/// the last `;` that ended any statement.
fn reference<'a>(db: &Db, sql: &'a str) -> (Vec<usize>, &'a str) {
    let mut ends = Vec::new();
    let mut start = 0;
    for (i, b) in sql.bytes().enumerate() {
        if b == b';' && complete(&sql[start..=i]) {
            if !db.is_blank(&sql[start..i]) {
                ends.push(i);
            }
            start = i + 1;
        }
    }
    (ends, &sql[start..])
}

/// Byte offset of `s.text` in `sql` (statements are slices of it).
fn offset(sql: &str, s: &Statement<'_>) -> usize {
    s.text.as_ptr() as usize - sql.as_ptr() as usize
}

/// The splitter's reading in the same terms: the offsets of the `;` that end
/// statements, and whether a last statement has no `;`.
fn splitter_ends(
    sql: &str,
    statements: &[Statement<'_>],
) -> Result<(Vec<usize>, bool), TestCaseError> {
    let mut ends = Vec::new();
    let mut unterminated = false;
    for (i, s) in statements.iter().enumerate() {
        let end = offset(sql, s) + s.text.len();
        let gap = sql[end..]
            .bytes()
            .take_while(|b| b" \t\r\n\x0b\x0c".contains(b))
            .count();
        if sql.as_bytes().get(end + gap) == Some(&b';') {
            ends.push(end + gap);
        } else {
            prop_assert_eq!(
                i + 1,
                statements.len(),
                "only the last may lack `;`: {:?}",
                sql
            );
            unterminated = true;
        }
    }
    Ok((ends, unterminated))
}

/// Checks the SQLite flavour against the shell's reading of `sql`.
fn assert_reads_like_sqlite(sql: &str) -> Result<(), TestCaseError> {
    let db = Db::memory();
    let (ref_ends, tail) = reference(&db, sql);
    let tail_closes = complete(&format!("{tail}\n;"));
    match split_statements(sql, 1, Flavor::Sqlite) {
        Ok(statements) => {
            let (ends, unterminated) = splitter_ends(sql, &statements)?;
            prop_assert_eq!(&ends, &ref_ends, "`;` that end statements in {:?}", sql);
            let blank = db.is_blank(tail);
            prop_assert_eq!(unterminated, !blank, "last statement of {:?}", sql);
            prop_assert!(blank || tail_closes, "incomplete tail accepted: {:?}", sql);
            for s in &statements {
                let start = offset(sql, s);
                let line = 1 + sql[..start].matches('\n').count();
                prop_assert_eq!(s.line, line, "line of {:?} in {:?}", s.text, sql);
            }
        }
        Err(e) => {
            // Only text SQLite cannot finish either is refused.
            prop_assert!(
                !tail_closes,
                "refused ({}) but SQLite reads it: {:?}",
                e,
                sql
            );
        }
    }
    Ok(())
}

/// `word` with each ASCII letter's case chosen by the bits of `mask`.
fn with_case(word: &str, mask: u64) -> String {
    word.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

const KEYWORDS: &[&str] = &[
    "create",
    "temp",
    "temporary",
    "trigger",
    "begin",
    "end",
    "case",
    "when",
    "then",
    "else",
    "explain",
    "query",
    "plan",
    "select",
    "update",
    "insert",
    "into",
    "values",
    "set",
    "on",
    "after",
    "for",
    "each",
    "row",
    "table",
    "commit",
    "rollback",
    "transaction",
];

const PIECES: &[&str] = &[
    // Identifiers, parameters and numbers that look like keywords.
    "x",
    "t",
    "new.end",
    "x.end",
    "$end",
    "$x",
    "a$b",
    "9end",
    "1.5",
    "end$",
    "größe",
    "n\u{3000}",
    "\u{a0}",
    // Strings and quoted identifiers holding `;`, quotes and comment openers.
    "'a;b'",
    "'it''s;'",
    "'--'",
    "'/*'",
    "''",
    "\"a;\"\"b\"",
    "`c;``d`",
    "[a;b]",
    "[x'y]",
    "[--]",
    "[/*]",
    "\"end\"",
    "[end]",
    // PostgreSQL constructs that SQLite reads differently.
    "$",
    "$$",
    "$t$",
    "E'x\\'",
    "e'\\';'",
    "E'a;b'",
    // Comments, including SQLite's first-`*/` rule.
    "-- note;\n",
    "--x",
    "/* c; */",
    "/* /* */",
    "*/",
    "/*/ ; */",
    // Punctuation and separators.
    ";",
    ";",
    ";",
    "\n",
    " ",
    "(",
    ")",
    ".",
    ",",
    "=",
    "1",
    // Trigger shapes, so the state machine's paths are common.
    "create trigger",
    "create temp trigger",
    "explain query plan create trigger",
    "; end;",
    ";end;",
    "; end",
    "end;",
    "begin",
    "case when 1 then 2 end",
];

/// Rarely: an opener that is never closed.
const UNCLOSED: &[&str] = &["'open", "\"open", "`open", "[open", "/* open"];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (prop::sample::select(KEYWORDS), any::<u64>()).prop_map(|(k, m)| with_case(k, m)),
        10 => prop::sample::select(PIECES).prop_map(str::to_owned),
        1 => prop::sample::select(UNCLOSED).prop_map(str::to_owned),
    ]
}

fn glue() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&[" ", " ", " ", "", "\n"][..])
}

fn generated_sql() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), glue()), 0..40).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(p, g)| [p, g.to_owned()])
            .collect()
    })
}

/// A valid SQLite statement (on the schema of [`SCHEMA`]) and whether its
/// last line ends in a `--` comment.
fn valid_statement() -> impl Strategy<Value = (String, bool)> {
    let text = "[a-z ;'\"`$]{0,10}";
    prop_oneof![
        (0u32..100, text).prop_map(|(n, s)| (
            format!("INSERT INTO ev(id, note) VALUES ({n}, '{}')", s.replace('\'', "''")),
            false
        )),
        (0u32..100).prop_map(|n| (format!("UPDATE ev SET end = {n}, begin = {n} WHERE id = {n}"), false)),
        text.prop_map(|c| (format!("SELECT begin, end FROM ev /* {} */ -- {c}", c.replace("*/", "")), true)),
        (0u32..1000, any::<bool>(), any::<u64>()).prop_map(|(n, temp, mask)| (
            format!(
                "{} {}TRIGGER IF NOT EXISTS tr{n} AFTER INSERT ON ev BEGIN\n  UPDATE ev SET end = NEW.id WHERE id = NEW.id;\n  SELECT CASE WHEN NEW.id THEN 'end;' END;\n{}",
                with_case("create", mask),
                if temp { "TEMP " } else { "" },
                with_case("end", mask >> 8)
            ),
            false
        )),
        Just(("EXPLAIN QUERY PLAN SELECT * FROM ev".to_owned(), false)),
        Just(("EXPLAIN CREATE TRIGGER trx AFTER DELETE ON ev BEGIN SELECT 1; END".to_owned(), false)),
        Just(("/* a /* b */ SELECT 1".to_owned(), false)),
        Just(("SELECT [a;b] FROM (SELECT 1 AS [a;b])".to_owned(), false)),
        Just(("SELECT \"x;\"\"y\" FROM (SELECT 1 AS \"x;\"\"y\")".to_owned(), false)),
        Just(("SELECT $end, $a$b, :x, ?1".to_owned(), false)),
        Just(("SELECT 1 -- note; with a semicolon".to_owned(), true)),
    ]
}

const SCHEMA: &str = "CREATE TABLE ev(id INTEGER, end INT, begin INT, note TEXT)";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Generated text, valid SQL or not: the splitter ends statements at
    /// exactly the `;` where the shell's `sqlite3_complete` rule does.
    #[test]
    fn splits_where_sqlite3_complete_does(sql in generated_sql()) {
        assert_reads_like_sqlite(&sql)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Valid statements: SQLite's own parser (prepare with its tail) finds
    /// the same statements, every one runs on a real database, and the
    /// statements written back with `push_terminated` (as the runner sends
    /// them) are again that many statements.
    #[test]
    fn sqlite_prepares_and_runs_the_same_statements(
        parts in prop::collection::vec(valid_statement(), 1..8),
        pad in prop::sample::select(&["\n", " ", "\n-- between; x\n", "/* ; */"][..]),
    ) {
        let mut sql = String::new();
        for (text, line_comment) in &parts {
            sql.push_str(text);
            sql.push_str(if *line_comment { "\n;" } else { ";" });
            sql.push_str(pad);
        }
        assert_reads_like_sqlite(&sql)?;
        let statements = split_statements(&sql, 1, Flavor::Sqlite)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{sql}")))?;
        prop_assert_eq!(statements.len(), parts.len());

        let db = Db::memory();
        let setup = db.statements(SCHEMA, true);
        prop_assert!(setup.iter().all(|p| p.ran), "{:?}", setup);
        let found = db.statements(&sql, true);
        prop_assert_eq!(found.len(), statements.len(), "{:?}\n{}", found, sql);
        for (p, s) in found.iter().zip(&statements) {
            prop_assert!(p.prepared && p.ran, "{}: {:?}", p.error, &sql[p.start..p.end]);
            let start = offset(&sql, s);
            prop_assert!(p.start <= start && start + s.text.len() < p.end, "{:?} vs {:?}", p, s);
        }

        let mut batch = String::new();
        for s in &statements {
            push_terminated(&mut batch, s.text);
            batch.push('\n');
        }
        let rerun = Db::memory();
        rerun.statements(SCHEMA, true);
        let again = rerun.statements(&batch, true);
        prop_assert_eq!(again.len(), statements.len(), "{}", batch);
        prop_assert!(again.iter().all(|p| p.ran), "{:?}", again);
    }
}

/// Issue 6, item 2: SQLite ends a block comment at the first `*/`.
#[test]
fn block_comment_ends_at_first_close() {
    let sql = "/* a /* b */ CREATE TABLE t(x); -- */";
    let statements = split_statements(sql, 1, Flavor::Sqlite).unwrap();
    let texts: Vec<_> = statements.iter().map(|s| s.text).collect();
    assert_eq!(texts, ["CREATE TABLE t(x)"]);
    // PostgreSQL's reading is unchanged: all one comment.
    assert!(
        split_statements(sql, 1, Flavor::Postgres)
            .unwrap()
            .is_empty()
    );
    let db = Db::memory();
    assert_eq!(db.statements(sql, true).len(), 1);
}

/// Issue 6, item 3: unquoted `end` / `begin` columns inside a trigger body.
#[test]
fn end_column_inside_trigger_body() {
    let sql = "CREATE TABLE ev(id INTEGER, end INT, begin INT);\n\
               CREATE TRIGGER t AFTER INSERT ON ev BEGIN\n\
               \x20 UPDATE ev SET end = NEW.id, begin = 1 WHERE id = NEW.id;\n\
               END;\n\
               INSERT INTO ev(id) VALUES (1);";
    let statements = split_statements(sql, 1, Flavor::Sqlite).unwrap();
    let lines: Vec<_> = statements.iter().map(|s| s.line).collect();
    assert_eq!(lines, [1, 2, 5]);
    assert!(statements[1].text.ends_with("END"));
    assert_reads_like_sqlite(sql).unwrap();
}

/// Trailing whitespace that is not SQL whitespace (U+3000 is an identifier
/// character for SQLite) stays part of the statement.
#[test]
fn non_ascii_space_at_the_end_is_kept() {
    let sql = "CREATE TABLE n\u{3000};";
    let statements = split_statements(sql, 1, Flavor::Sqlite).unwrap();
    assert_eq!(statements[0].text, "CREATE TABLE n\u{3000}");
}

/// A trigger ends at `; END ;` with comments between, and only there.
#[test]
fn trigger_end_rule() {
    for sql in [
        "CREATE TEMP TRIGGER t AFTER INSERT ON ev BEGIN SELECT 1; /* c */ END -- x\n;",
        "EXPLAIN QUERY PLAN CREATE TRIGGER t AFTER INSERT ON ev BEGIN SELECT 1;;END;",
        "create temporary trigger t after insert on ev begin select case when 1 then 2 end; end;",
    ] {
        assert_eq!(
            split_statements(sql, 1, Flavor::Sqlite).unwrap().len(),
            1,
            "{sql}"
        );
        assert_reads_like_sqlite(sql).unwrap();
    }
    // No `; END` yet: the trigger is unfinished.
    let unfinished = "CREATE TRIGGER t AFTER INSERT ON ev BEGIN SELECT 1; SELECT 2";
    assert!(split_statements(unfinished, 1, Flavor::Sqlite).is_err());
    // Ending right after `; END` is complete: the runner adds the `;`.
    let last = "CREATE TRIGGER t AFTER INSERT ON ev BEGIN SELECT 1; END";
    assert_eq!(
        split_statements(last, 1, Flavor::Sqlite).unwrap()[0].text,
        last
    );
}
