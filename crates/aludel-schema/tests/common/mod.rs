//! Hand-built models for the diff and renderer tests.
#![allow(dead_code)]

pub mod objects;
pub mod scenarios;

use aludel_schema::model::Identity;
use aludel_schema::{
    CheckConstraint, Column, Deferrable, FkAction, ForeignKey, Generated, Index, IndexKey,
    IndexPart, Migration, ObjectName, PrimaryKey, Schema, Table, Trigger, UniqueConstraint, View,
};

pub fn name(n: &str) -> ObjectName {
    ObjectName::new(n)
}

pub fn col(n: &str, ty: &str) -> Column {
    Column::new(n, ty)
}

/// Column modifiers.
pub trait ColumnExt {
    fn not_null(self) -> Column;
    fn default(self, d: &str) -> Column;
    fn collate(self, c: &str) -> Column;
    fn generated(self, expr: &str, stored: bool) -> Column;
    fn autoincrement(self) -> Column;
}

impl ColumnExt for Column {
    fn not_null(mut self) -> Column {
        self.nullable = false;
        self
    }
    fn default(mut self, d: &str) -> Column {
        self.default = Some(d.to_string());
        self
    }
    fn collate(mut self, c: &str) -> Column {
        self.collation = Some(c.to_string());
        self
    }
    fn generated(mut self, expr: &str, stored: bool) -> Column {
        self.generated = Some(Generated {
            expr: expr.to_string(),
            stored,
        });
        self
    }
    fn autoincrement(mut self) -> Column {
        self.identity = Some(Identity::AutoIncrement);
        self
    }
}

pub fn table(n: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(name(n));
    t.columns = columns;
    t
}

pub fn fk(columns: &[&str], table: &str, referenced: &[&str]) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: strings(columns),
        referenced_table: name(table),
        referenced_columns: strings(referenced),
        on_update: FkAction::NoAction,
        on_delete: FkAction::NoAction,
        deferrable: Deferrable::No,
    }
}

pub fn index(n: &str, columns: &[&str]) -> Index {
    Index {
        name: n.to_string(),
        unique: false,
        parts: columns
            .iter()
            .map(|c| IndexPart {
                key: IndexKey::Column(c.to_string()),
                descending: false,
                collation: None,
                prefix_length: None,
                nulls_first: None,
            })
            .collect(),
        predicate: None,
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    }
}

/// Table modifiers.
pub trait TableExt {
    fn pk(self, columns: &[&str]) -> Table;
    fn with_fk(self, fk: ForeignKey) -> Table;
    fn unique(self, n: Option<&str>, columns: &[&str]) -> Table;
    fn check(self, n: Option<&str>, expr: &str) -> Table;
    fn with_index(self, index: Index) -> Table;
    fn strict(self) -> Table;
    fn without_rowid(self) -> Table;
}

impl TableExt for Table {
    fn pk(mut self, columns: &[&str]) -> Table {
        self.primary_key = Some(PrimaryKey {
            name: None,
            columns: strings(columns),
            descending: vec![false; columns.len()],
        });
        self
    }
    fn with_fk(mut self, fk: ForeignKey) -> Table {
        self.foreign_keys.push(fk);
        self
    }
    fn unique(mut self, n: Option<&str>, columns: &[&str]) -> Table {
        self.uniques.push(UniqueConstraint {
            name: n.map(str::to_string),
            columns: strings(columns),
            nulls_not_distinct: false,
        });
        self
    }
    fn check(mut self, n: Option<&str>, expr: &str) -> Table {
        self.checks.push(CheckConstraint {
            name: n.map(str::to_string),
            expr: expr.to_string(),
        });
        self
    }
    fn with_index(mut self, index: Index) -> Table {
        self.indexes.insert(index.name.clone(), index);
        self
    }
    fn strict(mut self) -> Table {
        self.options.strict = true;
        self
    }
    fn without_rowid(mut self) -> Table {
        self.options.without_rowid = true;
        self
    }
}

pub fn view(n: &str, sql: &str, depends_on: &[&str]) -> View {
    View {
        name: name(n),
        sql: sql.to_string(),
        definition: sql.to_lowercase(),
        materialized: false,
        depends_on: depends_on.iter().map(|d| name(d)).collect(),
    }
}

pub fn trigger(n: &str, on: &str, sql: &str, depends_on: &[&str]) -> Trigger {
    Trigger {
        name: name(n),
        table: name(on),
        sql: sql.to_string(),
        definition: sql.to_lowercase(),
        depends_on: depends_on.iter().map(|d| name(d)).collect(),
    }
}

pub fn schema(tables: Vec<Table>, views: Vec<View>, triggers: Vec<Trigger>) -> Schema {
    let mut s = Schema::default();
    for t in tables {
        s.tables.insert(t.name.clone(), t);
    }
    for v in views {
        s.views.insert(v.name.clone(), v);
    }
    for t in triggers {
        s.triggers.insert(t.name.clone(), t);
    }
    s
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A migration as one text: detected changes, warnings, upgrade, downgrade.
pub fn show(m: &Migration) -> String {
    let mut out = String::from("## changes\n");
    for line in m.describe() {
        out.push_str(&format!("{line}\n"));
    }
    out.push_str("\n## upgrade\n");
    out.push_str(&m.upgrade_sql());
    out.push_str("\n## downgrade\n");
    out.push_str(&m.downgrade_sql());
    out
}
