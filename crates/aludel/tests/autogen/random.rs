//! Random schemas and random changes to them, for the property test: 2–5
//! tables (`id INTEGER PRIMARY KEY` and a few columns of a few types,
//! nullability, defaults), foreign keys to earlier tables with random
//! actions, indexes, a view on the first table and a trigger on the second table that names the first (neither is
//! ever dropped);
//! a change is read from four small numbers, each taken modulo what the
//! schema holds, so every sequence applies; rows come from a seed.

use std::fmt::Write as _;

/// The column types used.
pub const TYPES: [&str; 4] = ["INTEGER", "TEXT", "REAL", "NUMERIC"];
/// The `ON DELETE` actions used.
pub const ACTIONS: [&str; 4] = ["NO ACTION", "CASCADE", "SET NULL", "RESTRICT"];

/// A column (never the `id` key).
#[derive(Debug, Clone)]
pub struct Col {
    /// Its name.
    pub name: String,
    /// An index into [`TYPES`].
    pub ty: usize,
    /// `false`: NOT NULL.
    pub nullable: bool,
    /// The default, SQL text.
    pub default: Option<String>,
}

/// A foreign key `column REFERENCES parent (id)`.
#[derive(Debug, Clone)]
pub struct Fk {
    /// The referencing column.
    pub column: String,
    /// The referenced (earlier) table.
    pub parent: String,
    /// An index into [`ACTIONS`].
    pub action: usize,
}

/// An index.
#[derive(Debug, Clone)]
pub struct Ix {
    /// Its name.
    pub name: String,
    /// Its columns.
    pub columns: Vec<String>,
    /// `CREATE UNIQUE INDEX` (always ends with `id`, so rows stay unique).
    pub unique: bool,
}

/// A table.
#[derive(Debug, Clone)]
pub struct Tab {
    /// Its name.
    pub name: String,
    /// Its columns after `id`.
    pub cols: Vec<Col>,
    /// Its foreign keys.
    pub fks: Vec<Fk>,
    /// Its indexes.
    pub indexes: Vec<Ix>,
}

/// A schema: tables in creation order (parents first).
#[derive(Debug, Clone)]
pub struct Db {
    /// The tables; the first two are never dropped.
    pub tables: Vec<Tab>,
    /// Counter for fresh names.
    pub next: usize,
}

/// A default literal of type `ty`, variant `v`.
pub fn literal(ty: usize, v: usize) -> String {
    match (ty % 4, v % 2) {
        (0, 0) => "0".into(),
        (0, _) => "42".into(),
        (1, 0) => "'x'".into(),
        (1, _) => "'it''s'".into(),
        (2, 0) => "1.5".into(),
        (2, _) => "-2.0".into(),
        (_, 0) => "7".into(),
        _ => "'3'".into(),
    }
}

impl Db {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn is_fk(&self, t: usize, column: &str) -> bool {
        self.tables[t].fks.iter().any(|f| f.column == column)
    }

    /// A column of table `t` chosen by `pick` that is not a foreign key.
    fn plain_col(&self, t: usize, pick: u8) -> Option<usize> {
        let plain: Vec<usize> = (0..self.tables[t].cols.len())
            .filter(|&i| !self.is_fk(t, &self.tables[t].cols[i].name))
            .collect();
        (!plain.is_empty()).then(|| plain[pick as usize % plain.len()])
    }

    /// Adds a column to table `t` (kind: nullable, with default, NOT NULL with default).
    pub fn add_column(&mut self, t: usize, ty: u8, kind: u8) {
        let name = self.fresh("c");
        let ty = ty as usize % 4;
        let default = (!kind.is_multiple_of(3)).then(|| literal(ty, kind as usize));
        let col = Col {
            name,
            ty,
            nullable: kind % 3 != 2,
            default,
        };
        self.tables[t].cols.push(col);
    }

    /// Adds table `tN` with a column and, when `fk`, a key to table `parent`.
    pub fn add_table(&mut self, ty: u8, fk: Option<(usize, usize)>) {
        let name = self.fresh("t");
        let mut table = Tab {
            name,
            cols: Vec::new(),
            fks: Vec::new(),
            indexes: Vec::new(),
        };
        let col = self.fresh("c");
        table.cols.push(Col {
            name: col,
            ty: ty as usize % 4,
            nullable: true,
            default: None,
        });
        if let Some((parent, action)) = fk {
            let parent = self.tables[parent % self.tables.len()].name.clone();
            let column = self.fresh("p");
            table.cols.push(Col {
                name: column.clone(),
                ty: 0,
                nullable: true,
                default: None,
            });
            table.fks.push(Fk {
                column,
                parent,
                action: action % 4,
            });
        }
        self.tables.push(table);
    }

