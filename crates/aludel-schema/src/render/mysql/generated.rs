//! Generated columns MariaDB and MySQL cannot `MODIFY` in place.

use super::COPIES;
use super::alter::{alter, noted, position};
use super::ddl::column_def;
use crate::model::{Column, ObjectName, Table};
use crate::mysql::quote_ident;
use crate::render::Block;

/// Whether `column` is a VIRTUAL generated column.
pub(super) fn is_virtual(column: &Column) -> bool {
    column.generated.as_ref().is_some_and(|g| !g.stored)
}

/// A column that becomes or stops being VIRTUAL, which `MODIFY COLUMN`
/// refuses ("This is not yet supported for generated columns"): dropped
/// and added again in one statement, which keeps its indexes.
pub(super) fn readd_column(
    name: &ObjectName,
    after: &Table,
    old: &Column,
    new: &Column,
    title: String,
) -> Block {
    let clause = format!(
        "DROP COLUMN {}, ADD COLUMN {}{}",
        quote_ident(&new.name),
        column_def(new),
        position(after, &new.name)
    );
    let mut block = noted(alter(name, title, &clause), COPIES);
    let column = format!("{name}.{}", new.name);
    match (old.generated.is_some(), new.generated.is_some()) {
        (false, true) => block.warnings.push(format!(
            "DATA LOSS: column '{column}' becomes generated: it is dropped and added again, its stored values replaced by computed ones"
        )),
        (true, false) => block.warnings.push(format!(
            "DATA LOSS: column '{column}' stops being generated: it is dropped and added again without the values it computed"
        )),
        _ => {}
    }
    block
}
