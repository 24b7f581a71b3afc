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
    /// PostgreSQL, following its scanner (`scan.l`) and grammar, with
    /// `standard_conforming_strings` on: `'…'` with doubled quotes and no
    /// backslash escapes; `E'…'` with backslash escapes; `"…"` identifiers;
    /// nested `/* /* */ */`; `$$…$$` and `$tag$…$tag$` dollar quotes (`$1`
    /// is a parameter). A `;` ends the statement unless it is inside
    /// parentheses (as in a multi-action `CREATE RULE … DO (…; …)`, which
    /// `psql` does not split either) or inside the SQL-standard body of
    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END`, where
    /// `CASE … END` nests; `end`/`case` after `.` or `AS` are names. A plain
    /// `BEGIN` does not open a body (PL/pgSQL bodies are dollar-quoted).
    Postgres,
    /// MySQL and MariaDB, following the server's lexer in the default
    /// `sql_mode` and the `mysql`/`mariadb` client's `DELIMITER` command:
    /// `#` and `-- ` (a space or control character after `--`) comments;
    /// `/* */` not nested; `/*! … */` and `/*M! … */` are statement text that
    /// never splits; `'…'` and `"…"` strings with backslash escapes and
    /// doubled quotes; `` `…` `` identifiers with doubled backticks.
    /// A line `DELIMITER xx` (first on its line, between statements) is not
    /// sent: statements end at `xx` (which is not part of their text) until
    /// `DELIMITER ;`. At `;`, a `CREATE … PROCEDURE|FUNCTION|TRIGGER|EVENT`
    /// whose compound body (`BEGIN … END`, `IF … END IF`, `CASE … END CASE`,
    /// `LOOP`, `REPEAT`, `WHILE`, `FOR`, nested, labelled) is still open does
    /// not end, nor does MariaDB's `BEGIN NOT ATOMIC … END` or a top-level
    /// compound statement, as the server's parser reads them.
    MySql,
}

impl Flavor {
    /// Every flavour, for checks that must hold whichever engine runs a file.
    pub const ALL: &'static [Flavor] = &[Flavor::Sqlite, Flavor::Postgres, Flavor::MySql];

    /// Short name for messages (`sqlite`, `postgres`, `mysql`).
    pub fn name(self) -> &'static str {
        match self {
            Flavor::Sqlite => "sqlite",
            Flavor::Postgres => "postgres",
            Flavor::MySql => "mysql",
        }
    }
}

impl std::fmt::Display for Flavor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
