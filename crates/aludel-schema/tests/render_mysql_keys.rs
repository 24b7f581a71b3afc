//! The MySQL/MariaDB renderer on the real server, keys and indexes: unique
//! constraints, indexes of every kind, checks, and foreign keys with the
//! index the server makes for them, in both directions.

mod mysql_server;

use mysql_server::{roundtrip, scripts, server};

#[test]
fn indexes_of_every_kind() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50), body TEXT, price INT,
             KEY ix_gone (price))",
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50), body TEXT, price INT,
             KEY ix_prefix (name(10), price DESC),
             UNIQUE KEY uq_name (name),
             FULLTEXT KEY ft_body (body))",
        "INSERT INTO t VALUES (1, 'a', 'text', 3), (2, 'b', 'more', 4)",
        &[],
        "SELECT id, name, body, price FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn a_unique_index_with_a_prefix_stays_an_index() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50))",
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50), UNIQUE KEY ux_name (name(20)))",
        "INSERT INTO t VALUES (1, 'a')",
        &[],
        "SELECT id, name FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn unique_keys_of_a_table_without_primary_key() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, c INT)",
        "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, c INT,
             UNIQUE KEY uq_a (a), UNIQUE KEY ux_b (b DESC), KEY ix_c (c))",
        "INSERT INTO t VALUES (1, 1, 1), (2, 2, 2)",
        &[],
        "SELECT a, b, c FROM t ORDER BY a",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn check_constraints() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, a INT, CONSTRAINT ck_gone CHECK (a < 100))",
        "CREATE TABLE t (id INT PRIMARY KEY, a INT CHECK (a > 0), CONSTRAINT ck_new CHECK (a <> 5))",
        "INSERT INTO t VALUES (1, 1)",
        &[],
        "SELECT id, a FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

const PARENT: &str = "CREATE TABLE parent (id INT PRIMARY KEY);";

#[test]
fn a_foreign_key_with_its_own_index_added_and_dropped() {
    let Some(m) = roundtrip(
        &format!("{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT)"),
        &format!(
            "{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT,
                 CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)"
        ),
        "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1), (2, NULL)",
        &[],
        "SELECT id, parent_id FROM child ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
    assert!(
        !m.upgrade_sql().contains("ADD INDEX"),
        "{}",
        m.upgrade_sql()
    );
    assert!(
        m.downgrade_sql()
            .contains("DROP FOREIGN KEY `fk_parent`, DROP INDEX `fk_parent`"),
        "{}",
        m.downgrade_sql()
    );
}

#[test]
fn a_foreign_key_served_by_a_declared_index_added_and_dropped() {
    let Some(m) = roundtrip(
        &format!("{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT)"),
        &format!(
            "{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT,
                 KEY ix_parent (parent_id),
                 CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))"
        ),
        "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1)",
        &[],
        "SELECT id, parent_id FROM child ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn the_declared_index_of_a_kept_foreign_key_goes() {
    let Some(m) = roundtrip(
        &format!(
            "{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT,
                 KEY ix_parent (parent_id),
                 CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))"
        ),
        &format!(
            "{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT,
                 CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))"
        ),
        "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1)",
        &[],
        "SELECT id, parent_id FROM child ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn views_and_triggers() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, n INT);
         CREATE VIEW old_view AS SELECT id FROM t;",
        "CREATE TABLE t (id INT PRIMARY KEY, n INT);
         CREATE VIEW v AS SELECT id, n FROM t WHERE n > 0;
         CREATE SQL SECURITY INVOKER VIEW v2 AS SELECT id FROM v WHERE id > 0 WITH CHECK OPTION;
         CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
         BEGIN
             IF NEW.n IS NULL THEN
                 SET NEW.n = 0;
             END IF;
         END;",
        "INSERT INTO t VALUES (1, 1)",
        &[],
        "SELECT id, n FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

