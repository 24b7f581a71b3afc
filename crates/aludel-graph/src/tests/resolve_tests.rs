//! Target resolution (Alembic `get_revision(s)`, relative targets).

use super::*;

fn labeled() -> RevisionGraph {
    // LabeledBranchTest
    build(vec![
        with_labels(info("a", &[]), &["abranch"]),
        info("b", &["a"]),
        info("somelongername", &["b"]),
        info("c", &["somelongername"]),
        info("d", &[]),
        with_labels(info("e", &["d"]), &["ebranch"]),
        info("someothername", &["e"]),
        info("f", &["someothername"]),
    ])
}

fn forked() -> RevisionGraph {
    build(vec![
        info("a", &[]),
        info("b", &["a"]),
        info("c1", &["b"]),
        info("c2", &["b"]),
    ])
}

fn one_id(g: &RevisionGraph, target: &str) -> Option<String> {
    g.resolve_one(target)
        .unwrap_or_else(|e| panic!("{target}: {e}"))
        .map(|r| g.id(r).to_string())
}

fn res(g: &RevisionGraph, target: &str, current: &[&str]) -> Vec<String> {
    ids(
        g,
        &g.resolve(target, current)
            .unwrap_or_else(|e| panic!("{target}: {e}")),
    )
}

#[test]
fn head_and_base_single() {
    let g = build(vec![info("a", &[]), info("b", &["a"]), info("c", &["b"])]);
    assert_eq!(one_id(&g, "head").as_deref(), Some("c"));
    assert_eq!(one_id(&g, "base"), None);
    assert_eq!(res(&g, "heads", &[]), vec!["c"]);
    assert!(res(&g, "base", &[]).is_empty());
}

#[test]
fn multiple_heads() {
    let g = forked();
    let e = g.resolve("head", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Multiple head revisions are present for given argument 'head'; please specify a \
         specific target revision, '<branchname>@head' to narrow to a specific head, or \
         'heads' for all heads (heads: c1, c2)"
    );
    match &e {
        GraphError::MultipleHeads { heads, .. } => assert_eq!(heads, &["c1", "c2"]),
        other => panic!("{other:?}"),
    }
    assert!(g.resolve_one("heads").is_err());
    assert_eq!(res(&g, "heads", &[]), vec!["c1", "c2"]);
    let raw = e
        .clone()
        .with_heads_hint(crate::MultipleHeadsHint::Raw, None);
    assert_eq!(
        raw.to_string(),
        "Multiple heads are present for given argument 'head'; c1, c2"
    );
}

#[test]
fn label_forms() {
    let g = labeled();
    assert_eq!(one_id(&g, "ebranch@head").as_deref(), Some("f"));
    assert_eq!(one_id(&g, "abranch@head").as_deref(), Some("c"));
    assert_eq!(one_id(&g, "abranch@heads").as_deref(), Some("c"));
    assert_eq!(one_id(&g, "abranch@base"), None);
    assert_eq!(one_id(&g, "ebranch@d").as_deref(), Some("d"));
    assert_eq!(one_id(&g, "ebranch@ebranch").as_deref(), Some("e"));
    assert_eq!(one_id(&g, "abranch").as_deref(), Some("a"));
    assert_eq!(one_id(&g, "ebranch").as_deref(), Some("e"));
    assert_eq!(one_id(&g, "e").as_deref(), Some("e"));
    assert_eq!(one_id(&g, "e@d").as_deref(), Some("d"));
    assert_eq!(one_id(&g, "someoth@d").as_deref(), Some("d"));
    assert_eq!(one_id(&g, "ebranch@some").as_deref(), Some("someothername"));
    assert_eq!(
        one_id(&g, "abranch@some").as_deref(),
        Some("somelongername")
    );
    assert_eq!(res(&g, "f@head", &[]), vec!["f"]);
}

