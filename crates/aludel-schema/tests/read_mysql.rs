//! The MySQL/MariaDB catalog reader on the real server: every kind of
//! object read into the model, a fixed number of queries, stable reads.

mod mysql_server;

use aludel_schema::ObjectName;
use aludel_schema::model::{FkAction, Identity, IndexKey};
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
    twice INT AS (price * 2) VIRTUAL,
    thrice INT AS (price * 3) STORED,
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

fn col<'a>(table: &'a aludel_schema::Table, name: &str) -> &'a aludel_schema::Column {
    table
        .column(name)
        .unwrap_or_else(|| panic!("column {name}"))
}

#[test]
fn every_kind_reads_into_the_model() {
    let Some(db) = scratch() else { return };
    run(&db, DDL);
    let (read, _) = read_counted(&db);
    let schema = &read.schema;
    let parent = &schema.tables[&ObjectName::new("parent")];

    // Table options and comment.
    assert_eq!(parent.options.engine.as_deref(), Some("InnoDB"));
    assert_eq!(parent.options.charset.as_deref(), Some("utf8mb4"));
    assert_eq!(
        parent.options.collation.as_deref(),
        Some("utf8mb4_general_ci")
    );
    assert_eq!(parent.comment.as_deref(), Some("parents"));

    // Columns in declaration order, types as COLUMN_TYPE.
    let names: Vec<&str> = parent.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id", "name", "quoted", "doc", "touched", "price", "maybe", "nothing", "twice",
            "thrice", "legacy", "exact", "kind", "counted", "body"
        ]
    );
    let id = col(parent, "id");
    assert_eq!(id.identity, Some(Identity::AutoIncrement));
    assert!(!id.nullable);
    let name = col(parent, "name");
    assert_eq!(name.data_type, "varchar(50)");
    assert_eq!(name.default.as_deref(), Some("'x'"));
    assert_eq!(col(parent, "quoted").default.as_deref(), Some("'it''s'"));
    // MariaDB's JSON: the type as written, its automatic check left out.
    let doc = col(parent, "doc");
    assert_eq!(doc.data_type, "json");
    assert_eq!(
        (doc.charset.as_deref(), doc.collation.as_deref()),
        (None, None)
    );
    let touched = col(parent, "touched");
    let now = touched
        .default
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(now.starts_with("current_timestamp"), "{now}");
    assert_eq!(
        touched.on_update.as_deref().map(str::to_ascii_lowercase),
        Some(now)
    );
    assert_eq!(col(parent, "price").data_type, "decimal(10,2)");
    assert_eq!(col(parent, "price").default.as_deref(), Some("1.50"));
    assert_eq!(
        col(parent, "maybe").default,
        None,
        "DEFAULT NULL is no default"
    );
    assert_eq!(col(parent, "nothing").default, None);
    let twice = col(parent, "twice").generated.clone().expect("generated");
    assert!(
        !twice.stored && twice.expr.contains("`price` * 2"),
        "{twice:?}"
    );
    let thrice = col(parent, "thrice").generated.clone().expect("generated");
    assert!(thrice.stored, "{thrice:?}");
    let legacy = col(parent, "legacy");
    assert_eq!(legacy.charset.as_deref(), Some("latin1"));
    assert_eq!(legacy.collation.as_deref(), Some("latin1_swedish_ci"));
    let exact = col(parent, "exact");
    assert_eq!(
        (exact.charset.as_deref(), exact.collation.as_deref()),
        (None, Some("utf8mb4_bin"))
    );
    assert_eq!(
        col(parent, "name").collation,
        None,
        "the table's collation is not repeated"
    );
    assert_eq!(col(parent, "kind").data_type, "enum('a','b')");
    assert_eq!(col(parent, "kind").default.as_deref(), Some("'a'"));
    let counted = col(parent, "counted");
    assert!(
        counted.data_type.ends_with("unsigned"),
        "{}",
        counted.data_type
    );
    assert_eq!(counted.comment.as_deref(), Some("how many"));

    // Keys, constraints, indexes.
    let pk = parent.primary_key.as_ref().expect("primary key");
    assert_eq!(pk.columns, ["id"]);
    assert_eq!(parent.uniques.len(), 1);
    assert_eq!(parent.uniques[0].name.as_deref(), Some("uq_name"));
    assert_eq!(parent.uniques[0].columns, ["name"]);
    let checks: Vec<(&str, &str)> = parent
        .checks
        .iter()
        .map(|c| (c.name.as_deref().unwrap_or_default(), c.expr.as_str()))
        .collect();
    assert_eq!(checks.len(), 2, "{checks:?}");
    assert!(
        checks
            .iter()
            .any(|(n, e)| *n == "ck_price" && e.contains("`price` > 0"))
    );
    if server(&db).mariadb {
        // The column-level check, named after its column.
        assert!(
            checks
                .iter()
                .any(|(n, e)| *n == "counted" && e.contains("`counted` > 0"))
        );
    }
    let prefix = &parent.indexes["ix_prefix"];
    assert!(!prefix.unique && prefix.method.is_none());
    assert_eq!(prefix.parts[0].key, IndexKey::Column("name".into()));
    assert_eq!(prefix.parts[0].prefix_length, Some(5));
    let server = server(&db);
    if server.mariadb_at_least((10, 8, 0)) || !server.mariadb {
        assert!(prefix.parts[1].descending);
    }
    assert_eq!(
        parent.indexes["ft_body"].method.as_deref(),
        Some("FULLTEXT")
    );

    // Foreign keys; the index a key brought along is not an index of the model.
    let child = &schema.tables[&ObjectName::new("child")];
    let fks: Vec<_> = child
        .foreign_keys
        .iter()
        .map(|f| f.name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(fks, ["fk_other", "fk_parent"]);
    let fk = &child.foreign_keys[1];
    assert_eq!(fk.columns, ["parent_id"]);
    assert_eq!(fk.referenced_table, ObjectName::new("parent"));
    assert_eq!(fk.referenced_columns, ["id"]);
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert_eq!(child.foreign_keys[0].on_update, FkAction::SetNull);
    let indexes: Vec<&String> = child.indexes.keys().collect();
    assert_eq!(indexes, ["ix_other"], "fk_parent's own index is left out");

    // Views: unqualified bodies, dependencies.
    let named = &schema.views[&ObjectName::new("named")];
    assert!(
        named.sql.starts_with("CREATE VIEW `named` AS select"),
        "{}",
        named.sql
    );
    assert!(
        !named.sql.contains(&format!("`{}`", db.name)),
        "{}",
        named.sql
    );
    assert_eq!(named.depends_on, [ObjectName::new("parent")]);
    assert_eq!(
        schema.views[&ObjectName::new("named2")].depends_on,
        [ObjectName::new("named")]
    );

    // Triggers, functions, procedures.
    let trigger = &schema.triggers[&ObjectName::new("parent_bi")];
    assert_eq!(trigger.table, ObjectName::new("parent"));
    assert!(
        trigger
            .sql
            .starts_with("CREATE TRIGGER `parent_bi` BEFORE INSERT ON `parent` FOR EACH ROW BEGIN"),
        "{}",
        trigger.sql
    );
    let add_one = &schema.functions[&ObjectName::new("add_one")];
    assert!(!add_one.procedure);
    assert!(
        add_one.sql.starts_with("CREATE FUNCTION `add_one`(`a` int")
            && add_one.sql.contains("RETURNS int"),
        "{}",
        add_one.sql
    );
    assert!(add_one.sql.contains("DETERMINISTIC") && add_one.sql.ends_with("RETURN a + 1"));
    let fill = &schema.functions[&ObjectName::new("fill")];
    assert!(fill.procedure);
    assert!(
        fill.sql.starts_with("CREATE PROCEDURE `fill`(IN `a` int"),
        "{}",
        fill.sql
    );
    assert!(fill.sql.contains("OUT `b` int"), "{}", fill.sql);

    // Not modelled: a warning naming the object.
    assert!(
        read.warnings.iter().any(|w| w.starts_with("event tick:")),
        "{:?}",
        read.warnings
    );
}

