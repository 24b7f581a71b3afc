-- What the schema model does not hold yet, one warning text per row (read
-- by aludel_schema::postgres: tables, types, functions, rules, policies).
SELECT 'table ' || concat_ws('.', nullif(n.nspname, current_schema()), c.relname) || ': ' || x.msg
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (VALUES
  (c.relispartition, 'a partition of '
     || coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid LIMIT 1), '?')
     || ' is not modelled (its partitioned table is read)'),
  (NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid),
     'table inheritance (INHERITS) is not modelled'),
  (c.relkind = 'p', 'the partition key (PARTITION BY ' || pg_get_partkeydef(c.oid) || ') is not modelled'),
  (c.relpersistence = 'u', 'UNLOGGED is not modelled'),
  (c.relrowsecurity, 'row-level security (ENABLE ROW LEVEL SECURITY) is not modelled'),
  (c.reloptions IS NOT NULL, 'storage parameters (WITH (' || array_to_string(c.reloptions, ', ') || ')) are not modelled'),
  (c.reloftype <> 0, 'a typed table (OF type) is not modelled'),
  (c.relkind = 'f', 'foreign tables are not modelled')
) x(hit, msg)
WHERE x.hit AND c.relkind IN ('r', 'p', 'f')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
UNION ALL
SELECT 'table ' || concat_ws('.', nullif(n.nspname, current_schema()), c.relname)
  || ': policy ' || p.polname || ' (row-level security) is not modelled'
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'relation ' || concat_ws('.', nullif(n.nspname, current_schema()), c.relname)
  || ': rule ' || r.rulename || ' is not modelled'
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'type ' || concat_ws('.', nullif(n.nspname, current_schema()), t.typname) || ': '
  || CASE t.typtype WHEN 'c' THEN 'composite' WHEN 'r' THEN 'range' ELSE 'base' END
  || ' types are not modelled'
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE (t.typtype = 'r' OR (t.typtype = 'b' AND t.typcategory <> 'A')
    OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c')))
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate ' ELSE 'window function ' END
  || concat_ws('.', nullif(n.nspname, current_schema()), p.proname)
  || '(' || pg_get_function_identity_arguments(p.oid) || '): '
  || CASE p.prokind WHEN 'a' THEN 'aggregates' ELSE 'window functions' END || ' are not modelled'
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('a', 'w') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
UNION ALL
SELECT 'collation ' || concat_ws('.', nullif(n.nspname, current_schema()), o.collname)
  || ': collations are not modelled'
FROM pg_collation o JOIN pg_namespace n ON n.oid = o.collnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_collation'::regclass AND e.objid = o.oid AND e.deptype = 'e')
UNION ALL
SELECT 'statistics ' || concat_ws('.', nullif(n.nspname, current_schema()), s.stxname)
  || ': extended statistics (CREATE STATISTICS) are not modelled'
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
-- Identity and serial columns: their sequence's options (the model keeps none).
SELECT 'column ' || concat_ws('.', nullif(tn.nspname, current_schema()), t.relname, a.attname)
  || ': the options of its sequence ' || c.relname || ' (' || concat_ws(' ',
     CASE WHEN s.seqincrement <> 1 THEN 'INCREMENT BY ' || s.seqincrement END,
     CASE WHEN s.seqmin <> CASE WHEN s.seqincrement > 0 THEN 1 ELSE CASE s.seqtypid WHEN 'int2'::regtype THEN -32768 WHEN 'int4'::regtype THEN -2147483648 ELSE -9223372036854775808 END END THEN 'MINVALUE ' || s.seqmin END,
     CASE WHEN s.seqmax <> CASE WHEN s.seqincrement < 0 THEN -1 ELSE CASE s.seqtypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END END THEN 'MAXVALUE ' || s.seqmax END,
     CASE WHEN s.seqstart <> CASE WHEN s.seqincrement > 0 THEN s.seqmin ELSE s.seqmax END THEN 'START WITH ' || s.seqstart END,
     CASE WHEN s.seqcache <> 1 THEN 'CACHE ' || s.seqcache END,
     CASE WHEN s.seqcycle THEN 'CYCLE' END) || ') are not modelled'
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_depend o ON o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype IN ('a', 'i') AND o.refobjsubid > 0
JOIN pg_class t ON t.oid = o.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
WHERE tn.nspname !~ '^pg_' AND tn.nspname <> 'information_schema' AND NOT t.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = t.oid AND e.deptype = 'e')
  AND (o.deptype = 'i' OR EXISTS (SELECT 1 FROM pg_attrdef ad JOIN pg_depend u ON u.classid = 'pg_attrdef'::regclass AND u.objid = ad.oid AND u.refclassid = 'pg_class'::regclass AND u.refobjid = c.oid WHERE ad.adrelid = o.refobjid AND ad.adnum = o.refobjsubid AND pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%'))
  AND (s.seqincrement <> 1 OR s.seqcache <> 1 OR s.seqcycle OR s.seqmin <> 1 OR s.seqstart <> 1
    OR s.seqmax <> CASE s.seqtypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END)
UNION ALL
-- Comments on anything but tables and their columns (oids below 16384 are built in).
SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid) || ': its comment is not modelled'
FROM pg_description d
WHERE d.objoid >= 16384 AND d.classoid <> 'pg_extension'::regclass
  AND NOT (d.classoid = 'pg_class'::regclass AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = d.objoid AND c.relkind IN ('r', 'p')))
  AND coalesce((pg_identify_object(d.classoid, d.objoid, 0)).schema, '') !~ '^pg_'
  AND coalesce((pg_identify_object(d.classoid, d.objoid, 0)).schema, '') <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')
UNION ALL
SELECT 'table ' || concat_ws('.', nullif(n.nspname, current_schema()), c.relname) || ': trigger '
  || g.tgname || ' is ' || CASE g.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'ENABLE REPLICA'
  ELSE 'ENABLE ALWAYS' END || ', which is not modelled'
FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND g.tgenabled <> 'O' AND NOT c.relispartition
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'table ' || concat_ws('.', nullif(n.nspname, current_schema()), c.relname) || ': index '
  || ic.relname || ' is invalid (a failed CREATE INDEX CONCURRENTLY?); it is read as if it were valid'
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT i.indisvalid AND NOT c.relispartition
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'table ' WHEN c.relkind = 'S' THEN 'sequence ' ELSE 'view ' END
  || concat_ws('.', nullif(n.nspname, current_schema()), c.relname) || ': privileges (GRANT/REVOKE) are not modelled'
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND NOT c.relispartition
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
UNION ALL
SELECT 'column ' || concat_ws('.', nullif(n.nspname, current_schema()), c.relname, a.attname) || ': '
  || CASE WHEN x.acl THEN 'privileges (GRANT/REVOKE) are not modelled'
     ELSE 'its statistics target (SET STATISTICS ' || a.attstattarget || ') is not modelled' END
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (VALUES (true), (false)) x(acl)
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT c.relispartition
  AND CASE WHEN x.acl THEN a.attacl IS NOT NULL ELSE a.attstattarget >= 0 END
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END
  || concat_ws('.', nullif(n.nspname, current_schema()), p.proname)
  || '(' || pg_get_function_identity_arguments(p.oid) || '): privileges (GRANT/REVOKE) are not modelled'
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proacl IS NOT NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
UNION ALL
SELECT 'event trigger ' || g.evtname || ': event triggers are not modelled'
FROM pg_event_trigger g
WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_event_trigger'::regclass AND e.objid = g.oid AND e.deptype = 'e')
ORDER BY 1
