//! Renames: declared by the user (`--rename`), never guessed, and the
//! candidates a terminal may offer (y/N) when a table or column disappears
//! while one of the same shape appears.

use std::fmt;

use thiserror::Error;

use crate::model::{ObjectName, Schema, Table};

/// The renames declared for one diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Table renames, `(old name, new name)`.
    pub tables: Vec<(ObjectName, ObjectName)>,
    /// Column renames.
    pub columns: Vec<ColumnRename>,
}

/// A column rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRename {
    /// The table, by its NEW name (its name in the desired schema).
    pub table: ObjectName,
    /// The column's old name.
    pub from: String,
    /// The column's new name.
    pub to: String,
}

/// A `--rename` flag that does not read as `old=new` or `table.old=new`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "--rename {flag:?}: {reason} (expected old_table=new_table or table.old_column=new_column)"
)]
pub struct RenameFlagError {
    /// The flag as given.
    pub flag: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Renames {
    /// No renames.
    pub fn none() -> Renames {
        Renames::default()
    }

    /// Parses one `--rename` flag and adds it: `old=new` renames a table,
    /// `table.old=new` (or `table.old=table.new`) renames a column of `table`
    /// (the table's new name when it is renamed too). A name holding `.`,
    /// `=` or spaces is written in double quotes (`"a.b"="c d"`, `""` for a
    /// quote inside).
    pub fn parse_flag(&mut self, flag: &str) -> Result<(), RenameFlagError> {
        let error = |reason| RenameFlagError {
            flag: flag.to_string(),
            reason,
        };
        let (left, right) = split_unquoted(flag, '=').ok_or_else(|| error("no '='"))?;
        if split_unquoted(right, '=').is_some() {
            return Err(error("both sides must name something"));
        }
        let quoting = "a name opened with '\"' must end with '\"' before '.' or '='";
        let left = flag_names(left).ok_or_else(|| error(quoting))?;
        let right = flag_names(right).ok_or_else(|| error(quoting))?;
        if left.len() == 1 && left.iter().chain(&right).any(String::is_empty) {
            return Err(error("both sides must name something"));
        }
        match (left.as_slice(), right.as_slice()) {
            ([from], [to]) => {
                self.tables
                    .push((ObjectName::new(from.as_str()), ObjectName::new(to.as_str())));
            }
            ([_], _) => return Err(error("a table rename's new name has no '.'")),
            ([table, from], [to]) | ([table, from], [_, to])
                if right.len() == 1 || right[0] == *table =>
            {
                if table.is_empty() || from.is_empty() || to.is_empty() {
                    return Err(error("expected table.old_column=new_column"));
                }
                self.columns.push(ColumnRename {
                    table: ObjectName::new(table.as_str()),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
            ([_, _], [_, _]) => {
                return Err(error("a column can only be renamed within its table"));
            }
            _ => return Err(error("expected table.old_column=new_column")),
        }
        Ok(())
    }

    /// Parses every flag (see [`Renames::parse_flag`]).
    pub fn parse_flags<'a>(
        flags: impl IntoIterator<Item = &'a str>,
    ) -> Result<Renames, RenameFlagError> {
        let mut renames = Renames::default();
        for flag in flags {
            renames.parse_flag(flag)?;
        }
        Ok(renames)
    }

    /// Whether nothing is renamed.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty()
    }

    /// The renames that undo these (for the downgrade): each `old=new`
    /// becomes `new=old`, and a column rename names its table by the table's
    /// old name.
    pub fn inverted(&self) -> Renames {
        Renames {
            tables: self
                .tables
                .iter()
                .map(|(from, to)| (to.clone(), from.clone()))
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|c| ColumnRename {
                    table: self.old_table_name(&c.table).clone(),
                    from: c.to.clone(),
                    to: c.from.clone(),
                })
                .collect(),
        }
    }

    /// The name a table of the desired schema has in the current one (names
    /// match exactly, else without regard to ASCII case).
    pub fn old_table_name<'a>(&'a self, new: &'a ObjectName) -> &'a ObjectName {
        let found = |same: &dyn Fn(&ObjectName, &ObjectName) -> bool| {
            self.tables.iter().find(|(_, to)| same(to, new))
        };
        found(&|a, b| a == b)
            .or_else(|| found(&loosely_equal))
            .map_or(new, |(from, _)| from)
    }

    /// The name a table of the current schema has in the desired one (names
    /// match exactly, else without regard to ASCII case).
    pub fn new_table_name<'a>(&'a self, old: &'a ObjectName) -> &'a ObjectName {
        let found = |same: &dyn Fn(&ObjectName, &ObjectName) -> bool| {
            self.tables.iter().find(|(from, _)| same(from, old))
        };
        found(&|a, b| a == b)
            .or_else(|| found(&loosely_equal))
            .map_or(old, |(_, to)| to)
    }
}

/// A rename the user may have meant: something disappears while something of
/// the same shape appears in the same place. Offered, never applied unasked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RenameCandidate {
    /// A table only in the current schema and one only in the desired schema
    /// with the same column names and types.
    Table {
        /// The current name.
        from: ObjectName,
        /// The desired name.
        to: ObjectName,
    },
    /// In a table on both sides, a column only in the current table and one
    /// only in the desired table, of the same type.
    Column {
        /// The table, by its desired name.
        table: ObjectName,
        /// The current column name.
        from: String,
        /// The desired column name.
        to: String,
    },
}

