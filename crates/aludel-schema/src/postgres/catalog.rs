//! The catalog queries' texts. One query per kind of object, each joined
//! across every table, so their number does not grow with the schema.
//!
//! Every column is text (`::text`); a list comes as a JSON array of strings
//! (`to_json(ARRAY(…))::text`) so names holding commas or quotes survive.
//! The first columns of a row name the object: its schema, `NULL` for the
//! connection's `current_schema()` (`nullif(nspname, current_schema())`),
//! then its name.

/// `WHERE` part: the namespace alias `$n` is not a system schema.
macro_rules! user_ns {
    ($n:literal) => {
        concat!(
            $n,
            ".nspname !~ '^pg_' AND ",
            $n,
            ".nspname <> 'information_schema'"
        )
    };
}

/// `WHERE` part: the object (catalog `$cat`, oid expression `$oid`) does
/// not belong to an extension.
macro_rules! not_ext {
    ($cat:literal, $oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '",
            $cat,
            "'::regclass AND e.objid = ",
            $oid,
            " AND e.deptype = 'e')"
        )
    };
}

/// `WHERE` part: `c` (namespace `n`) is a table the model reads.
macro_rules! user_table {
    () => {
        concat!(
            "c.relkind IN ('r', 'p') AND NOT c.relispartition AND ",
            user_ns!("n"),
            " AND ",
            not_ext!("pg_class", "c.oid")
        )
    };
}

/// A collation name as SQL (`co`, `cn` aliases): quoted as needed
/// (`"C"`, `"en_US.utf8"`), with its schema unless that is `pg_catalog`
/// or the current one.
macro_rules! collation_name {
    () => {
        "CASE WHEN cn.nspname IN ('pg_catalog', current_schema()) THEN quote_ident(co.collname) \
         ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END"
    };
}

/// Schemas other than the current one (and the system ones).
pub const NAMESPACES: &str = concat!(
    "SELECT n.nspname::text FROM pg_namespace n WHERE ",
    user_ns!("n"),
    " AND n.nspname IS DISTINCT FROM current_schema() AND ",
    not_ext!("pg_namespace", "n.oid"),
    " ORDER BY 1"
);

/// Extensions: name, schema.
pub const EXTENSIONS: &str = "SELECT x.extname::text, nullif(n.nspname, current_schema())::text \
     FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace ORDER BY 1";

/// Tables: schema, name, comment.
pub const TABLES: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, \
     obj_description(c.oid, 'pg_class')::text \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
    user_table!(),
    " ORDER BY 1 NULLS FIRST, 2"
);

/// Columns in `attnum` order: schema, table, name, type, nullable, default,
/// collation (when not the type's), attgenerated, attidentity, comment,
/// and the schema and name of the sequence of a `serial` column (a sequence
/// the column owns and its default reads).
pub const COLUMNS: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, a.attname::text, \
     format_type(a.atttypid, a.atttypmod)::text, (NOT a.attnotnull)::text, \
     pg_get_expr(ad.adbin, ad.adrelid)::text, \
     CASE WHEN a.attcollation <> t.typcollation THEN ",
    collation_name!(),
    " END::text, a.attgenerated::text, a.attidentity::text, \
     col_description(c.oid, a.attnum)::text, \
     nullif(sn.nspname, current_schema())::text, s.relname::text \
     FROM pg_attribute a \
     JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_type t ON t.oid = a.atttypid \
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
     LEFT JOIN pg_collation co ON co.oid = a.attcollation \
     LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace \
     LEFT JOIN LATERAL (SELECT sq.relname, sq.relnamespace FROM pg_depend o \
       JOIN pg_class sq ON sq.oid = o.objid \
       WHERE o.classid = 'pg_class'::regclass AND o.refclassid = 'pg_class'::regclass \
       AND o.refobjid = c.oid AND o.refobjsubid = a.attnum AND o.deptype = 'a' \
       AND sq.relkind = 'S' AND pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%' \
       AND EXISTS (SELECT 1 FROM pg_depend u WHERE u.classid = 'pg_attrdef'::regclass \
         AND u.objid = ad.oid AND u.refclassid = 'pg_class'::regclass AND u.refobjid = sq.oid) \
       LIMIT 1) s ON true \
     LEFT JOIN pg_namespace sn ON sn.oid = s.relnamespace \
     WHERE a.attnum > 0 AND NOT a.attisdropped AND ",
    user_table!(),
    " ORDER BY 1 NULLS FIRST, 2, a.attnum"
);

