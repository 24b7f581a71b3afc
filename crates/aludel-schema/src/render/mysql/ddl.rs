//! MySQL DDL text from the model: column definitions, `CREATE TABLE`, key
//! parts, foreign key and check clauses, table options.

use crate::model::{Column, ForeignKey, Identity, Index, IndexKey, Table, TableOptions};
use crate::mysql::{quote_ident, quote_string};

/// A list of identifiers, comma-separated.
pub(super) fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An expression in parentheses, unless the whole of it already is.
pub(super) fn wrapped(expr: &str) -> String {
    let t = expr.trim();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut closes_at_end = false;
    if t.starts_with('(') {
        for (i, c) in t.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' | '`' => quote = Some(c),
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            closes_at_end = i == t.len() - 1;
                            break;
                        }
                    }
                    _ => {}
                },
            }
        }
    }
    if closes_at_end {
        t.to_string()
    } else {
        format!("({t})")
    }
}

/// Whether a default is written bare after `DEFAULT`: a literal (string,
/// number, `NULL`, `TRUE`/`FALSE`, bit or hex value) or the current
/// time (`CURRENT_TIMESTAMP`, `current_timestamp(3)`, `NOW()`); anything
/// else is an expression, written in parentheses.
pub(super) fn is_bare_default(text: &str) -> bool {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if ["NULL", "TRUE", "FALSE"].contains(&upper.as_str()) {
        return true;
    }
    let quoted = |s: &str| {
        s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') && {
            let inner = &s[1..s.len() - 1];
            !inner.replace("''", "").replace("\\'", "").contains('\'')
        }
    };
    if quoted(t) || ((upper.starts_with('B') || upper.starts_with('X')) && quoted(&t[1..])) {
        return true;
    }
    let time = ["CURRENT_TIMESTAMP", "NOW", "LOCALTIMESTAMP", "LOCALTIME"];
    if let Some(word) = time.iter().find(|w| upper.starts_with(*w)) {
        let rest = upper[word.len()..].trim();
        return rest.is_empty()
            || (rest.starts_with('(')
                && rest.ends_with(')')
                && rest[1..rest.len() - 1].chars().all(|c| c.is_ascii_digit()));
    }
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

/// `DEFAULT …` text for a default.
pub(super) fn default_sql(default: &str) -> String {
    if is_bare_default(default) {
        default.trim().to_string()
    } else {
        wrapped(default)
    }
}

/// A column's full definition (what `ADD COLUMN` and `MODIFY COLUMN` take).
pub(super) fn column_def(column: &Column) -> String {
    // `json` as the user wrote it: MariaDB makes it `longtext` with a
    // `json_valid` check, which the reader reads back as `json`.
    let data_type = if column.data_type.eq_ignore_ascii_case("json") {
        "JSON"
    } else {
        column.data_type.as_str()
    };
    let mut out = format!("{} {data_type}", quote_ident(&column.name));
    if let Some(charset) = &column.charset {
        out.push_str(&format!(" CHARACTER SET {charset}"));
    }
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = &column.generated {
        let kind = if generated.stored {
            "STORED"
        } else {
            "VIRTUAL"
        };
        out.push_str(&format!(
            " GENERATED ALWAYS AS {} {kind}",
            wrapped(&generated.expr)
        ));
        if !column.nullable {
            out.push_str(" NOT NULL");
        }
    } else {
        // `NULL` said explicitly: a TIMESTAMP column is NOT NULL by default
        // where `explicit_defaults_for_timestamp` is off.
        out.push_str(if column.nullable {
            " NULL"
        } else {
            " NOT NULL"
        });
    }
    if let Some(default) = &column.default {
        out.push_str(&format!(" DEFAULT {}", default_sql(default)));
    }
    if let Some(on_update) = &column.on_update {
        out.push_str(&format!(" ON UPDATE {}", on_update.trim()));
    }
    if column.identity == Some(Identity::AutoIncrement) {
        out.push_str(" AUTO_INCREMENT");
    }
    if let Some(comment) = &column.comment {
        out.push_str(&format!(" COMMENT {}", quote_string(comment)));
    }
    out
}

/// The key parts of an index: `col(10) DESC`, `(expr)`.
pub(super) fn key_parts(index: &Index) -> String {
    index
        .parts
        .iter()
        .map(|p| {
            let mut part = match &p.key {
                IndexKey::Column(c) => quote_ident(c),
                IndexKey::Expr(e) => wrapped(e),
            };
            if let Some(n) = p.prefix_length {
                part.push_str(&format!("({n})"));
            }
            if p.descending {
                part.push_str(" DESC");
            }
            part
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[UNIQUE |FULLTEXT |SPATIAL ]INDEX name (parts)`, as `ADD` takes it.
pub(super) fn index_def(index: &Index) -> String {
    let kind = match index.method.as_deref().map(str::to_ascii_uppercase) {
        Some(m) if m == "FULLTEXT" || m == "SPATIAL" => format!("{m} "),
        _ if index.unique => "UNIQUE ".to_string(),
        _ => String::new(),
    };
    let using = match index.method.as_deref().map(str::to_ascii_uppercase) {
        Some(m) if m == "HASH" || m == "RTREE" => format!(" USING {m}"),
        _ => String::new(),
    };
    format!(
        "{kind}INDEX {} ({}){using}",
        quote_ident(&index.name),
        key_parts(index)
    )
}

/// `CONSTRAINT name FOREIGN KEY (…) REFERENCES t (…) ON DELETE … ON UPDATE …`
/// (both actions always written: the server reports its default as
/// `RESTRICT`, so the key reads back as it is modelled).
pub(super) fn foreign_key_def(fk: &ForeignKey) -> String {
    let name = fk
        .name
        .as_ref()
        .map(|n| format!("CONSTRAINT {} ", quote_ident(n)))
        .unwrap_or_default();
    let referenced = match &fk.referenced_table.schema {
        Some(db) => format!(
            "{}.{}",
            quote_ident(db),
            quote_ident(&fk.referenced_table.name)
        ),
        None => quote_ident(&fk.referenced_table.name),
    };
    format!(
        "{name}FOREIGN KEY ({}) REFERENCES {referenced} ({}) ON DELETE {} ON UPDATE {}",
        idents(&fk.columns),
        idents(&fk.referenced_columns),
        fk.on_delete.sql(),
        fk.on_update.sql()
    )
}

/// `CONSTRAINT name CHECK (expr)`.
pub(super) fn check_def(name: Option<&str>, expr: &str) -> String {
    let name = name
        .map(|n| format!("CONSTRAINT {} ", quote_ident(n)))
        .unwrap_or_default();
    format!("{name}CHECK {}", wrapped(expr))
}

/// `PRIMARY KEY (…)` with `DESC` where the key is descending.
pub(super) fn primary_key_def(columns: &[String], descending: &[bool]) -> String {
    let cols: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let desc = if descending.get(i) == Some(&true) {
                " DESC"
            } else {
                ""
            };
            format!("{}{desc}", quote_ident(c))
        })
        .collect();
    format!("PRIMARY KEY ({})", cols.join(", "))
}

