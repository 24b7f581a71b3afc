use super::*;

#[test]
fn keyword_case_quotes_layout_and_comments_do_not_matter() {
    let a = normalize_sql("CREATE VIEW v AS SELECT \"Id\", [Name] FROM Feed -- c\n WHERE x>0");
    let b = normalize_sql("create view V as /* c */ select id,name from \"feed\" where x > 0;");
    assert_eq!(a, b);
    assert_eq!(a, "create view v as select id, name from feed where x > 0");
}

#[test]
fn string_literals_are_kept_exactly() {
    assert_eq!(normalize_sql("SELECT 'It''s A'"), "select 'It''s A'");
    assert_ne!(normalize_sql("SELECT 'a'"), normalize_sql("SELECT 'A'"));
}

#[test]
fn identifiers_that_need_quotes_keep_them() {
    assert_eq!(
        normalize_sql("SELECT \"Order\", \"a b\" FROM t"),
        "select \"order\", \"a b\" from t"
    );
    assert_eq!(quote_ident("feed"), "feed");
    assert_eq!(quote_ident("group"), "\"group\"");
    assert_eq!(quote_ident("2x"), "\"2x\"");
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
}

#[test]
fn function_calls_signs_and_lists_are_spaced_canonically() {
    assert_eq!(normalize_expr("length( c )<5"), "length(c) < 5");
    assert_eq!(normalize_expr("x IN (1,2 , 3)"), "x in (1, 2, 3)");
    assert_eq!(normalize_expr("-1"), "-1");
    assert_eq!(normalize_expr("a - 1"), "a - 1");
    assert_eq!(normalize_expr("max(a,-1)"), "max(a, -1)");
    assert_eq!(normalize_expr("t.a"), "t.a");
}

#[test]
fn outer_parentheses_of_an_expression_go() {
    assert_eq!(normalize_expr("(0)"), "0");
    assert_eq!(normalize_expr("((datetime('now')))"), "datetime('now')");
    assert_eq!(normalize_expr("(a) + (b)"), "(a) + (b)");
    assert_eq!(normalize_sql("(0)"), "(0)");
}

#[test]
fn types_are_uppercase_and_tight() {
    assert_eq!(normalize_type("varchar ( 10 )"), "VARCHAR(10)");
    assert_eq!(normalize_type("decimal(10, 2)"), "DECIMAL(10,2)");
    assert_eq!(normalize_type("unsigned  big int"), "UNSIGNED BIG INT");
    assert_eq!(normalize_type(""), "");
}

#[test]
fn binary_is_no_collation() {
    assert_eq!(normalize_collation("nocase"), Some("NOCASE".into()));
    assert_eq!(normalize_collation("Binary"), None);
}

#[test]
fn identifiers_are_listed_once_lowercased() {
    assert_eq!(
        identifiers("SELECT a FROM \"Feed\" JOIN feed_x ON feed.a = A"),
        vec!["select", "a", "from", "feed", "join", "feed_x", "on"]
    );
}

#[test]
fn text_the_tokenizer_refuses_is_only_collapsed() {
    assert_eq!(normalize_sql("SELECT  'open"), "SELECT 'open");
}

#[test]
fn the_keyword_list_is_sorted_for_binary_search() {
    let mut sorted = SQLITE_KEYWORDS;
    sorted.sort_unstable();
    assert_eq!(sorted, SQLITE_KEYWORDS);
    assert!(is_sqlite_keyword("SELECT"));
    assert!(!is_sqlite_keyword("feed"));
}

#[test]
fn a_double_quoted_default_is_the_string_sqlite_reads() {
    assert_eq!(normalize_default("\"on\""), "'on'");
    assert_eq!(normalize_default("'on'"), "'on'");
    assert_eq!(normalize_default("(0)"), "0");
}
