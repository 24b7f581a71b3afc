//! SQL text as MySQL and MariaDB write it: backtick identifiers, string
//! literals, and the database-name qualification servers add to bodies.

/// An identifier in backticks (a backtick inside doubled).
pub fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A string literal: `'` doubled, `\` doubled (as the default SQL mode
/// reads backslashes).
pub fn quote_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// `body` without the qualification `` `database`. `` in front of names
/// (outside string literals), so that bodies read from a scratch database
/// and from the real one compare equal.
pub(crate) fn strip_database(body: &str, database: &str) -> String {
    if database.is_empty() {
        return body.to_string();
    }
    let qualifier = format!("{}.", quote_ident(database));
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' => {
                let end = literal_end(rest, c);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '`' => {
                if rest.starts_with(&qualifier) {
                    rest = &rest[qualifier.len()..];
                } else {
                    let end = literal_end(rest, '`');
                    out.push_str(&rest[..end]);
                    rest = &rest[end..];
                }
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The byte length of the quoted token that opens `text` with `quote`
/// (a doubled quote, and a backslash in strings, escape; an unterminated
/// token runs to the end).
fn literal_end(text: &str, quote: char) -> usize {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote != '`' {
            chars.next();
        } else if c == quote {
            if chars.peek().is_some_and(|(_, n)| *n == quote) {
                chars.next();
            } else {
                return i + 1;
            }
        }
    }
    text.len()
}

/// `text` for comparison: each run of whitespace outside quotes made one
/// space, the ends trimmed (a re-indented body is the same body).
pub(crate) fn normalize_layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.trim();
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' | '`' => {
                let end = literal_end(rest, c);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            c if c.is_whitespace() => {
                out.push(' ');
                rest = rest.trim_start();
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The backtick-quoted identifiers of `body`, unquoted, outside string
/// literals, in order of appearance.
pub(crate) fn quoted_identifiers(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' | '`' => {
                let end = literal_end(rest, c);
                if c == '`' && end >= 2 {
                    out.push(rest[1..end - 1].replace("``", "`"));
                }
                rest = &rest[end..];
            }
            _ => rest = &rest[c.len_utf8()..],
        }
    }
    out
}

/// The character set a collation belongs to: its name up to the first `_`
/// (`utf8mb4_general_ci` → `utf8mb4`, `binary` → `binary`).
pub(crate) fn charset_of(collation: &str) -> String {
    collation.split('_').next().unwrap_or(collation).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_database_outside_literals() {
        assert_eq!(
            strip_database(
                "select `db`.`t`.`a` AS `a` from `db`.`t` where x = '`db`.'",
                "db"
            ),
            "select `t`.`a` AS `a` from `t` where x = '`db`.'"
        );
        assert_eq!(strip_database("`dbx`.`t`", "db"), "`dbx`.`t`");
        assert_eq!(quoted_identifiers("`a` + 'b`' + `c``d`"), ["a", "c`d"]);
        assert_eq!(charset_of("utf8mb4_general_ci"), "utf8mb4");
        assert_eq!(charset_of("binary"), "binary");
        assert_eq!(quote_string("it's \\"), "'it''s \\\\'");
        assert_eq!(
            normalize_layout("  BEGIN\n    SET x = 'a  b';\n  END \n"),
            "BEGIN SET x = 'a  b'; END"
        );
    }
}
