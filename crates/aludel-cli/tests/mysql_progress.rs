//! MySQL/MariaDB commit DDL at once: a migration that fails half-way keeps
//! its first statements. aludel records them statement by statement in
//! `aludel_progress`, says where the database stands, resumes after them,
//! and refuses to guess (run with `ALUDEL_TEST_MYSQL_URL` set).

mod mysql_fixture;

use mysql_fixture::Project;

const DOWN: &str = "DROP TABLE IF EXISTS t2;\nDROP TABLE IF EXISTS t1;";

/// Revision `a`: a table, a row, a statement that fails (line 10), another table.
fn failing(project: &Project) -> std::path::PathBuf {
    project.write_rev(
        "a",
        "",
        "CREATE TABLE t1 (x INT);\nINSERT INTO t1 VALUES (1);\nCREATE TABLE bad (x INT);\nALTER TABLE t1 ADD COLUMN y nosuchtype;\nCREATE TABLE t2 (x INT);",
        DOWN,
    )
}

#[test]
fn a_failure_half_way_is_reported_and_the_rerun_resumes_after_what_ran() {
    let Some(project) = Project::new("") else {
        return;
    };
    let path = failing(&project);
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("a.sql:10: statement failed in upgrade of revision a"),
        "{run}"
    );
    assert!(run.stderr.contains("nosuchtype"), "{run}");
    assert!(
        run.stderr
            .contains("revision a is half-applied (upgrade): statements 1 to 3 ran"),
        "{run}"
    );
    assert!(run.stderr.contains("resumes with statement 4"), "{run}");
    // Nothing is recorded as applied; what ran is recorded as done.
    assert!(project.db.versions().is_empty());
    let done = |n: &str| (n.to_string(), "done".to_string());
    assert_eq!(project.progress(), [done("1"), done("2"), done("3")]);
    let current = project.run(&["current"]);
    assert_eq!(current.code, 0, "{current}");
    assert!(
        current.stderr.contains(
            "revision a is half-applied (upgrade): statements 1 to 3 ran (the last, line 9: CREATE TABLE bad (x INT))"
        ),
        "{current}"
    );

    // The fixed file resumes with statement 4: the row is not inserted twice.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("nosuchtype", "INT")).unwrap();
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(project.db.versions(), ["a"]);
    assert_eq!(project.db.column("SELECT COUNT(*) FROM t1"), ["1"]);
    assert!(project.db.has_table("t2"));
    assert!(project.progress().is_empty());
    assert_eq!(
        project
            .db
            .column("SELECT direction FROM aludel_history WHERE revision = 'a'"),
        ["upgrade"]
    );
    let current = project.run(&["current"]);
    assert!(!current.stderr.contains("half-applied"), "{current}");
}

#[test]
fn a_statement_that_ran_and_was_edited_since_is_refused_by_number_and_line() {
    let Some(project) = Project::new("") else {
        return;
    };
    let path = failing(&project);
    assert_eq!(project.run(&["upgrade", "head"]).code, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text
        .replace("VALUES (1)", "VALUES (2)")
        .replace("nosuchtype", "INT");
    std::fs::write(&path, &edited).unwrap();
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(
            "a.sql:8: statement 2 of the upgrade of revision a already ran, and the file has changed it since"
        ),
        "{run}"
    );
    // Nothing ran: still three statements done, no version.
    assert_eq!(project.progress().len(), 3);
    assert!(project.db.versions().is_empty());
    assert!(!project.db.has_table("t2"));
}

