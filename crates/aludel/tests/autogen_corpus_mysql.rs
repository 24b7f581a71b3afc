//! The autogenerate corpus on MySQL/MariaDB: every case folder under
//! `tests/autogen/corpus_mysql/` (the SQLite corpus's format) keeps the
//! four properties on a fresh database of the server named by
//! `ALUDEL_TEST_MYSQL_URL` (skipped with a note when unset, a failure
//! under `ALUDEL_TEST_REQUIRE_SERVERS=1`); the detected changes, upgrade and
//! downgrade are insta snapshots (`tests/snapshots/`).

mod autogen;

#[cfg(all(feature = "postgres", feature = "mysql"))]
mod cases {
    use super::autogen::case::{MYSQL, names_in};
    use super::autogen::server::db::Server;
    use super::autogen::server::{enabled, run_case};

    async fn run(name: &str) {
        if !enabled(Server::MySql) {
            return;
        }
        if let Some(text) = run_case(MYSQL, Server::MySql, name).await {
            insta::assert_snapshot!(name, text);
        }
    }

    /// One test per case, so a failure names its case.
    macro_rules! corpus {
        ($($name:ident),* $(,)?) => {
            /// Every case folder has its test.
            const CASES: &[&str] = &[$(stringify!($name)),*];
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    run(stringify!($name)).await;
                }
            )*
        };
    }

    #[test]
    fn every_case_folder_has_a_test() {
        let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
        listed.sort();
        assert_eq!(
            names_in(MYSQL),
            listed,
            "the corpus! list and the case folders differ"
        );
    }

    include!("autogen/corpus_mysql.list");
}

/// Without the server features this file tests nothing: that must not pass
/// silently where servers are required.
#[cfg(not(all(feature = "postgres", feature = "mysql")))]
#[test]
fn the_server_features_are_on_where_servers_are_required() {
    assert!(
        std::env::var(aludel_testkit::REQUIRE_ENV).map_or(true, |v| v != "1"),
        "build with --features postgres,mysql to run the MySQL corpus"
    );
}
