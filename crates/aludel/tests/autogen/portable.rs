//! Random schemas in portable DDL (types, defaults and indexes that
//! PostgreSQL, MySQL and MariaDB all accept the same way) and random changes
//! to them, for the property test on servers (`autogen_props_server.rs`).
//! Every column gets a value in every row, so a change that turns a column
//! NOT NULL keeps the rows; an added NOT NULL column has a default; a
//! dropped column is nullable or has a default (the downgrade must be able to
//! add it back to a populated table); a type change only widens; a foreign
//! key refers to an earlier table's `id`.

use std::fmt::Write as _;

/// The column types: (DDL, a literal for row `r`, the type it widens to).
const TYPES: [(&str, fn(u64) -> String, usize); 5] = [
    ("INTEGER", |r| (r % 1000).to_string(), 1),
    ("BIGINT", |r| (r * 7919 % 100_000).to_string(), 1),
    ("VARCHAR(20)", |r| format!("'v{}'", r % 97), 3),
    ("VARCHAR(80)", |r| format!("'w{}'", r % 89), 3),
    (
        "DECIMAL(10,2)",
        |r| format!("{}.{:02}", r % 500, r % 100),
        4,
    ),
];

/// A column.
#[derive(Debug, Clone)]
pub struct PCol {
    /// Its name.
    pub name: String,
    /// Index into [`TYPES`].
    pub ty: usize,
    /// Nullable.
    pub nullable: bool,
    /// Whether it has a default (a literal of its type).
    pub default: bool,
    /// The table it refers to (its `id`), if a foreign key.
    pub fk: Option<String>,
    /// NOT NULL without a default in the `before` schema ([`PDb::freeze`]):
    /// never dropped.
    pub keep: bool,
}

/// A table: `id INTEGER PRIMARY KEY`, then its columns and indexes.
#[derive(Debug, Clone)]
pub struct PTable {
    /// Its name.
    pub name: String,
    /// Columns after `id`.
    pub cols: Vec<PCol>,
    /// Indexes: (name, columns, unique).
    pub indexes: Vec<(String, Vec<String>, bool)>,
}

/// A schema of tables, in creation order.
#[derive(Debug, Clone, Default)]
pub struct PDb {
    /// The tables.
    pub tables: Vec<PTable>,
    counter: usize,
}

impl PDb {
    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    /// Adds a table (with a foreign key to an earlier one when `fk` and
    /// there is one).
    pub fn add_table(&mut self, ty: u8, fk: Option<u8>) {
        let name = self.fresh("t");
        let mut cols = vec![PCol {
            name: self.fresh("c"),
            ty: ty as usize % TYPES.len(),
            nullable: ty % 2 == 0,
            default: ty % 3 == 0,
            fk: None,
            keep: false,
        }];
        if let Some(p) = fk.filter(|_| !self.tables.is_empty()) {
            let parent = self.tables[p as usize % self.tables.len()].name.clone();
            cols.push(PCol {
                name: self.fresh("r"),
                ty: 0,
                nullable: true,
                default: false,
                fk: Some(parent),
                keep: false,
            });
        }
        self.tables.push(PTable {
            name,
            cols,
            indexes: Vec::new(),
        });
    }

