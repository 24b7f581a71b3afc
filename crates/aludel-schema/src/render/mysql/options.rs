//! Table options: engine, character set and collation.

use super::COPIES;
use super::ddl::column_def;
use crate::model::{ObjectName, Table, TableOptions};
use crate::mysql::quote_ident;
use crate::render::Block;

/// Engine and character set changes. `CONVERT TO CHARACTER SET` converts
/// every text column, so columns that keep a character set or collation
/// of their own get it back after.
pub(super) fn options(
    name: &ObjectName,
    table: &Table,
    old: &TableOptions,
    new: &TableOptions,
    mariadb: bool,
) -> Block {
    let mut statements = Vec::new();
    let quoted = quote_ident(&name.name);
    if old.engine != new.engine
        && let Some(engine) = &new.engine
    {
        statements.push(format!("ALTER TABLE {quoted} ENGINE={engine}"));
    }
    if (old.charset != new.charset || old.collation != new.collation)
        && let Some(charset) = &new.charset
    {
        let collate = new
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        statements.push(format!(
            "ALTER TABLE {quoted} CONVERT TO CHARACTER SET {charset}{collate}"
        ));
        for column in &table.columns {
            // MariaDB's JSON is LONGTEXT COLLATE utf8mb4_bin, which
            // CONVERT TO changes too.
            let json = mariadb && column.data_type.eq_ignore_ascii_case("json");
            if column.charset.is_some() || column.collation.is_some() || json {
                statements.push(format!(
                    "ALTER TABLE {quoted} MODIFY COLUMN {}",
                    column_def(column)
                ));
            }
        }
    }
    let mut block = Block::new(format!("Change the table options of {name}"), statements);
    block.notes.push(COPIES.to_string());
    block
}
