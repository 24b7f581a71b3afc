//! SQLite's own reading, through FFI on the SQLite that sqlx links:
//! `sqlite3_complete` and `sqlite3_prepare_v2` with its tail pointer.

use std::ffi::{CStr, CString, c_char};
use std::ptr;

use libsqlite3_sys as ffi;

/// `sqlite3_complete(sql)`.
pub fn complete(sql: &str) -> bool {
    let sql = CString::new(sql).expect("generated SQL has no NUL");
    // SAFETY: `sql` is a valid NUL-terminated string for the whole call.
    unsafe { ffi::sqlite3_complete(sql.as_ptr()) != 0 }
}

/// An in-memory database, closed on drop.
pub struct Db(*mut ffi::sqlite3);

impl Db {
    pub fn memory() -> Db {
        let mut db = ptr::null_mut();
        // SAFETY: the name is NUL-terminated; `db` receives the handle.
        let rc = unsafe { ffi::sqlite3_open(c":memory:".as_ptr(), &mut db) };
        assert_eq!(rc, ffi::SQLITE_OK, "cannot open an in-memory database");
        Db(db)
    }

    fn message(&self) -> String {
        // SAFETY: `self.0` is open; SQLite returns a NUL-terminated string.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }
            .to_string_lossy()
            .into_owned()
    }

    /// Walks `sql` with `sqlite3_prepare_v2` and its tail pointer, as
    /// `sqlite3_exec` does: for each statement SQLite finds, its byte range
    /// in `sql` and, with `run`, whether stepping it to the end succeeded.
    /// Stops at the first statement that does not prepare (its range is
    /// returned with `prepared == false`).
    pub fn statements(&self, sql: &str, run: bool) -> Vec<Prepared> {
        let c = CString::new(sql).expect("generated SQL has no NUL");
        let base = c.as_ptr();
        let mut at: *const c_char = base;
        let mut out = Vec::new();
        loop {
            // SAFETY: `at` points into `c`, which outlives the loop.
            if unsafe { *at } == 0 {
                break;
            }
            let mut stmt = ptr::null_mut();
            let mut tail: *const c_char = ptr::null();
            // SAFETY: valid handle, NUL-terminated input (-1: read to NUL).
            let rc = unsafe { ffi::sqlite3_prepare_v2(self.0, at, -1, &mut stmt, &mut tail) };
            // SAFETY: both pointers are into the same allocation `c`.
            let start = unsafe { at.offset_from(base) } as usize;
            if rc != ffi::SQLITE_OK {
                out.push(Prepared {
                    start,
                    end: sql.len(),
                    prepared: false,
                    ran: false,
                    error: self.message(),
                });
                break;
            }
            // SAFETY: as above; `tail` is where the next statement starts.
            let end = unsafe { tail.offset_from(base) } as usize;
            if !stmt.is_null() {
                let mut ran = true;
                let mut error = String::new();
                if run {
                    loop {
                        // SAFETY: `stmt` is a prepared statement of this handle.
                        match unsafe { ffi::sqlite3_step(stmt) } {
                            ffi::SQLITE_ROW => {}
                            ffi::SQLITE_DONE => break,
                            _ => {
                                ran = false;
                                error = self.message();
                                break;
                            }
                        }
                    }
                }
                // SAFETY: finalised exactly once.
                unsafe { ffi::sqlite3_finalize(stmt) };
                out.push(Prepared {
                    start,
                    end,
                    prepared: true,
                    ran,
                    error,
                });
            }
            if end == start {
                break;
            }
            at = tail;
        }
        out
    }

    /// Whether `sql` holds no statement at all (only whitespace and comments).
    pub fn is_blank(&self, sql: &str) -> bool {
        self.statements(sql, false).is_empty()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: every statement was finalised; closed once.
        unsafe { ffi::sqlite3_close(self.0) };
    }
}

/// One statement SQLite found: `sql[start..end]` (up to its tail).
#[derive(Debug)]
pub struct Prepared {
    pub start: usize,
    pub end: usize,
    pub prepared: bool,
    pub ran: bool,
    pub error: String,
}
