//! The migration lock of a SQLite database: an exclusive `flock` on
//! `<database file>-aludel-lock`, whose text names the holder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};

use crate::driver::{Attempt, DbError, MigrationLock, user_at_host};

/// Tries once to lock `path`, creating it if missing. On success the file's
/// text becomes `pid N (user@host)`, so that a waiter can say who holds it.
pub(super) async fn try_lock_file(path: String) -> Result<Attempt<MigrationLock>, DbError> {
    let shown = path.clone();
    let failed = move |e: std::io::Error| DbError::new(format!("locking {shown}: {e}"));
    tokio::task::spawn_blocking(move || {
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => {
                file.set_len(0)?;
                file.rewind()?;
                write!(file, "pid {} ({})", std::process::id(), user_at_host())?;
                Ok(Attempt::Acquired(MigrationLock::file(file)))
            }
            Err(TryLockError::WouldBlock) => Ok(Attempt::Busy {
                lock: describe(&path, &mut file),
            }),
            Err(TryLockError::Error(e)) => Err(e),
        }
    })
    .await
    .map_err(|e| failed(std::io::Error::other(e)))?
    .map_err(failed)
}

/// `the migration lock F, held by pid N (user@host)`; without the holder's
/// name when it has not written it yet.
fn describe(path: &str, file: &mut File) -> String {
    let mut holder = String::new();
    let _ = file.read_to_string(&mut holder);
    let holder = holder.trim();
    if holder.is_empty() {
        format!("the migration lock {path}")
    } else {
        format!("the migration lock {path}, held by {holder}")
    }
}