    /// Applies change `kind` read from `a`, `b`, `c` (each modulo the schema).
    pub fn apply(&mut self, kind: u8, a: u8, b: u8, c: u8) {
        let t = a as usize % self.tables.len();
        match kind % 10 {
            0 => self.add_column(t, b, c),
            1 => {
                let n = self.tables[t].cols.len();
                if n == 0 {
                    return;
                }
                let i = b as usize % n;
                let table = &mut self.tables[t];
                let gone = table.cols.remove(i).name;
                table.fks.retain(|f| f.column != gone);
                table.indexes.retain(|ix| !ix.columns.contains(&gone));
            }
            2 => {
                if let Some(i) = self.plain_col(t, b) {
                    self.tables[t].cols[i].ty = c as usize % 4;
                }
            }
            3 => {
                if let Some(i) = self.plain_col(t, b) {
                    let col = &mut self.tables[t].cols[i];
                    col.nullable = !col.nullable;
                    if !col.nullable && col.default.is_none() {
                        col.default = Some(literal(col.ty, c as usize));
                    }
                }
            }
            4 => {
                if let Some(i) = self.plain_col(t, b) {
                    let col = &mut self.tables[t].cols[i];
                    col.default = (!c.is_multiple_of(3)).then(|| literal(col.ty, c as usize));
                }
            }
            5 => {
                if self.tables[t].cols.is_empty() {
                    return;
                }
                let n = self.tables[t].cols.len();
                let mut columns = vec![self.tables[t].cols[b as usize % n].name.clone()];
                if c % 3 == 1 {
                    columns.push(self.tables[t].cols[(b as usize + 1) % n].name.clone());
                }
                columns.dedup();
                let unique = c % 2 == 1;
                if unique {
                    columns.push("id".into());
                }
                let name = self.fresh("ix");
                self.tables[t].indexes.push(Ix {
                    name,
                    columns,
                    unique,
                });
            }
            6 => {
                let n = self.tables[t].indexes.len();
                if n > 0 {
                    self.tables[t].indexes.remove(b as usize % n);
                }
            }
            7 => self.change_fk(t, b, c),
            8 => self.add_table(b, (c % 2 == 1).then_some((a as usize, b as usize))),
            _ => self.drop_table(t),
        }
    }

    fn change_fk(&mut self, t: usize, b: u8, c: u8) {
        let n = self.tables[t].fks.len();
        if n > 0 && c.is_multiple_of(2) {
            self.tables[t].fks[b as usize % n].action = c as usize / 2 % 4;
        } else if n > 0 {
            self.tables[t].fks.remove(b as usize % n);
        } else if t > 0 {
            let parent = self.tables[b as usize % t].name.clone();
            let column = self.fresh("p");
            self.tables[t].cols.push(Col {
                name: column.clone(),
                ty: 0,
                nullable: true,
                default: None,
            });
            self.tables[t].fks.push(Fk {
                column,
                parent,
                action: c as usize % 4,
            });
        }
    }

    fn drop_table(&mut self, t: usize) {
        let name = self.tables[t].name.clone();
        let referenced = self
            .tables
            .iter()
            .any(|other| other.fks.iter().any(|f| f.parent == name));
        if t >= 2 && !referenced {
            self.tables.remove(t);
        }
    }

    /// The schema as DDL.
    pub fn ddl(&self) -> String {
        let mut out = String::new();
        for table in &self.tables {
            let mut parts = vec!["id INTEGER PRIMARY KEY".to_string()];
            for col in &table.cols {
                let mut part = format!("{} {}", col.name, TYPES[col.ty]);
                if !col.nullable {
                    part.push_str(" NOT NULL");
                }
                if let Some(default) = &col.default {
                    let _ = write!(part, " DEFAULT {default}");
                }
                if let Some(fk) = table.fks.iter().find(|f| f.column == col.name) {
                    let _ = write!(
                        part,
                        " REFERENCES {} (id) ON DELETE {}",
                        fk.parent, ACTIONS[fk.action]
                    );
                }
                parts.push(part);
            }
            let _ = writeln!(out, "CREATE TABLE {} ({});", table.name, parts.join(", "));
            for ix in &table.indexes {
                let unique = if ix.unique { "UNIQUE " } else { "" };
                let _ = writeln!(
                    out,
                    "CREATE {unique}INDEX {} ON {} ({});",
                    ix.name,
                    table.name,
                    ix.columns.join(", ")
                );
            }
        }
        let (first, second) = (&self.tables[0].name, &self.tables[1].name);
        let _ = writeln!(out, "CREATE VIEW v0 AS SELECT * FROM {first} WHERE id > 0;");
        let _ = writeln!(
            out,
            "CREATE TRIGGER trg1 AFTER INSERT ON {second} BEGIN UPDATE {first} SET id = id WHERE id = NEW.id; END;"
        );
        out
    }

    /// INSERTs for this schema from `seed`: 0–3 rows per table, values of each
    /// column's type (NULL sometimes where allowed), keys to existing parents.
    pub fn rows(&self, seed: u64) -> String {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut counts = std::collections::BTreeMap::new();
        let mut out = String::new();
        for table in &self.tables {
            let n = next() % 4;
            counts.insert(table.name.clone(), n);
            for id in 1..=n {
                let mut names = vec!["id".to_string()];
                let mut values = vec![id.to_string()];
                for col in &table.cols {
                    let r = next();
                    let value = if let Some(fk) = table.fks.iter().find(|f| f.column == col.name) {
                        let parents = counts.get(&fk.parent).copied().unwrap_or(0);
                        if parents == 0 || r % 3 == 0 {
                            "NULL".to_string()
                        } else {
                            (1 + r % parents).to_string()
                        }
                    } else if col.nullable && r % 4 == 0 {
                        "NULL".to_string()
                    } else {
                        value(col.ty, r)
                    };
                    names.push(col.name.clone());
                    values.push(value);
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

fn value(ty: usize, r: u64) -> String {
    let pick = (r >> 8) as usize;
    match ty {
        0 => ["0", "1", "-5", "42", "'12'"][pick % 5].into(),
        1 => ["'a'", "'b b'", "'12'", "''", "'it''s'"][pick % 5].into(),
        2 => ["0.5", "2.0", "-1.25", "3"][pick % 4].into(),
        _ => ["7", "'3'", "1.5", "'x'"][pick % 4].into(),
    }
}
