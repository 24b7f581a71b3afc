//! Which engine's rules the lexer and splitter read SQL by.

/// The SQL reading rules of one database engine, chosen by the caller (the
/// engine a migration runs on).
///
/// Each flavour decides what is a comment, a string or a quoted identifier,
/// and where a statement ends, exactly as that engine does; text that one
/// engine reads as a comment may be a statement for another, so there is no
/// reading that is right for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flavor {
    /// SQLite, following its tokenizer (`tokenize.c`) and
    /// `sqlite3_complete` (`complete.c`): `/* */` ends at the first `*/`;
    /// `'…'`, `"…"`, `` `…` `` with doubled-quote escapes; `[…]` up to the
    /// first `]`; no dollar quotes or `E'…'` strings (`$` is an identifier
    /// character); a `CREATE [TEMP|TEMPORARY] TRIGGER` statement (also after
    /// `EXPLAIN`) ends only at a `;` after an `END` that directly follows a `;`.
    /// An unterminated `/*` is an error (SQLite would silently take the rest
    /// of the file as a comment; `sqlite3_complete` calls it incomplete).
    Sqlite,
    /// PostgreSQL: nested `/* */`, `$tag$…$tag$` dollar quotes, `E'…'`
    /// strings with backslash escapes, and routine bodies
    /// (`CREATE FUNCTION|PROCEDURE|TRIGGER|EVENT … BEGIN … END`) whose `;`
    /// do not end the statement while a `BEGIN`/`CASE` block is open.
    Postgres,
}

impl Flavor {
    /// Every flavour, for checks that must hold whichever engine runs a file.
    pub const ALL: &'static [Flavor] = &[Flavor::Sqlite, Flavor::Postgres];

    /// Short name for messages (`sqlite`, `postgres`).
    pub fn name(self) -> &'static str {
        match self {
            Flavor::Sqlite => "sqlite",
            Flavor::Postgres => "postgres",
        }
    }
}
