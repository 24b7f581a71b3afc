//! Offline SQL for MariaDB/MySQL with routine and trigger bodies: the
//! `mariadb` client ends statements at every `;`, so a body holding `;` is
//! printed between `DELIMITER` lines and the script replays in the client
//! (run with `ALUDEL_TEST_MYSQL_URL` set).

mod mysql_fixture;

use std::io::Write;
use std::process::Stdio;

use mysql_fixture::{Project, client, finish};

#[test]
fn routine_and_trigger_bodies_replay_in_the_mariadb_client() {
    let Some(project) = Project::new("") else {
        return;
    };
    project.write_rev(
        "a1",
        "",
        "CREATE TABLE t1 (x INT, n INT DEFAULT 0);\n\
         CREATE TRIGGER t1_count BEFORE INSERT ON t1 FOR EACH ROW\n\
         BEGIN\n  SET NEW.n = NEW.x * 2;\n  IF NEW.x > 10 THEN SET NEW.n = 0; END IF;\nEND;\n\
         CREATE PROCEDURE add_one(IN v INT)\nBEGIN\n  INSERT INTO t1 (x) VALUES (v);\nEND;\n\
         CALL add_one(4);",
        "DROP PROCEDURE add_one;\nDROP TABLE t1;",
    );
    let run = project.run(&["upgrade", "head", "--sql"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("DELIMITER $$\nCREATE TRIGGER"), "{run}");
    assert!(run.stdout.contains("END$$\nDELIMITER ;"), "{run}");
    let mut child = client(&project.db.url, &project.db.name)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mariadb client");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(run.stdout.as_bytes())
        .expect("piping the SQL");
    let piped = finish(child.wait_with_output().expect("the client finishes"));
    assert_eq!(piped.code, 0, "{piped}\n{}", run.stdout);
    assert_eq!(project.db.versions(), ["a1"]);
    assert_eq!(project.db.column("SELECT n FROM t1"), ["8"]);
}
