//! Lexer unit tests.

use super::*;

fn kinds(src: &str) -> Vec<(Kind, &str, usize)> {
    kinds_in(Flavor::Postgres, src)
}

fn kinds_in(flavor: Flavor, src: &str) -> Vec<(Kind, &str, usize)> {
    Lexer::new(src, 1, flavor)
        .map(|t| {
            let t = t.unwrap();
            (t.kind, &src[t.start..t.end], t.line)
        })
        .filter(|(k, _, _)| *k != Kind::Whitespace)
        .collect()
}

fn error(src: &str) -> ScriptError {
    error_in(Flavor::Postgres, src)
}

fn error_in(flavor: Flavor, src: &str) -> ScriptError {
    Lexer::new(src, 1, flavor)
        .find_map(Result::err)
        .expect("expected an error")
}

#[test]
fn strings_and_identifiers() {
    assert_eq!(
        kinds("'a;''b' \"x;\"\"y\" `m;``n` E'it\\'s;' e'\\\\' N'z'"),
        [
            (Kind::String, "'a;''b'", 1),
            (Kind::QuotedIdent, "\"x;\"\"y\"", 1),
            (Kind::QuotedIdent, "`m;``n`", 1),
            (Kind::String, "E'it\\'s;'", 1),
            (Kind::String, "e'\\\\'", 1),
            (Kind::Word, "N", 1),
            (Kind::String, "'z'", 1),
        ]
    );
}

#[test]
fn plain_string_backslash_is_literal() {
    // Standard SQL: 'C:\' is a complete string.
    assert_eq!(kinds("'C:\\' x")[0], (Kind::String, "'C:\\'", 1));
}

#[test]
fn comments() {
    assert_eq!(
        kinds("-- a; b\n/* x /* y; */ z; */ w"),
        [
            (Kind::LineComment, "-- a; b", 1),
            (Kind::BlockComment, "/* x /* y; */ z; */", 2),
            (Kind::Word, "w", 2),
        ]
    );
}

#[test]
fn dollar_quotes_and_params() {
    assert_eq!(
        kinds("$$a;$b$$ $body$ $$;$ $body$ $1 a$b$ $_x1$;$_x1$"),
        [
            (Kind::DollarQuoted, "$$a;$b$$", 1),
            (Kind::DollarQuoted, "$body$ $$;$ $body$", 1),
            (Kind::Punct, "$", 1),
            (Kind::Number, "1", 1),
            (Kind::Word, "a$b$", 1),
            (Kind::DollarQuoted, "$_x1$;$_x1$", 1),
        ]
    );
}

#[test]
fn line_numbers_across_multiline_tokens() {
    let src = "'a\nb'\r\n/*\n\n*/ $$\n$$ x";
    let toks = kinds(src);
    assert_eq!(toks.iter().map(|t| t.2).collect::<Vec<_>>(), [1, 3, 5, 6]);
}

#[test]
fn unterminated_constructs_name_opening_line() {
    assert_eq!(
        error("x\n'abc\n\n"),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::StringLiteral))
    );
    assert_eq!(
        error("x\n\nE'abc\\'"),
        ScriptError::new(3, ErrorKind::Unterminated(Construct::StringLiteral))
    );
    assert_eq!(
        error("\"abc"),
        ScriptError::new(1, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
    assert_eq!(
        error("\n`abc"),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
    assert_eq!(
        error("\n/* /* */\n"),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::BlockComment))
    );
    assert_eq!(
        error("a\nb\n$f$ $$ $f"),
        ScriptError::new(
            3,
            ErrorKind::Unterminated(Construct::DollarQuote("$f$".into()))
        )
    );
}

#[test]
fn bracket_identifiers() {
    assert_eq!(
        kinds("[a;b] [] [x\ny] [a[b] [c]]"),
        [
            (Kind::QuotedIdent, "[a;b]", 1),
            (Kind::QuotedIdent, "[]", 1),
            (Kind::QuotedIdent, "[x\ny]", 1),
            // A nested `[` makes the outer one punctuation.
            (Kind::Punct, "[", 2),
            (Kind::Word, "a", 2),
            (Kind::QuotedIdent, "[b]", 2),
            // No escapes: `]]` ends the identifier at the first `]`.
            (Kind::QuotedIdent, "[c]", 2),
            (Kind::Punct, "]", 2),
        ]
    );
}

#[test]
fn brackets_with_quotes_or_comments_are_punctuation() {
    assert_eq!(
        kinds("ARRAY['a]', $$;]$$, x -- ]\n]"),
        [
            (Kind::Word, "ARRAY", 1),
            (Kind::Punct, "[", 1),
            (Kind::String, "'a]'", 1),
            (Kind::Punct, ",", 1),
            (Kind::DollarQuoted, "$$;]$$", 1),
            (Kind::Punct, ",", 1),
            (Kind::Word, "x", 1),
            (Kind::LineComment, "-- ]", 1),
            (Kind::Punct, "]", 2),
        ]
    );
    for src in ["[\"a]\"", "[`a]`", "[/* ] */]", "[$1]", "[e'\\]']"] {
        assert_eq!(kinds(src)[0], (Kind::Punct, "[", 1), "{src}");
    }
}

