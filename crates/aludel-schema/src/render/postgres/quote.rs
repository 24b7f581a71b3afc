//! PostgreSQL identifiers and literals: an identifier is written bare when
//! PostgreSQL reads it back unchanged (lowercase letters, digits, `_`, `$`,
//! not starting with a digit or `$`, not a keyword that cannot be a name),
//! else in double quotes.

use crate::model::ObjectName;

/// Keywords PostgreSQL reserves (fully, or as function/type or column names):
/// quoted wherever they are names. Quoting more than needed is harmless.
const KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// An identifier as PostgreSQL SQL: bare when that reads back as the same
/// name, else double-quoted (`"Feed"`, `"order"`, `"a b"`).
pub fn quote_ident(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain && !KEYWORDS.contains(&name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A (possibly schema-qualified) name as PostgreSQL SQL.
pub fn quote_name(name: &ObjectName) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&name.name)),
        None => quote_ident(&name.name),
    }
}

/// A string literal (`'it''s'`); text with a backslash is written as an
/// escape string so that it reads back the same whatever
/// `standard_conforming_strings` says.
pub fn quote_literal(text: &str) -> String {
    if text.contains('\\') {
        format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// A function's name with its argument types (`f(integer, text)`, as the
/// model keys functions) as SQL: the name part quoted, the arguments as
/// given. A name without arguments gets `()`.
pub fn quote_routine(name: &ObjectName) -> String {
    let (base, args) = split_routine(&name.name);
    let base = ObjectName {
        schema: name.schema.clone(),
        name: base.to_string(),
    };
    format!("{}({args})", quote_name(&base))
}

/// `f(integer, text)` → (`f`, `integer, text`).
pub(crate) fn split_routine(name: &str) -> (&str, &str) {
    match name.find('(') {
        Some(at) => {
            let args = name[at + 1..].strip_suffix(')').unwrap_or(&name[at + 1..]);
            (&name[..at], args)
        }
        None => (name, ""),
    }
}

/// How `format_type` prints a type's name: quoted as needed, with its
/// schema when it has one.
pub(crate) fn type_name(name: &ObjectName) -> String {
    quote_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("feed"), "feed");
        assert_eq!(quote_ident("Feed"), "\"Feed\"");
        assert_eq!(quote_ident("order"), "\"order\"");
        assert_eq!(quote_ident("a b"), "\"a b\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("1a"), "\"1a\"");
        assert_eq!(quote_ident("a$1"), "a$1");
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
        assert_eq!(
            quote_routine(&ObjectName::qualified("app", "Touch(integer, text)")),
            "app.\"Touch\"(integer, text)"
        );
        assert_eq!(quote_routine(&ObjectName::new("f")), "f()");
    }
}
