//! Renames are never guessed: a table or column that went while a similar
//! one appeared is asked about on a terminal (`[y/N]`); otherwise, or when
//! the answer is no, it is dropped and added, with a loud warning that its
//! data will be lost and the `--rename` that would keep it.

use std::io::{BufRead, IsTerminal, Write};

use aludel::Error;
use aludel::autogen::{Comparison, RenameCandidate, Renames};

use crate::output::Output;

/// Who answers the rename questions.
pub trait Asker {
    /// Whether questions can be asked at all (a terminal on both ends).
    fn interactive(&self) -> bool;
    /// Asks `question`; `true` for yes.
    fn ask(&mut self, question: &str) -> Result<bool, Error>;
}

/// The user at the terminal: questions on stderr, answers on stdin; only
/// when both are a terminal (a script's or CI's run is never blocked).
pub struct Terminal {
    interactive: bool,
}

impl Terminal {
    /// The process's terminal, if stdin and stderr are one.
    pub fn new() -> Terminal {
        Terminal {
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        }
    }
}

impl Asker for Terminal {
    fn interactive(&self) -> bool {
        self.interactive
    }

    fn ask(&mut self, question: &str) -> Result<bool, Error> {
        let io = |source| Error::Io {
            path: "the terminal".into(),
            source,
        };
        let mut err = std::io::stderr().lock();
        err.write_all(question.as_bytes()).map_err(io)?;
        err.flush().map_err(io)?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(io)?;
        Ok(is_yes(&answer))
    }
}

/// `y` or `yes`, in any case; anything else (or nothing) is no.
fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Adds to `renames` every candidate the user confirms; warns on stderr
/// about each one left as a drop and an add.
pub fn settle_renames(
    comparison: &Comparison,
    renames: &mut Renames,
    asker: &mut dyn Asker,
    out: &Output,
) -> Result<(), Error> {
    let mut declined: Vec<RenameCandidate> = Vec::new();
    loop {
        // A confirmed table rename can reveal (or settle) column candidates:
        // ask again after each yes.
        let next = comparison
            .rename_candidates(renames)
            .into_iter()
            .find(|c| !declined.contains(c));
        let Some(candidate) = next else { break };
        out.flush();
        if asker.interactive() && asker.ask(&question(&candidate))? {
            candidate.declare(renames);
        } else {
            declined.push(candidate);
        }
    }
    for candidate in &declined {
        out.warn(&warning(candidate));
    }
    Ok(())
}

/// `Is column 'feed.old' renamed to 'feed.new'? [y/N] `
fn question(candidate: &RenameCandidate) -> String {
    let (kind, from, to) = names(candidate);
    format!("Is {kind} '{from}' renamed to '{to}'? [y/N] ")
}

/// The loud line for a candidate left as a drop and an add.
fn warning(candidate: &RenameCandidate) -> String {
    let (kind, from, to) = names(candidate);
    format!(
        "WARNING: {kind} '{from}' is dropped and '{to}' added: data in '{from}' will be lost; \
         if it was renamed, re-run with --rename {}",
        candidate.flag()
    )
}

/// What the candidate is (`table`, `column`), its old and new names as
/// messages show them (`feed.old`).
fn names(candidate: &RenameCandidate) -> (&'static str, String, String) {
    match candidate {
        RenameCandidate::Table { from, to } => ("table", from.to_string(), to.to_string()),
        RenameCandidate::Column { table, from, to } => {
            ("column", format!("{table}.{from}"), format!("{table}.{to}"))
        }
    }
}
