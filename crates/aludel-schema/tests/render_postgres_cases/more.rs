//! More PostgreSQL cases: constraints and indexes on populated tables,
//! functions changed under a trigger and a view, renames, sequences,
//! generated columns, drops, a serial column on its own sequence.

use aludel_schema::model::Identity;
use aludel_schema::{Sequence, Table};

use super::*;
use crate::common::*;

fn parent_child() -> Schema {
    let parent = table(
        "parent",
        vec![col("id", "integer").not_null(), col("code", "text")],
    )
    .pk(&["id"]);
    let child = table(
        "child",
        vec![
            col("id", "integer").not_null(),
            col("parent_id", "integer"),
            col("qty", "integer"),
            col("code", "text"),
        ],
    )
    .pk(&["id"]);
    with_tables(vec![parent, child])
}

/// A foreign key, a check, a unique constraint, NOT NULL and indexes added
/// to populated tables (the safe forms with `concurrently`); a unique
/// index a new foreign key needs.
pub fn constraints_added() -> Case {
    let before = parent_child();
    let mut after = before.clone();
    let parent = after.tables.get_mut(&name("parent")).expect("parent");
    *parent = parent.clone().with_index({
        let mut ix = index("parent_code_idx", &["code"]);
        ix.unique = true;
        ix
    });
    let child = after.tables.get_mut(&name("child")).expect("child");
    let mut by_id = fk(&["parent_id"], "parent", &["id"]);
    by_id.name = Some("child_parent_id_fkey".into());
    let mut by_code = fk(&["code"], "parent", &["code"]);
    by_code.name = Some("child_code_fkey".into());
    *child = child
        .clone()
        .with_fk(by_id)
        .with_fk(by_code)
        .check(Some("child_qty_check"), "qty >= 0")
        .unique(Some("child_parent_id_qty_key"), &["parent_id", "qty"])
        .with_index(index("ix_child_parent", &["parent_id"]));
    child.columns[2].nullable = false;
    Case {
        name: "constraints_added",
        before,
        after,
        renames: vec![],
        seed: vec![
            "INSERT INTO parent VALUES (1, 'a'), (2, 'b')",
            "INSERT INTO child VALUES (1, 1, 3, 'a'), (2, 2, 4, NULL)",
        ],
    }
}

const TOUCH_V1: &str = "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.n := 1;\n  RETURN NEW;\nEND;\n$function$\n";
const TOUCH_V2: &str = "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.n := 2;\n  RETURN NEW;\nEND;\n$function$\n";
const ANSWER_INT: &str = "CREATE OR REPLACE FUNCTION public.answer()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 42$function$\n";
const ANSWER_BIG: &str = "CREATE OR REPLACE FUNCTION public.answer()\n RETURNS bigint\n LANGUAGE sql\nAS $function$SELECT 42::bigint$function$\n";
const TRG: &str =
    "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION touch()";

/// A trigger function changed in place (`CREATE OR REPLACE`) and a
/// function whose result type changes (dropped and created again, with the
/// view calling it).
pub fn functions_changed() -> Case {
    let mut before = with_tables(vec![table("t", vec![col("n", "integer")])]);
    before
        .functions
        .insert(name("touch()"), function("touch()", TOUCH_V1));
    before
        .functions
        .insert(name("answer()"), function("answer()", ANSWER_INT));
    add_trigger(&mut before, pg_trigger("t_touch", "t", TRG));
    before.views.insert(
        name("v_answer"),
        pg_view(
            "v_answer",
            "CREATE VIEW v_answer AS SELECT answer() AS a",
            &[],
        ),
    );
    let mut after = before.clone();
    after
        .functions
        .insert(name("touch()"), function("touch()", TOUCH_V2));
    after
        .functions
        .insert(name("answer()"), function("answer()", ANSWER_BIG));
    Case {
        name: "functions_changed",
        before,
        after,
        renames: vec![],
        seed: vec!["INSERT INTO t VALUES (5)"],
    }
}

/// A table and a column renamed natively under a view and an index.
pub fn renames_under_view() -> Case {
    let item = table(
        "item",
        vec![col("id", "integer").not_null(), col("label", "text")],
    )
    .pk(&["id"])
    .with_index(index("ix_item_label", &["label"]));
    let mut item = item;
    item.primary_key.as_mut().expect("key").name = Some("item_pkey".into());
    let mut before = with_tables(vec![item]);
    before.views.insert(
        name("item_ids"),
        pg_view(
            "item_ids",
            "CREATE VIEW item_ids AS SELECT id FROM item",
            &["item"],
        ),
    );
    let product = table(
        "product",
        vec![col("id", "integer").not_null(), col("name", "text")],
    )
    .pk(&["id"])
    .with_index(index("ix_item_label", &["name"]));
    let mut product = product;
    product.primary_key.as_mut().expect("key").name = Some("product_pkey".into());
    let mut after = with_tables(vec![product]);
    after.views.insert(
        name("item_ids"),
        pg_view(
            "item_ids",
            "CREATE VIEW item_ids AS SELECT id FROM product",
            &["product"],
        ),
    );
    // The view reads as the server prints it once the table is renamed.
    after
        .views
        .get_mut(&name("item_ids"))
        .expect("view")
        .definition = before.views[&name("item_ids")].definition.clone();
    Case {
        name: "renames_under_view",
        before,
        after,
        renames: vec!["item=product", "product.label=name"],
        seed: vec!["INSERT INTO item VALUES (1, 'x')"],
    }
}

