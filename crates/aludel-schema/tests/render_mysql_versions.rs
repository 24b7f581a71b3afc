//! What the renderer writes for servers other than the local MariaDB
//! (MySQL 8, older MariaDB): reviewed snapshots only, from hand-built
//! models. These statements are not run here (no such server in the test
//! environment); they follow the servers' documentation.

use aludel_schema::model::{CheckConstraint, Index, IndexKey, IndexPart, PrimaryKey};
use aludel_schema::mysql::MySqlServer;
use aludel_schema::{Column, MySqlRenderer, ObjectName, Renames, Schema, Table, plan};

fn base() -> Table {
    let mut t = Table::new(ObjectName::new("t"));
    let mut id = Column::new("id", "int");
    id.nullable = false;
    let mut n = Column::new("n", "int");
    n.default = Some("1".into());
    t.columns = vec![
        id,
        n,
        Column::new("old_name", "varchar(10)"),
        Column::new("gone", "text"),
    ];
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into()],
        descending: vec![false],
    });
    t.checks.push(CheckConstraint {
        name: Some("t_chk_1".into()),
        expr: "(`n` > 0)".into(),
    });
    t.options.engine = Some("InnoDB".into());
    t
}

fn changed() -> Table {
    let mut t = base();
    t.columns[1].default = Some("2".into());
    t.columns[2].name = "new_name".into();
    t.columns.pop();
    t.columns.push(Column::new("added", "json"));
    t.checks.clear();
    t.indexes.insert(
        "ix_expr".into(),
        Index {
            name: "ix_expr".into(),
            unique: false,
            parts: vec![IndexPart {
                key: IndexKey::Expr("(`n` * 2)".into()),
                descending: true,
                collation: None,
                prefix_length: None,
                nulls_first: None,
            }],
            predicate: None,
            method: None,
            include: Vec::new(),
            nulls_not_distinct: false,
        },
    );
    t
}

fn schema(t: Table) -> Schema {
    let mut s = Schema::default();
    s.tables.insert(t.name.clone(), t);
    s
}

fn render(version: &str) -> String {
    let renames = Renames::parse_flags(["t.old_name=new_name"]).expect("flag");
    let renderer = MySqlRenderer {
        server: MySqlServer::parse(version),
    };
    let m = plan(&schema(base()), &schema(changed()), &renames, &renderer).expect("plan");
    format!(
        "-- upgrade\n{}\n-- downgrade\n{}",
        m.upgrade_sql(),
        m.downgrade_sql()
    )
}

#[test]
fn mysql_8() {
    insta::assert_snapshot!(render("8.0.36"));
}

#[test]
fn mysql_8_before_instant_drop_and_rename() {
    insta::assert_snapshot!(render("8.0.20"));
}

#[test]
fn mariadb_10_4() {
    insta::assert_snapshot!(render("10.4.30-MariaDB"));
}

/// MySQL 8: a column a foreign key references is renamed without a claim
/// of INSTANT (not guaranteed there); MariaDB renames it instantly (run by
/// `render_mysql_keys::rename_a_referenced_and_indexed_column`).
#[test]
fn mysql_8_renames_a_referenced_column_without_instant() {
    use aludel_schema::{FkAction, ForeignKey};
    let parent = |key: &str| {
        let mut t = Table::new(ObjectName::new("parent"));
        let mut c = Column::new(key, "int");
        c.nullable = false;
        t.columns.push(c);
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec![key.into()],
            descending: vec![false],
        });
        t
    };
    let child = |key: &str| {
        let mut t = Table::new(ObjectName::new("child"));
        t.columns.push(Column::new("parent_code", "int"));
        t.foreign_keys.push(ForeignKey {
            name: Some("fk_parent".into()),
            columns: vec!["parent_code".into()],
            referenced_table: ObjectName::new("parent"),
            referenced_columns: vec![key.into()],
            on_update: FkAction::Restrict,
            on_delete: FkAction::Restrict,
            deferrable: Default::default(),
        });
        t
    };
    let both = |key: &str| {
        let mut s = schema(parent(key));
        let c = child(key);
        s.tables.insert(c.name.clone(), c);
        s
    };
    let renames = Renames::parse_flags(["parent.code=ref"]).expect("flag");
    let renderer = MySqlRenderer {
        server: MySqlServer::parse("8.0.36"),
    };
    let m = plan(&both("code"), &both("ref"), &renames, &renderer).expect("plan");
    let sql = m.upgrade_sql();
    assert!(sql.contains("RENAME COLUMN `code` TO `ref`;"), "{sql}");
}