/// Table options as `CREATE TABLE` and `ALTER TABLE` take them.
pub(super) fn table_options(options: &TableOptions, comment: Option<&str>) -> String {
    let mut out = Vec::new();
    if let Some(engine) = &options.engine {
        out.push(format!("ENGINE={engine}"));
    }
    if let Some(charset) = &options.charset {
        out.push(format!("DEFAULT CHARSET={charset}"));
    }
    if let Some(collation) = &options.collation {
        out.push(format!("COLLATE={collation}"));
    }
    if let Some(comment) = comment {
        out.push(format!("COMMENT={}", quote_string(comment)));
    }
    out.join(" ")
}

/// `CREATE TABLE` for `table` (its indexes come as their own changes).
pub(super) fn create_table(table: &Table) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column_def).collect();
    if let Some(pk) = &table.primary_key {
        lines.push(primary_key_def(&pk.columns, &pk.descending));
    }
    for unique in &table.uniques {
        let name = unique
            .name
            .as_ref()
            .map(|n| format!("{} ", quote_ident(n)))
            .unwrap_or_default();
        lines.push(format!("UNIQUE KEY {name}({})", idents(&unique.columns)));
    }
    for index in table.indexes.values() {
        lines.push(index_def(index));
    }
    for check in &table.checks {
        lines.push(check_def(check.name.as_deref(), &check.expr));
    }
    for fk in &table.foreign_keys {
        lines.push(foreign_key_def(fk));
    }
    let options = table_options(&table.options, table.comment.as_deref());
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" {options}")
    };
    format!(
        "CREATE TABLE {} (\n    {}\n){options}",
        quote_ident(&table.name.name),
        lines.join(",\n    ")
    )
}