impl RenameCandidate {
    /// The `--rename` flag that declares this rename.
    pub fn flag(&self) -> String {
        match self {
            RenameCandidate::Table { from, to } => format!("{from}={to}"),
            RenameCandidate::Column { table, from, to } => format!("{table}.{from}={to}"),
        }
    }

    /// Adds this rename to `renames`.
    pub fn declare(&self, renames: &mut Renames) {
        match self {
            RenameCandidate::Table { from, to } => {
                renames.tables.push((from.clone(), to.clone()));
            }
            RenameCandidate::Column { table, from, to } => renames.columns.push(ColumnRename {
                table: table.clone(),
                from: from.clone(),
                to: to.clone(),
            }),
        }
    }
}

impl fmt::Display for RenameCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameCandidate::Table { from, to } => {
                write!(f, "table '{from}' renamed to '{to}'")
            }
            RenameCandidate::Column { table, from, to } => {
                write!(f, "column '{table}.{from}' renamed to '{table}.{to}'")
            }
        }
    }
}

/// The renames the user may have meant, beyond those already declared:
/// tables of the same shape (column names and types) that disappear and
/// appear, and, in each table on both sides, columns of the same type that
/// disappear and appear. Deterministic order: tables by name, then columns
/// in their tables' column order.
pub fn rename_candidates(
    current: &Schema,
    desired: &Schema,
    renames: &Renames,
) -> Vec<RenameCandidate> {
    let current = &crate::diff::align(current, desired);
    let renames = &crate::diff::resolve_renames(current, desired, renames);
    let renames = &crate::diff::case_renames(current, desired, renames);
    let mut out = Vec::new();
    let gone: Vec<&Table> = current
        .tables
        .values()
        .filter(|t| !renames.tables.iter().any(|(from, _)| *from == t.name))
        .filter(|t| !desired.tables.contains_key(&t.name))
        .collect();
    let new: Vec<&Table> = desired
        .tables
        .values()
        .filter(|t| !renames.tables.iter().any(|(_, to)| *to == t.name))
        .filter(|t| !current.tables.contains_key(&t.name))
        .collect();
    for from in &gone {
        for to in &new {
            if shape(from) == shape(to) {
                out.push(RenameCandidate::Table {
                    from: from.name.clone(),
                    to: to.name.clone(),
                });
            }
        }
    }
    for after in desired.tables.values() {
        let Some(before) = current.tables.get(renames.old_table_name(&after.name)) else {
            continue;
        };
        let declared = |c: &ColumnRename| c.table == after.name;
        let gone = before.columns.iter().filter(|c| {
            after.column(&c.name).is_none()
                && !renames
                    .columns
                    .iter()
                    .any(|r| declared(r) && r.from == c.name)
        });
        for old in gone {
            let appeared = after.columns.iter().filter(|c| {
                before.column(&c.name).is_none()
                    && !renames
                        .columns
                        .iter()
                        .any(|r| declared(r) && r.to == c.name)
            });
            for new in appeared {
                if old.data_type.eq_ignore_ascii_case(&new.data_type) {
                    out.push(RenameCandidate::Column {
                        table: after.name.clone(),
                        from: old.name.clone(),
                        to: new.name.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Names equal without regard to ASCII case.
fn loosely_equal(a: &ObjectName, b: &ObjectName) -> bool {
    a.schema == b.schema && a.name.eq_ignore_ascii_case(&b.name)
}

/// A table's columns as sorted `(name, type)` pairs.
fn shape(table: &Table) -> Vec<(String, String)> {
    let mut shape: Vec<(String, String)> = table
        .columns
        .iter()
        .map(|c| {
            (
                c.name.to_ascii_lowercase(),
                c.data_type.to_ascii_uppercase(),
            )
        })
        .collect();
    shape.sort();
    shape
}

/// Splits `text` at the first `sep` outside double quotes.
fn split_unquoted(text: &str, sep: char) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            return Some((&text[..i], &text[i + c.len_utf8()..]));
        }
    }
    None
}

/// The `.`-separated names of one side of a `--rename` flag, each bare
/// (trimmed) or in double quotes (`""` inside for `"`); `None` when a quote
/// is not closed or is followed by something other than `.`.
fn flag_names(side: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut chars = side.trim().chars().peekable();
    loop {
        let mut name = String::new();
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next()? {
                    '"' if chars.next_if_eq(&'"').is_some() => name.push('"'),
                    '"' => break,
                    c => name.push(c),
                }
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
        } else {
            while let Some(c) = chars.next_if(|c| *c != '.') {
                if c == '"' {
                    return None;
                }
                name.push(c);
            }
            name = name.trim().to_string();
        }
        names.push(name);
        match chars.next() {
            None => return Some(names),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}