#[test]
fn partitioning_is_a_warning() {
    let Some(db) = scratch() else { return };
    run(
        &db,
        "CREATE TABLE parted (id INT PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 2",
    );
    let (read, _) = read_counted(&db);
    assert!(read.schema.tables.contains_key(&ObjectName::new("parted")));
    assert!(
        read.warnings
            .iter()
            .any(|w| w.starts_with("table parted: partitioning")),
        "{:?}",
        read.warnings
    );
}

#[test]
fn trigger_order_is_a_warning() {
    let Some(db) = scratch() else { return };
    run(
        &db,
        "CREATE TABLE t (id INT PRIMARY KEY, n INT);
         CREATE TRIGGER b_first BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;
         CREATE TRIGGER a_second BEFORE INSERT ON t FOR EACH ROW FOLLOWS b_first SET NEW.n = NEW.n + 1;",
    );
    let (read, _) = read_counted(&db);
    assert!(
        read.warnings
            .iter()
            .any(|w| w.starts_with("trigger a_second: its order")),
        "{:?}",
        read.warnings
    );
}

#[test]
fn an_invisible_column_is_a_warning() {
    let Some(db) = scratch() else { return };
    run(
        &db,
        "CREATE TABLE t (id INT PRIMARY KEY, secret INT INVISIBLE)",
    );
    let (read, _) = read_counted(&db);
    assert!(
        read.warnings
            .iter()
            .any(|w| w.starts_with("column t.secret: INVISIBLE")),
        "{:?}",
        read.warnings
    );
}

