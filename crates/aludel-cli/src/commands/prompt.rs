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

#[cfg(test)]
mod tests {
    use super::*;
    use aludel::schema::{Column, ObjectName, Schema, Table};

    /// Answers from a script, recording the questions.
    struct Scripted {
        interactive: bool,
        answers: Vec<bool>,
        asked: Vec<String>,
    }

    impl Asker for Scripted {
        fn interactive(&self) -> bool {
            self.interactive
        }
        fn ask(&mut self, question: &str) -> Result<bool, Error> {
            self.asked.push(question.to_string());
            Ok(if self.answers.is_empty() {
                false
            } else {
                self.answers.remove(0)
            })
        }
    }

    fn feed(columns: &[&str]) -> Schema {
        let mut table = Table::new(ObjectName::new("feed"));
        for name in columns {
            table.columns.push(Column::new(*name, "TEXT"));
        }
        let mut schema = Schema::default();
        schema.tables.insert(table.name.clone(), table);
        schema
    }

    /// `feed.old` went while `feed.new` and `feed.url` (same type) came.
    fn comparison() -> Comparison {
        Comparison {
            current: feed(&["id", "old"]),
            desired: feed(&["id", "new", "url"]),
            warnings: Vec::new(),
            engine: aludel::autogen::Engine::Sqlite,
        }
    }

    fn settle(asker: &mut Scripted) -> Renames {
        let mut renames = Renames::default();
        settle_renames(&comparison(), &mut renames, asker, &Output::new(true)).unwrap();
        renames
    }

    #[test]
    fn a_yes_declares_the_rename_and_settles_the_other_candidates() {
        let mut asker = Scripted {
            interactive: true,
            answers: vec![true],
            asked: Vec::new(),
        };
        let renames = settle(&mut asker);
        assert_eq!(
            asker.asked,
            ["Is column 'feed.old' renamed to 'feed.new'? [y/N] "]
        );
        assert_eq!(renames.columns.len(), 1);
        assert_eq!(
            (
                renames.columns[0].from.as_str(),
                renames.columns[0].to.as_str()
            ),
            ("old", "new")
        );
        assert!(comparison().rename_candidates(&renames).is_empty());
    }

    #[test]
    fn a_no_asks_the_next_candidate() {
        let mut asker = Scripted {
            interactive: true,
            answers: vec![false, true],
            asked: Vec::new(),
        };
        let renames = settle(&mut asker);
        assert_eq!(asker.asked.len(), 2, "{:?}", asker.asked);
        assert!(asker.asked[1].contains("'feed.url'"), "{:?}", asker.asked);
        assert_eq!(renames.columns.len(), 1);
        assert_eq!(renames.columns[0].to, "url");
    }

    #[test]
    fn without_a_terminal_nothing_is_asked_or_declared() {
        let mut asker = Scripted {
            interactive: false,
            answers: vec![true, true],
            asked: Vec::new(),
        };
        let renames = settle(&mut asker);
        assert!(asker.asked.is_empty());
        assert!(renames.is_empty());
    }

    #[test]
    fn the_warning_names_the_data_lost_and_the_flag() {
        let candidate = RenameCandidate::Table {
            from: ObjectName::new("feed"),
            to: ObjectName::new("channel"),
        };
        assert_eq!(
            warning(&candidate),
            "WARNING: table 'feed' is dropped and 'channel' added: data in 'feed' will be lost; \
             if it was renamed, re-run with --rename feed=channel"
        );
        assert!(is_yes(" Yes\n") && is_yes("y") && !is_yes("") && !is_yes("nope"));
    }
}
