//! Introspection issues a fixed number of queries whatever the schema's
//! size: counted here as the `sqlx::query` events sqlx emits for every
//! statement it runs, seen by a process-wide `tracing` subscriber (the
//! SQLite connection runs its statements on a worker thread of its own, so
//! a thread-local subscriber would see nothing). One test in this binary, so
//! nothing else runs queries while it counts.

use std::sync::atomic::{AtomicUsize, Ordering};

use aludel::autogen::introspect::{CATALOG_QUERIES, introspect};
use aludel::sqlx::{self, Connection, SqliteConnection};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

static QUERIES: AtomicUsize = AtomicUsize::new(0);

struct CountQueries;

impl Subscriber for CountQueries {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        if event.metadata().target() == "sqlx::query" {
            QUERIES.fetch_add(1, Ordering::SeqCst);
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// A schema of `n` tables, each with a foreign key, a unique constraint, a
/// check, an index and a trigger.
fn ddl(n: usize) -> String {
    let mut sql = String::from("CREATE TABLE t0 (id INTEGER PRIMARY KEY);");
    for i in 1..n {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id INTEGER PRIMARY KEY, p INT REFERENCES t{prev} (id), \
             code TEXT UNIQUE CHECK (code <> ''));\
             CREATE INDEX ix_t{i} ON t{i} (p, lower(code));\
             CREATE TRIGGER tr_t{i} AFTER INSERT ON t{i} BEGIN SELECT 1; END;",
            prev = i - 1
        ));
    }
    sql
}

/// Queries run while introspecting a schema of `n` tables.
async fn queries_for(n: usize) -> usize {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    sqlx::raw_sql(aludel::sqlx::AssertSqlSafe(ddl(n)))
        .execute(&mut conn)
        .await
        .unwrap();
    let before = QUERIES.load(Ordering::SeqCst);
    let started = std::time::Instant::now();
    let schema = introspect(&mut conn, &[]).await.unwrap();
    let took = started.elapsed();
    let after = QUERIES.load(Ordering::SeqCst);
    assert_eq!(schema.tables.len(), n);
    assert_eq!(schema.triggers.len(), n - 1);
    eprintln!("{n} tables: {} queries in {took:?}", after - before);
    after - before
}

#[tokio::test]
async fn introspection_runs_as_many_queries_for_300_tables_as_for_3() {
    tracing::subscriber::set_global_default(CountQueries).unwrap();
    let small = queries_for(3).await;
    let large = queries_for(300).await;
    assert_eq!(small, CATALOG_QUERIES.len(), "one event per catalog query");
    assert_eq!(large, small);
}
