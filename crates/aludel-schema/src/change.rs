//! The typed result of a diff: what must change, in the order it must happen.
//!
//! A change carries the objects on both sides that it needs, so a renderer can
//! write its SQL (and an engine that cannot alter a table in place can rebuild
//! it from the `after` definition) without looking anything up.

use crate::model::{
    CheckConstraint, Column, Domain, EnumType, ExclusionConstraint, Extension, ForeignKey,
    Function, Index, ObjectName, PrimaryKey, Sequence, Table, TableOptions, Trigger,
    UniqueConstraint, View,
};

/// One change to a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A new table, with its constraints (its indexes come as [`Change::CreateIndex`]).
    CreateTable(Table),
    /// A table that goes, data and all.
    DropTable(Table),
    /// A table renamed (declared by the user, never guessed).
    RenameTable {
        /// The old name.
        from: ObjectName,
        /// The new name.
        to: ObjectName,
    },
    /// Changes inside one table.
    AlterTable {
        /// The table as it is (after any rename of this diff).
        before: Box<Table>,
        /// The table as it must be.
        after: Box<Table>,
        /// What differs, in the order it is applied.
        changes: Vec<TableChange>,
    },
    /// A new index.
    CreateIndex {
        /// The table it indexes.
        table: ObjectName,
        /// The index.
        index: Index,
    },
    /// An index that goes.
    DropIndex {
        /// The table it indexes.
        table: ObjectName,
        /// The index.
        index: Index,
    },
    /// A new view.
    CreateView(View),
    /// A view that goes (or is replaced: dropped, then created anew).
    DropView(View),
    /// A new trigger.
    CreateTrigger(Trigger),
    /// A trigger that goes (or is replaced).
    DropTrigger(Trigger),
    /// A new schema (namespace; PostgreSQL).
    CreateSchema(String),
    /// A schema that goes (it is empty by then: its objects went first).
    DropSchema(String),
    /// A new extension (PostgreSQL).
    CreateExtension(Extension),
    /// An extension that goes.
    DropExtension(Extension),
    /// A new enum type (PostgreSQL).
    CreateEnum(EnumType),
    /// An enum type that goes.
    DropEnum(EnumType),
    /// A label added to an enum type in place (`ALTER TYPE … ADD VALUE`).
    AddEnumValue {
        /// The type.
        name: ObjectName,
        /// The new label.
        value: String,
        /// Where it goes.
        position: EnumPosition,
    },
    /// An enum type whose labels were removed or reordered: created anew
    /// under a temporary name, every column using it converted through
    /// text, the old type dropped and the new one renamed.
    RebuildEnum {
        /// The type as it is.
        before: EnumType,
        /// The type as it must be.
        after: EnumType,
        /// Columns (table, column) of the `after` schema that use the type.
        columns: Vec<(ObjectName, String)>,
    },
    /// A new domain (PostgreSQL).
    CreateDomain(Domain),
    /// A domain that goes (or is replaced).
    DropDomain(Domain),
    /// A new sequence not owned by a column (PostgreSQL).
    CreateSequence(Sequence),
    /// A sequence that goes.
    DropSequence(Sequence),
    /// A sequence whose options change (`ALTER SEQUENCE`).
    AlterSequence {
        /// The sequence as it is.
        before: Sequence,
        /// The sequence as it must be.
        after: Sequence,
    },
    /// A new function or procedure.
    CreateFunction(Function),
    /// A function or procedure that goes (or is replaced).
    DropFunction(Function),
}

/// Where [`Change::AddEnumValue`] puts its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumPosition {
    /// At the end.
    End,
    /// `BEFORE 'label'`.
    Before(String),
    /// `AFTER 'label'`.
    After(String),
}

/// One change inside a table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableChange {
    /// A new column.
    AddColumn(Column),
    /// A column that goes, data and all.
    DropColumn(Column),
    /// A column renamed (declared by the user, never guessed).
    RenameColumn {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A column whose definition changes.
    AlterColumn {
        /// The column as it is.
        before: Box<Column>,
        /// The column as it must be.
        after: Box<Column>,
    },
    /// The primary key changes (added, dropped or different).
    AlterPrimaryKey {
        /// The key as it is.
        before: Option<PrimaryKey>,
        /// The key as it must be.
        after: Option<PrimaryKey>,
    },
    /// A new foreign key.
    AddForeignKey(ForeignKey),
    /// A foreign key that goes.
    DropForeignKey(ForeignKey),
    /// A new unique constraint.
    AddUnique(UniqueConstraint),
    /// A unique constraint that goes.
    DropUnique(UniqueConstraint),
    /// A new check constraint.
    AddCheck(CheckConstraint),
    /// A check constraint that goes.
    DropCheck(CheckConstraint),
    /// A new exclusion constraint (PostgreSQL).
    AddExclusion(ExclusionConstraint),
    /// An exclusion constraint that goes.
    DropExclusion(ExclusionConstraint),
    /// Storage options change.
    AlterOptions {
        /// The options as they are.
        before: TableOptions,
        /// The options as they must be.
        after: TableOptions,
    },
    /// The table comment changes.
    AlterComment {
        /// The comment as it is.
        before: Option<String>,
        /// The comment as it must be.
        after: Option<String>,
    },
}

impl Change {
    /// Whether applying this change loses data (a dropped table or column).
    pub fn is_destructive(&self) -> bool {
        match self {
            Change::DropTable(_) => true,
            // Values of a removed label have nowhere to go.
            Change::RebuildEnum { before, after, .. } => {
                before.values.iter().any(|v| !after.values.contains(v))
            }
            Change::AlterTable { changes, .. } => changes.iter().any(TableChange::is_destructive),
            _ => false,
        }
    }
}

impl TableChange {
    /// Whether applying this change loses data (a dropped column).
    pub fn is_destructive(&self) -> bool {
        matches!(self, TableChange::DropColumn(_))
    }
}
