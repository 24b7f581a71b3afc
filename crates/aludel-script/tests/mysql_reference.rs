//! The MySQL flavour against MariaDB/MySQL itself (`ALUDEL_TEST_MYSQL_URL`;
//! skipped when unset). Generated scripts of statements with `;` in strings
//! (backslash escapes, doubled quotes, `"…"` strings), `#`, `-- ` and `/* */`
//! comments, `--1` (not a comment), executable comments, backticks, stored
//! programs with compound bodies, and `DELIMITER` blocks are split, then
//!
//! * the pieces are exactly the generated statements;
//! * each piece, run alone (the connection allows several statements per
//!   query, so a piece holding two would run both), has exactly one effect
//!   (a row, a routine, a trigger, an event, a table);
//! * running the pieces in order leaves the same rows and objects as the
//!   engine's own reading of the whole script: the server's, as one
//!   multi-statement query, for scripts without `DELIMITER` lines; the
//!   `mariadb`/`mysql` client's, for scripts with them.

mod engines;
mod mysql_script;

use std::io::Write;
use std::process::{Command, Stdio};
use std::str::FromStr;

use aludel_script::Flavor;
use engines::{assemble, runtime, scratch_name, server_url, split_as_generated};
use proptest::prelude::*;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

const URL_VAR: &str = "ALUDEL_TEST_MYSQL_URL";

/// Everything a piece can create, counted.
const EFFECTS: &str = "SELECT CAST((SELECT COUNT(*) FROM log)
    + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE())
    + (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())
    + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = DATABASE())
    + (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()) AS SIGNED)";

/// Rows and object definitions, in a stable order.
const DUMP: &str = "SELECT x FROM (
    SELECT CONCAT(n, ':', HEX(s), ':', v) AS x FROM log
    UNION ALL SELECT CONCAT(routine_name, ':', routine_definition) FROM information_schema.routines WHERE routine_schema = DATABASE()
    UNION ALL SELECT CONCAT(trigger_name, ':', action_statement) FROM information_schema.triggers WHERE trigger_schema = DATABASE()
    UNION ALL SELECT CONCAT(event_name, ':', event_definition) FROM information_schema.events WHERE event_schema = DATABASE()
    UNION ALL SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()) d ORDER BY x";

async fn effects(conn: &mut MySqlConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(EFFECTS).fetch_one(conn).await
}

/// The dump without whitespace: the command-line client adds a space after
/// each comment it sends, which shows in stored routine definitions (rows
/// are compared as hex, so they keep theirs).
async fn dump(conn: &mut MySqlConnection) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<String> = sqlx::query_scalar(DUMP).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.split_ascii_whitespace().collect())
        .collect())
}

/// Connection parameters for the command-line client, read from the URL.
struct Client {
    host: String,
    port: String,
    user: String,
    password: String,
}

