//! SQLite DDL text from the model: identifiers, literals, column
//! definitions, `CREATE TABLE` and `CREATE INDEX`.

pub use crate::normalize::quote_ident;

use crate::model::{Column, FkAction, ForeignKey, Identity, Index, IndexKey, ObjectName, Table};

/// A (possibly schema-qualified) name as SQL.
pub fn quote_name(name: &ObjectName) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&name.name)),
        None => quote_ident(&name.name),
    }
}

/// A string literal.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Whether `text` is a literal SQLite accepts bare after `DEFAULT`: a signed
/// number, a string, a blob, `NULL`, `TRUE`/`FALSE`, `CURRENT_TIME`/`_DATE`/
/// `_TIMESTAMP`.
pub(crate) fn is_literal(text: &str) -> bool {
    is_constant(text)
        || ["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(text.trim()))
}

/// Whether `text` is a constant literal (what `ALTER TABLE ADD COLUMN`
/// accepts as a default): a signed number, a string, a blob, `NULL`,
/// `TRUE`, `FALSE`.
pub(crate) fn is_constant(text: &str) -> bool {
    let t = text.trim();
    if ["NULL", "TRUE", "FALSE"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(t))
    {
        return true;
    }
    let string = |s: &str| {
        s.len() >= 2
            && s.starts_with('\'')
            && s.ends_with('\'')
            && !s[1..s.len() - 1].replace("''", "").contains('\'')
    };
    if string(t) || ((t.starts_with('x') || t.starts_with('X')) && string(&t[1..])) {
        return true;
    }
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t).trim_start();
    if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(at) => (&digits[..at], Some(&digits[at + 1..])),
        None => (digits, None),
    };
    let mantissa_ok = mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.matches('.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// An expression in parentheses, unless the whole of it already is.
pub(crate) fn parenthesized(expr: &str) -> String {
    let t = expr.trim();
    if t.starts_with('(') && closes_at_end(t) {
        t.to_string()
    } else {
        format!("({t})")
    }
}

/// Whether the `(` that opens `t` is closed by its last character (string
/// literals and quoted identifiers skipped).
fn closes_at_end(t: &str) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in t.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '[' => quote = Some(']'),
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i == t.len() - 1;
                    }
                }
                _ => {}
            },
        }
    }
    false
}

/// A column's definition; `inline_key` puts `PRIMARY KEY [DESC]
/// [AUTOINCREMENT]` on it (the table's key is this column alone: see
/// [`inline_key_column`]).
pub(crate) fn column_def(column: &Column, inline_key: Option<&Table>) -> String {
    let mut out = quote_ident(&column.name);
    if !column.data_type.is_empty() {
        out.push(' ');
        out.push_str(&column.data_type);
    }
    if let Some(pk) = inline_key.and_then(|t| t.primary_key.as_ref()) {
        if let Some(name) = &pk.name {
            out.push_str(&format!(" CONSTRAINT {}", quote_ident(name)));
        }
        out.push_str(" PRIMARY KEY");
        if pk.descending.first() == Some(&true) {
            out.push_str(" DESC");
        }
        if column.identity == Some(Identity::AutoIncrement) {
            out.push_str(" AUTOINCREMENT");
        }
    }
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(default) = &column.default {
        if is_literal(default) {
            out.push_str(&format!(" DEFAULT {}", default.trim()));
        } else {
            out.push_str(&format!(" DEFAULT {}", parenthesized(default)));
        }
    }
    if let Some(generated) = &column.generated {
        let kind = if generated.stored {
            "STORED"
        } else {
            "VIRTUAL"
        };
        out.push_str(&format!(
            " GENERATED ALWAYS AS {} {kind}",
            parenthesized(&generated.expr)
        ));
    }
    out
}

/// The column whose definition carries the key inline: the table's key is
/// exactly one column, and that column is AUTOINCREMENT.
pub(crate) fn autoincrement_column(table: &Table) -> Option<&Column> {
    let pk = table.primary_key.as_ref()?;
    let [only] = pk.columns.as_slice() else {
        return None;
    };
    table
        .column(only)
        .filter(|c| c.identity == Some(Identity::AutoIncrement))
}