#[test]
fn a_statement_interrupted_between_its_rows_is_left_to_the_operator() {
    let Some(project) = Project::new("") else {
        return;
    };
    let path = failing(&project);
    assert_eq!(project.run(&["upgrade", "head"]).code, 2);
    // As if the migrator had died while statement 3 ran.
    project
        .db
        .execute("UPDATE aludel_progress SET state = 'started' WHERE statement = 3");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("nosuchtype", "INT")).unwrap();
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(
            "statements 1 to 2 ran; statement 3 (line 9: CREATE TABLE bad (x INT)) may or may not have run"
        ),
        "{run}"
    );
    let advice = "UPDATE aludel_progress SET state = 'done' WHERE revision = 'a' AND direction = 'upgrade' AND statement = 3";
    assert!(run.stderr.contains(advice), "{run}");
    assert!(!project.db.has_table("t2"), "nothing ran");
    // The operator checks (the table is there) and records it as the message says.
    assert!(project.db.has_table("bad"));
    project.db.execute(advice);
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(project.db.versions(), ["a"]);
    assert_eq!(project.db.column("SELECT COUNT(*) FROM t1"), ["1"]);
}

#[test]
fn a_migration_of_data_only_rolls_back_whole() {
    let Some(project) = Project::new("") else {
        return;
    };
    project.write_rev("a", "", "CREATE TABLE t1 (x INT PRIMARY KEY);", DOWN);
    project.write_rev(
        "b",
        "a",
        "INSERT INTO t1 VALUES (1);\nINSERT INTO t1 VALUES (2);\nINSERT INTO t1 VALUES (1);",
        "DELETE FROM t1;",
    );
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("b.sql:9: statement failed in upgrade of revision b"),
        "{run}"
    );
    assert!(!run.stderr.contains("half-applied"), "{run}");
    assert_eq!(project.db.versions(), ["a"]);
    assert_eq!(project.db.column("SELECT COUNT(*) FROM t1"), ["0"]);
    assert!(project.progress().is_empty());
}

#[test]
fn downgrading_past_a_half_applied_revision_is_refused() {
    let Some(project) = Project::new("") else {
        return;
    };
    project.write_rev("a", "", "CREATE TABLE t0 (x INT);", "DROP TABLE t0;");
    project.write_rev(
        "b",
        "a",
        "CREATE TABLE t1 (x INT);\nALTER TABLE t1 ADD COLUMN y nosuchtype;",
        DOWN,
    );
    assert_eq!(project.run(&["upgrade", "head"]).code, 2);
    assert_eq!(project.db.versions(), ["a"]);
    let run = project.run(&["downgrade", "base"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains(
            "revision b is half-applied (upgrade): statement 1 ran (the last, line 7: CREATE TABLE t1 (x INT)); this run would start with the downgrade of a"
        ),
        "{run}"
    );
    assert!(project.db.has_table("t0"), "nothing was undone");
    assert_eq!(project.db.versions(), ["a"]);
}

#[test]
fn a_non_transactional_section_is_tracked_too() {
    let Some(project) = Project::new("") else {
        return;
    };
    let path = project.write_rev(
        "a",
        "",
        "CREATE TABLE t1 (x INT);\nINSERT INTO t1 VALUES (1);\nINSERT INTO nowhere VALUES (1);",
        DOWN,
    );
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("-- migrate:upgrade", "-- migrate:upgrade transaction:false"),
    )
    .unwrap();
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("statements 1 to 2 ran"), "{run}");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("nowhere", "t1")).unwrap();
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(project.db.column("SELECT COUNT(*) FROM t1"), ["2"]);
    assert_eq!(project.db.versions(), ["a"]);
}

#[test]
fn a_stamp_forgets_a_half_applied_migration_the_operator_finished_by_hand() {
    let Some(project) = Project::new("") else {
        return;
    };
    failing(&project);
    assert_eq!(project.run(&["upgrade", "head"]).code, 2);
    assert_eq!(project.progress().len(), 3);
    // The operator finishes the migration by hand and records it.
    project
        .db
        .execute("ALTER TABLE t1 ADD COLUMN y INT; CREATE TABLE t2 (x INT)");
    let run = project.run(&["stamp", "a"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains(
            "Forgetting the progress of revision a is half-applied (upgrade): statements 1 to 3 ran"
        ),
        "{run}"
    );
    assert!(project.progress().is_empty());
    assert_eq!(project.db.versions(), ["a"]);
    let run = project.run(&["upgrade", "head"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains("Running upgrade"), "{run}");
}
