//! Identifiers inside SQL expression text: renaming them, finding them.
//! A small scanner (string literals skipped, quoted identifiers unquoted),
//! enough for the expressions a catalog reports (defaults, checks,
//! generated columns, index keys, view and trigger bodies).

/// `expr` with every identifier token naming `from` (case-insensitively,
/// quoted or not) replaced by `to`; string literals are left alone. A token
/// written in lower case (as normalised text has it) gets `to` in lower case.
pub(crate) fn rename_in_expr(expr: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let end = closing(&chars, i, '\'');
            out.extend(&chars[i..end]);
            i = end;
        } else if c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            let end = closing(&chars, i, close);
            let inner: String = chars[i + 1..end.saturating_sub(1).max(i + 1)]
                .iter()
                .collect();
            let inner = inner.replace(&format!("{close}{close}"), &close.to_string());
            if inner.eq_ignore_ascii_case(from) {
                out.push('"');
                out.push_str(&to.replace('"', "\"\""));
                out.push('"');
            } else {
                out.extend(&chars[i..end]);
            }
            i = end;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word.eq_ignore_ascii_case(from) {
                if word != from && word == word.to_lowercase() {
                    out.push_str(&to.to_lowercase());
                } else {
                    out.push_str(to);
                }
            } else {
                out.push_str(&word);
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The index just past the quote closing the one at `open` (a doubled quote
/// is part of the text); the end of the text when it is never closed.
fn closing(chars: &[char], open: usize, close: char) -> usize {
    let mut i = open + 1;
    while i < chars.len() {
        if chars[i] == close {
            if close != ']' && chars.get(i + 1) == Some(&close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

/// Whether `expr` names `name` as an identifier (case-insensitively,
/// quoted or not; not inside a string literal).
pub(crate) fn mentions(expr: &str, name: &str) -> bool {
    const MARK: &str = "\u{1}";
    rename_in_expr(expr, name, MARK).contains(MARK)
}

#[cfg(test)]
mod tests {
    use super::{mentions, rename_in_expr};

    #[test]
    fn renames_identifiers_not_strings_or_longer_words() {
        assert_eq!(
            rename_in_expr("a > 0 AND \"A\" <> 'a' AND ab = a_b", "a", "z"),
            "z > 0 AND \"z\" <> 'a' AND ab = a_b"
        );
        assert_eq!(
            rename_in_expr("length(Name) > 2", "Name", "title"),
            "length(title) > 2"
        );
        assert_eq!(
            rename_in_expr("length(name) > 2", "Name", "Title"),
            "length(title) > 2"
        );
        assert_eq!(rename_in_expr("[x] + `x`", "x", "y"), "\"y\" + \"y\"");
    }

    #[test]
    fn mentions_finds_identifiers_only() {
        assert!(mentions("lower(Title) > 'a'", "title"));
        assert!(mentions("\"my col\" IS NULL", "my col"));
        assert!(!mentions("'title' = x", "title"));
        assert!(!mentions("subtitle = 1", "title"));
    }
}
