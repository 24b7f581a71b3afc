//! One line per detected change, worded like Alembic's "Detected …" lines
//! (without the prefix): `added table 'feed'`, `removed column 'feed.x'`, …

use crate::change::{Change, TableChange};
use crate::model::{Column, ForeignKey, Function, Index, IndexKey, ObjectName, TableOptions};

impl Change {
    /// What this change does, one line per detected difference.
    pub fn describe(&self) -> Vec<String> {
        match self {
            Change::CreateTable(t) => vec![format!("added table '{}'", t.name)],
            Change::DropTable(t) => vec![format!("removed table '{}'", t.name)],
            Change::RenameTable { from, to } => {
                vec![format!("renamed table '{from}' to '{to}'")]
            }
            Change::AlterTable { after, changes, .. } => changes
                .iter()
                .flat_map(|c| c.describe(&after.name))
                .collect(),
            Change::CreateIndex { table, index } => {
                vec![format!("added {}", index_text(table, index))]
            }
            Change::DropIndex { table, index } => {
                vec![format!("removed {}", index_text(table, index))]
            }
            Change::CreateView(v) => vec![format!("added view '{}'", v.name)],
            Change::DropView(v) => vec![format!("removed view '{}'", v.name)],
            Change::CreateTrigger(t) => vec![format!("added trigger '{}'", t.name)],
            Change::DropTrigger(t) => vec![format!("removed trigger '{}'", t.name)],
            Change::CreateSchema(s) => vec![format!("added schema '{s}'")],
            Change::DropSchema(s) => vec![format!("removed schema '{s}'")],
            Change::CreateExtension(e) => vec![format!("added extension '{}'", e.name)],
            Change::DropExtension(e) => vec![format!("removed extension '{}'", e.name)],
            Change::CreateEnum(e) => vec![format!("added enum type '{}'", e.name)],
            Change::DropEnum(e) => vec![format!("removed enum type '{}'", e.name)],
            Change::AddEnumValue { name, value, .. } => {
                vec![format!("added value '{value}' to enum type '{name}'")]
            }
            Change::RebuildEnum { before, after, .. } => vec![format!(
                "changed enum type '{}' from ({}) to ({})",
                after.name,
                before.values.join(", "),
                after.values.join(", ")
            )],
            Change::CreateDomain(d) => vec![format!("added domain '{}'", d.name)],
            Change::DropDomain(d) => vec![format!("removed domain '{}'", d.name)],
            Change::CreateSequence(s) => vec![format!("added sequence '{}'", s.name)],
            Change::DropSequence(s) => vec![format!("removed sequence '{}'", s.name)],
            Change::AlterSequence { after, .. } => {
                vec![format!("changed sequence '{}'", after.name)]
            }
            Change::CreateFunction(f) => vec![format!("added {} '{}'", routine(f), f.name)],
            Change::DropFunction(f) => vec![format!("removed {} '{}'", routine(f), f.name)],
        }
    }
}

/// `function` or `procedure`.
fn routine(f: &Function) -> &'static str {
    if f.procedure { "procedure" } else { "function" }
}

/// Every change's lines, in order; an index, view or trigger that is dropped
/// and created again reads as one `changed …` line.
pub fn describe_changes(changes: &[Change]) -> Vec<String> {
    // A trigger is the same one when its table is, or was renamed to it
    // (PostgreSQL names triggers per table).
    let same_table = |old: &ObjectName, new: &ObjectName| {
        old == new
            || changes
                .iter()
                .any(|c| matches!(c, Change::RenameTable { from, to } if from == old && to == new))
    };
    let recreated = |change: &Change| -> Option<String> {
        match change {
            Change::DropIndex { table, index } => changes.iter().find_map(|c| match c {
                Change::CreateIndex { table: t, index: i }
                    if t == table && i.name == index.name =>
                {
                    Some(format!("changed {}", index_text(table, i)))
                }
                _ => None,
            }),
            Change::DropView(v) => changes
                .iter()
                .any(|c| matches!(c, Change::CreateView(n) if n.name == v.name))
                .then(|| format!("changed view '{}'", v.name)),
            Change::DropTrigger(t) => changes
                .iter()
                .any(|c| matches!(c, Change::CreateTrigger(n) if n.name == t.name && same_table(&t.table, &n.table)))
                .then(|| format!("changed trigger '{}'", t.name)),
            Change::DropFunction(f) => changes
                .iter()
                .any(|c| matches!(c, Change::CreateFunction(n) if n.name == f.name))
                .then(|| format!("changed {} '{}'", routine(f), f.name)),
            Change::DropDomain(d) => changes
                .iter()
                .any(|c| matches!(c, Change::CreateDomain(n) if n.name == d.name))
                .then(|| format!("changed domain '{}'", d.name)),
            _ => None,
        }
    };
    let is_recreation = |change: &Change| -> bool {
        changes.iter().any(|c| match (c, change) {
            (Change::DropIndex { table, index }, Change::CreateIndex { table: t, index: i }) => {
                t == table && i.name == index.name
            }
            (Change::DropView(d), Change::CreateView(n)) => d.name == n.name,
            (Change::DropTrigger(d), Change::CreateTrigger(n)) => {
                d.name == n.name && same_table(&d.table, &n.table)
            }
            (Change::DropFunction(d), Change::CreateFunction(n)) => d.name == n.name,
            (Change::DropDomain(d), Change::CreateDomain(n)) => d.name == n.name,
            _ => false,
        })
    };
    let mut out = Vec::new();
    for change in changes {
        if let Some(line) = recreated(change) {
            out.push(line);
        } else if !is_recreation(change) {
            out.extend(change.describe());
        }
    }
    out
}