#[test]
fn label_errors() {
    let g = labeled();
    let e = g.resolve_one("ebranch@b").unwrap_err();
    assert_eq!(e.to_string(), "Can't locate revision identified by 'b'");
    assert!(matches!(e, GraphError::NotFound { ref detail, .. }
        if detail == "Revision b is not a member of branch 'ebranch'"));
    let e = g.resolve_one("abranch@d").unwrap_err();
    assert!(matches!(e, GraphError::NotFound { ref detail, .. }
        if detail == "Revision d is not a member of branch 'abranch'"));
    let e = g.resolve_one("ebranch@sos").unwrap_err();
    assert!(matches!(e, GraphError::NotFound { ref detail, .. }
        if detail == "No such revision or branch 'sos'; please ensure at least four \
                     characters are present for partial revision identifier matches"));
    let e = g.resolve_one("abranch@qprstuv").unwrap_err();
    assert!(matches!(e, GraphError::NotFound { ref detail, .. }
        if detail == "No such revision or branch 'qprstuv'"));
    let e = g.resolve_one("x@d").unwrap_err();
    assert!(
        matches!(e, GraphError::NotFound { ref detail, ref argument }
        if detail == "No such branch: 'x'" && argument == "x")
    );
}

#[test]
fn unknown_and_prefixes() {
    let g = build(vec![
        info("ae1027a6acf", &[]),
        info("ae10b2c3d4e5", &["ae1027a6acf"]),
        info("1975ea83b712", &["ae10b2c3d4e5"]),
    ]);
    assert_eq!(
        g.resolve("zzzz", &[]).unwrap_err().to_string(),
        "Can't locate revision identified by 'zzzz'"
    );
    assert_eq!(res(&g, "1975", &[]), vec!["1975ea83b712"]);
    // Alembic matches shorter prefixes too when unique.
    assert_eq!(res(&g, "19", &[]), vec!["1975ea83b712"]);
    let e = g.resolve("ae10", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Multiple revisions start with 'ae10': 'ae1027a6acf', 'ae10b2c3d4e5'..."
    );
    assert!(
        matches!(e, GraphError::AmbiguousPrefix { ref candidates, .. } if candidates.len() == 2)
    );
    assert_eq!(res(&g, "ae102", &[]), vec!["ae1027a6acf"]);
}

#[test]
fn prefix_matches_labels_too() {
    let g = build(vec![
        with_labels(info("aaaa1", &[]), &["feature"]),
        info("bbbb2", &["aaaa1"]),
    ]);
    assert_eq!(res(&g, "feat", &[]), vec!["aaaa1"]);
}

#[test]
fn relative_targets() {
    let g = build(vec![
        info("a1", &[]),
        info("b2", &["a1"]),
        info("c3", &["b2"]),
        info("d4", &["c3"]),
        info("e5", &["d4"]),
    ]);
    assert_eq!(res(&g, "+2", &["a1"]), vec!["c3"]);
    assert_eq!(res(&g, "+1", &[]), vec!["a1"]);
    assert_eq!(res(&g, "-1", &["c3"]), vec!["b2"]);
    assert_eq!(res(&g, "head-1", &[]), vec!["d4"]);
    assert_eq!(res(&g, "head-2", &[]), vec!["c3"]);
    assert_eq!(res(&g, "base+2", &[]), vec!["b2"]);
    assert_eq!(res(&g, "b2+2", &[]), vec!["d4"]);
    assert_eq!(res(&g, "d4-2", &[]), vec!["b2"]);
    // get_revisions' own negative form walks down from the heads.
    assert_eq!(ids(&g, &g.resolve("-1", &["e5"]).unwrap()), vec!["d4"]);
    assert!(
        res(&g, "a1-1", &[]).is_empty(),
        "walking below a base gives base"
    );
    assert_eq!(
        g.resolve("+9", &["a1"]).unwrap_err().to_string(),
        "Relative revision +9 didn't produce 9 migrations"
    );
    assert_eq!(
        g.resolve("-9", &["c3"]).unwrap_err().to_string(),
        "Relative revision -9 didn't produce 9 migrations"
    );
}

