//! Property tests: splitting round-trips, no panics, header round-trips.

use aludel_script::Flavor;

/// The flavour these tests were written for: the splitter's original reading.
const PG: Flavor = Flavor::Postgres;
use aludel_script::{
    HeaderFields, parse_header, parse_script, render_header, split_statements, validate_id,
};
use proptest::prelude::*;

/// Text for inside a single-quoted string: may contain `;`, `''`, newlines, keywords.
fn string_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just(";".to_owned()),
            Just("''".to_owned()),
            Just("\n".to_owned()),
            Just(" END ".to_owned()),
            Just("BEGIN".to_owned()),
            Just("--".to_owned()),
            Just("/*".to_owned()),
            Just("$$".to_owned()),
            "[a-z0-9 ]{1,5}",
        ],
        0..6,
    )
    .prop_map(|v| v.concat())
}

/// Text for inside a comment or dollar quote: no terminator sequences.
fn comment_body() -> impl Strategy<Value = String> {
    "[a-z ;'\"`$]{0,12}"
}

/// Text for inside a `[...]` identifier: may contain `;`, newlines, keywords,
/// but nothing that makes the lexer treat the `[` as punctuation.
fn bracket_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just(";".to_owned()),
            Just("\n".to_owned()),
            Just(" END ".to_owned()),
            Just("case".to_owned()),
            Just("BEGIN".to_owned()),
            "[a-z0-9 .,()*/-]{1,4}",
        ],
        0..6,
    )
    .prop_map(|v| v.concat())
    .prop_filter("comment opener", |s| !s.contains("--") && !s.contains("/*"))
}

/// A simple, non-routine statement that never ends in trivia.
fn simple_statement() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..1000).prop_map(|n| format!("SELECT {n}")),
        string_body().prop_map(|s| format!("INSERT INTO t VALUES ('{s}')")),
        string_body().prop_map(|s| format!("SELECT E'{}\\';'", s.replace('\\', ""))),
        comment_body().prop_map(|c| format!("SELECT 1 /* {c} /* {c} */ */ + 2")),
        comment_body().prop_map(|c| format!("SELECT 1 -- {c}\n  + 2")),
        "[a-z ;]{1,8}".prop_map(|i| format!("SELECT \"{i}\"\"x\" FROM `{i}`")),
        comment_body().prop_map(|c| format!("DO $$ {} $$", c.replace('$', ""))),
        comment_body().prop_map(|c| format!("SELECT $tag$ {c} $$ $tag$, $1")),
        Just("BEGIN".to_owned()),
        Just("SELECT CASE WHEN a THEN 'x;' END\nFROM t".to_owned()),
        (bracket_body(), bracket_body())
            .prop_map(|(a, b)| format!("INSERT INTO [{a}] ([{b}], x.[{a}]) VALUES ([{b}])")),
        (string_body(), bracket_body()).prop_map(|(s, b)| format!(
            "SELECT ARRAY['{s}', ']'][1], a[1:2]::int[], ARRAY[[';]'], [2]], [{b}]"
        )),
    ]
}

/// A statement that may be a routine or rule with `;` inside.
fn statement() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => simple_statement(),
        1 => prop::collection::vec(simple_statement(), 1..4).prop_map(|body| {
            let body: String = body
                .iter()
                .filter(|s| *s != "BEGIN")
                .map(|s| format!("  {s};\n"))
                .collect();
            format!("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n{body}  SELECT CASE x.y WHEN 1 THEN 2 END AS end;\nEND")
        }),
        1 => prop::collection::vec(simple_statement(), 1..3).prop_map(|body| {
            let body: Vec<String> = body.iter().filter(|s| *s != "BEGIN").cloned().collect();
            format!("CREATE RULE r AS ON INSERT TO t DO ALSO (\n{};\nSELECT 1\n)", body.join(";\n"))
        }),
    ]
}

/// Trivia placed between statements (after the `;\n`).
fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\n".to_owned()),
        comment_body().prop_map(|c| format!("-- {c}\n")),
        comment_body().prop_map(|c| format!("/* {c} */ ")),
    ]
}

