//! Where the command's text goes: results on stdout, progress on stderr;
//! `-q` silences both, as in Alembic. Errors are always printed.

use std::io::Write;

/// The command's printer.
pub struct Output {
    quiet: bool,
}

impl Output {
    /// A printer, silent if `quiet`.
    pub fn new(quiet: bool) -> Output {
        Output { quiet }
    }

    /// Prints one line of results on stdout.
    pub fn line(&self, text: &str) {
        if !self.quiet {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{text}");
        }
    }

    /// Prints text on stdout as is (offline SQL).
    pub fn raw(&self, text: &str) {
        if !self.quiet {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
        }
    }

    /// Prints an informational log line on stderr (`INFO  [aludel] …`).
    pub fn info(&self, text: &str) {
        if !self.quiet {
            eprintln!("INFO  [aludel] {text}");
        }
    }

    /// Prints Alembic's `  Generating PATH ...  done` style status on stdout.
    pub fn status(&self, text: &str) {
        self.line(&format!("  {text} ...  done"));
    }
}
