-- The built-ins the DDL source types view columns with: types, ranges,
-- implicit casts, operators and functions of `pg_catalog` (arguments with
-- their names, for calls in named notation), one per line in
-- the format `builtins.rs` reads. Run against a stock server; the output
-- is `builtins.txt`.
WITH skip AS (
    SELECT t::regtype::oid AS t FROM unnest(ARRAY['internal', 'cstring', 'trigger', 'event_trigger',
        'language_handler', 'fdw_handler', 'index_am_handler', 'table_am_handler', 'tsm_handler',
        'pg_ddl_command', 'table_am_handler']) AS t
), types AS (
    SELECT t.oid, t.typname::text AS name, t.typcategory, t.typispreferred, t.typtype
    FROM pg_type t
    WHERE t.typnamespace = 'pg_catalog'::regnamespace AND t.typtype IN ('b', 'p', 'r', 'm')
      AND t.oid NOT IN (SELECT t FROM skip)
), lines AS (
    SELECT 0 AS kind, format('# PostgreSQL %s built-ins: written by builtins.sql, checked by the tests package; do not edit',
                             current_setting('server_version_num')::int / 10000) AS line
    UNION ALL
    SELECT 1, format('t %s %s %s', name, typcategory, CASE WHEN typispreferred THEN 'p' ELSE '-' END) AS line
    FROM types WHERE NOT (typcategory = 'A' AND name LIKE '\_%')
    UNION ALL
    SELECT 2, format('r %s %s %s', rt.name, st.name, mt.name)
    FROM pg_range r JOIN types rt ON rt.oid = r.rngtypid JOIN types st ON st.oid = r.rngsubtype
      JOIN types mt ON mt.oid = r.rngmultitypid
    UNION ALL
    SELECT 2, format('c %s %s', s.name, t.name)
    FROM pg_cast c JOIN types s ON s.oid = c.castsource JOIN types t ON t.oid = c.casttarget
    WHERE c.castcontext = 'i'
    UNION ALL
    SELECT 3, format('o %s %s %s %s', o.oprname, coalesce(l.name, '-'), r.name, res.name)
    FROM pg_operator o LEFT JOIN types l ON l.oid = o.oprleft JOIN types r ON r.oid = o.oprright
      JOIN types res ON res.oid = o.oprresult
    WHERE o.oprnamespace = 'pg_catalog'::regnamespace AND (o.oprleft = 0 OR l.oid IS NOT NULL)
    UNION ALL
    SELECT 4, format('f %s %s%s %s %s%s%s', p.proname, p.prokind, CASE WHEN p.proretset THEN 's' ELSE '' END,
                     p.pronargdefaults, ret.name,
                     (SELECT string_agg(' ' || CASE WHEN p.provariadic <> 0 AND a.n = p.pronargs THEN '...' ELSE '' END
                                        || coalesce(nullif(named.nm, '') || '=', '') || at.name, '' ORDER BY a.n)
                      FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY a(t, n) JOIN types at ON at.oid = a.t
                      LEFT JOIN (SELECT x.nm, row_number() OVER (ORDER BY x.k) AS n
                                 FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY x(nm, m, k)
                                 WHERE x.m IS NULL OR x.m IN ('i', 'b', 'v')) named ON named.n = a.n),
                     CASE WHEN p.proallargtypes IS NOT NULL AND p.prorettype = 'record'::regtype THEN
                       (SELECT ' ->' || string_agg(' ' || a.nm || ':' || at.name, '' ORDER BY a.n)
                        FROM unnest(p.proallargtypes, p.proargmodes, p.proargnames) WITH ORDINALITY a(t, m, nm, n)
                        JOIN types at ON at.oid = a.t WHERE a.m IN ('o', 't', 'b'))
                     ELSE '' END)
    FROM pg_proc p JOIN types ret ON ret.oid = p.prorettype
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[]) a WHERE a NOT IN (SELECT oid FROM types))
)
SELECT line FROM lines ORDER BY kind, line COLLATE "C";
