//! SQL text normalisation, so that two spellings of the same SQL compare
//! equal: comments and layout dropped, keywords and identifiers lowercased
//! (SQLite identifiers are case-insensitive, quoted or not), identifiers
//! quoted only where they must be, string literals kept exactly, tokens
//! joined by single spaces (none inside parentheses, before commas, around
//! dots, nor between a function's name and its arguments).
//!
//! The result is still valid SQL for the engine, so a renderer can write it
//! back (`CHECK (<expr>)`, `DEFAULT (<expr>)`, `WHERE <predicate>`).

use sqlparser::dialect::SQLiteDialect;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// SQLite's keywords (<https://sqlite.org/lang_keywords.html>): an identifier
/// spelled like one of these is written quoted.
#[rustfmt::skip]
pub const SQLITE_KEYWORDS: [&str; 147] = [
    "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as", "asc",
    "attach", "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast",
    "check", "collate", "column", "commit", "conflict", "constraint", "create", "cross", "current",
    "current_date", "current_time", "current_timestamp", "database", "default", "deferrable",
    "deferred", "delete", "desc", "detach", "distinct", "do", "drop", "each", "else", "end",
    "escape", "except", "exclude", "exclusive", "exists", "explain", "fail", "filter", "first",
    "following", "for", "foreign", "from", "full", "generated", "glob", "group", "groups",
    "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner",
    "insert", "instead", "intersect", "into", "is", "isnull", "join", "key", "last", "left",
    "like", "limit", "match", "materialized", "natural", "no", "not", "nothing", "notnull", "null",
    "nulls", "of", "offset", "on", "or", "order", "others", "outer", "over", "partition", "plan",
    "pragma", "preceding", "primary", "query", "raise", "range", "recursive", "references",
    "regexp", "reindex", "release", "rename", "replace", "restrict", "returning", "right",
    "rollback", "row", "rows", "savepoint", "select", "set", "table", "temp", "temporary", "then",
    "ties", "to", "transaction", "trigger", "unbounded", "union", "unique", "update", "using",
    "vacuum", "values", "view", "virtual", "when", "where", "window", "with", "without",
];

/// Whether `word` (any case) is an SQLite keyword.
pub fn is_sqlite_keyword(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    SQLITE_KEYWORDS.binary_search(&lower.as_str()).is_ok()
}

/// The canonical form of an identifier: lowercased (SQLite compares
/// identifiers without regard to ASCII case).
pub fn normalize_ident(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// `name` as SQL: bare when it is `[A-Za-z_][A-Za-z0-9_]*` and not an SQLite
/// keyword, else double-quoted (inner `"` doubled).
pub fn quote_ident(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !is_sqlite_keyword(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// One significant token, rendered, with what the spacing rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unquoted word that is an SQLite keyword.
    Keyword,
    /// Any other word (identifier, function name), quoted or not.
    Name,
    Number,
    Open,
    Close,
    Comma,
    Dot,
    Other,
}

/// The significant tokens of `text`, rendered canonically; `None` when the
/// tokenizer refuses the text (an unterminated string or comment).
fn pieces(text: &str) -> Option<Vec<Piece>> {
    let tokens = Tokenizer::new(&SQLiteDialect {}, text).tokenize().ok()?;
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        let piece = match token {
            Token::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab) => {
                continue;
            }
            Token::Whitespace(_) | Token::EOF => continue,
            Token::Word(word) => match word.quote_style {
                None => {
                    let text = word.value.to_ascii_lowercase();
                    let kind = if is_sqlite_keyword(&text) {
                        Kind::Keyword
                    } else {
                        Kind::Name
                    };
                    Piece { text, kind }
                }
                Some(_) => Piece {
                    text: quote_ident(&normalize_ident(&word.value)),
                    kind: Kind::Name,
                },
            },
            Token::SingleQuotedString(s) => Piece {
                text: format!("'{}'", s.replace('\'', "''")),
                kind: Kind::Other,
            },
            Token::Number(n, _) => Piece {
                text: n,
                kind: Kind::Number,
            },
            Token::LParen => piece("(", Kind::Open),
            Token::RParen => piece(")", Kind::Close),
            Token::Comma => piece(",", Kind::Comma),
            Token::Period => piece(".", Kind::Dot),
            other => Piece {
                text: other.to_string(),
                kind: Kind::Other,
            },
        };
        out.push(piece);
    }
    while out.last().is_some_and(|p| p.text == ";") {
        out.pop();
    }
    Some(out)
}

