//! Taking the locks of a run, in their fixed order (the migration lock, then
//! the write lock), telling the user when another process makes aludel wait,
//! and giving up after the lock timeout.

use std::time::{Duration, Instant};

use super::db;
use crate::driver::{Attempt, DbConnection, MigrationLock, SessionSettings};
use crate::error::Error;

/// How long aludel waits for a lock before saying that it waits.
pub(super) const NOTICE_AFTER: Duration = Duration::from_secs(1);

/// How often a held migration lock is tried again.
const POLL: Duration = Duration::from_millis(50);

/// Where a run's lock waits are reported, and how long they may last.
pub(super) struct Waits<'a> {
    /// Longest wait for one lock.
    pub timeout: Duration,
    /// Receives the notice that aludel is waiting.
    pub log: &'a mut (dyn FnMut(&str) + Send),
    /// The settings the run's session starts with.
    pub session: &'a SessionSettings,
}

impl<'a> Waits<'a> {
    /// The waits of a run with `session`'s settings, reported to `log`.
    pub(super) fn new(
        session: &'a SessionSettings,
        log: &'a mut (dyn FnMut(&str) + Send),
    ) -> Waits<'a> {
        Waits {
            timeout: session.lock_timeout,
            log,
            session,
        }
    }
}

/// The notice of a lock wait that has lasted a second: `Waiting for the
/// write lock on app.db, which another process has (giving up after 60s,
/// lock_timeout)`.
pub(crate) fn wait_notice(lock: &str, timeout: Duration) -> String {
    format!(
        "Waiting for {lock}, which another process has (giving up after {}s, lock_timeout)",
        timeout.as_secs_f64()
    )
}

impl Waits<'_> {
    fn notice(&mut self, lock: &str) {
        (self.log)(&crate::events::lock_wait(lock, self.timeout));
    }

    /// The wait for the first part of a lock wait: at most until the notice.
    pub(super) fn first_wait(&self) -> Duration {
        NOTICE_AFTER.min(self.timeout)
    }
}

/// Awaits `work`, which may wait for `lock` up to the lock timeout inside
/// the database (SQLite's busy wait), and tells the user once if it has not
/// finished after [`NOTICE_AFTER`]. Between migrations the work is only
/// bookkeeping, a commit and the next `BEGIN`: a second is a lock wait.
pub(super) async fn notice_if_slow<F: std::future::Future>(
    waits: &mut Waits<'_>,
    lock: &str,
    work: F,
) -> F::Output {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        done = &mut work => done,
        () = tokio::time::sleep(NOTICE_AFTER) => {
            waits.notice(lock);
            work.await
        }
    }
}

/// Starts the connection's migration session, then takes the migration lock
/// and the write lock. On failure no transaction of the run's is open, and
/// the session is left for the caller to end.
async fn enter<C: DbConnection>(
    conn: &mut C,
    waits: &mut Waits<'_>,
) -> Result<MigrationLock, Error> {
    conn.start_session(waits.session)
        .await
        .map_err(db("preparing the connection for migrating"))?;
    let lock = take_migration_lock(conn, waits).await?;
    take_write_lock(conn, waits).await?;
    Ok(lock)
}

