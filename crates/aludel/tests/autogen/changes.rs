//! Random changes to a [`Db`]: each is read from four small numbers, each
//! taken modulo what the schema holds, so every sequence applies (a change
//! that does not fit the schema does nothing).

use super::random::{Col, Db, Fk, Ix, literal};

/// How many kinds of change [`Db::apply`] knows.
pub const KINDS: u8 = 16;

impl Db {
    fn is_fk(&self, t: usize, column: &str) -> bool {
        self.tables[t].fks.iter().any(|f| f.column == column)
    }

    /// A column of table `t` chosen by `pick`, neither a foreign key (now or
    /// once) nor generated (`any`: foreign keys too).
    fn pick_col(&self, t: usize, pick: u8, any: bool) -> Option<usize> {
        let cols = &self.tables[t].cols;
        let fit: Vec<usize> = (0..cols.len())
            .filter(|&i| {
                !cols[i].generated && (any || !cols[i].key && !self.is_fk(t, &cols[i].name))
            })
            .collect();
        (!fit.is_empty()).then(|| fit[pick as usize % fit.len()])
    }

    /// Applies change `kind` read from `a`, `b`, `c`: add/drop column, type,
    /// NULL, default, add/drop index, foreign key, add/drop table, rename
    /// column/table, check, unique, WITHOUT ROWID, collation or generated column.
    pub fn apply(&mut self, kind: u8, a: u8, b: u8, c: u8) {
        let t = a as usize % self.tables.len();
        match kind % KINDS {
            0 => self.add_column(t, b, c),
            1 => self.drop_column(t, b),
            2 => {
                if let Some(i) = self.pick_col(t, b, false) {
                    self.tables[t].cols[i].ty = c as usize % 4;
                }
            }
            3 => {
                if let Some(i) = self.pick_col(t, b, false) {
                    let col = &mut self.tables[t].cols[i];
                    col.nullable = !col.nullable;
                    if !col.nullable && col.default.is_none() {
                        col.default = Some(literal(col.ty, c as usize));
                    }
                }
            }
            4 => {
                if let Some(i) = self.pick_col(t, b, false) {
                    let col = &mut self.tables[t].cols[i];
                    col.default = (!c.is_multiple_of(3)).then(|| literal(col.ty, c as usize));
                }
            }
            5 => self.add_index(t, b, c),
            6 => {
                let n = self.tables[t].indexes.len();
                if n > 0 {
                    self.tables[t].indexes.remove(b as usize % n);
                }
            }
            7 => self.change_fk(t, b, c),
            8 => self.add_table(b, c.is_multiple_of(2).then_some((a as usize, b as usize))),
            9 => self.drop_table(t),
            10 => self.rename_column(t, b),
            11 => self.rename_table(t),
            12 => {
                if let Some(i) = self.pick_col(t, b, false) {
                    let col = &mut self.tables[t].cols[i];
                    col.check = !col.check;
                }
            }
            13 => {
                if self.tables[t].unique.take().is_none()
                    && let Some(i) = self.pick_col(t, b, true)
                {
                    self.tables[t].unique = Some(self.tables[t].cols[i].name.clone());
                }
            }
            14 => self.tables[t].without_rowid = !self.tables[t].without_rowid,
            _ if c.is_multiple_of(2) => {
                if let Some(i) = self.pick_col(t, b, false) {
                    let col = &mut self.tables[t].cols[i];
                    col.nocase = !col.nocase;
                }
            }
            _ => {
                let name = self.fresh("g");
                let mut col = Col::new(name, 0);
                col.generated = true;
                self.tables[t].cols.push(col);
            }
        }
    }

    fn drop_column(&mut self, t: usize, b: u8) {
        let n = self.tables[t].cols.len();
        if n == 0 {
            return;
        }
        let table = &mut self.tables[t];
        let gone = table.cols.remove(b as usize % n).name;
        table.fks.retain(|f| f.column != gone);
        table.indexes.retain(|ix| !ix.columns.contains(&gone));
        if table.unique.as_ref() == Some(&gone) {
            table.unique = None;
        }
    }

    fn add_index(&mut self, t: usize, b: u8, c: u8) {
        let cols = &self.tables[t].cols;
        if cols.is_empty() {
            return;
        }
        let n = cols.len();
        let mut columns = vec![cols[b as usize % n].name.clone()];
        if c % 3 == 1 {
            columns.push(cols[(b as usize + 1) % n].name.clone());
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

    fn change_fk(&mut self, t: usize, b: u8, c: u8) {
        let n = self.tables[t].fks.len();
        if n > 0 && c.is_multiple_of(2) {
            self.tables[t].fks[b as usize % n].action = c as usize / 2 % 4;
        } else if n > 0 {
            self.tables[t].fks.remove(b as usize % n);
        } else if t > 0 {
            let parent = self.tables[b as usize % t].name.clone();
            let column = self.fresh("p");
            let mut col = Col::new(column.clone(), 0);
            col.key = true;
            self.tables[t].cols.push(col);
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

    fn rename_column(&mut self, t: usize, b: u8) {
        let Some(i) = self.pick_col(t, b, true) else {
            return;
        };
        let to = self.fresh("r");
        let table = &mut self.tables[t];
        let from = std::mem::replace(&mut table.cols[i].name, to.clone());
        let rename = |name: &mut String| {
            if *name == from {
                *name = to.clone();
            }
        };
        table.fks.iter_mut().for_each(|f| rename(&mut f.column));
        table
            .indexes
            .iter_mut()
            .for_each(|ix| ix.columns.iter_mut().for_each(rename));
        table.unique.iter_mut().for_each(rename);
    }

    fn rename_table(&mut self, t: usize) {
        let to = self.fresh("t");
        let from = std::mem::replace(&mut self.tables[t].name, to.clone());
        for table in &mut self.tables {
            for fk in table.fks.iter_mut().filter(|f| f.parent == from) {
                fk.parent = to.clone();
            }
        }
    }
}
