//! Unit tests of the server object diff.
use super::*;

fn e(values: &[&str]) -> EnumType {
    EnumType {
        name: ObjectName::new("mood"),
        values: values.iter().map(|s| s.to_string()).collect(),
    }
}

fn positions(before: &[&str], after: &[&str]) -> Option<Vec<(String, EnumPosition)>> {
    added_values(&e(before), &e(after)).map(|changes| {
        changes
            .into_iter()
            .filter_map(|c| match c {
                Change::AddEnumValue {
                    value, position, ..
                } => Some((value, position)),
                _ => None,
            })
            .collect()
    })
}

#[test]
fn enum_labels_added_in_place_or_rebuilt() {
    use EnumPosition::*;
    let s = |v: &str| v.to_string();
    assert_eq!(
        positions(&["a", "b"], &["x", "a", "y", "b", "z", "w"]),
        Some(vec![
            (s("x"), Before(s("a"))),
            (s("y"), After(s("a"))),
            (s("z"), End),
            (s("w"), End),
        ])
    );
    assert_eq!(positions(&["a", "b"], &["b", "a"]), None);
    assert_eq!(positions(&["a", "b"], &["a"]), None);
    assert_eq!(positions(&["a", "b"], &["a", "c"]), None);
}

#[test]
fn calls_finds_whole_names_before_a_parenthesis() {
    assert!(calls("public.next_id()", "next_id"));
    assert!(calls("EXECUTE FUNCTION \"Touch\" ()", "Touch"));
    assert!(!calls("my_next_id()", "next_id"));
    assert!(!calls("next_id_col + 1", "next_id"));
}
