//! The reader on MySQL 8 rows (no MySQL 8 server here: the rows are what
//! its `information_schema` documentation says it returns), and the query
//! count per server.

use super::{MySqlServer, catalog_queries, read_catalog};
use crate::catalog::Rows;
use crate::model::{IndexKey, ObjectName};

fn rows(data: &[&[Option<&str>]]) -> Rows {
    data.iter()
        .map(|r| r.iter().map(|c| c.map(str::to_string)).collect())
        .collect()
}

#[test]
fn the_query_count_is_the_same_on_every_server() {
    let counts: Vec<usize> = ["8.0.36", "8.0.11", "10.11.19-MariaDB", "10.2.6-MariaDB"]
        .iter()
        .map(|v| catalog_queries(&MySqlServer::parse(v)).len())
        .collect();
    assert_eq!(counts, [10, 10, 10, 10]);
    let mysql = catalog_queries(&MySqlServer::parse("8.0.36"));
    assert!(mysql[2].contains("EXPRESSION") && mysql[4].contains("TABLE_CONSTRAINTS"));
    assert!(catalog_queries(&MySqlServer::parse("10.11.19-MariaDB"))[4].contains("LEVEL"));
}

#[test]
fn mysql_8_rows_read_as_written() {
    let server = MySqlServer::parse("8.0.36");
    let (s, n) = (Some, None::<&str>);
    let tables = rows(&[&[
        s("t"),
        s("BASE TABLE"),
        s("InnoDB"),
        s("utf8mb4_0900_ai_ci"),
        s(""),
        s(""),
        s("app"),
    ]]);
    let col =
        |name, pos, default, nullable, ty, extra, generation, data_type| -> Vec<Option<&str>> {
            vec![
                s("t"),
                s(name),
                s(pos),
                default,
                s(nullable),
                s(ty),
                n,
                n,
                s(extra),
                generation,
                s(""),
                s(data_type),
            ]
        };
    let columns: Rows = [
        col("id", "1", n, "NO", "int", "auto_increment", n, "int"),
        col(
            "name",
            "2",
            s("it's"),
            "NO",
            "varchar(20)",
            "",
            n,
            "varchar",
        ),
        col("n", "3", s("0"), "YES", "int", "", n, "int"),
        col(
            "at",
            "4",
            s("CURRENT_TIMESTAMP"),
            "NO",
            "timestamp",
            "DEFAULT_GENERATED on update CURRENT_TIMESTAMP",
            n,
            "timestamp",
        ),
        col(
            "r",
            "5",
            s("rand()"),
            "YES",
            "double",
            "DEFAULT_GENERATED",
            n,
            "double",
        ),
        col("doc", "6", n, "YES", "json", "", n, "json"),
        col(
            "g",
            "7",
            n,
            "YES",
            "int",
            "STORED GENERATED",
            s("(`n` + 1)"),
            "int",
        ),
    ]
    .into_iter()
    .map(|r| r.into_iter().map(|c| c.map(str::to_string)).collect())
    .collect();
    let statistics = rows(&[
        &[
            s("t"),
            s("PRIMARY"),
            s("0"),
            s("1"),
            s("id"),
            s("A"),
            n,
            s("BTREE"),
            n,
        ],
        &[
            s("t"),
            s("ix_expr"),
            s("1"),
            s("1"),
            n,
            s("D"),
            n,
            s("BTREE"),
            s("(`n` * 2)"),
        ],
    ]);
    let checks = rows(&[&[s("t"), s("t_chk_1"), s("(`n` > 0)"), s("Table")]]);
    let views = rows(&[&[
        s("v"),
        s("select `app`.`t`.`id` AS `id` from `app`.`t`"),
        s("NONE"),
        s("DEFINER"),
    ]]);
    let empty = Rows::new();
    let results = vec![
        tables,
        columns,
        statistics,
        empty.clone(),
        checks,
        views,
        empty.clone(),
        empty.clone(),
        empty.clone(),
        empty,
    ];
    let read = read_catalog(&server, &results).expect("read");
    let t = &read.schema.tables[&ObjectName::new("t")];
    assert_eq!(t.options.charset.as_deref(), Some("utf8mb4"));
    let default = |name: &str| t.column(name).and_then(|c| c.default.clone());
    assert_eq!(default("name").as_deref(), Some("'it''s'"));
    assert_eq!(default("n").as_deref(), Some("0"));
    assert_eq!(default("at").as_deref(), Some("CURRENT_TIMESTAMP"));
    assert_eq!(default("r").as_deref(), Some("rand()"));
    let at = t.column("at").expect("at");
    assert_eq!(at.on_update.as_deref(), Some("CURRENT_TIMESTAMP"));
    assert_eq!(t.column("doc").map(|c| c.data_type.as_str()), Some("json"));
    let g = t
        .column("g")
        .and_then(|c| c.generated.clone())
        .expect("generated");
    assert!(g.stored);
    let ix = &t.indexes["ix_expr"];
    assert_eq!(ix.parts[0].key, IndexKey::Expr("(`n` * 2)".into()));
    assert!(ix.parts[0].descending);
    assert_eq!(t.checks[0].expr, "(`n` > 0)");
    let v = &read.schema.views[&ObjectName::new("v")];
    assert_eq!(v.sql, "CREATE VIEW `v` AS select `t`.`id` AS `id` from `t`");
    assert_eq!(v.depends_on, [ObjectName::new("t")]);
}

#[test]
fn a_wrong_number_of_results_is_an_error() {
    let server = MySqlServer::parse("10.11.19-MariaDB");
    let err = read_catalog(&server, &[]).expect_err("no rows");
    assert_eq!(err.object, "catalog");
}
