//! The PostgreSQL flavour against PostgreSQL itself (`ALUDEL_TEST_POSTGRES_URL`;
//! skipped when unset): generated scripts of statements with `;` in strings,
//! escape strings, dollar quotes, nested comments, quoted identifiers,
//! `BEGIN ATOMIC` bodies and multi-action rules are split, then
//!
//! * the pieces are exactly the generated statements;
//! * each piece prepares as one statement (the extended protocol refuses
//!   several) and has exactly one effect (a row, a routine, a table, a rule);
//! * running the pieces in order leaves the same rows and objects as the
//!   server's own reading of the whole script (one simple-protocol query).

mod engines;

use std::str::FromStr;

use aludel_script::Flavor;
use engines::{Item, assemble, runtime, scratch_name, server_url, split_as_generated};
use proptest::prelude::*;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

const URL_VAR: &str = "ALUDEL_TEST_POSTGRES_URL";

/// Everything a piece can create, counted.
const EFFECTS: &str = "SELECT ((SELECT count(*) FROM log)
    + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)
    + (SELECT count(*) FROM pg_rules WHERE schemaname = 'public')
    + (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'))::bigint";

/// Rows and object definitions, in a stable order.
const DUMP: &str = "SELECT coalesce(string_agg(x, E'\\n' ORDER BY x), '') FROM (
    SELECT n || ':' || s AS x FROM log
    UNION ALL SELECT pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL SELECT definition FROM pg_rules WHERE schemaname = 'public'
    UNION ALL SELECT tablename FROM pg_tables WHERE schemaname = 'public') d";

const RESET: &str =
    "DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE log (n int, s text)";

/// Text for a standard string: `;`, doubled quotes, backslashes (literal),
/// comment openers, dollar signs, keywords, newlines.
fn plain_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ";",
            "''",
            "\\",
            "--",
            "/*",
            "*/",
            "$$",
            "$a$",
            "\"",
            "\n",
            " end ",
            "begin atomic",
            "x",
        ]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

/// Text for an `E'…'` string: backslash escapes included.
fn escape_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![";", "\\'", "\\\\", "''", "\\n", "--", "/*", "$$", "y"]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

/// Text for inside `$$…$$` (no `$$`) or `$q$…$q$` (may hold `$$`).
fn dollar_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ";", "'", "\\", "$", "$a$", "\n", "/*", "--", "END", "z",
        ]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

/// A text-valued expression.
fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        plain_body().prop_map(|b| format!("'{b}'")),
        escape_body().prop_map(|b| format!("E'{b}'")),
        escape_body().prop_map(|b| format!("e'{b}'")),
        dollar_body().prop_map(|b| format!("$$ {} $$", b.replace("$$", "").replace("$a", "$b"))),
        dollar_body().prop_map(|b| format!("$q$ $${b} $q$")),
        Just("U&'d\\0061t\\+000061;'".to_owned()),
        Just("B'101'::text || X'1F'::text".to_owned()),
        plain_body().prop_map(|b| format!(
            "'a' /* ; /* {} */ ; */ || 'b;'",
            b.replace("*/", "").replace("/*", "")
        )),
        Just("'a' -- c;'\n || 'b'".to_owned()),
    ]
}

/// A statement (or two) with exactly one effect each, `{k}` naming it.
fn item() -> impl Strategy<Value = Item> {
    let trivia = prop::sample::select(vec!["\n", "", " ", "\n-- c;\n", "\n/* c; /* n; */ */\n"]);
    prop_oneof![
        3 => (literal(), trivia.clone()).prop_map(|(l, t)| Item::terminated(
            format!("INSERT INTO log VALUES ({{k}}, {l})"), t)),
        1 => (literal(), trivia.clone()).prop_map(|(l, t)| Item::terminated(
            format!("INSERT INTO log SELECT {{k}}, {l} AS \"we;ird\"\"id\""), t)),
        1 => (literal(), trivia.clone()).prop_map(|(l, t)| Item::terminated(format!(
            "CREATE FUNCTION f{{k}}() RETURNS text LANGUAGE sql\nBEGIN ATOMIC\n  SELECT {l};\n  \
             SELECT CASE WHEN CASE WHEN true THEN 1 END = 1 THEN t.end ELSE 'c;' END AS end\n  \
             FROM (SELECT 'e;' AS end) t;\nEND"), t)),
        1 => (literal(), trivia.clone()).prop_map(|(l, t)| Item::terminated(format!(
            "CREATE OR REPLACE PROCEDURE p{{k}}() LANGUAGE sql BEGIN ATOMIC INSERT INTO log VALUES ({{k}}, {l}); END"), t)),
        1 => trivia.clone().prop_map(|t| Item::terminated(
            "CREATE FUNCTION g{k}() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql".to_owned(), t)),
        1 => (literal(), trivia).prop_map(|(l, t)| Item {
            statements: vec![
                "CREATE TABLE t{k} (x int)".to_owned(),
                format!("CREATE RULE r{{k}} AS ON INSERT TO t{{k}} DO ALSO (INSERT INTO log VALUES ({{k}}, 'r;'); INSERT INTO log VALUES ({{k}}, {l}))"),
            ],
            text: format!("CREATE TABLE t{{k}} (x int);\nCREATE RULE r{{k}} AS ON INSERT TO t{{k}} DO ALSO (INSERT INTO log VALUES ({{k}}, 'r;'); INSERT INTO log VALUES ({{k}}, {l}));{t}"),
        }),
    ]
}