fn piece(text: &str, kind: Kind) -> Piece {
    Piece {
        text: text.to_string(),
        kind,
    }
}

/// Joins pieces with the spacing rules of the module documentation.
fn join(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 && needs_space(pieces, i) {
            out.push(' ');
        }
        out.push_str(&p.text);
    }
    out
}

fn needs_space(pieces: &[Piece], i: usize) -> bool {
    let (prev, cur) = (&pieces[i - 1], &pieces[i]);
    if matches!(prev.kind, Kind::Open | Kind::Dot)
        || matches!(cur.kind, Kind::Close | Kind::Comma | Kind::Dot)
    {
        return false;
    }
    if cur.kind == Kind::Open && prev.kind == Kind::Name {
        return false;
    }
    // A sign directly before a number, where it cannot be a binary operator.
    if cur.kind == Kind::Number && (prev.text == "-" || prev.text == "+") {
        let before = i.checked_sub(2).map(|j| &pieces[j]);
        let unary = match before {
            None => true,
            Some(b) => matches!(
                b.kind,
                Kind::Open | Kind::Comma | Kind::Keyword | Kind::Other
            ),
        };
        return !unary;
    }
    true
}

/// Normalises a whole statement or fragment (a view, a trigger, an
/// expression) for comparison; text the tokenizer refuses is only trimmed
/// and its whitespace collapsed.
pub fn normalize_sql(text: &str) -> String {
    match pieces(text) {
        Some(p) => join(&p),
        None => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Normalises an expression (a default, a check, a generated column, an
/// index part or predicate): as [`normalize_sql`], and parentheses around
/// the whole expression removed (`DEFAULT (0)` reads as `DEFAULT 0`).
pub fn normalize_expr(text: &str) -> String {
    match pieces(text) {
        Some(mut p) => {
            while wrapped(&p) {
                p.pop();
                p.remove(0);
            }
            join(&p)
        }
        None => normalize_sql(text),
    }
}

/// Normalises a column default: as [`normalize_expr`], and a lone
/// double-quoted word read as the string SQLite takes it for there
/// (`DEFAULT "on"` stores the text `on`, as `DEFAULT 'on'` does).
pub fn normalize_default(text: &str) -> String {
    let trimmed = text.trim();
    if let Some(inner) = trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
        && !inner.contains('"')
    {
        return format!("'{}'", inner.replace('\'', "''"));
    }
    normalize_expr(text)
}

/// Whether the first `(` is closed by the last `)`.
fn wrapped(pieces: &[Piece]) -> bool {
    if pieces.len() < 2
        || pieces[0].kind != Kind::Open
        || pieces[pieces.len() - 1].kind != Kind::Close
    {
        return false;
    }
    let mut depth = 0usize;
    for (i, p) in pieces.iter().enumerate() {
        match p.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i == pieces.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// Normalises a declared column type: uppercase, single spaces between
/// words, none around parentheses and commas (`varchar ( 10 )` → `VARCHAR(10)`).
pub fn normalize_type(declared: &str) -> String {
    let upper = declared
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    let mut out = String::with_capacity(upper.len());
    let chars: Vec<char> = upper.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next = chars.get(i + 1).copied();
            let prev = out.chars().last();
            if matches!(next, Some('(' | ')' | ',')) || matches!(prev, Some('(' | ',')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Normalises a collation name: uppercase; `BINARY` (the default) is none.
pub fn normalize_collation(name: &str) -> Option<String> {
    let upper = name
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_uppercase();
    (!upper.is_empty() && upper != "BINARY").then_some(upper)
}

/// The words of `text` that could name an object, lowercased, in order,
/// without duplicates: every quoted name and every unquoted word (keywords
/// included: SQLite takes many of them as names when unquoted).
pub fn identifiers(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Ok(tokens) = Tokenizer::new(&SQLiteDialect {}, text).tokenize() else {
        return out;
    };
    for token in tokens {
        if let Token::Word(word) = token {
            let name = normalize_ident(&word.value);
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