/// The column that carries the table's key in its own definition: the key
/// is exactly one column, and that column is AUTOINCREMENT or the key is
/// descending. `id INTEGER PRIMARY KEY DESC` on the column is not a rowid
/// alias while `PRIMARY KEY (id DESC)` on the table is, so a descending key
/// is written where it reads back the same.
pub(crate) fn inline_key_column(table: &Table) -> Option<&Column> {
    if let Some(column) = autoincrement_column(table) {
        return Some(column);
    }
    let pk = table.primary_key.as_ref()?;
    match (pk.columns.as_slice(), pk.descending.as_slice()) {
        ([only], [true]) => table.column(only),
        _ => None,
    }
}

/// `CREATE TABLE name (…)` for `table`, under the name given.
pub(crate) fn create_table(table: &Table, name: &ObjectName) -> String {
    let inline = inline_key_column(table).map(|c| c.name.clone());
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column_def(c, inline.as_ref().filter(|n| **n == c.name).map(|_| table)))
        .collect();
    if let Some(pk) = table.primary_key.as_ref().filter(|_| inline.is_none()) {
        let cols: Vec<String> = pk
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let desc = if pk.descending.get(i) == Some(&true) {
                    " DESC"
                } else {
                    ""
                };
                format!("{}{desc}", quote_ident(c))
            })
            .collect();
        lines.push(format!(
            "{}PRIMARY KEY ({})",
            constraint(&pk.name),
            cols.join(", ")
        ));
    }
    for unique in &table.uniques {
        lines.push(format!(
            "{}UNIQUE ({})",
            constraint(&unique.name),
            idents(&unique.columns)
        ));
    }
    for check in &table.checks {
        lines.push(format!(
            "{}CHECK ({})",
            constraint(&check.name),
            check.expr.trim()
        ));
    }
    for fk in &table.foreign_keys {
        lines.push(foreign_key(fk));
    }
    let mut options = Vec::new();
    if table.options.without_rowid {
        options.push("WITHOUT ROWID");
    }
    if table.options.strict {
        options.push("STRICT");
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" {}", options.join(", "))
    };
    format!(
        "CREATE TABLE {} (\n    {}\n){options}",
        quote_name(name),
        lines.join(",\n    ")
    )
}

fn constraint(name: &Option<String>) -> String {
    name.as_ref()
        .map(|n| format!("CONSTRAINT {} ", quote_ident(n)))
        .unwrap_or_default()
}

fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn foreign_key(fk: &ForeignKey) -> String {
    let mut out = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint(&fk.name),
        idents(&fk.columns),
        quote_name(&fk.referenced_table)
    );
    if !fk.referenced_columns.is_empty() {
        out.push_str(&format!(" ({})", idents(&fk.referenced_columns)));
    }
    if fk.on_delete != FkAction::NoAction {
        out.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.on_update != FkAction::NoAction {
        out.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    out.push_str(fk.deferrable.sql());
    out
}

/// `CREATE [UNIQUE] INDEX name ON table (parts) [WHERE …]`.
pub(crate) fn create_index(table: &ObjectName, index: &Index) -> String {
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut part = match &p.key {
                IndexKey::Column(c) => quote_ident(c),
                IndexKey::Expr(e) => e.trim().to_string(),
            };
            if let Some(collation) = &p.collation {
                part.push_str(&format!(" COLLATE {}", quote_ident(collation)));
            }
            if p.descending {
                part.push_str(" DESC");
            }
            part
        })
        .collect();
    let unique = if index.unique { "UNIQUE " } else { "" };
    let mut out = format!(
        "CREATE {unique}INDEX {} ON {} ({})",
        quote_ident(&index.name),
        quote_name(table),
        parts.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {}", predicate.trim()));
    }
    out
}

/// A view's or trigger's statement as written, without a final `;`.
pub(crate) fn verbatim(sql: &str) -> String {
    sql.trim().trim_end_matches(';').trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::{is_constant, is_literal, parenthesized};

    #[test]
    fn literals_and_expressions() {
        for constant in [
            "0", "-1.5", "+3e10", "'it''s'", "X'00ff'", "NULL", "true", "0x1F",
        ] {
            assert!(is_constant(constant), "{constant}");
        }
        for not in [
            "'a' || 'b'",
            "1 + 1",
            "abs(-1)",
            "'a''",
            "CURRENT_TIMESTAMP",
            "1e",
            ".",
        ] {
            assert!(!is_constant(not), "{not}");
        }
        assert!(is_literal("current_timestamp"));
        assert_eq!(parenthesized("1 + 1"), "(1 + 1)");
        assert_eq!(parenthesized("(1 + 1)"), "(1 + 1)");
        assert_eq!(parenthesized("(1) + (1)"), "((1) + (1))");
        assert_eq!(parenthesized("(')')"), "(')')");
    }
}
