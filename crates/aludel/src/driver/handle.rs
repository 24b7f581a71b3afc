//! How a driver holds its connection: opened by aludel (owned), taken from
//! an application's pool, or borrowed from the application for one run.
//!
//! Architecture invariant: a pooled connection goes back to its pool only
//! in the state it came in. While a run is under way on it (the application
//! may drop the run's future half-way: the connection is then inside
//! aludel's transaction, with aludel's session settings) or while it may
//! hold the migration lock, dropping it closes it instead.

use sqlx::pool::PoolConnection;
use sqlx::{Connection, Database};

/// A connection taken from an application's pool, with what decides whether
/// it may go back.
pub(super) struct Pooled<DB: Database> {
    conn: PoolConnection<DB>,
    /// It may still hold the session's migration lock.
    holds_lock: bool,
    /// A run is under way on it (from `start_session` until `end_session`
    /// has given its settings back).
    in_run: bool,
}

impl<DB: Database> Drop for Pooled<DB> {
    fn drop(&mut self) {
        if self.holds_lock || self.in_run {
            self.conn.close_on_drop();
        }
    }
}

/// A driver's connection.
pub(super) enum Handle<'c, DB: Database> {
    /// Opened by aludel for this command or call; closed by it.
    Owned(DB::Connection),
    /// Taken from an application's pool; goes back when dropped (or is
    /// closed, see [`Pooled`]).
    Pooled(Pooled<DB>),
    /// The application's own, for one run.
    Borrowed(&'c mut DB::Connection),
}

impl<DB: Database> Handle<'static, DB> {
    /// A connection taken from an application's pool.
    pub(super) fn pooled(conn: PoolConnection<DB>) -> Handle<'static, DB> {
        Handle::Pooled(Pooled {
            conn,
            holds_lock: false,
            in_run: false,
        })
    }
}

impl<DB: Database> Handle<'_, DB> {
    /// The connection itself.
    pub(super) fn raw(&mut self) -> &mut DB::Connection {
        match self {
            Handle::Owned(c) => c,
            Handle::Pooled(p) => &mut p.conn,
            Handle::Borrowed(c) => c,
        }
    }

    /// Whether aludel opened the connection (and so need restore nothing).
    #[cfg_attr(not(any(feature = "_sqlite", feature = "mysql")), allow(dead_code))]
    pub(super) fn is_owned(&self) -> bool {
        matches!(self, Handle::Owned(_))
    }

    /// Marks a run as under way on a pooled connection (`true` from the
    /// start of a session until its settings are given back).
    pub(super) fn set_in_run(&mut self, in_run: bool) {
        if let Handle::Pooled(p) = self {
            p.in_run = in_run;
        }
    }

    /// Records whether a pooled connection may hold the migration lock.
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    pub(super) fn set_holds_lock(&mut self, holds_lock: bool) {
        if let Handle::Pooled(p) = self {
            p.holds_lock = holds_lock;
        }
    }

    /// Makes a pooled connection close when dropped instead of going back
    /// to its pool (its state could not be restored).
    #[cfg_attr(not(any(feature = "_sqlite", feature = "mysql")), allow(dead_code))]
    pub(super) fn close_instead_of_returning(&mut self) {
        if let Handle::Pooled(p) = self {
            p.conn.close_on_drop();
        }
    }

    /// Closes the connection cleanly (pooled ones go back to their pool,
    /// borrowed ones stay open).
    pub(super) async fn close(self) {
        if let Handle::Owned(c) = self {
            let _ = c.close().await;
        }
    }
}