/// Runs `body` holding the run's locks: [`enter`], then `body`; a failed
/// `body`'s transaction is rolled back; then the migration lock is released
/// and the connection's settings restored, whatever happened.
pub(super) async fn with_locks<C: DbConnection, T>(
    conn: &mut C,
    waits: &mut Waits<'_>,
    body: impl AsyncFnOnce(&mut C, &mut Waits<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let lock = match enter(conn, waits).await {
        Ok(lock) => lock,
        // No transaction of the run's was opened: one the connection already
        // had (an application's, against the rule) is not the run's to undo.
        Err(e) => return end_session(conn, Err(e)).await,
    };
    let mut result = body(conn, waits).await;
    if result.is_err() {
        // The failed transaction is undone; an error here adds nothing useful.
        let _ = conn.rollback().await;
    }
    let released = conn.release_migration_lock(lock).await;
    if let (Ok(_), Err(e)) = (&result, released) {
        result = Err(Error::database("releasing the migration lock", e));
    }
    end_session(conn, result).await
}

/// Restores the connection's settings after a run; the run's own error, if
/// any, comes first.
async fn end_session<C: DbConnection, T>(
    conn: &mut C,
    result: Result<T, Error>,
) -> Result<T, Error> {
    let restored = conn.end_session().await;
    let value = result?;
    restored.map_err(db("restoring the connection's settings after migrating"))?;
    Ok(value)
}

/// Takes the migration lock, polling while another process holds it. Call it
/// while not holding the write lock, which the holder may be waiting for.
pub(super) async fn take_migration_lock<C: DbConnection>(
    conn: &mut C,
    waits: &mut Waits<'_>,
) -> Result<MigrationLock, Error> {
    let started = Instant::now();
    let mut told = false;
    loop {
        let attempt = conn
            .try_lock_migrations()
            .await
            .map_err(db("taking the migration lock"))?;
        let lock = match attempt {
            Attempt::Acquired(held) => return Ok(held),
            Attempt::Busy { lock } => lock,
        };
        let waited = started.elapsed();
        if waited >= waits.timeout {
            return Err(Error::lock_timeout(lock, waited));
        }
        if !told && waited >= NOTICE_AFTER {
            waits.notice(&lock);
            told = true;
        }
        tokio::time::sleep(POLL.min(waits.timeout - waited)).await;
    }
}

/// Opens a transaction holding the write lock, waiting up to the timeout.
pub(super) async fn take_write_lock<C: DbConnection>(
    conn: &mut C,
    waits: &mut Waits<'_>,
) -> Result<(), Error> {
    let started = Instant::now();
    match conn
        .try_begin(waits.first_wait())
        .await
        .map_err(db("taking the write lock"))?
    {
        Attempt::Acquired(()) => Ok(()),
        Attempt::Busy { lock } => wait_for_write_lock(conn, waits, started, lock).await,
    }
}

/// The rest of a write-lock wait that began at `started` and has lasted long
/// enough to tell the user.
pub(super) async fn wait_for_write_lock<C: DbConnection>(
    conn: &mut C,
    waits: &mut Waits<'_>,
    started: Instant,
    lock: String,
) -> Result<(), Error> {
    let rest = waits.timeout.saturating_sub(started.elapsed());
    if rest.is_zero() {
        let waited = started.elapsed();
        return Err(Error::lock_timeout(lock, waited));
    }
    waits.notice(&lock);
    match conn
        .try_begin(rest)
        .await
        .map_err(db("taking the write lock"))?
    {
        Attempt::Acquired(()) => Ok(()),
        Attempt::Busy { lock } => Err(Error::lock_timeout(lock, started.elapsed())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_wait_is_told_once_and_a_quick_one_not_at_all() {
        for (work, told) in [(Duration::ZERO, 0), (NOTICE_AFTER + POLL, 1)] {
            let mut lines = Vec::new();
            let mut log = |line: &str| lines.push(line.to_string());
            let session = SessionSettings {
                lock_timeout: Duration::from_secs(60),
                lock_mode: crate::driver::LockMode::Session,
                version_table: crate::dialect::VersionTable::new("alembic_version"),
            };
            let mut waits = Waits::new(&session, &mut log);
            let done = notice_if_slow(&mut waits, "the database's write lock", async {
                tokio::time::sleep(work).await;
                7
            })
            .await;
            assert_eq!(done, 7);
            assert_eq!(lines.len(), told, "{lines:?}");
            if told == 1 {
                assert!(
                    lines[0].starts_with("Waiting for the database's write lock, which another"),
                    "{lines:?}"
                );
            }
        }
    }
}