#[test]
fn labeled_relative_targets() {
    let g = labeled();
    assert_eq!(res(&g, "ebranch@+2", &[]), vec!["e"]);
    assert_eq!(res(&g, "ebranch@+1", &["e"]), vec!["someothername"]);
    assert_eq!(res(&g, "ebranch@-1", &["c", "f"]), vec!["someothername"]);
    assert_eq!(res(&g, "ebranch@head-2", &[]), vec!["e"]);
    assert_eq!(res(&g, "abranch@base+1", &[]), vec!["a"]);
    assert_eq!(
        g.resolve("+1", &["c", "f"]).unwrap_err().to_string(),
        "Ambiguous upgrade from multiple current revisions"
    );
}

#[test]
fn relative_form_parser() {
    use crate::target::parse_relative;
    assert_eq!(parse_relative("-1"), Some((None, None, "-1")));
    assert_eq!(parse_relative("+12"), Some((None, None, "+12")));
    assert_eq!(parse_relative("head-1"), Some((None, Some("head"), "-1")));
    assert_eq!(
        parse_relative("c2branch@head-1"),
        Some((Some("c2branch"), Some("head"), "-1"))
    );
    assert_eq!(parse_relative("x@+3"), Some((Some("x"), None, "+3")));
    assert_eq!(
        parse_relative("a@b@c+1"),
        Some((Some("a@b"), Some("c"), "+1"))
    );
    assert_eq!(parse_relative("ae1027a6acf"), None);
    assert_eq!(parse_relative("heads"), None);
    assert_eq!(parse_relative("x@head"), None);
}

#[test]
fn new_revision_checks() {
    let g = forked();
    assert_eq!(
        g.new_revision_parents(&[], false).unwrap_err().to_string(),
        "Multiple heads are present; please specify the head revision on which the new \
         revision should be based, or perform a merge. (heads: c1, c2)"
    );
    assert_eq!(
        g.new_revision_parents(&["b"], false)
            .unwrap_err()
            .to_string(),
        "Revision b is not a head revision; please specify --splice to create a new branch \
         from this revision"
    );
    assert_eq!(
        ids(&g, &g.new_revision_parents(&["b"], true).unwrap()),
        vec!["b"]
    );
    assert_eq!(
        ids(&g, &g.new_revision_parents(&["heads"], false).unwrap()),
        vec!["c1", "c2"]
    );
    assert!(g.new_revision_parents(&["base"], false).unwrap().is_empty());
    assert_eq!(
        g.new_revision_parents(&["c1", "c1"], false)
            .unwrap_err()
            .to_string(),
        "Duplicate head revisions specified"
    );
    let l = labeled();
    assert_eq!(
        l.new_revision_dependencies(&["ebranch", "some"])
            .unwrap_err()
            .to_string(),
        "Multiple revisions start with 'some': 'somelongername', 'someothername'..."
    );
    assert_eq!(
        l.new_revision_dependencies(&["ebranch", "someo"]).unwrap(),
        vec!["ebranch", "someothername"]
    );
}

#[test]
fn all_current() {
    // MultipleBranchEffectiveHead: y2 depends on x1.
    let g = build(vec![
        with_labels(info("y1", &[]), &["y"]),
        with_labels(info("x1", &[]), &["x"]),
        with_deps(info("y2", &["y1"]), &["x1"]),
        info("x2", &["x1"]),
    ]);
    assert_eq!(ids(&g, &g.all_current(&["y2"]).unwrap()), vec!["x1", "y2"]);
    assert_eq!(
        ids(&g, &g.all_current(&["x2", "y2"]).unwrap()),
        vec!["y2", "x2"]
    );
    assert!(g.all_current(&[]).unwrap().is_empty());
    assert_eq!(
        g.all_current(&["nope"]).unwrap_err().to_string(),
        "Can't locate revision identified by 'nope'"
    );
}