/// Functions and procedures: rendered from the changes directly (the
/// generic diff does not list them yet), run, read back equal; dropped.
#[test]
fn functions_and_procedures_render_and_run() {
    use aludel_schema::{Change, MySqlRenderer, Renderer, Schema};
    let Some(source) = mysql_server::scratch() else {
        return;
    };
    let Some(target) = mysql_server::scratch() else {
        return;
    };
    mysql_server::run(
        &source,
        "CREATE TABLE t (id INT PRIMARY KEY, n INT);
         CREATE FUNCTION plus(a INT, b VARCHAR(10)) RETURNS INT DETERMINISTIC
             COMMENT 'adds' RETURN a + b;
         CREATE FUNCTION counted() RETURNS BIGINT READS SQL DATA SQL SECURITY INVOKER
         BEGIN
             DECLARE c BIGINT;
             SELECT COUNT(*) INTO c FROM t;
             RETURN c;
         END;
         CREATE PROCEDURE bump(IN by_n INT, OUT total INT)
         BEGIN
             UPDATE t SET n = n + by_n;
             SELECT SUM(n) INTO total FROM t;
         END;",
    );
    mysql_server::run(&target, "CREATE TABLE t (id INT PRIMARY KEY, n INT)");
    let wanted = mysql_server::read(&source);
    let renderer = MySqlRenderer {
        server: server(&target),
    };
    let create: Vec<Change> = wanted
        .functions
        .values()
        .cloned()
        .map(Change::CreateFunction)
        .collect();
    let empty = Schema::default();
    let up = renderer.render(&create, &empty, &wanted);
    let up_sql: String = up.iter().map(|b| b.sql()).collect::<Vec<_>>().join("\n");
    mysql_server::run(&target, &up_sql);
    assert_eq!(
        mysql_server::read(&target).functions,
        wanted.functions,
        "{up_sql}"
    );
    let drop: Vec<Change> = wanted
        .functions
        .values()
        .cloned()
        .map(Change::DropFunction)
        .collect();
    let down = renderer.render(&drop, &wanted, &empty);
    let down_sql: String = down.iter().map(|b| b.sql()).collect::<Vec<_>>().join("\n");
    mysql_server::run(&target, &down_sql);
    assert!(mysql_server::read(&target).functions.is_empty());
    insta::assert_snapshot!(format!("-- upgrade\n{up_sql}\n-- downgrade\n{down_sql}"));
}

#[test]
fn server_version_is_read() {
    let Some(db) = mysql_server::scratch() else {
        return;
    };
    let s = server(&db);
    assert!(s.version.0 >= 8, "{s:?}");
}

#[test]
fn spatial_index_and_self_reference() {
    let Some(m) = roundtrip(
        "CREATE TABLE place (id INT PRIMARY KEY, at POINT NOT NULL, up_id INT)",
        "CREATE TABLE place (id INT PRIMARY KEY, at POINT NOT NULL, up_id INT,
             SPATIAL KEY sp_at (at),
             CONSTRAINT fk_up FOREIGN KEY (up_id) REFERENCES place (id))",
        "INSERT INTO place VALUES (1, POINT(1, 2), NULL), (2, POINT(3, 4), 1)",
        &[],
        "SELECT id, up_id FROM place ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn an_unnamed_foreign_key_added_and_dropped() {
    let Some(m) = roundtrip(
        &format!("{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT)"),
        &format!(
            "{PARENT} CREATE TABLE child (id INT PRIMARY KEY, parent_id INT,
                 FOREIGN KEY (parent_id) REFERENCES parent (id))"
        ),
        "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1)",
        &[],
        "SELECT id, parent_id FROM child ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn functions_and_procedures_through_the_diff() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, n INT);
         CREATE FUNCTION plus(a INT) RETURNS INT DETERMINISTIC RETURN a + 1;
         CREATE PROCEDURE gone() SELECT 1;",
        "CREATE TABLE t (id INT PRIMARY KEY, n INT);
         CREATE FUNCTION plus(a INT) RETURNS INT DETERMINISTIC RETURN a + 2;
         CREATE PROCEDURE bump(IN by_n INT)
         BEGIN
             UPDATE t SET n = n + by_n;
         END;",
        "INSERT INTO t VALUES (1, 1)",
        &[],
        "SELECT id, n FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn rename_a_referenced_and_indexed_column() {
    let Some(m) = roundtrip(
        "CREATE TABLE parent (code INT PRIMARY KEY, label VARCHAR(10), KEY ix_label (label));
         CREATE TABLE child (id INT PRIMARY KEY, parent_code INT,
             CONSTRAINT fk_parent FOREIGN KEY (parent_code) REFERENCES parent (code))",
        "CREATE TABLE parent (ref INT PRIMARY KEY, title VARCHAR(10), KEY ix_label (title));
         CREATE TABLE child (id INT PRIMARY KEY, parent_code INT,
             CONSTRAINT fk_parent FOREIGN KEY (parent_code) REFERENCES parent (ref))",
        "INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (1, 1)",
        &["parent.code=ref", "parent.label=title"],
        "SELECT id, parent_code FROM child ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}
