//! The MySQL/MariaDB renderer on the real server, tables and columns: each
//! migration is a reviewed snapshot, and runs: the upgrade reads as the
//! desired schema, the downgrade as the starting one, rows kept.

mod mysql_server;

use mysql_server::{roundtrip, scripts};

#[test]
fn create_and_drop_tables() {
    let Some(m) = roundtrip(
        "CREATE TABLE keep (id INT PRIMARY KEY);
         CREATE TABLE old_one (id INT PRIMARY KEY, note TEXT)",
        "CREATE TABLE keep (id INT PRIMARY KEY);
         CREATE TABLE fresh (
             id INT UNSIGNED NOT NULL AUTO_INCREMENT,
             code VARCHAR(20) CHARACTER SET latin1 NOT NULL DEFAULT 'x' COMMENT 'the code',
             exact VARCHAR(10) COLLATE utf8mb4_bin,
             price DECIMAL(10,2) DEFAULT 1.50,
             doc JSON,
             touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
             kind ENUM('a','b') NOT NULL DEFAULT 'a',
             twice DECIMAL(12,2) AS (price * 2) VIRTUAL,
             stored DECIMAL(12,2) AS (price * 3) STORED,
             expr_default INT DEFAULT (1 + 1),
             keep_id INT,
             PRIMARY KEY (id),
             UNIQUE KEY uq_code (code),
             KEY ix_code_prefix (code(5), price),
             CONSTRAINT ck_price CHECK (price >= 0),
             CONSTRAINT fk_keep FOREIGN KEY (keep_id) REFERENCES keep (id) ON DELETE SET NULL
         ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='fresh rows'",
        "INSERT INTO keep VALUES (1), (2)",
        &[],
        "SELECT id FROM keep ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
    assert_eq!(m.warnings().len(), 1, "{:?}", m.warnings());
}

#[test]
fn add_and_drop_columns_instantly() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, gone VARCHAR(10), a INT)",
        "CREATE TABLE t (first_one INT, id INT PRIMARY KEY, a INT, added VARCHAR(10) NOT NULL DEFAULT 'x', n INT)",
        "INSERT INTO t (id, a, gone) VALUES (1, 10, 'g'), (2, 20, NULL)",
        &[],
        "SELECT id, a FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
    assert!(m.upgrade_sql().contains("ALGORITHM=INSTANT"));
}

#[test]
fn rename_a_column() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, old_name VARCHAR(10))",
        "CREATE TABLE t (id INT PRIMARY KEY, new_name VARCHAR(10))",
        "INSERT INTO t VALUES (1, 'kept')",
        &["t.old_name=new_name"],
        "SELECT id FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn alter_columns() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (
             id INT PRIMARY KEY,
             d INT DEFAULT 1,
             e ENUM('a','b') DEFAULT 'a',
             widen VARCHAR(10),
             nn INT,
             ts TIMESTAMP NULL,
             cmt INT
         )",
        "CREATE TABLE t (
             id INT PRIMARY KEY,
             d INT DEFAULT 2,
             e ENUM('a','b','c') DEFAULT 'a',
             widen VARCHAR(40),
             nn INT NOT NULL DEFAULT 0,
             ts TIMESTAMP NULL ON UPDATE CURRENT_TIMESTAMP,
             cmt INT COMMENT 'explained'
         )",
        "INSERT INTO t VALUES (1, 1, 'b', 'w', 5, NULL, 3)",
        &[],
        "SELECT id, e, widen, nn FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn primary_key_with_auto_increment() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (code VARCHAR(10) NOT NULL, v INT)",
        "CREATE TABLE t (code VARCHAR(10) NOT NULL, v INT, id INT NOT NULL AUTO_INCREMENT PRIMARY KEY)",
        "INSERT INTO t (code, v) VALUES ('a', 1), ('b', 2)",
        &[],
        "SELECT code, v FROM t ORDER BY code",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn primary_key_changes_columns() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a))",
        "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))",
        "INSERT INTO t VALUES (1, 1), (2, 1)",
        &[],
        "SELECT a, b FROM t ORDER BY a",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn table_options_and_comment() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(10), l VARCHAR(10) CHARACTER SET latin1)
         ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
        "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(10), l VARCHAR(10) CHARACTER SET latin1)
         ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='it''s a \\\\ path'",
        "INSERT INTO t VALUES (1, 's', 'l')",
        &[],
        "SELECT id, s, l FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn rename_a_table_and_add_json() {
    let Some(m) = roundtrip(
        "CREATE TABLE old_name (id INT PRIMARY KEY)",
        "CREATE TABLE new_name (id INT PRIMARY KEY, doc JSON)",
        "INSERT INTO old_name VALUES (1)",
        &["old_name=new_name"],
        "",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn enum_label_case_is_a_change() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, e ENUM('a','b'))",
        "CREATE TABLE t (id INT PRIMARY KEY, e ENUM('A','B'))",
        "INSERT INTO t VALUES (1, 'a')",
        &[],
        "SELECT id FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}

#[test]
fn rename_a_json_column() {
    let Some(m) = roundtrip(
        "CREATE TABLE t (id INT PRIMARY KEY, data JSON)",
        "CREATE TABLE t (id INT PRIMARY KEY, doc JSON)",
        "INSERT INTO t VALUES (1, '{\"a\": 1}')",
        &["t.data=doc"],
        "SELECT id FROM t ORDER BY id",
    ) else {
        return;
    };
    insta::assert_snapshot!(scripts(&m));
}
