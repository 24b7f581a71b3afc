//! `Migrations::drift` on PostgreSQL and MySQL/MariaDB gives the same
//! answer through a URL, a pool and a connection (with `dev_url`), and
//! `drift_replayed`'s server twin (`Comparison::with_history_on`) agrees.

#![cfg(all(feature = "postgres", feature = "mysql"))]

use aludel::autogen::{Comparison, DesiredSchema, Engine as Compared, Renames, RenderOptions};
use aludel::sqlx::{self, Connection};
use aludel::{DatabaseUrl, Migrations};
use aludel_testkit::{Engine, TestDb, engines};

static PORTABLE: Migrations = aludel::embed_migrations!("tests/fixtures/portable");

/// The schema the `portable` fixture's three revisions build.
const AT_HEAD: &str = "
CREATE TABLE t1 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL);
CREATE TABLE t2 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL);
CREATE TABLE t3 (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL);
";

fn changed() -> String {
    format!(
        "{AT_HEAD}CREATE TABLE t4 (id INTEGER PRIMARY KEY);\nCREATE INDEX t1_note ON t1 (note);\n"
    )
}

fn server_engines() -> Vec<Engine> {
    engines()
        .into_iter()
        .filter(|e| *e != Engine::Sqlite)
        .collect()
}

#[tokio::test]
async fn every_path_finds_the_same_drift() {
    for engine in server_engines() {
        let db = TestDb::scratch(engine);
        let dev = TestDb::scratch(engine);
        PORTABLE.upgrade(&db.url, "head").await.expect("upgraded");
        let changed = changed();
        for desired in [AT_HEAD, changed.as_str()] {
            let by_url = PORTABLE.drift(&db.url, desired).await.expect("url");
            let with_dev = DesiredSchema::new(desired).with_dev_url(&dev.url);
            let by_url_dev = PORTABLE
                .drift(&db.url, with_dev)
                .await
                .expect("url + dev_url");
            let (by_pool, by_conn) = match engine {
                Engine::Postgres => {
                    let pool = sqlx::PgPool::connect(&db.url).await.expect("pool");
                    let by_pool = PORTABLE.drift_pool(&pool, desired).await.expect("pool");
                    let mut conn = sqlx::PgConnection::connect(&db.url).await.expect("conn");
                    let by_conn = PORTABLE
                        .drift_connection(&mut conn, with_dev)
                        .await
                        .expect("conn");
                    let _ = conn.close().await;
                    pool.close().await;
                    (by_pool, by_conn)
                }
                _ => {
                    let pool = sqlx::MySqlPool::connect(&db.url).await.expect("pool");
                    let by_pool = PORTABLE.drift_pool(&pool, desired).await.expect("pool");
                    let mut conn = sqlx::MySqlConnection::connect(&db.url).await.expect("conn");
                    let by_conn = PORTABLE
                        .drift_connection(&mut conn, with_dev)
                        .await
                        .expect("conn");
                    let _ = conn.close().await;
                    pool.close().await;
                    (by_pool, by_conn)
                }
            };
            let expected = by_url.migration.upgrade_sql();
            for (path, drift) in [
                ("url+dev", &by_url_dev),
                ("pool", &by_pool),
                ("connection", &by_conn),
            ] {
                assert_eq!(drift.migration.upgrade_sql(), expected, "{engine:?} {path}");
                assert_eq!(drift.describe(), by_url.describe(), "{engine:?} {path}");
            }
            if desired == AT_HEAD {
                assert!(by_url.is_empty(), "{engine:?}: {:?}", by_url.describe());
            } else {
                let lines = by_url.describe();
                assert!(
                    lines.contains(&"added table 't4'".to_string()),
                    "{engine:?}: {lines:?}"
                );
            }
        }
        assert!(
            !dev.has_table("t1") && !dev.has_table("t4"),
            "{engine:?}: dev_url left empty"
        );
    }
}

#[tokio::test]
async fn the_history_replayed_on_the_server_agrees_with_the_database() {
    for engine in server_engines() {
        let db = TestDb::scratch(engine);
        PORTABLE.upgrade(&db.url, "head").await.expect("upgraded");
        let url = DatabaseUrl::parse(&db.url).expect("url");
        let history = PORTABLE.history().expect("history");
        let settings = PORTABLE.session();
        let desired = [aludel::autogen::SchemaSource {
            origin: "schema.sql".into(),
            text: changed(),
        }];
        let replayed = Comparison::with_history_on(Some(&url), None, history, &desired, &settings)
            .await
            .expect("replayed");
        let live = Comparison::with_database(&url, history, &desired, &settings)
            .await
            .expect("database");
        assert_eq!(replayed.current, live.current, "{engine:?}");
        assert_eq!(replayed.engine, live.engine, "{engine:?}");
        let expected = match engine {
            Engine::Postgres => matches!(live.engine, Compared::Postgres { .. }),
            _ => matches!(live.engine, Compared::MySql(_)),
        };
        assert!(expected, "{engine:?}: {:?}", live.engine);
        let plain = live.drift(&Renames::default()).expect("drift");
        let options = RenderOptions { concurrently: true };
        let concurrently = live
            .drift_with(&Renames::default(), &options)
            .expect("drift");
        if engine == Engine::Postgres {
            assert!(
                concurrently
                    .migration
                    .upgrade_sql()
                    .contains("CONCURRENTLY")
            );
            assert!(!plain.migration.upgrade_sql().contains("CONCURRENTLY"));
        } else {
            assert_eq!(
                concurrently.migration.upgrade_sql(),
                plain.migration.upgrade_sql()
            );
        }
    }
}
