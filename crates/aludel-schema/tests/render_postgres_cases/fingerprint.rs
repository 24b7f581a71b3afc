//! What a PostgreSQL database holds, as sorted text rows from the catalog
//! (no OIDs, no column order): two databases with the same fingerprint
//! have the same schema as far as the renderer is concerned.

use aludel_testkit::TestDb;

/// Schemas the user made (system ones left out).
const USER_NS: &str = "(SELECT oid FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema')";

fn queries() -> Vec<String> {
    let ext = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')";
    let not_ext = |oid: &str| ext.replace("{oid}", oid);
    vec![
        format!("SELECT nspname::text FROM pg_namespace WHERE oid IN {USER_NS} ORDER BY 1"),
        "SELECT extname::text, extnamespace::regnamespace::text FROM pg_extension ORDER BY 1"
            .into(),
        format!(
            "SELECT c.oid::regclass::text, a.attname::text, format_type(a.atttypid, a.atttypmod), \
             a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, \
             a.attgenerated::text, col_description(c.oid, a.attnum), \
             (SELECT collname::text FROM pg_collation WHERE oid = a.attcollation AND collname <> 'default') \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
             AND c.relnamespace IN {USER_NS} AND {} ORDER BY 1, 2",
            not_ext("c.oid")
        ),
        format!(
            "SELECT conrelid::regclass::text, contypid::regtype::text, conname::text, \
             pg_get_constraintdef(oid), convalidated::text FROM pg_constraint \
             WHERE connamespace IN {USER_NS} ORDER BY 1, 2, 3"
        ),
        format!(
            "SELECT c.oid::regclass::text, pg_get_indexdef(c.oid), i.indisvalid::text FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace IN {USER_NS} ORDER BY 1"
        ),
        format!(
            "SELECT c.oid::regclass::text, c.relkind::text, pg_get_viewdef(c.oid) FROM pg_class c \
             WHERE c.relkind IN ('v', 'm') AND c.relnamespace IN {USER_NS} ORDER BY 1"
        ),
        "SELECT tgrelid::regclass::text, tgname::text, pg_get_triggerdef(oid) FROM pg_trigger \
         WHERE NOT tgisinternal ORDER BY 1, 2"
            .into(),
        format!(
            "SELECT t.oid::regtype::text, string_agg(e.enumlabel::text, ',' ORDER BY e.enumsortorder) \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace IN {USER_NS} \
             GROUP BY 1 ORDER BY 1"
        ),
        format!(
            "SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid) FROM pg_proc p \
             WHERE p.pronamespace IN {USER_NS} AND {} ORDER BY 1",
            not_ext("p.oid")
        ),
        "SELECT s.seqrelid::regclass::text, s.seqtypid::regtype::text, s.seqincrement::text, \
         s.seqmin::text, s.seqmax::text, s.seqstart::text, s.seqcycle::text, \
         (SELECT d.refobjid::regclass::text || '.' || a.attname FROM pg_depend d \
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
          WHERE d.objid = s.seqrelid AND d.classid = 'pg_class'::regclass \
          AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) \
         FROM pg_sequence s ORDER BY 1"
            .into(),
        format!(
            "SELECT c.oid::regclass::text, obj_description(c.oid, 'pg_class') FROM pg_class c \
             WHERE c.relkind = 'r' AND c.relnamespace IN {USER_NS} \
             AND obj_description(c.oid, 'pg_class') IS NOT NULL ORDER BY 1"
        ),
        format!(
            "SELECT t.oid::regtype::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull::text, \
             t.typdefault FROM pg_type t WHERE t.typtype = 'd' AND t.typnamespace IN {USER_NS} ORDER BY 1"
        ),
    ]
}

/// The database's fingerprint, one text line per row.
pub fn fingerprint(db: &TestDb) -> Vec<String> {
    let mut out = Vec::new();
    for (i, q) in queries().iter().enumerate() {
        for row in db.query(q) {
            let cells: Vec<String> = row
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "∅".into()))
                .collect();
            out.push(format!("{i}: {}", cells.join(" | ")));
        }
    }
    out
}