#[test]
fn the_query_count_does_not_grow_with_the_tables() {
    let Some(db) = scratch() else { return };
    let tables = |n: usize| -> String {
        (0..n)
            .map(|i| {
                format!("CREATE TABLE t{i} (id INT PRIMARY KEY, v VARCHAR(10), KEY ix{i} (v));\n")
            })
            .collect()
    };
    run(&db, &tables(3));
    let (few, three) = read_counted(&db);
    assert_eq!(few.schema.tables.len(), 3);
    let Some(big) = scratch() else { return };
    run(&big, &tables(300));
    let (many, three_hundred) = read_counted(&big);
    assert_eq!(many.schema.tables.len(), 300);
    assert_eq!(three, three_hundred);
}

#[test]
fn two_loads_of_the_same_ddl_read_equal() {
    if scratch().is_none() {
        return;
    }
    let ddl = DDL.replace("CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DO SELECT 1;", "");
    assert_eq!(load(&ddl), load(&ddl));
}

#[test]
fn objects_of_other_databases_are_not_read() {
    let Some(db) = scratch() else { return };
    let Some(other) = scratch() else { return };
    run(&other, "CREATE TABLE elsewhere (id INT PRIMARY KEY)");
    run(&db, "CREATE TABLE here (id INT PRIMARY KEY)");
    let (read, _) = read_counted(&db);
    let names: Vec<String> = read.schema.tables.keys().map(|n| n.to_string()).collect();
    assert_eq!(names, ["here"]);
}

#[test]
fn a_reindented_body_is_no_change() {
    if scratch().is_none() {
        return;
    }
    let ddl = |indent: &str| {
        format!(
            "CREATE TABLE t (id INT PRIMARY KEY, n INT);
             CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN\n{indent}SET NEW.n = 1;\nEND;
             CREATE PROCEDURE p() BEGIN\n{indent}SELECT 'a  b';\nEND;"
        )
    };
    let (a, b) = (load(&ddl("  ")), load(&ddl("\t\t    ")));
    assert_ne!(a, b, "the statements keep their layout");
    let changes = aludel_schema::diff(&a, &b, &aludel_schema::Renames::default()).expect("diff");
    assert_eq!(changes, Vec::new());
}

#[test]
fn routines_lose_the_database_qualification_without_tables() {
    let Some(db) = scratch() else { return };
    run(
        &db,
        &format!(
            "CREATE FUNCTION one() RETURNS INT DETERMINISTIC RETURN (SELECT COUNT(*) FROM `{}`.`nowhere`)",
            db.name
        ),
    );
    let (read, _) = read_counted(&db);
    let one = &read.schema.functions[&ObjectName::new("one")];
    assert!(one.sql.ends_with("FROM `nowhere`)"), "{}", one.sql);
}