async fn scalar_i64(conn: &mut PgConnection, sql: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
        .fetch_one(conn)
        .await
}

async fn dump(conn: &mut PgConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(DUMP).fetch_one(conn).await
}

/// Two scratch databases (pieces, whole script) for one test.
struct Scratch {
    admin: PgConnection,
    names: [String; 2],
    pieces: PgConnection,
    whole: PgConnection,
}

impl Scratch {
    async fn new(url: &str) -> Result<Self, sqlx::Error> {
        let options = PgConnectOptions::from_str(url)?;
        let mut admin = options.connect().await?;
        let names = [scratch_name(), scratch_name()];
        for name in &names {
            sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await?;
        }
        let pieces = options.clone().database(&names[0]).connect().await?;
        let whole = options.database(&names[1]).connect().await?;
        Ok(Self {
            admin,
            names,
            pieces,
            whole,
        })
    }

    async fn drop(mut self) -> Result<(), sqlx::Error> {
        self.pieces.close().await?;
        self.whole.close().await?;
        for name in &self.names {
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
                .execute(&mut self.admin)
                .await?;
        }
        Ok(())
    }

    /// Runs `script` both ways and compares; `Err` describes a mismatch.
    async fn check(&mut self, script: &str, pieces: &[String]) -> Result<(), String> {
        let db = |e: sqlx::Error| e.to_string();
        for conn in [&mut self.pieces, &mut self.whole] {
            sqlx::raw_sql(RESET).execute(conn).await.map_err(db)?;
        }
        for piece in pieces {
            let before = scalar_i64(&mut self.pieces, EFFECTS).await.map_err(db)?;
            sqlx::query(AssertSqlSafe(piece.clone()))
                .execute(&mut self.pieces)
                .await
                .map_err(|e| format!("piece failed: {e}\n{piece}"))?;
            let after = scalar_i64(&mut self.pieces, EFFECTS).await.map_err(db)?;
            if after != before + 1 {
                return Err(format!("piece had {} effects: {piece}", after - before));
            }
        }
        sqlx::raw_sql(AssertSqlSafe(script.to_owned()))
            .execute(&mut self.whole)
            .await
            .map_err(|e| format!("whole script failed: {e}"))?;
        let (a, b) = (
            dump(&mut self.pieces).await.map_err(db)?,
            dump(&mut self.whole).await.map_err(db)?,
        );
        if a != b {
            return Err(format!("pieces left\n{a}\nthe whole script left\n{b}"));
        }
        Ok(())
    }
}

/// Checks the hand-picked and generated `scripts` against the server.
fn check_all(
    test: &str,
    scripts: impl FnOnce(&mut dyn FnMut(&str, &[String]) -> Result<(), TestCaseError>),
) {
    let Some(url) = server_url(URL_VAR, test) else {
        return;
    };
    let rt = runtime();
    let mut scratch = rt.block_on(Scratch::new(&url)).expect("scratch databases");
    let mut run = |script: &str, expected: &[String]| {
        let pieces = split_as_generated(script, Flavor::Postgres, expected)?;
        rt.block_on(scratch.check(script, &pieces))
            .map_err(|e| TestCaseError::fail(format!("{e}\nscript:\n{script}")))
    };
    scripts(&mut run);
    rt.block_on(scratch.drop()).expect("drop scratch databases");
}

#[test]
fn generated_scripts_read_as_postgres_reads_them() {
    check_all("generated_scripts_read_as_postgres_reads_them", |run| {
        let config = engines::config(48);
        let mut runner = proptest::test_runner::TestRunner::new(config);
        let strategy = prop::collection::vec(item(), 1..6);
        let run = std::cell::RefCell::new(run);
        let result = runner.run(&strategy, |items| {
            let (script, expected) = assemble(&items);
            (run.borrow_mut())(&script, &expected)
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    });
}

#[test]
fn hand_picked_scripts() {
    let cases: &[(&str, &[&str])] = &[
        (
            "INSERT INTO log VALUES (1, 'C:\\');\nINSERT INTO log VALUES (2, E'it\\'s; \\\\');",
            &[
                "INSERT INTO log VALUES (1, 'C:\\')",
                "INSERT INTO log VALUES (2, E'it\\'s; \\\\')",
            ],
        ),
        (
            "INSERT INTO log VALUES (1, $a$ $$; $a$) /* /* ; */ ; */; INSERT INTO log VALUES (2, $_b1$;$_b1$)",
            &[
                "INSERT INTO log VALUES (1, $a$ $$; $a$) /* /* ; */ ; */",
                "INSERT INTO log VALUES (2, $_b1$;$_b1$)",
            ],
        ),
        (
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 AS case; SELECT t.end FROM (SELECT 2 AS end) t; END;\nINSERT INTO log VALUES (3, 'after')",
            &[
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 AS case; SELECT t.end FROM (SELECT 2 AS end) t; END",
                "INSERT INTO log VALUES (3, 'after')",
            ],
        ),
        (
            "CREATE TABLE t (x int);CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.x, 'a;'); DELETE FROM log WHERE n < 0);",
            &[
                "CREATE TABLE t (x int)",
                "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.x, 'a;'); DELETE FROM log WHERE n < 0)",
            ],
        ),
    ];
    check_all("hand_picked_scripts", |run| {
        for (script, expected) in cases {
            let expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
            if let Err(e) = run(script, &expected) {
                panic!("{e}");
            }
        }
    });
}
