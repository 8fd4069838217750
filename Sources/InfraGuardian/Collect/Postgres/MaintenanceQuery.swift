/// The maintenance, capacity and activity facts, in one statement that returns one JSON document.
///
/// Bounded whatever the schema size: per-table facts come from catalog joins, the long lists are cut
/// in SQL (oldest tables 10, bloat 20 each, sessions 50). `pg_stat_activity` is read column by column
/// and never its `query`: statement text can carry patient data in literals. Sessions are those of the
/// audited database: another database's sessions hold neither its locks nor its vacuum horizon.
///
/// Bloat is the statistical estimate of ioguix/pgsql-bloat-estimation (also used by PgHero and
/// postgres-checkup): from `pg_stats` (average width and null fraction per column), `reltuples` and
/// the page layout (24-byte page header, 23-byte heap tuple header plus null bitmap, 8-byte MAXALIGN,
/// fillfactor; B-tree: 16-byte special space, 8-byte index tuple header), compute how many pages the
/// live rows need and compare with `relpages`. No table is read (pgstattuple would scan them all).
/// Relations without statistics or with `name` columns (width unknown) are left out rather than
/// guessed. B-tree deduplication (PostgreSQL 13+) makes real indexes smaller than estimated, so the
/// estimate errs on the side of too little bloat, never too much.
enum MaintenanceQuery {
    static let sql = """
        \(CatalogQuery.marker)
        WITH user_rel AS (
            SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind, c.reltuples, c.relpages,
                   c.reltoastrelid, c.reloptions
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'm')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ),
        -- Per table: the average width of a row and of its header, from the planner's statistics.
        table_widths AS (
            SELECT r.oid, r.schema, r.name, r.reltuples, r.relpages AS heap_pages,
                   coalesce(t.relpages, 0) AS toast_pages, coalesce(t.reltuples, 0) AS toast_tuples,
                   coalesce(substring(array_to_string(r.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 100) AS fillfactor,
                   23 + CASE WHEN max(coalesce(s.null_frac, 0)) > 0 THEN (7 + count(*)) / 8 ELSE 0 END AS header_width,
                   sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) AS data_width,
                   bool_or(a.atttypid = 'pg_catalog.name'::regtype) OR count(*) <> count(s.attname) AS unreliable
            FROM user_rel r
            JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_catalog.pg_stats s
              ON s.schemaname = r.schema AND s.tablename = r.name AND s.attname = a.attname AND NOT s.inherited
            LEFT JOIN pg_catalog.pg_class t ON t.oid = r.reltoastrelid
            GROUP BY r.oid, r.schema, r.name, r.reltuples, r.relpages, t.relpages, t.reltuples, r.reloptions
        ),
        -- Pages the live rows need at the table's fillfactor, against the pages it has (heap + TOAST,
        -- about 4 TOAST chunks per page); both sides in bytes.
        table_bloat AS (
            SELECT schema, name, (heap_pages + toast_pages) * bs AS size_bytes,
                   (heap_pages + toast_pages
                    - ceil(reltuples / ((bs - 24) * fillfactor / (tuple_width * 100))) - ceil(toast_tuples / 4)) * bs AS bloat_bytes
            FROM (SELECT w.*, current_setting('block_size')::numeric AS bs,
                         4 + header_width + data_width + 2 * 8
                         - CASE WHEN header_width % 8 = 0 THEN 8 ELSE header_width % 8 END
                         - CASE WHEN ceil(data_width)::int % 8 = 0 THEN 8 ELSE ceil(data_width)::int % 8 END AS tuple_width
                  FROM table_widths w WHERE NOT unreliable AND reltuples >= 0) x
        ),
        -- Per B-tree key column: the statistics that describe it (the table's, or the index's own for
        -- an expression).
        index_columns AS (
            SELECT r.schema, r.name AS table_name, ic.relname AS index_name, ic.reltuples, ic.relpages,
                   coalesce(substring(array_to_string(ic.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 90) AS fillfactor,
                   CASE WHEN i.indkey[ia.attnum - 1] = 0 THEN ic.relname ELSE r.name END AS stats_relation,
                   coalesce(ta.attname, ia.attname) AS stats_column, ia.atttypid
            FROM user_rel r
            JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
            JOIN pg_catalog.pg_attribute ia ON ia.attrelid = ic.oid AND ia.attnum > 0
            LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = r.oid AND ta.attnum = i.indkey[ia.attnum - 1]
            WHERE ic.relpages > 0
        ),
        index_widths AS (
            SELECT x.schema, x.table_name, x.index_name, x.reltuples, x.relpages, x.fillfactor,
                   CASE WHEN max(coalesce(s.null_frac, 0)) = 0 THEN 8 ELSE 8 + ((32 + 8 - 1) / 8) END AS header_width,
                   sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS data_width,
                   bool_or(x.atttypid = 'pg_catalog.name'::regtype) OR count(*) <> count(s.attname) AS unreliable
            FROM index_columns x
            LEFT JOIN pg_catalog.pg_stats s
              ON s.schemaname = x.schema AND s.tablename = x.stats_relation AND s.attname = x.stats_column AND NOT s.inherited
            GROUP BY 1, 2, 3, 4, 5, 6
        ),
        index_bloat AS (
            SELECT schema, table_name, index_name, relpages * bs AS size_bytes,
                   (relpages - 1 - ceil(reltuples / nullif(floor((bs - 16 - 24) * fillfactor / (100 * (4 + tuple_width))), 0))) * bs AS bloat_bytes
            FROM (SELECT w.*, current_setting('block_size')::numeric AS bs,
                         header_width + 8 - CASE WHEN header_width % 8 = 0 THEN 8 ELSE header_width % 8 END
                         + data_width + 8 - CASE WHEN data_width = 0 THEN 0
                                                 WHEN data_width::int % 8 = 0 THEN 8 ELSE data_width::int % 8 END AS tuple_width
                  FROM index_widths w WHERE NOT unreliable AND reltuples >= 0) x
        )
        SELECT json_build_object(
          'database', current_database(),
          'transactionIDs', json_build_object(
             'databaseAge', (SELECT age(datfrozenxid) FROM pg_catalog.pg_database WHERE datname = current_database()),
             'databaseMultixactAge', (SELECT mxid_age(datminmxid) FROM pg_catalog.pg_database WHERE datname = current_database()),
             'freezeMaxAge', current_setting('autovacuum_freeze_max_age')::bigint,
             'multixactFreezeMaxAge', current_setting('autovacuum_multixact_freeze_max_age')::bigint,
             'oldestTables', (SELECT json_agg(json_build_object('schema', o.schema, 'table', o.name, 'age', o.age) ORDER BY o.age DESC)
                              FROM (SELECT n.nspname AS schema, c.relname AS name,
                                           greatest(age(c.relfrozenxid), age(t.relfrozenxid)) AS age
                                    FROM pg_catalog.pg_class c
                                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                                    LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
                                    WHERE c.relkind IN ('r', 'm')
                                    ORDER BY 3 DESC, 1, 2 LIMIT 10) o),
             'oldestSessionXminAge', (SELECT max(greatest(age(backend_xid), age(backend_xmin))) FROM pg_catalog.pg_stat_activity),
             'replicationSlots', (SELECT json_agg(json_build_object('name', slot_name, 'active', active,
                                                                    'xminAge', age(xmin), 'catalogXminAge', age(catalog_xmin))
                                                  ORDER BY slot_name)
                                  FROM pg_catalog.pg_replication_slots),
             'preparedTransactions', (SELECT count(*) FROM pg_catalog.pg_prepared_xacts),
             'oldestPreparedAge', (SELECT max(age(transaction)) FROM pg_catalog.pg_prepared_xacts)),
          'sequences', (SELECT json_agg(json_build_object(
                           'schema', n.nspname, 'name', c.relname, 'dataType', q.seqtypid::regtype::text,
                           'lastValue', CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
                                             THEN pg_catalog.pg_sequence_last_value(c.oid) END,
                           'minValue', q.seqmin, 'maxValue', q.seqmax, 'increment', q.seqincrement, 'cycles', q.seqcycle,
                           'columns', (SELECT json_agg(json_build_object(
                                          'schema', tn.nspname, 'table', tc.relname, 'column', ta.attname,
                                          'type', pg_catalog.format_type(ta.atttypid, ta.atttypmod)) ORDER BY tn.nspname, tc.relname, ta.attname)
                                       FROM (SELECT d.refobjid AS relid, d.refobjsubid AS attnum
                                             FROM pg_catalog.pg_depend d
                                             WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                               AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0
                                               AND d.deptype IN ('a', 'i')
                                             UNION
                                             SELECT ad.adrelid, ad.adnum
                                             FROM pg_catalog.pg_depend d
                                             JOIN pg_catalog.pg_attrdef ad ON ad.oid = d.objid
                                             WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass
                                               AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = c.oid) u
                                       JOIN pg_catalog.pg_class tc ON tc.oid = u.relid
                                       JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
                                       JOIN pg_catalog.pg_attribute ta ON ta.attrelid = u.relid AND ta.attnum = u.attnum))
                         ORDER BY n.nspname, c.relname)
                        FROM pg_catalog.pg_sequence q
                        JOIN pg_catalog.pg_class c ON c.oid = q.seqrelid
                        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT pg_catalog.pg_is_other_temp_schema(n.oid)
                          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')),
          'tables', (SELECT json_agg(json_build_object(
                        'schema', r.schema, 'name', r.name, 'modsSinceAnalyze', s.n_mod_since_analyze,
                        'autovacuumCount', s.autovacuum_count, 'autoanalyzeCount', s.autoanalyze_count,
                        'autovacuumOptions', (SELECT json_agg(o) FROM unnest(r.reloptions) o
                                              WHERE o LIKE 'autovacuum%' OR o LIKE 'toast.autovacuum%'))
                      ORDER BY r.schema, r.name)
                     FROM user_rel r JOIN pg_catalog.pg_stat_user_tables s ON s.relid = r.oid WHERE r.relkind = 'r'),
          'tableBloat', (SELECT json_agg(json_build_object('schema', b.schema, 'table', b.name,
                                                           'sizeBytes', b.size_bytes, 'bloatBytes', b.bloat_bytes))
                         FROM (SELECT * FROM table_bloat WHERE bloat_bytes > 0 ORDER BY bloat_bytes DESC LIMIT 20) b),
          'indexBloat', (SELECT json_agg(json_build_object('schema', b.schema, 'table', b.table_name, 'index', b.index_name,
                                                           'sizeBytes', b.size_bytes, 'bloatBytes', b.bloat_bytes))
                         FROM (SELECT * FROM index_bloat WHERE bloat_bytes > 0 ORDER BY bloat_bytes DESC LIMIT 20) b),
          'idleInTransaction', (SELECT json_agg(a) FROM (
                SELECT pid, usename AS "user", application_name AS "application", state, wait_event_type AS "waitEventType",
                       greatest(extract(epoch FROM clock_timestamp() - state_change), 0) AS "stateSeconds",
                       greatest(extract(epoch FROM clock_timestamp() - xact_start), 0) AS "transactionSeconds",
                       age(backend_xmin) AS "xminAge"
                FROM pg_catalog.pg_stat_activity
                WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()
                  AND state LIKE 'idle in transaction%'
                ORDER BY state_change LIMIT 50) a),
          'longRunning', (SELECT json_agg(a) FROM (
                SELECT pid, usename AS "user", application_name AS "application", state, wait_event_type AS "waitEventType",
                       greatest(extract(epoch FROM clock_timestamp() - query_start), 0) AS "stateSeconds",
                       greatest(extract(epoch FROM clock_timestamp() - xact_start), 0) AS "transactionSeconds",
                       age(backend_xmin) AS "xminAge"
                FROM pg_catalog.pg_stat_activity
                WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()
                  AND state = 'active'
                ORDER BY query_start LIMIT 50) a),
          'idleInTransactionTimeouts', (SELECT json_agg(json_build_object('role', ro.rolname, 'database', db.datname,
                                                                          'value', substring(cfg FROM position('=' IN cfg) + 1)))
                                        FROM pg_catalog.pg_db_role_setting rs
                                        LEFT JOIN pg_catalog.pg_roles ro ON ro.oid = rs.setrole
                                        LEFT JOIN pg_catalog.pg_database db ON db.oid = rs.setdatabase
                                        CROSS JOIN LATERAL unnest(rs.setconfig) cfg
                                        WHERE cfg LIKE 'idle\\_in\\_transaction\\_session\\_timeout=%'
                                          AND (rs.setdatabase = 0 OR db.datname = current_database()))
        )::text
        """
}
