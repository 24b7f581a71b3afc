//! The words of a refusal while a revision is half-applied on MySQL/MariaDB:
//! a run with nothing left to do says so plainly (run with
//! `ALUDEL_TEST_MYSQL_URL` set).

mod mysql_fixture;

use mysql_fixture::Project;

#[test]
fn a_half_applied_downgrade_then_an_upgrade_with_nothing_to_do() {
    let Some(project) = Project::new("") else {
        return;
    };
    project.write_rev("a", "", "CREATE TABLE t0 (x INT);", "DROP TABLE t0;");
    project.write_rev(
        "b",
        "a",
        "CREATE TABLE t1 (x INT);",
        "DROP TABLE t1;\nDROP TABLE nosuch;",
    );
    assert_eq!(project.run(&["upgrade", "head"]).code, 0);
    assert_eq!(project.run(&["downgrade", "-1"]).code, 2);
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("this run would start with nothing (the target is reached)"),
        "{run}"
    );
    assert!(!run.stderr.contains("the nothing"), "{run}");
}