impl Client {
    fn from_url(url: &str) -> Self {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("root", authority));
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
        Self {
            host: host.to_owned(),
            port: port.to_owned(),
            user: user.to_owned(),
            password: password.to_owned(),
        }
    }

    /// Runs `script` through `mariadb` (or `mysql`) in `database`.
    fn run(&self, database: &str, script: &str) -> Result<(), String> {
        let program = ["mariadb", "mysql"]
            .into_iter()
            .find(|p| Command::new(p).arg("--version").output().is_ok())
            .ok_or("neither `mariadb` nor `mysql` is installed")?;
        let mut child = Command::new(program)
            .args([
                "--protocol=TCP",
                "--batch",
                "--comments",
                "-h",
                &self.host,
                "-P",
                &self.port,
                "-u",
                &self.user,
                database,
            ])
            .env("MYSQL_PWD", &self.password)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{program}: {e}"))?;
        child
            .stdin
            .take()
            .ok_or("no stdin")?
            .write_all(script.as_bytes())
            .map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

/// Two scratch databases (pieces, whole script) for one test.
struct Scratch {
    names: [String; 2],
    pieces: MySqlConnection,
    whole: MySqlConnection,
    client: Client,
}

impl Scratch {
    async fn new(url: &str) -> Result<Self, sqlx::Error> {
        let options = MySqlConnectOptions::from_str(url)?;
        Ok(Self {
            names: [scratch_name(), scratch_name()],
            pieces: options.connect().await?,
            whole: options.connect().await?,
            client: Client::from_url(url),
        })
    }

    async fn drop(mut self) -> Result<(), sqlx::Error> {
        for name in &self.names {
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
                .execute(&mut self.pieces)
                .await?;
        }
        self.pieces.close().await?;
        self.whole.close().await
    }

    /// Runs `script` both ways and compares; `Err` describes a mismatch.
    async fn check(&mut self, script: &str, pieces: &[String], client: bool) -> Result<(), String> {
        let db = |e: sqlx::Error| e.to_string();
        for (conn, name) in [
            (&mut self.pieces, &self.names[0]),
            (&mut self.whole, &self.names[1]),
        ] {
            let reset = format!(
                "DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}; USE {name}; CREATE TABLE log (n INT, s TEXT, v INT)"
            );
            sqlx::raw_sql(AssertSqlSafe(reset))
                .execute(conn)
                .await
                .map_err(db)?;
        }
        for piece in pieces {
            let before = effects(&mut self.pieces).await.map_err(db)?;
            sqlx::raw_sql(AssertSqlSafe(piece.clone()))
                .execute(&mut self.pieces)
                .await
                .map_err(|e| format!("piece failed: {e}\n{piece}"))?;
            let after = effects(&mut self.pieces).await.map_err(db)?;
            if after != before + 1 {
                return Err(format!("piece had {} effects: {piece}", after - before));
            }
        }
        if client {
            self.client.run(&self.names[1], script)?;
        } else {
            sqlx::raw_sql(AssertSqlSafe(script.to_owned()))
                .execute(&mut self.whole)
                .await
                .map_err(|e| format!("whole script failed: {e}"))?;
        }
        let (a, b) = (
            dump(&mut self.pieces).await.map_err(db)?,
            dump(&mut self.whole).await.map_err(db)?,
        );
        if a != b {
            return Err(format!(
                "pieces left\n{a:#?}\nthe whole script left\n{b:#?}"
            ));
        }
        Ok(())
    }
}

type Run<'a> = dyn FnMut(&str, &[String], bool) -> Result<(), TestCaseError> + 'a;

/// Checks scripts against the server: `scripts` calls `run(script, expected,
/// through_client)`.
fn check_all(test: &str, scripts: impl FnOnce(&mut Run<'_>)) {
    let Some(url) = server_url(URL_VAR, test) else {
        return;
    };
    let rt = runtime();
    let mut scratch = rt
        .block_on(Scratch::new(&url))
        .expect("scratch connections");
    let mut run = |script: &str, expected: &[String], client: bool| {
        let pieces = split_as_generated(script, Flavor::MySql, expected)?;
        rt.block_on(scratch.check(script, &pieces, client))
            .map_err(|e| TestCaseError::fail(format!("{e}\nscript:\n{script}")))
    };
    scripts(&mut run);
    rt.block_on(scratch.drop()).expect("drop scratch databases");
}

#[test]
fn generated_scripts_read_as_the_server_reads_them() {
    check_all("generated_scripts_read_as_the_server_reads_them", |run| {
        let config = engines::config(64);
        let mut runner = proptest::test_runner::TestRunner::new(config);
        let run = std::cell::RefCell::new(run);
        let result = runner.run(
            &prop::collection::vec(mysql_script::server_item(), 1..6),
            |items| {
                let (script, expected) = assemble(&items);
                (run.borrow_mut())(&script, &expected, false)
            },
        );
        if let Err(e) = result {
            panic!("{e}");
        }
    });
}

#[test]
fn generated_delimiter_scripts_read_as_the_client_reads_them() {
    check_all(
        "generated_delimiter_scripts_read_as_the_client_reads_them",
        |run| {
            let config = engines::config(32);
            let mut runner = proptest::test_runner::TestRunner::new(config);
            let run = std::cell::RefCell::new(run);
            let result = runner.run(
                &prop::collection::vec(mysql_script::client_item(), 1..5),
                |items| {
                    let (script, expected) = assemble(&items);
                    (run.borrow_mut())(&script, &expected, true)
                },
            );
            if let Err(e) = result {
                panic!("{e}");
            }
        },
    );
}

#[test]
fn hand_picked_scripts() {
    let cases: &[(&str, &[&str], bool)] = &[
        (
            "INSERT INTO log VALUES (1, 'it\\'s; \\\\', 1 --1\n);INSERT INTO log VALUES (2, \"a\\\";\"\"\", 3) # x;\n;",
            &[
                "INSERT INTO log VALUES (1, 'it\\'s; \\\\', 1 --1\n)",
                "INSERT INTO log VALUES (2, \"a\\\";\"\"\", 3) # x;",
            ],
            false,
        ),
        (
            "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\n  delimiter ;\nINSERT INTO log VALUES (1, /*!'a;b'*/, 2);",
            &[
                "CREATE PROCEDURE p() BEGIN SELECT 1; END",
                "INSERT INTO log VALUES (1, /*!'a;b'*/, 2)",
            ],
            true,
        ),
        (
            "CREATE TABLE t (x INT, end INT);\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; SET NEW.end = 1; END IF;\n\
             BEGIN NOT ATOMIC INSERT INTO log VALUES (1, 'b;', 1); END;",
            &[
                "CREATE TABLE t (x INT, end INT)",
                "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; SET NEW.end = 1; END IF",
                "BEGIN NOT ATOMIC INSERT INTO log VALUES (1, 'b;', 1); END",
            ],
            false,
        ),
        (
            // mysqldump's form of a trigger: a body inside executable comments.
            "DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER trx BEFORE INSERT ON log FOR EACH ROW BEGIN SET NEW.v = 9; SET NEW.s = 'x;'; END */;;\nDELIMITER ;\n",
            &[
                "/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER trx BEFORE INSERT ON log FOR EACH ROW BEGIN SET NEW.v = 9; SET NEW.s = 'x;'; END */",
            ],
            true,
        ),
        (
            // The server reads the same body without DELIMITER as one statement.
            "/*!50003 CREATE TRIGGER trx BEFORE INSERT ON log FOR EACH ROW BEGIN SET NEW.v = 9; END */;",
            &[
                "/*!50003 CREATE TRIGGER trx BEFORE INSERT ON log FOR EACH ROW BEGIN SET NEW.v = 9; END */",
            ],
            false,
        ),
    ];
    check_all("hand_picked_scripts", |run| {
        for (script, expected, client) in cases {
            let expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
            if let Err(e) = run(script, &expected, *client) {
                panic!("{e}");
            }
        }
    });
}
