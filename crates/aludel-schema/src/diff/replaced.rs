//! Which views and triggers are dropped (and, when they stay, created
//! again): those that go or change, and with them every view and trigger
//! that needs one of those views — dropping a view takes the triggers on it
//! along, and a view or trigger naming a missing view breaks every later
//! `ALTER TABLE … RENAME` (SQLite re-checks the whole schema). On a server,
//! the views and triggers that call a function dropped and created again
//! go too (PostgreSQL refuses to drop a function they use).

use std::collections::BTreeSet;

use super::objects::calls;
use crate::model::{ObjectName, Schema};

/// SQLite compares names case-insensitively.
pub(crate) fn same_name(a: &ObjectName, b: &ObjectName) -> bool {
    a.schema == b.schema && a.name.eq_ignore_ascii_case(&b.name)
}

/// The views and triggers of `current` to drop on the way to `desired`;
/// `functions`: base names of functions dropped and created again.
pub(crate) fn replaced(
    current: &Schema,
    desired: &Schema,
    functions: &[String],
) -> (BTreeSet<ObjectName>, BTreeSet<ObjectName>) {
    let calls_recreated = |text: &str| functions.iter().any(|f| calls(text, f));
    let mut views: BTreeSet<ObjectName> = current
        .views
        .values()
        .filter(|old| {
            desired.views.get(&old.name).is_none_or(|v| {
                v.definition != old.definition || v.materialized != old.materialized
            }) || calls_recreated(&old.definition)
        })
        .map(|v| v.name.clone())
        .collect();
    loop {
        let needs =
            |deps: &[ObjectName]| deps.iter().any(|d| views.iter().any(|v| same_name(v, d)));
        let more: Vec<ObjectName> = current
            .views
            .values()
            .filter(|v| !views.contains(&v.name) && needs(&v.depends_on))
            .map(|v| v.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        views.extend(more);
    }
    let on_replaced = |name: &ObjectName| views.iter().any(|v| same_name(v, name));
    let triggers = current
        .triggers
        .iter()
        .filter(|(key, old)| {
            desired
                .triggers
                .get(*key)
                .is_none_or(|t| t.definition != old.definition || t.table != old.table)
                || on_replaced(&old.table)
                || old.depends_on.iter().any(on_replaced)
                || calls_recreated(&old.definition)
        })
        .map(|(key, _)| key.clone())
        .collect();
    (views, triggers)
}
