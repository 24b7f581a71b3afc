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
SELECT 'event trigger ' || g.evtname || ': event triggers are not modelled'
FROM pg_event_trigger g
WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_event_trigger'::regclass AND e.objid = g.oid AND e.deptype = 'e')
ORDER BY 1
