//! Small text readers for what the catalog prints: JSON arrays of names,
//! `CHECK (…)` definitions, layout-insensitive definitions.

/// The strings of a JSON array of strings (`["a","b \"c\""]`), as
/// `to_json(ARRAY[…])::text` prints it; `None` when it is not one.
pub(crate) fn json_strings(text: &str) -> Option<Vec<String>> {
    let mut chars = text.trim().chars().peekable();
    if chars.next()? != '[' {
        return None;
    }
    let mut out = Vec::new();
    loop {
        skip_space(&mut chars);
        match chars.next()? {
            ']' if out.is_empty() => break,
            '"' => out.push(json_string(&mut chars)?),
            _ => return None,
        }
        skip_space(&mut chars);
        match chars.next()? {
            ',' => continue,
            ']' => break,
            _ => return None,
        }
    }
    skip_space(&mut chars);
    chars.next().is_none().then_some(out)
}

fn skip_space(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

/// The rest of a JSON string whose opening quote was read.
fn json_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let mut out = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let high = hex4(chars)?;
                    let code = if (0xD800..0xDC00).contains(&high) {
                        if chars.next()? != '\\' || chars.next()? != 'u' {
                            return None;
                        }
                        let low = hex4(chars)?;
                        0x10000 + ((high - 0xD800) << 10) + (low.checked_sub(0xDC00)? & 0x3FF)
                    } else {
                        high
                    };
                    out.push(char::from_u32(code)?);
                }
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
}

fn hex4(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<u32> {
    let mut n = 0;
    for _ in 0..4 {
        n = n * 16 + chars.next()?.to_digit(16)?;
    }
    Some(n)
}

/// Splits `CHECK (expr) rest` (pg_get_constraintdef of a check) into
/// `expr` and what follows the closing parenthesis (` NO INHERIT`,
/// ` NOT VALID`); `None` when the text is not a check.
pub(crate) fn split_check(definition: &str) -> Option<(&str, &str)> {
    let inner = definition.strip_prefix("CHECK (")?;
    let close = closing_paren(inner)?;
    Some((&inner[..close], inner[close + 1..].trim()))
}

/// The byte index of the `)` closing an already opened parenthesis, string
/// literals and quoted identifiers skipped.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' if depth == 0 => return Some(i),
                ')' => depth -= 1,
                _ => {}
            },
        }
    }
    None
}

/// `text` with runs of whitespace outside string literals and quoted
/// identifiers made one space, trimmed, and without a final `;`.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut space = false;
    for c in text.trim().trim_end_matches(';').trim_end().chars() {
        if quote.is_none() && c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '\'' || c == '"' => quote = Some(c),
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_arrays_of_names() {
        assert_eq!(json_strings("[]"), Some(vec![]));
        assert_eq!(
            json_strings(r#"["id", "we,ird \"x\"", "\u00e9\ud83d\ude00\\"]"#),
            Some(vec![
                "id".to_string(),
                "we,ird \"x\"".to_string(),
                "é😀\\".to_string()
            ])
        );
        assert_eq!(json_strings("[\"a\""), None);
        assert_eq!(json_strings("{}"), None);
        assert_eq!(json_strings("[\"a\"] x"), None);
    }

    #[test]
    fn checks_split_from_their_options() {
        assert_eq!(split_check("CHECK (a > 0)"), Some(("a > 0", "")));
        assert_eq!(
            split_check("CHECK ((a)::text <> ')') NO INHERIT NOT VALID"),
            Some(("(a)::text <> ')'", "NO INHERIT NOT VALID"))
        );
        assert_eq!(split_check("UNIQUE (a)"), None);
    }

    #[test]
    fn layout_is_normalised_outside_literals() {
        assert_eq!(
            normalise(" SELECT a,\n    'x  y'\n   FROM t;"),
            "SELECT a, 'x  y' FROM t"
        );
    }
}
