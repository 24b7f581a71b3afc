//! The rowid in a table rebuild: kept when no column carries it.

use crate::model::Table;

/// Whether the copy must carry the rowid itself: both sides are rowid
/// tables and `after` has no `INTEGER PRIMARY KEY` (whose column carries
/// it), so the new table would otherwise number the rows 1, 2, … and a
/// rowid held elsewhere (an application, an external-content FTS index)
/// would point at another row. Not when a column is named `rowid`.
pub(super) fn keeps_rowid(before: &Table, after: &Table) -> bool {
    let rowid_column = |t: &Table| {
        t.columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case("rowid"))
    };
    !before.options.without_rowid
        && !after.options.without_rowid
        && rowid_alias(after).is_none()
        && !rowid_column(before)
        && !rowid_column(after)
}

/// The column that is `after`'s rowid (`INTEGER PRIMARY KEY`), if any.
fn rowid_alias(table: &Table) -> Option<&str> {
    let pk = table.primary_key.as_ref()?;
    let [column] = pk.columns.as_slice() else {
        return None;
    };
    let declared = table.column(column)?;
    (declared.data_type.eq_ignore_ascii_case("INTEGER") && !pk.descending.iter().any(|d| *d))
        .then_some(column.as_str())
}
