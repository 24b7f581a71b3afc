//! `--rename` flags for names that need quotes: a `.`, `=`, spaces or a
//! quote inside a table or column name.

use aludel_schema::{ObjectName, Renames};

#[test]
fn quoted_names_in_rename_flags() {
    let r = Renames::parse_flags([
        "\"my table\"=\"your.table\"",
        "\"your.table\".\"a b\"=\"c=d\"",
        "t.\"say \"\"hi\"\"\"=t.plain",
    ])
    .expect("quoted flags");
    assert_eq!(
        r.tables,
        [(ObjectName::new("my table"), ObjectName::new("your.table"))]
    );
    let columns: Vec<_> = r
        .columns
        .iter()
        .map(|c| (c.table.clone(), c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        columns,
        [
            (ObjectName::new("your.table"), "a b", "c=d"),
            (ObjectName::new("t"), "say \"hi\"", "plain"),
        ]
    );
    for bad in ["\"open=x", "\"a\"b=c", "t.\"a\"=\"u\".b", "\"\"=x"] {
        let error = Renames::parse_flags([bad]).expect_err(bad);
        assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
    }
}