impl TableChange {
    /// What this change does to `table`, one line per difference.
    pub fn describe(&self, table: &ObjectName) -> Vec<String> {
        match self {
            TableChange::AddColumn(c) => vec![format!("added column '{table}.{}'", c.name)],
            TableChange::DropColumn(c) => vec![format!("removed column '{table}.{}'", c.name)],
            TableChange::RenameColumn { from, to } => {
                vec![format!("renamed column '{table}.{from}' to '{table}.{to}'")]
            }
            TableChange::AlterColumn { before, after } => column_lines(table, before, after),
            TableChange::AlterPrimaryKey { before, after } => {
                let cols = |pk: &Option<crate::model::PrimaryKey>| {
                    pk.as_ref().map(|pk| list(&pk.columns)).unwrap_or_default()
                };
                vec![match (before, after) {
                    (Some(b), Some(a))
                        if b.columns == a.columns && b.descending == a.descending =>
                    {
                        format!(
                            "renamed primary key of '{table}' from '{}' to '{}'",
                            b.name.as_deref().unwrap_or_default(),
                            a.name.as_deref().unwrap_or_default()
                        )
                    }
                    (None, _) => format!("added primary key on '{table}' {}", cols(after)),
                    (_, None) => format!("removed primary key on '{table}' {}", cols(before)),
                    _ => format!(
                        "changed primary key of '{table}' from {} to {}",
                        cols(before),
                        cols(after)
                    ),
                }]
            }
            TableChange::AddForeignKey(fk) => vec![format!("added {}", fk_text(table, fk))],
            TableChange::DropForeignKey(fk) => vec![format!("removed {}", fk_text(table, fk))],
            TableChange::AddUnique(u) => vec![format!(
                "added unique constraint {}on '{table}' {}",
                named(&u.name),
                list(&u.columns)
            )],
            TableChange::DropUnique(u) => vec![format!(
                "removed unique constraint {}on '{table}' {}",
                named(&u.name),
                list(&u.columns)
            )],
            TableChange::AddCheck(c) => vec![format!(
                "added check constraint {}on '{table}': {}",
                named(&c.name),
                c.expr
            )],
            TableChange::DropCheck(c) => vec![format!(
                "removed check constraint {}on '{table}': {}",
                named(&c.name),
                c.expr
            )],
            TableChange::AlterOptions { before, after } => vec![format!(
                "options change of table '{table}' from {} to {}",
                options_text(before),
                options_text(after)
            )],
            TableChange::AlterComment { .. } => vec![format!("comment change of table '{table}'")],
            TableChange::AddExclusion(x) => vec![format!(
                "added exclusion constraint '{}' on '{table}'",
                x.name
            )],
            TableChange::DropExclusion(x) => vec![format!(
                "removed exclusion constraint '{}' on '{table}'",
                x.name
            )],
        }
    }
}

/// One line per attribute of a column that changes.
fn column_lines(table: &ObjectName, before: &Column, after: &Column) -> Vec<String> {
    let col = format!("'{table}.{}'", after.name);
    let mut out = Vec::new();
    if !before.data_type.eq_ignore_ascii_case(&after.data_type) {
        let shown = |t: &str| {
            if t.is_empty() {
                "(no type)".to_string()
            } else {
                t.to_string()
            }
        };
        out.push(format!(
            "type change of column {col} from {} to {}",
            shown(&before.data_type),
            shown(&after.data_type)
        ));
    }
    if before.nullable != after.nullable {
        let to = if after.nullable {
            "nullable"
        } else {
            "NOT NULL"
        };
        out.push(format!("NULL change of column {col} to {to}"));
    }
    let checks: [(&str, bool); 7] = [
        ("default", before.default != after.default),
        ("collation", before.collation != after.collation),
        ("generated expression", before.generated != after.generated),
        ("identity", before.identity != after.identity),
        ("character set", before.charset != after.charset),
        ("ON UPDATE", before.on_update != after.on_update),
        ("comment", before.comment != after.comment),
    ];
    for (what, differs) in checks {
        if differs {
            out.push(format!("{what} change of column {col}"));
        }
    }
    out
}

fn named(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!("'{n}' ")).unwrap_or_default()
}

fn list(columns: &[String]) -> String {
    format!("({})", columns.join(", "))
}

fn fk_text(table: &ObjectName, fk: &ForeignKey) -> String {
    let referenced = if fk.referenced_columns.is_empty() {
        String::new()
    } else {
        format!(" {}", list(&fk.referenced_columns))
    };
    format!(
        "foreign key {}on '{table}' {} referencing '{}'{referenced}",
        named(&fk.name),
        list(&fk.columns),
        fk.referenced_table
    )
}

fn index_text(table: &ObjectName, index: &Index) -> String {
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let key = match &p.key {
                IndexKey::Column(c) => c.clone(),
                IndexKey::Expr(e) => e.clone(),
            };
            if p.descending {
                format!("{key} DESC")
            } else {
                key
            }
        })
        .collect();
    let unique = if index.unique { "unique " } else { "" };
    format!(
        "{unique}index '{}' on '{table}' {}",
        index.name,
        list(&parts)
    )
}

fn options_text(options: &TableOptions) -> String {
    let mut parts = Vec::new();
    if options.strict {
        parts.push("STRICT".to_string());
    }
    if options.without_rowid {
        parts.push("WITHOUT ROWID".to_string());
    }
    for (key, value) in [
        ("ENGINE", &options.engine),
        ("CHARSET", &options.charset),
        ("COLLATE", &options.collation),
    ] {
        if let Some(v) = value {
            parts.push(format!("{key}={v}"));
        }
    }
    if parts.is_empty() {
        "(none)".to_string()
    } else {
        parts.join(", ")
    }
}