/// Constraints (primary key, unique, foreign key, check, exclusion) of the
/// tables, `$nnd` being the `NULLS NOT DISTINCT` column for the server.
/// Columns: schema, table, name, contype, key columns (JSON), referenced
/// schema, table, columns (JSON), confupdtype, confdeltype, confmatchtype,
/// condeferrable, condeferred, pg_get_constraintdef, nulls not distinct.
macro_rules! constraints {
    ($nnd:literal) => {
        concat!(
            "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, \
             k.conname::text, k.contype::text, \
             to_json(ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) \
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num \
               ORDER BY u.ord))::text, \
             nullif(fn.nspname, current_schema())::text, f.relname::text, \
             to_json(ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) \
               JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num \
               ORDER BY u.ord))::text, \
             k.confupdtype::text, k.confdeltype::text, k.confmatchtype::text, \
             k.condeferrable::text, k.condeferred::text, pg_get_constraintdef(k.oid, true)::text, ",
            $nnd,
            " FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_class f ON f.oid = k.confrelid \
             LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace \
             WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND k.conparentid = 0 AND ",
            user_table!(),
            " ORDER BY 1 NULLS FIRST, 2, k.contype, k.conname"
        )
    };
}

/// Constraints (primary key, unique, foreign key, check, exclusion) of the
/// tables, for PostgreSQL 15 and later: schema, table, name, contype, key
/// columns (JSON), referenced schema, table, columns (JSON), confupdtype,
/// confdeltype, confmatchtype, condeferrable, condeferred,
/// pg_get_constraintdef, nulls not distinct.
pub const CONSTRAINTS_15: &str = constraints!(
    "coalesce((SELECT i.indnullsnotdistinct FROM pg_index i \
     WHERE i.indexrelid = k.conindid AND k.contype = 'u'), false)::text"
);
/// [`CONSTRAINTS_15`] before PostgreSQL 15 (no `NULLS NOT DISTINCT`).
pub const CONSTRAINTS_13: &str = constraints!("'false'");

/// Indexes that back no constraint, one row per index column (key and
/// `INCLUDE`), `$nnd` being the `NULLS NOT DISTINCT` column for the server.
/// Columns: schema, table, index, unique, access method, number of key
/// columns, predicate, nulls not distinct, storage parameters, the table's
/// relkind, column position, column name (`NULL` for an expression), the
/// key as pg_get_indexdef prints it, indoption, collation (when not the
/// key's own), operator class (when not the default).
macro_rules! indexes {
    ($nnd:literal) => {
        concat!(
            "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, ic.relname::text, \
             i.indisunique::text, am.amname::text, i.indnkeyatts::text, \
             pg_get_expr(i.indpred, i.indrelid)::text, ",
            $nnd,
            ", array_to_string(ic.reloptions, ', ')::text, c.relkind::text, \
             k.n::text, a.attname::text, pg_get_indexdef(i.indexrelid, k.n::int, true)::text, \
             i.indoption[k.n - 1]::text, \
             CASE WHEN i.indcollation[k.n - 1] <> 0 \
               AND i.indcollation[k.n - 1] <> coalesce(a.attcollation, it.typcollation) THEN ",
            collation_name!(),
            " END::text, CASE WHEN NOT opc.opcdefault THEN opc.opcname END::text \
             FROM pg_index i \
             JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam \
             JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             CROSS JOIN LATERAL generate_series(1, i.indnatts::int) k(n) \
             JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.n \
             JOIN pg_type it ON it.oid = ia.atttypid \
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid \
               AND a.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0 \
             LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.n - 1] \
             LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace \
             LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.n - 1] \
             WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition AND ",
            user_ns!("n"),
            " AND ",
            not_ext!("pg_class", "c.oid"),
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid \
               AND x.contype IN ('p', 'u', 'x')) \
             ORDER BY 1 NULLS FIRST, 2, 3, k.n"
        )
    };
}

/// Indexes that back no constraint, for PostgreSQL 15 and later, one row
/// per index column (key and `INCLUDE`): schema, table, index, unique,
/// access method, number of key columns, predicate, nulls not distinct,
/// storage parameters, the table's relkind, column position, column name
/// (`NULL` for an expression), the key as pg_get_indexdef prints it,
/// indoption, collation (when not the key's own), operator class (when
/// not the default).
pub const INDEXES_15: &str = indexes!("i.indnullsnotdistinct::text");
/// [`INDEXES_15`] before PostgreSQL 15 (no `NULLS NOT DISTINCT`).
pub const INDEXES_13: &str = indexes!("'false'");

