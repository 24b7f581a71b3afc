//! Where the command's text goes: results on stdout (buffered, flushed when the
//! command ends), progress on stderr. `-q` silences both, except the SQL of
//! `--sql` commands; errors are always printed.
//!
//! A write that fails fails the command: the first failure is remembered and
//! [`Output::finish`] reports it, so that `aludel upgrade head --sql > file` on
//! a full disk exits 2 instead of leaving a truncated file behind a success.
//! A closed pipe (`aludel history | head -1`) is not a failure: the reader has
//! all it wanted, so the command ends with its own exit status and no message
//! (Rust ignores `SIGPIPE`, so such writes return `BrokenPipe`).

use std::io::{BufWriter, ErrorKind, IsTerminal, Stdout, Write};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The first write that failed: which stream and the operating system's error.
#[derive(Debug)]
pub struct WriteFailure {
    /// `stdout` or `stderr`.
    pub stream: &'static str,
    /// Why the write failed.
    pub error: std::io::Error,
}

impl std::fmt::Display for WriteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to {}: {}", self.stream, self.error)
    }
}

/// The command's printer.
pub struct Output {
    quiet: bool,
    stdout: Mutex<BufWriter<Stdout>>,
    failure: Mutex<Option<WriteFailure>>,
}

impl Output {
    /// A printer, silent if `quiet`.
    pub fn new(quiet: bool) -> Output {
        Output {
            quiet,
            stdout: Mutex::new(BufWriter::with_capacity(64 * 1024, std::io::stdout())),
            failure: Mutex::new(None),
        }
    }

    /// Prints one line of results on stdout.
    pub fn line(&self, text: &str) {
        if !self.quiet {
            let mut out = self.stdout();
            let result = out
                .write_all(text.as_bytes())
                .and_then(|()| out.write_all(b"\n"));
            drop(out);
            self.record("stdout", result);
        }
    }

    /// Prints the SQL of an offline (`--sql`) command on stdout, as is. It is
    /// the command's product, so `-q` does not silence it (as in Alembic).
    pub fn sql(&self, text: &str) {
        let result = self.stdout().write_all(text.as_bytes());
        self.record("stdout", result);
    }

    /// Prints an informational log line on stderr (`INFO  [aludel] …`).
    pub fn info(&self, text: &str) {
        if !self.quiet {
            // One write per line: `eprintln!` would make three system calls
            // (prefix, text, newline), a cost a 1,000-step run feels.
            self.stderr(&format!("INFO  [aludel] {text}\n"));
        }
    }

    /// Prints a line on stderr that `-q` does not silence (a finding such as
    /// "Database is not on all head revisions").
    pub fn warn(&self, text: &str) {
        self.stderr(&format!("{text}\n"));
    }

    /// Prints the error that ends the command (`FAILED: …`) on stderr; if even
    /// that fails there is nowhere left to say so, and the exit status tells.
    pub fn error(&self, text: &str) {
        self.flush();
        let _ = std::io::stderr()
            .lock()
            .write_all(format!("FAILED: {text}\n").as_bytes());
    }

    /// Prints a message the way Alembic's `util.msg` does: indented by two
    /// spaces only when stdin is a terminal (Alembic asks fd 0 for the
    /// terminal width and indents only when it has one).
    pub fn msg(&self, text: &str) {
        if std::io::stdin().is_terminal() {
            self.line(&format!("  {text}"));
        } else {
            self.line(text);
        }
    }

    /// Prints Alembic's `Generating PATH ...  done` style status on stdout.
    pub fn status(&self, text: &str) {
        self.msg(&format!("{text} ...  done"));
    }

    fn stdout(&self) -> MutexGuard<'_, BufWriter<Stdout>> {
        self.stdout.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `text` to stderr after what stdout holds, keeping the order of
    /// the two streams when both go to one terminal.
    fn stderr(&self, text: &str) {
        self.flush();
        let result = std::io::stderr().lock().write_all(text.as_bytes());
        self.record("stderr", result);
    }

    /// Remembers the first failed write; a closed pipe is not a failure.
    fn record(&self, stream: &'static str, result: std::io::Result<()>) {
        if let Err(error) = result
            && error.kind() != ErrorKind::BrokenPipe
        {
            let mut failure = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
            if failure.is_none() {
                *failure = Some(WriteFailure { stream, error });
            }
        }
    }

    /// Writes out everything buffered.
    pub fn flush(&self) {
        let result = self.stdout().flush();
        self.record("stdout", result);
    }

    /// Writes out everything buffered and returns the first write that failed
    /// during the command, if any.
    pub fn finish(&self) -> Result<(), WriteFailure> {
        self.flush();
        match self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }
}