/// A sequence's options and owner change.
pub fn sequence_changed() -> Case {
    let counter = table(
        "counter",
        vec![col("id", "bigint").default("nextval('counter_seq'::regclass)")],
    );
    let mut before = with_tables(vec![counter]);
    before
        .sequences
        .insert(name("counter_seq"), sequence("counter_seq", SEQ_DEFAULTS));
    let mut after = before.clone();
    after.sequences.insert(
        name("counter_seq"),
        Sequence {
            owned_by: Some((name("counter"), "id".into())),
            ..sequence(
                "counter_seq",
                "AS bigint INCREMENT BY 5 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE",
            )
        },
    );
    Case {
        name: "sequence_changed",
        before,
        after,
        renames: vec![],
        seed: vec!["INSERT INTO counter DEFAULT VALUES"],
    }
}

fn area(expr: &str) -> Table {
    table(
        "box",
        vec![
            col("w", "integer"),
            col("h", "integer"),
            col("area", "integer").generated(expr, true),
        ],
    )
    .with_index(index("ix_box_area", &["area"]))
}

/// A generated column's expression changes (dropped and added again on
/// PostgreSQL 15, its index recreated).
pub fn generated_changed() -> Case {
    Case {
        name: "generated_changed",
        before: with_tables(vec![area("(w * h)")]),
        after: with_tables(vec![area("((w * h) * 2)")]),
        renames: vec![],
        seed: vec!["INSERT INTO box (w, h) VALUES (2, 3)"],
    }
}

/// A table and a column dropped (data-loss warnings); a table whose
/// `serial` column draws from a sequence of its own name.
pub fn drops_and_serial() -> Case {
    let a = table("a", vec![col("id", "integer").not_null(), col("x", "text")]).pk(&["id"]);
    let b = table("b", vec![col("id", "integer")]);
    let before = with_tables(vec![a.clone(), b]);
    let mut kept = a;
    kept.columns.truncate(1);
    let tally = table(
        "tally",
        vec![ident(
            col("n", "bigint"),
            Identity::Serial {
                sequence: name("tally_numbers"),
            },
        )],
    );
    let after = with_tables(vec![kept, tally]);
    Case {
        name: "drops_and_serial",
        before,
        after,
        renames: vec![],
        seed: vec![
            "INSERT INTO a VALUES (1, 'gone')",
            "INSERT INTO b VALUES (1)",
        ],
    }
}

/// Two tables referencing each other (created with one key added after
/// both exist, dropped with that key first), and a renamed table whose
/// `serial` sequence follows its name.
pub fn cycles_and_serial_rename() -> Case {
    let mut a = table(
        "a",
        vec![col("id", "integer").not_null(), col("b_id", "integer")],
    )
    .pk(&["id"])
    .with_fk(fk(&["b_id"], "b", &["id"]));
    a.foreign_keys[0].name = Some("a_b_id_fkey".into());
    let mut b = table(
        "b",
        vec![col("id", "integer").not_null(), col("a_id", "integer")],
    )
    .pk(&["id"])
    .with_fk(fk(&["a_id"], "a", &["id"]));
    b.foreign_keys[0].name = Some("b_a_id_fkey".into());
    let serial = |t: &str| {
        let mut t = table(
            t,
            vec![ident(
                col("id", "integer"),
                Identity::Serial {
                    sequence: name(&format!("{t}_id_seq")),
                },
            )],
        )
        .pk(&["id"]);
        t.primary_key.as_mut().expect("key").name = Some(format!("{}_pkey", t.name.name));
        t
    };
    Case {
        name: "cycles_and_serial_rename",
        before: with_tables(vec![a, b, serial("item")]),
        after: with_tables(vec![serial("product")]),
        renames: vec!["item=product"],
        seed: vec![
            "INSERT INTO a VALUES (1, NULL)",
            "INSERT INTO b VALUES (1, 1)",
            "UPDATE a SET b_id = 1",
            "INSERT INTO item DEFAULT VALUES",
        ],
    }
}

pub fn more() -> Vec<Case> {
    vec![
        cycles_and_serial_rename(),
        constraints_added(),
        functions_changed(),
        renames_under_view(),
        sequence_changed(),
        generated_changed(),
        drops_and_serial(),
    ]
}
