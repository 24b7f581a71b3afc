//! Property test of autogenerate on the servers: random schemas in portable
//! DDL (2–4 tables, integer/decimal/varchar columns, nullability, defaults,
//! foreign keys to earlier tables, indexes) and a random sequence of changes
//! (add/drop column, widen a type, NULL and default changes, add/drop
//! index, add/drop table), with rows in every table: the migration the
//! library generates keeps the four properties of the corpus
//! (`autogen::server`) on PostgreSQL and on MySQL/MariaDB. 16 cases per
//! server by default (`PROPTEST_CASES` to change it).

mod autogen;

#[cfg(all(feature = "postgres", feature = "mysql"))]
mod props {
    use super::autogen::case::Case;
    use super::autogen::portable::PDb;
    use super::autogen::server::db::Server;
    use super::autogen::server::{check, enabled};
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// The case a seed describes: the schema before, the one after the
    /// changes, and three rows per table.
    fn case(tables: &[(u8, Option<u8>)], changes: &[(u8, u8, u8)]) -> Case {
        let mut db = PDb::default();
        for &(ty, fk) in tables {
            db.add_table(ty, fk);
        }
        let before = db.ddl();
        let rows = db.rows(3, tables.len() as u64);
        db.freeze();
        for &(kind, t, c) in changes {
            db.apply(kind, t, c);
        }
        Case {
            name: "random".to_string(),
            before,
            after: db.ddl(),
            rows,
            ..Case::default()
        }
    }

    fn run(server: Server, case: &Case) -> Result<(), TestCaseError> {
        let outcome = aludel_testkit::block_on(check(server, case))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{case:#?}")))?;
        if let Some(outcome) = outcome
            && !outcome.failures.is_empty()
        {
            return Err(TestCaseError::fail(format!(
                "{:?}\n--- before ---\n{}\n--- after ---\n{}\n--- upgrade ---\n{}\n--- downgrade ---\n{}",
                outcome.failures, case.before, case.after, outcome.upgrade, outcome.downgrade
            )));
        }
        Ok(())
    }

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        ProptestConfig {
            cases,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    fn tables() -> impl Strategy<Value = Vec<(u8, Option<u8>)>> {
        vec((any::<u8>(), proptest::option::of(any::<u8>())), 2..5)
    }

    fn changes() -> impl Strategy<Value = Vec<(u8, u8, u8)>> {
        vec((any::<u8>(), any::<u8>(), any::<u8>()), 1..6)
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn postgres_migrations_keep_the_properties(t in tables(), c in changes()) {
            if enabled(Server::Postgres) {
                run(Server::Postgres, &case(&t, &c))?;
            }
        }

        #[test]
        fn mysql_migrations_keep_the_properties(t in tables(), c in changes()) {
            if enabled(Server::MySql) {
                run(Server::MySql, &case(&t, &c))?;
            }
        }
    }

    /// The generator's DDL and rows are accepted as they are by both servers
    /// (what the property test starts from is valid).
    #[test]
    fn the_portable_ddl_runs_on_each_server() {
        let c = case(
            &[(0, None), (3, Some(0)), (4, Some(1))],
            &[(0, 1, 2), (5, 0, 0), (7, 2, 1)],
        );
        for server in [Server::Postgres, Server::MySql] {
            if !enabled(server) {
                continue;
            }
            let db = super::autogen::server::db::CaseDb::new(server).unwrap();
            aludel_testkit::block_on(async {
                db.execute(&c.before).await.unwrap();
                db.execute(&c.rows).await.unwrap();
            });
            let other = super::autogen::server::db::CaseDb::new(server).unwrap();
            aludel_testkit::block_on(other.execute(&c.after)).unwrap();
        }
    }
}

/// Without the server features this file tests nothing: that must not pass
/// silently where servers are required.
#[cfg(not(all(feature = "postgres", feature = "mysql")))]
#[test]
fn the_server_features_are_on_where_servers_are_required() {
    assert!(
        std::env::var(aludel_testkit::REQUIRE_ENV).map_or(true, |v| v != "1"),
        "build with --features postgres,mysql to run the server property tests"
    );
}