    /// Applies change `kind` (modulo 9) to table `t`, column `c` (each
    /// modulo what there is): add/drop column, widen a type, toggle NULL,
    /// toggle the default, add/drop an index, add a table, drop the last table.
    pub fn apply(&mut self, kind: u8, t: u8, c: u8) {
        if self.tables.is_empty() {
            return self.add_table(c, None);
        }
        let ti = t as usize % self.tables.len();
        let plain: Vec<usize> = (0..self.tables[ti].cols.len())
            .filter(|&i| self.tables[ti].cols[i].fk.is_none())
            .collect();
        let pick = (!plain.is_empty()).then(|| plain[c as usize % plain.len()]);
        match kind % 9 {
            0 => {
                let name = self.fresh("c");
                self.tables[ti].cols.push(PCol {
                    name,
                    ty: c as usize % TYPES.len(),
                    nullable: c % 2 == 0,
                    default: true,
                    fk: None,
                    keep: false,
                });
            }
            1 => {
                // A NOT NULL column without a default cannot come back on a
                // populated table (its downgrade has no value to fill in):
                // only the others are dropped.
                let col = pick.filter(|&i| {
                    let c = &self.tables[ti].cols[i];
                    !c.keep && (c.nullable || c.default)
                });
                if let Some(i) = col {
                    let name = self.tables[ti].cols[i].name.clone();
                    let table = &mut self.tables[ti];
                    table.indexes.retain(|(_, cols, _)| !cols.contains(&name));
                    table.cols.remove(i);
                }
            }
            2 => {
                if let Some(i) = pick {
                    let col = &mut self.tables[ti].cols[i];
                    col.ty = TYPES[col.ty].2;
                }
            }
            3 => {
                if let Some(i) = pick {
                    let col = &mut self.tables[ti].cols[i];
                    col.nullable = !col.nullable;
                }
            }
            4 => {
                if let Some(i) = pick {
                    let col = &mut self.tables[ti].cols[i];
                    col.default = !col.default;
                }
            }
            5 => {
                if let Some(i) = pick {
                    let name = self.fresh("ix");
                    let col = self.tables[ti].cols[i].name.clone();
                    // Unique only on a new column's values would fail on
                    // repeated rows: indexes stay plain here.
                    self.tables[ti].indexes.push((name, vec![col], false));
                }
            }
            6 => {
                let table = &mut self.tables[ti];
                if !table.indexes.is_empty() {
                    let i = c as usize % table.indexes.len();
                    table.indexes.remove(i);
                }
            }
            7 => self.add_table(c, Some(t)),
            _ => {
                let last = self.tables.len() - 1;
                let name = self.tables[last].name.clone();
                let referenced = self.tables[..last]
                    .iter()
                    .chain(std::iter::once(&self.tables[last]))
                    .any(|tb| tb.cols.iter().any(|col| col.fk.as_deref() == Some(&name)));
                if last > 0 && !referenced {
                    self.tables.pop();
                }
            }
        }
    }

    /// Marks the columns the `before` schema has NOT NULL without a default
    /// (see [`PCol::keep`]); called once `before` is taken.
    pub fn freeze(&mut self) {
        for col in self.tables.iter_mut().flat_map(|t| t.cols.iter_mut()) {
            col.keep = !col.nullable && !col.default;
        }
    }

    /// The schema as DDL.
    pub fn ddl(&self) -> String {
        let mut out = String::new();
        for table in &self.tables {
            let mut parts = vec!["id INTEGER NOT NULL PRIMARY KEY".to_string()];
            for col in &table.cols {
                let (ty, literal, _) = TYPES[col.ty];
                let mut def = format!("{} {ty}", col.name);
                def.push_str(if col.nullable { " NULL" } else { " NOT NULL" });
                if col.default {
                    let _ = write!(def, " DEFAULT {}", literal(1));
                }
                parts.push(def);
            }
            for col in &table.cols {
                if let Some(parent) = &col.fk {
                    parts.push(format!(
                        "CONSTRAINT fk_{}_{} FOREIGN KEY ({}) REFERENCES {parent} (id)",
                        table.name, col.name, col.name
                    ));
                }
            }
            let _ = writeln!(
                out,
                "CREATE TABLE {} (\n    {}\n);",
                table.name,
                parts.join(",\n    ")
            );
            for (name, cols, unique) in &table.indexes {
                let unique = if *unique { "UNIQUE " } else { "" };
                let _ = writeln!(
                    out,
                    "CREATE {unique}INDEX {name} ON {} ({});",
                    table.name,
                    cols.join(", ")
                );
            }
        }
        out
    }

    /// `count` rows per table, every column set (foreign keys to the
    /// parent's first row, which every parent has).
    pub fn rows(&self, count: u64, seed: u64) -> String {
        let mut out = String::new();
        for table in &self.tables {
            for r in 1..=count {
                let mut names = vec!["id".to_string()];
                let mut values = vec![r.to_string()];
                for col in &table.cols {
                    names.push(col.name.clone());
                    values.push(match &col.fk {
                        Some(_) => "1".to_string(),
                        None => (TYPES[col.ty].1)(r * 31 + seed),
                    });
                }
                let _ = writeln!(
                    out,
                    "INSERT INTO {} ({}) VALUES ({});",
                    table.name,
                    names.join(", "),
                    values.join(", ")
                );
            }
        }
        out
    }
}