/// Sequences other than those of identity and `serial` columns: schema,
/// name, type, increment, min, max, start, cache, cycle, and the owning
/// table's schema, name and column.
pub const SEQUENCES: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, \
     format_type(s.seqtypid, NULL)::text, s.seqincrement::text, s.seqmin::text, \
     s.seqmax::text, s.seqstart::text, s.seqcache::text, s.seqcycle::text, \
     nullif(tn.nspname, current_schema())::text, t.relname::text, a.attname::text \
     FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_depend o ON o.classid = 'pg_class'::regclass AND o.objid = c.oid \
       AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a' AND o.refobjsubid > 0 \
     LEFT JOIN pg_class t ON t.oid = o.refobjid \
     LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace \
     LEFT JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid \
     WHERE ",
    user_ns!("n"),
    " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass \
       AND e.objid = c.oid AND e.deptype IN ('e', 'i')) \
     AND c.oid NOT IN (SELECT u.refobjid FROM pg_depend u \
       JOIN pg_attrdef ad ON ad.oid = u.objid \
       JOIN pg_depend w ON w.classid = 'pg_class'::regclass AND w.objid = u.refobjid \
         AND w.refclassid = 'pg_class'::regclass AND w.refobjid = ad.adrelid \
         AND w.refobjsubid = ad.adnum AND w.deptype = 'a' \
       WHERE u.classid = 'pg_attrdef'::regclass AND u.refclassid = 'pg_class'::regclass \
       AND pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%') \
     ORDER BY 1 NULLS FIRST, 2"
);

/// Enum labels, one row each, in order: schema, type, label.
pub const ENUMS: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, t.typname::text, e.enumlabel::text \
     FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid \
     JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ",
    user_ns!("n"),
    " AND ",
    not_ext!("pg_type", "t.oid"),
    " ORDER BY 1 NULLS FIRST, 2, e.enumsortorder"
);

/// Domains, one row per check constraint (or one with `NULL`s): schema,
/// name, quoted (qualified) name, base type, default, not null, quoted
/// collation (when not the base type's), quoted constraint name, its
/// pg_get_constraintdef.
pub const DOMAINS: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, t.typname::text, \
     CASE WHEN n.nspname = current_schema() THEN quote_ident(t.typname) \
       ELSE quote_ident(n.nspname) || '.' || quote_ident(t.typname) END::text, \
     format_type(t.typbasetype, t.typtypmod)::text, t.typdefault::text, t.typnotnull::text, \
     CASE WHEN t.typcollation <> bt.typcollation THEN ",
    collation_name!(),
    " END::text, \
     quote_ident(k.conname)::text, pg_get_constraintdef(k.oid, true)::text \
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
     JOIN pg_type bt ON bt.oid = t.typbasetype \
     LEFT JOIN pg_collation co ON co.oid = t.typcollation \
     LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace \
     LEFT JOIN pg_constraint k ON k.contypid = t.oid AND k.contype = 'c' \
     WHERE t.typtype = 'd' AND ",
    user_ns!("n"),
    " AND ",
    not_ext!("pg_type", "t.oid"),
    " ORDER BY 1 NULLS FIRST, 2, k.conname"
);

/// Views and materialized views: schema, name, quoted (qualified) name,
/// relkind, pg_get_viewdef, options.
pub const VIEWS: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, \
     CASE WHEN n.nspname = current_schema() THEN quote_ident(c.relname) \
       ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END::text, \
     c.relkind::text, pg_get_viewdef(c.oid, true)::text, \
     array_to_string(c.reloptions, ', ')::text \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('v', 'm') AND ",
    user_ns!("n"),
    " AND ",
    not_ext!("pg_class", "c.oid"),
    " ORDER BY 1 NULLS FIRST, 2"
);

/// The relations each view reads: view schema, view, schema, relation.
pub const VIEW_DEPS: &str = concat!(
    "SELECT DISTINCT nullif(n.nspname, current_schema())::text, c.relname::text, \
     nullif(dn.nspname, current_schema())::text, dc.relname::text \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_rewrite r ON r.ev_class = c.oid \
     JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
       AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid \
     JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace \
     WHERE c.relkind IN ('v', 'm') AND dc.relkind IN ('r', 'p', 'v', 'm', 'f') AND ",
    user_ns!("n"),
    " ORDER BY 1 NULLS FIRST, 2, 3 NULLS FIRST, 4"
);

/// Functions and procedures (and, to warn about them, aggregates and
/// window functions): schema, name, identity arguments, prokind,
/// pg_get_functiondef (`NULL` for aggregates and window functions).
pub const FUNCTIONS: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, p.proname::text, \
     pg_get_function_identity_arguments(p.oid)::text, p.prokind::text, \
     CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END::text \
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ",
    user_ns!("n"),
    " AND ",
    not_ext!("pg_proc", "p.oid"),
    " ORDER BY 1 NULLS FIRST, 2, 3"
);

/// Triggers written by users (not internal, not cloned onto partitions):
/// table schema, table, trigger, pg_get_triggerdef.
pub const TRIGGERS: &str = concat!(
    "SELECT nullif(n.nspname, current_schema())::text, c.relname::text, g.tgname::text, \
     pg_get_triggerdef(g.oid, true)::text \
     FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND NOT c.relispartition AND ",
    user_ns!("n"),
    " AND ",
    not_ext!("pg_class", "c.oid"),
    " ORDER BY 1 NULLS FIRST, 2, 3"
);

/// What the model does not hold, one row per object: the warning's text.
pub const UNMODELLED: &str = include_str!("unmodelled.sql");
