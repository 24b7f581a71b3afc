//! Where the command's text goes: results on stdout (buffered, flushed when the
//! command ends), progress on stderr. `-q` silences both, except the SQL of
//! `--sql` commands; errors are always printed.

use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::sync::{Mutex, MutexGuard};

/// The command's printer.
pub struct Output {
    quiet: bool,
    stdout: Mutex<BufWriter<Stdout>>,
}

impl Output {
    /// A printer, silent if `quiet`.
    pub fn new(quiet: bool) -> Output {
        Output {
            quiet,
            stdout: Mutex::new(BufWriter::with_capacity(64 * 1024, std::io::stdout())),
        }
    }

    /// Prints one line of results on stdout.
    pub fn line(&self, text: &str) {
        if !self.quiet {
            let mut out = self.stdout();
            let _ = out.write_all(text.as_bytes());
            let _ = out.write_all(b"\n");
        }
    }

    /// Prints the SQL of an offline (`--sql`) command on stdout, as is. It is
    /// the command's product, so `-q` does not silence it (as in Alembic).
    pub fn sql(&self, text: &str) {
        let _ = self.stdout().write_all(text.as_bytes());
    }

    /// Prints an informational log line on stderr (`INFO  [aludel] …`).
    pub fn info(&self, text: &str) {
        if !self.quiet {
            self.flush();
            // One write per line: `eprintln!` would make three system calls
            // (prefix, text, newline), a cost a 1,000-step run feels.
            let line = format!("INFO  [aludel] {text}\n");
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }
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
        self.stdout
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes out everything buffered.
    pub fn flush(&self) {
        let _ = self.stdout().flush();
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.flush();
    }
}
