//! Random schemas for the property test: 2–5 tables (`id INTEGER PRIMARY
//! KEY` and a few columns of a few types, nullability, defaults, collations,
//! checks, generated columns), foreign keys to earlier tables with random
//! actions, indexes, unique constraints, WITHOUT ROWID, a view on the first
//! table and a trigger on the second that names the first (neither table is
//! ever dropped); changes are in `changes`; rows come from a seed.

use std::collections::BTreeMap;
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
    /// Its name in the initial schema (`None`: added since).
    pub origin: Option<String>,
    /// An index into [`TYPES`].
    pub ty: usize,
    /// `false`: NOT NULL.
    pub nullable: bool,
    /// The default, SQL text.
    pub default: Option<String>,
    /// `COLLATE NOCASE`.
    pub nocase: bool,
    /// `CHECK (length(col) >= 0)` (true for every row).
    pub check: bool,
    /// `GENERATED ALWAYS AS (id * 2)` (virtual; never given a value).
    pub generated: bool,
    /// Made as a foreign key column: never given a default or NOT NULL,
    /// even once its key is gone (a `COALESCE`d value would not satisfy
    /// the key the downgrade restores, which then rightly refuses).
    pub key: bool,
}

impl Col {
    /// A nullable column with nothing else declared.
    pub fn new(name: String, ty: usize) -> Col {
        Col {
            name,
            origin: None,
            ty,
            nullable: true,
            default: None,
            nocase: false,
            check: false,
            generated: false,
            key: false,
        }
    }
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
    /// Its name in the initial schema (`None`: added since).
    pub origin: Option<String>,
    /// Its columns after `id`.
    pub cols: Vec<Col>,
    /// Its foreign keys.
    pub fks: Vec<Fk>,
    /// Its indexes.
    pub indexes: Vec<Ix>,
    /// `UNIQUE (column, id)`.
    pub unique: Option<String>,
    /// `WITHOUT ROWID`.
    pub without_rowid: bool,
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
    /// No tables yet.
    pub fn new() -> Db {
        Db {
            tables: Vec::new(),
            next: 0,
        }
    }

    /// A fresh name starting with `prefix`.
    pub fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    /// Records every table's and column's current name as its origin.
    pub fn mark_origins(&mut self) {
        for table in &mut self.tables {
            table.origin = Some(table.name.clone());
            for col in &mut table.cols {
                col.origin = Some(col.name.clone());
            }
        }
    }

    /// The `--rename` flags from the initial schema to this one.
    pub fn renames(&self) -> Vec<String> {
        let mut flags = Vec::new();
        for table in &self.tables {
            if let Some(old) = table.origin.as_ref().filter(|o| **o != table.name) {
                flags.push(format!("{old}={}", table.name));
            }
            for col in &table.cols {
                if let Some(old) = col.origin.as_ref().filter(|o| **o != col.name) {
                    flags.push(format!("{}.{old}={}", table.name, col.name));
                }
            }
        }
        flags
    }

    /// Adds a column to table `t` (kind: nullable, with default, NOT NULL with default).
    pub fn add_column(&mut self, t: usize, ty: u8, kind: u8) {
        let name = self.fresh("c");
        let mut col = Col::new(name, ty as usize % 4);
        col.default = (!kind.is_multiple_of(3)).then(|| literal(col.ty, kind as usize));
        col.nullable = kind % 3 != 2;
        self.tables[t].cols.push(col);
    }

    /// Adds table `tN` with a column and, when `fk`, a key to table `parent`.
    pub fn add_table(&mut self, ty: u8, fk: Option<(usize, usize)>) {
        let name = self.fresh("t");
        let col = self.fresh("c");
        let mut table = Tab {
            name,
            origin: None,
            cols: vec![Col::new(col, ty as usize % 4)],
            fks: Vec::new(),
            indexes: Vec::new(),
            unique: None,
            without_rowid: false,
        };
        if let Some((parent, action)) = fk {
            let parent = self.tables[parent % self.tables.len()].name.clone();
            let column = self.fresh("p");
            let mut col = Col::new(column.clone(), 0);
            col.key = true;
            table.cols.push(col);
            table.fks.push(Fk {
                column,
                parent,
                action: action % 4,
            });
        }
        self.tables.push(table);
    }

    /// The first ordinary column of the first table, for the view and trigger.
    fn watched(&self) -> Option<&str> {
        let first = &self.tables[0];
        first
            .cols
            .iter()
            .find(|c| !c.generated)
            .map(|c| c.name.as_str())
    }

    fn column_ddl(table: &Tab, col: &Col) -> String {
        let mut part = format!("{} {}", col.name, TYPES[col.ty]);
        if col.generated {
            part.push_str(" GENERATED ALWAYS AS (id * 2) VIRTUAL");
        }
        if !col.nullable {
            part.push_str(" NOT NULL");
        }
        if let Some(default) = &col.default {
            let _ = write!(part, " DEFAULT {default}");
        }
        if col.nocase {
            part.push_str(" COLLATE NOCASE");
        }
        if col.check {
            let _ = write!(part, " CHECK (length({}) >= 0)", col.name);
        }
        if let Some(fk) = table.fks.iter().find(|f| f.column == col.name) {
            let action = ACTIONS[fk.action];
            let _ = write!(part, " REFERENCES {} (id) ON DELETE {action}", fk.parent);
        }
        part
    }

    /// The schema as DDL.
    pub fn ddl(&self) -> String {
        let mut out = String::new();
        for table in &self.tables {
            let mut parts = vec!["id INTEGER PRIMARY KEY".to_string()];
            parts.extend(table.cols.iter().map(|col| Db::column_ddl(table, col)));
            if let Some(col) = &table.unique {
                parts.push(format!("UNIQUE ({col}, id)"));
            }
            let options = if table.without_rowid {
                " WITHOUT ROWID"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "CREATE TABLE {} ({}){options};",
                table.name,
                parts.join(", ")
            );
            for ix in &table.indexes {
                let unique = if ix.unique { "UNIQUE " } else { "" };
                let columns = ix.columns.join(", ");
                let _ = writeln!(
                    out,
                    "CREATE {unique}INDEX {} ON {} ({columns});",
                    ix.name, table.name
                );
            }
        }
        let (first, second) = (&self.tables[0].name, &self.tables[1].name);
        let watched = self.watched();
        let column = watched.map(|c| format!(", {c}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "CREATE VIEW v0 AS SELECT id{column} FROM {first} WHERE id > 0;"
        );
        let set = watched.unwrap_or("id");
        let _ = writeln!(
            out,
            "CREATE TRIGGER trg1 AFTER INSERT ON {second} BEGIN \
             UPDATE {first} SET {set} = {set} WHERE id = NEW.id; END;"
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
        let mut counts = BTreeMap::new();
        let mut out = String::new();
        for table in &self.tables {
            let n = next() % 4;
            counts.insert(table.name.clone(), n);
            for id in 1..=n {
                let mut names = vec!["id".to_string()];
                let mut values = vec![id.to_string()];
                for col in table.cols.iter().filter(|c| !c.generated) {
                    let r = next();
                    let fk = table.fks.iter().find(|f| f.column == col.name);
                    let value = if let Some(fk) = fk {
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
                let (names, values) = (names.join(", "), values.join(", "));
                let _ = writeln!(
                    out,
                    "INSERT INTO {} ({names}) VALUES ({values});",
                    table.name
                );
            }
        }
        out
    }
}

impl Default for Db {
    fn default() -> Db {
        Db::new()
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
