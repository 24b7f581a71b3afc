//! What an application's own sqlx pools and connections turn into: the
//! driver connection of their engine, as an [`AnyDb`], so that every path
//! runs the same code.
//!
//! Adding an engine: one `impl sealed::Engine` for its `sqlx::Database` and
//! one `impl sealed::Connection` for its connection type, behind its feature.

use sqlx::pool::PoolConnection;

use crate::driver::AnyDb;

/// The conversions, out of reach of other crates (the traits are sealed).
pub(crate) mod sealed {
    use super::*;

    /// An engine's pooled connection as a driver connection.
    pub trait Engine: sqlx::Database {
        /// Wraps a connection taken from the application's pool; a run
        /// restores its settings before it goes back.
        fn pooled(conn: PoolConnection<Self>) -> AnyDb<'static>;
    }

    /// An application's connection as a driver connection, for one run.
    pub trait Connection: Send {
        /// Borrows the connection; a run restores its settings before
        /// returning.
        fn borrowed(&mut self) -> AnyDb<'_>;
    }
}

/// An sqlx database whose pools [`Migrations`](super::Migrations) runs
/// through (`upgrade_pool(&pool, …)` with a `sqlx::Pool<DB>`):
/// `sqlx::Sqlite`, `sqlx::Postgres`, `sqlx::MySql`, each with aludel's cargo
/// feature of the same name. Sealed: implemented by aludel only.
pub trait Engine: sealed::Engine {}

impl<DB: sealed::Engine> Engine for DB {}

/// A connection of the application's own that
/// [`Migrations`](super::Migrations) runs through (`upgrade_connection(&mut
/// conn, …)`): `SqliteConnection`, `PgConnection`, `MySqlConnection` (each
/// with its engine's feature), or a `PoolConnection` of one of them. It must
/// have no transaction open. Sealed: implemented by aludel only.
pub trait EngineConnection: sealed::Connection {}

impl<C: sealed::Connection> EngineConnection for C {}

impl<DB: sealed::Engine> sealed::Connection for PoolConnection<DB>
where
    DB::Connection: sealed::Connection,
{
    fn borrowed(&mut self) -> AnyDb<'_> {
        sealed::Connection::borrowed(&mut **self)
    }
}

#[cfg(feature = "_sqlite")]
mod sqlite {
    use sqlx::pool::PoolConnection;
    use sqlx::{Sqlite, SqliteConnection};

    use crate::driver::{AnyDb, SqliteDb};

    impl super::sealed::Engine for Sqlite {
        fn pooled(conn: PoolConnection<Sqlite>) -> AnyDb<'static> {
            AnyDb::Sqlite(SqliteDb::from_pool_connection(conn))
        }
    }

    impl super::sealed::Connection for SqliteConnection {
        fn borrowed(&mut self) -> AnyDb<'_> {
            AnyDb::Sqlite(SqliteDb::from_connection(self))
        }
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use sqlx::pool::PoolConnection;
    use sqlx::{PgConnection, Postgres};

    use crate::driver::{AnyDb, PgDb};

    impl super::sealed::Engine for Postgres {
        fn pooled(conn: PoolConnection<Postgres>) -> AnyDb<'static> {
            AnyDb::Postgres(PgDb::from_pool_connection(conn))
        }
    }

    impl super::sealed::Connection for PgConnection {
        fn borrowed(&mut self) -> AnyDb<'_> {
            AnyDb::Postgres(PgDb::from_connection(self))
        }
    }
}

#[cfg(feature = "mysql")]
mod mysql {
    use sqlx::pool::PoolConnection;
    use sqlx::{MySql, MySqlConnection};

    use crate::driver::{AnyDb, MySqlDb};

    impl super::sealed::Engine for MySql {
        fn pooled(conn: PoolConnection<MySql>) -> AnyDb<'static> {
            AnyDb::MySql(MySqlDb::from_pool_connection(conn))
        }
    }

    impl super::sealed::Connection for MySqlConnection {
        fn borrowed(&mut self) -> AnyDb<'_> {
            AnyDb::MySql(MySqlDb::from_connection(self))
        }
    }
}