fn id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.]{1,12}".prop_filter("reserved", |s| {
        s != "None" && !aludel_script::RESERVED_WORDS.contains(&s.as_str())
    })
}

fn id_list() -> impl Strategy<Value = Vec<String>> {
    prop::collection::btree_set(id(), 0..4).prop_map(|s| s.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn joined_statements_split_back(
        parts in prop::collection::vec((statement(), separator()), 0..8),
        first_line in 1usize..100,
    ) {
        let mut sql = String::new();
        let mut expected = Vec::new();
        for (stmt, sep) in &parts {
            let line = first_line + sql.matches('\n').count();
            expected.push((stmt.clone(), line));
            sql.push_str(stmt);
            sql.push_str(";\n");
            sql.push_str(sep);
        }
        let got: Vec<(String, usize)> = split_statements(&sql, first_line, PG)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{sql}")))?
            .into_iter()
            .map(|s| (s.text.to_owned(), s.line))
            .collect();
        prop_assert_eq!(got, expected, "{}", sql);
    }

    #[test]
    fn splitter_never_panics_on_arbitrary_text(sql in any::<String>()) {
        for &flavor in Flavor::ALL {
            let _ = split_statements(&sql, 1, flavor);
            let _ = parse_script(&sql, flavor);
        }
    }

    #[test]
    fn splitter_never_panics_on_sqlish_text(
        parts in prop::collection::vec(
            prop_oneof![
                "[ \n\r\t;'\"`$/*\\\\\\-\\[\\]().Ee0-9]{1,3}",
                Just("BEGIN ".to_owned()),
                Just("END ".to_owned()),
                Just("CASE ".to_owned()),
                Just("CREATE TRIGGER ".to_owned()),
                Just("IF ".to_owned()),
                Just("$a$".to_owned()),
                Just("-- migrate:upgrade\n".to_owned()),
                Just("-- migrate:downgrade transaction:false\n".to_owned()),
                Just("é".to_owned()),
                Just("\nDELIMITER $$\n".to_owned()),
                Just("\ndelimiter ;\n".to_owned()),
                Just("# ".to_owned()),
                Just("/*!".to_owned()),
                Just("BEGIN NOT ATOMIC ".to_owned()),
                Just("CREATE PROCEDURE p() ".to_owned()),
                Just("FOR EACH ROW ".to_owned()),
            ],
            0..40,
        )
    ) {
        let sql = parts.concat();
        for &flavor in Flavor::ALL {
            if let Ok(stmts) = split_statements(&sql, 1, flavor) {
                let base = sql.as_ptr() as usize;
                let mut last_line = 1;
                for s in stmts {
                    let off = s.text.as_ptr() as usize - base;
                    prop_assert!(off + s.text.len() <= sql.len());
                    prop_assert!(!s.text.is_empty());
                    prop_assert!(s.line >= last_line);
                    prop_assert_eq!(s.line, 1 + sql[..off].matches('\n').count());
                    last_line = s.line;
                }
            }
            let header = format!("-- m\n-- Revision ID: a\n{sql}");
            if let Ok(script) = parse_script(&header, flavor) {
                let _ = script.upgrade.statements(flavor);
                let _ = script.downgrade.statements(flavor);
            }
        }
    }

    #[test]
    fn render_then_parse_round_trips(
        message in "[ -~]{0,40}",
        revision in id(),
        revises in id_list(),
        branch_labels in id_list(),
        depends_on in id_list(),
        create_date in proptest::option::of("[0-9 :.-]{0,26}"),
    ) {
        prop_assert_eq!(validate_id(&revision), Ok(()));
        let fields = HeaderFields { message, revision, revises, branch_labels, depends_on, create_date };
        let text = render_header(&fields).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed = parse_header(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let expected = HeaderFields {
            message: fields.message.trim().to_owned(),
            create_date: fields.create_date.as_ref().map(|d| d.trim().to_owned()),
            ..fields.clone()
        };
        prop_assert_eq!(HeaderFields::from(&parsed), expected);
        // And a full file built from it parses too.
        let file = format!("{text}\n-- migrate:upgrade\nSELECT 1;\n");
        let script = parse_script(&file, PG).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(script.header, parsed);
    }
}
