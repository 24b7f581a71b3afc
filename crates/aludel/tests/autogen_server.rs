//! The library's drift check on PostgreSQL and MySQL/MariaDB through each
//! path (URL, pool, connection): the same errors everywhere (a desired
//! schema the server refuses, a database not at head, a connection with no
//! `dev_url`), and no password in any of them.

#![cfg(all(feature = "postgres", feature = "mysql"))]

use aludel::autogen::DesiredSchema;
use aludel::sqlx::{self, Connection};
use aludel::{Error, Migrations};
use aludel_testkit::{Engine, TestDb, engines};

static PORTABLE: Migrations = aludel::embed_migrations!("tests/fixtures/portable");

/// A desired schema whose third line the servers refuse.
const BROKEN: &str = "CREATE TABLE t1 (id INTEGER PRIMARY KEY);\nCREATE TABLE t2 (\n  id INTEGER NOT NULL DEFALT 1\n);\n";

fn server_engines() -> Vec<Engine> {
    engines()
        .into_iter()
        .filter(|e| *e != Engine::Sqlite)
        .collect()
}

/// `url` with the password `s3cret` added to its user.
fn with_password(url: &str) -> String {
    url.replacen("://postgres@", "://postgres:s3cret@", 1)
        .replacen("://root@", "://root:s3cret@", 1)
}

fn assert_broken(engine: Engine, path: &str, result: Result<aludel::autogen::Drift, Error>) {
    match result {
        Err(Error::SchemaSource {
            origin,
            line,
            message,
        }) => {
            assert_eq!(origin, "desired schema", "{engine:?} {path}");
            assert_eq!(line, 3, "{engine:?} {path}: {message}");
            // The server's own words.
            assert!(
                message.contains("syntax error at or near \"DEFALT\"")
                    || message.contains("You have an error in your SQL syntax"),
                "{engine:?} {path}: {message}"
            );
        }
        other => panic!("{engine:?} {path}: {other:?}"),
    }
}

#[tokio::test]
async fn every_path_reports_a_refused_desired_schema_with_its_line() {
    for engine in server_engines() {
        let db = TestDb::scratch(engine);
        PORTABLE.upgrade(&db.url, "head").await.expect("upgraded");
        assert_broken(engine, "url", PORTABLE.drift(&db.url, BROKEN).await);
        let dev = TestDb::scratch(engine);
        match engine {
            Engine::Postgres => {
                let pool = sqlx::PgPool::connect(&db.url).await.expect("pool");
                assert_broken(engine, "pool", PORTABLE.drift_pool(&pool, BROKEN).await);
                let mut conn = pool.acquire().await.expect("connection");
                let desired = DesiredSchema::new(BROKEN).with_dev_url(&dev.url);
                assert_broken(
                    engine,
                    "connection",
                    PORTABLE.drift_connection(&mut conn, desired).await,
                );
                let err = PORTABLE
                    .drift_connection(&mut conn, BROKEN)
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::Usage(_)), "{err}");
                assert!(err.to_string().contains("dev_url"), "{err}");
                drop(conn);
                pool.close().await;
            }
            _ => {
                let pool = sqlx::MySqlPool::connect(&db.url).await.expect("pool");
                assert_broken(engine, "pool", PORTABLE.drift_pool(&pool, BROKEN).await);
                let mut conn = sqlx::MySqlConnection::connect(&db.url)
                    .await
                    .expect("connection");
                let desired = DesiredSchema::new(BROKEN).with_dev_url(&dev.url);
                assert_broken(
                    engine,
                    "connection",
                    PORTABLE.drift_connection(&mut conn, desired).await,
                );
                let err = PORTABLE
                    .drift_connection(&mut conn, BROKEN)
                    .await
                    .unwrap_err();
                assert!(err.to_string().contains("dev_url"), "{err}");
                let _ = conn.close().await;
                pool.close().await;
            }
        }
        assert!(!dev.has_table("t1"), "{engine:?}: dev_url left empty");
    }
}

#[tokio::test]
async fn a_database_behind_head_is_not_up_to_date() {
    for engine in server_engines() {
        let db = TestDb::scratch(engine);
        PORTABLE.upgrade(&db.url, "+1").await.expect("one revision");
        let err = PORTABLE
            .drift(&db.url, "CREATE TABLE t1 (id INTEGER PRIMARY KEY);")
            .await;
        assert!(
            matches!(err, Err(Error::NotUpToDate)),
            "{engine:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn no_error_shows_a_password() {
    for engine in server_engines() {
        let db = TestDb::scratch(engine);
        let url = with_password(&db.url);
        assert!(url.contains("s3cret"));
        let err = PORTABLE.drift(&url, BROKEN).await.unwrap_err();
        assert!(
            !format!("{err} {err:?}").contains("s3cret"),
            "{engine:?}: {err}"
        );
        let dev = with_password(&TestDb::scratch(engine).url);
        let desired = DesiredSchema::new(BROKEN).with_dev_url(&dev);
        let err = PORTABLE.drift(&db.url, desired).await.unwrap_err();
        assert!(
            !format!("{err} {err:?}").contains("s3cret"),
            "{engine:?}: {err}"
        );
        let bad = with_password(&aludel_testkit::database_url(&db.url, "no_such_database_x"));
        let err = PORTABLE.drift(&bad, BROKEN).await.unwrap_err();
        assert!(
            !format!("{err} {err:?}").contains("s3cret"),
            "{engine:?}: {err}"
        );
    }
}