#[test]
fn unterminated_bracket_names_opening_line() {
    assert_eq!(
        error("x;\n[a;b\n\n"),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
    // Unterminated even when the bracket would be punctuation.
    assert_eq!(
        error("\n\narr['x'"),
        ScriptError::new(3, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
    assert_eq!(
        error("["),
        ScriptError::new(1, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
}

#[test]
fn many_brackets_lex_in_linear_time() {
    // Each `[` must not rescan the text up to the far `]`.
    let src = format!("{}'x']", "[".repeat(200_000));
    let toks: Vec<_> = Lexer::new(&src, 1, Flavor::Postgres)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(toks.len(), 200_002);
    let src = format!("{}x]", "a [".repeat(100_000));
    let last = Lexer::new(&src, 1, Flavor::Postgres)
        .last()
        .unwrap()
        .unwrap();
    assert_eq!((last.kind, &src[last.start..]), (Kind::QuotedIdent, "[x]"));
}

#[test]
fn non_ascii_is_word() {
    assert_eq!(
        kinds("größe;"),
        [(Kind::Word, "größe", 1), (Kind::Semicolon, ";", 1)]
    );
}

#[test]
fn sqlite_block_comment_ends_at_first_close() {
    assert_eq!(
        kinds_in(Flavor::Sqlite, "/* a /* b */ x; -- */"),
        [
            (Kind::BlockComment, "/* a /* b */", 1),
            (Kind::Word, "x", 1),
            (Kind::Semicolon, ";", 1),
            (Kind::LineComment, "-- */", 1),
        ]
    );
    // `/*/` does not close: the `*/` must come after the opening `/*`.
    assert_eq!(
        kinds_in(Flavor::Sqlite, "/*/ x */y"),
        [(Kind::BlockComment, "/*/ x */", 1), (Kind::Word, "y", 1)]
    );
    assert_eq!(
        error_in(Flavor::Sqlite, "x;\n/* never closed"),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::BlockComment))
    );
}

#[test]
fn sqlite_has_no_dollar_quotes_or_escape_strings() {
    assert_eq!(
        kinds_in(Flavor::Sqlite, "$$a;$b$ E'x\\';' 1.5e3 a$b 9end'"),
        [
            (Kind::Word, "$$a", 1),
            (Kind::Semicolon, ";", 1),
            (Kind::Word, "$b$", 1),
            (Kind::Word, "E", 1),
            (Kind::String, "'x\\'", 1),
            (Kind::Semicolon, ";", 1),
            (Kind::String, "' 1.5e3 a$b 9end'", 1),
        ]
    );
    assert_eq!(
        kinds_in(Flavor::Sqlite, "1.5e3 x.end 9end"),
        [
            (Kind::Word, "1", 1),
            (Kind::Punct, ".", 1),
            (Kind::Word, "5e3", 1),
            (Kind::Word, "x", 1),
            (Kind::Punct, ".", 1),
            (Kind::Word, "end", 1),
            (Kind::Word, "9end", 1),
        ]
    );
}

#[test]
fn sqlite_brackets_always_end_at_first_close() {
    assert_eq!(
        kinds_in(Flavor::Sqlite, "['a;] [--x] [/*] y"),
        [
            (Kind::QuotedIdent, "['a;]", 1),
            (Kind::QuotedIdent, "[--x]", 1),
            (Kind::QuotedIdent, "[/*]", 1),
            (Kind::Word, "y", 1),
        ]
    );
    assert_eq!(
        error_in(Flavor::Sqlite, "\n[a;b"),
        ScriptError::new(2, ErrorKind::Unterminated(Construct::QuotedIdentifier))
    );
    let src = format!("{}x]", "a [".repeat(100_000));
    let toks: Vec<_> = Lexer::new(&src, 1, Flavor::Sqlite)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(toks.len(), 3);
}

#[test]
fn mysql_tokens() {
    assert_eq!(
        kinds_in(
            Flavor::MySql,
            "# a;\n--x -- b\n'it\\'s' \"q\\\"\"\"\" `b``c` /*! 'x*/' */ /*M!1*/ $$a E'\\\\' [b]"
        ),
        [
            (Kind::LineComment, "# a;", 1),
            (Kind::Punct, "-", 2),
            (Kind::Punct, "-", 2),
            (Kind::Word, "x", 2),
            (Kind::LineComment, "-- b", 2),
            (Kind::String, "'it\\'s'", 3),
            (Kind::String, "\"q\\\"\"\"\"", 3),
            (Kind::QuotedIdent, "`b``c`", 3),
            (Kind::ExecComment, "/*! 'x*/' */", 3),
            (Kind::ExecComment, "/*M!1*/", 3),
            (Kind::Word, "$$a", 3),
            (Kind::Word, "E", 3),
            (Kind::String, "'\\\\'", 3),
            (Kind::Punct, "[", 3),
            (Kind::Word, "b", 3),
            (Kind::Punct, "]", 3),
        ]
    );
}

#[test]
fn mysql_delimiter_is_found_inside_words() {
    let src = "END$$ x$$y '$$' -- $$\n$";
    let mut lexer = Lexer::new(src, 1, Flavor::MySql);
    lexer.set_delimiter(Some("$$"));
    let toks: Vec<_> = lexer
        .map(|t| t.unwrap())
        .filter(|t| t.kind != Kind::Whitespace)
        .map(|t| (t.kind, &src[t.start..t.end]))
        .collect();
    assert_eq!(
        toks,
        [
            (Kind::Word, "END"),
            (Kind::Delimiter, "$$"),
            (Kind::Word, "x"),
            (Kind::Delimiter, "$$"),
            (Kind::Word, "y"),
            (Kind::String, "'$$'"),
            (Kind::LineComment, "-- $$"),
            (Kind::Word, "$"),
        ]
    );
}
