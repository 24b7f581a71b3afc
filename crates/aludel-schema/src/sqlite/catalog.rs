//! The rows SQLite's catalog reports, as plain data: what the introspection
//! queries (`sqlite_schema` and the table-valued pragmas) return, one struct
//! per query. The library fills them; [`super::read_catalog`] reads them.

/// An object of `sqlite_schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRow {
    /// `table`, `index`, `view` or `trigger`.
    pub kind: String,
    /// The object's name.
    pub name: String,
    /// The table it belongs to (itself for tables and views).
    pub tbl_name: String,
    /// Its `CREATE` statement as written; `None` for automatic indexes.
    pub sql: Option<String>,
}

/// A row of `pragma_table_list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableListRow {
    /// The table's name.
    pub name: String,
    /// `table`, `view`, `virtual` or `shadow`.
    pub kind: String,
    /// `STRICT`.
    pub strict: bool,
    /// `WITHOUT ROWID`.
    pub without_rowid: bool,
}

/// A row of `pragma_table_xinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRow {
    /// The table.
    pub table: String,
    /// Position in the table, from 0.
    pub cid: i64,
    /// The column's name.
    pub name: String,
    /// The type as declared (empty when none).
    pub data_type: String,
    /// `NOT NULL`.
    pub notnull: bool,
    /// The default's text as SQLite stored it.
    pub dflt_value: Option<String>,
    /// Position in the primary key, from 1; 0 when not in it.
    pub pk: i64,
    /// 0: ordinary, 1: hidden (virtual tables), 2: generated virtual,
    /// 3: generated stored.
    pub hidden: i64,
}

/// A row of `pragma_foreign_key_list` (one per column of each key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyRow {
    /// The referencing table.
    pub table: String,
    /// The key's number in its table.
    pub id: i64,
    /// The column's position in the key.
    pub seq: i64,
    /// The referenced table.
    pub referenced_table: String,
    /// The referencing column.
    pub from: String,
    /// The referenced column; `None` when the key names only the table.
    pub to: Option<String>,
    /// `ON UPDATE` action as SQLite spells it (`NO ACTION`, `CASCADE`, ...).
    pub on_update: String,
    /// `ON DELETE` action.
    pub on_delete: String,
    /// `MATCH` (SQLite parses it and ignores it; `NONE` when absent).
    pub match_kind: String,
}

/// A row of `pragma_index_list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexListRow {
    /// The indexed table.
    pub table: String,
    /// The index's name.
    pub name: String,
    /// Unique index.
    pub unique: bool,
    /// `c` (`CREATE INDEX`), `u` (`UNIQUE` constraint), `pk` (primary key).
    pub origin: String,
    /// Partial index (`WHERE`).
    pub partial: bool,
}

/// A row of `pragma_index_xinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexColumnRow {
    /// The index.
    pub index: String,
    /// Position in the index, from 0.
    pub seqno: i64,
    /// The table column's `cid`; -1: the rowid, -2: an expression.
    pub cid: i64,
    /// The column's name (`None` for expressions and the rowid).
    pub name: Option<String>,
    /// `DESC`.
    pub desc: bool,
    /// The collating sequence.
    pub coll: Option<String>,
    /// A key column (not one of the auxiliary columns SQLite appends).
    pub key: bool,
}

/// Everything the introspection queries returned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// `sqlite_schema`.
    pub objects: Vec<ObjectRow>,
    /// `pragma_table_list` of the main schema.
    pub tables: Vec<TableListRow>,
    /// `pragma_table_xinfo` of every table.
    pub columns: Vec<ColumnRow>,
    /// `pragma_foreign_key_list` of every table.
    pub foreign_keys: Vec<ForeignKeyRow>,
    /// `pragma_index_list` of every table.
    pub indexes: Vec<IndexListRow>,
    /// `pragma_index_xinfo` of every index.
    pub index_columns: Vec<IndexColumnRow>,
}

impl Catalog {
    /// The catalog without the named tables (compared without regard to
    /// ASCII case), their indexes and the triggers on them.
    pub fn without_tables(mut self, excluded: &[&str]) -> Catalog {
        let gone = |name: &str| excluded.iter().any(|e| e.eq_ignore_ascii_case(name));
        let dropped_indexes: Vec<String> = self
            .indexes
            .iter()
            .filter(|i| gone(&i.table))
            .map(|i| i.name.clone())
            .chain(
                self.objects
                    .iter()
                    .filter(|o| o.kind == "index" && gone(&o.tbl_name))
                    .map(|o| o.name.clone()),
            )
            .collect();
        self.objects
            .retain(|o| !(gone(&o.tbl_name) || o.kind == "view" && gone(&o.name)));
        self.tables.retain(|t| !gone(&t.name));
        self.columns.retain(|c| !gone(&c.table));
        self.foreign_keys.retain(|f| !gone(&f.table));
        self.indexes.retain(|i| !gone(&i.table));
        self.index_columns
            .retain(|c| !dropped_indexes.contains(&c.index));
        self
    }
}
