/// The SQL of a collection. Each statement returns one JSON document, so the number of round trips
/// stays the same whatever the size of the schema.
enum CatalogQuery {
    /// Settings worth auditing, read with `current_setting` so values keep their units ("128MB", "5s").
    static let settingNames = [
        "max_connections", "superuser_reserved_connections", "shared_buffers", "work_mem",
        "maintenance_work_mem", "effective_cache_size", "statement_timeout", "lock_timeout",
        "idle_in_transaction_session_timeout", "idle_session_timeout", "default_transaction_read_only",
        "transaction_read_only", "shared_preload_libraries", "track_io_timing", "track_counts",
        "random_page_cost", "seq_page_cost", "effective_io_concurrency", "wal_level", "max_wal_size",
        "min_wal_size", "checkpoint_timeout", "autovacuum", "autovacuum_max_workers",
        "autovacuum_vacuum_scale_factor", "autovacuum_analyze_scale_factor", "log_min_duration_statement",
        "max_parallel_workers_per_gather", "max_worker_processes", "jit", "ssl", "password_encryption",
        "server_encoding", "TimeZone", "application_name", "pg_stat_statements.track",
    ]

    /// Extension settings that exist only once the extension's library is loaded in the session (pgvector
    /// loads on first use of the type, which collection never does) or as placeholders set with
    /// `ALTER DATABASE/ROLE ... SET`; `current_setting(name, true)` reads both, and absent means default.
    static let sessionSettingNames = ["hnsw.ef_search", "hnsw.iterative_scan", "ivfflat.probes", "ivfflat.iterative_scan"]

    /// `$1`: the setting names as a text array literal.
    static var settingNamesParameter: String { "{" + settingNames.joined(separator: ",") + "}" }
    /// `$2`: `sessionSettingNames` as a text array literal.
    static var sessionSettingNamesParameter: String { "{" + sessionSettingNames.joined(separator: ",") + "}" }
    /// `$3`: the excluded schemas (`schemas.exclude`) as `LIKE` patterns in a text array literal.
    static func excludedSchemasParameter(_ schemas: SchemaSettings) -> String {
        QueryGuard.CatalogFacts.arrayLiteral(schemas.likePatterns)
    }

    /// The schemas a user relation or function may live in: not the system's, not `$3`'s.
    private static let auditedSchema = """
        n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM unnest($3::text[]) AS x(pattern) WHERE n.nspname LIKE x.pattern)
        """

    /// Marks the audit's own statements (catalog, maintenance, index advice, packs), so that the
    /// pg_stat_statements reader leaves them out: concurrent audits must not report each other.
    static let marker = "/* infra-guardian */"

    /// Everything but the migration versions, in one statement. User relations and functions exclude
    /// system schemas, the schemas of `schemas.exclude` (`$3`; Supabase's and extensions' by default)
    /// and objects owned by extensions (their tables are not the team's to fix). Functions carry their
    /// identity arguments and settings, never their bodies. NOT NULL constraints,
    /// stored in pg_constraint since PostgreSQL 18, are left out so 15 and 18 read alike: columns carry
    /// `notNull`. Timestamps travel as epoch seconds: JSON has no date type and epochs need no parsing.
    ///
    /// Nothing here waits on a table lock. `pg_get_indexdef`, `pg_get_constraintdef` and `pg_get_expr`
    /// lock the table they describe, so a relation that another session holds (or waits for) in
    /// ACCESS EXCLUSIVE mode — a migration's ALTER TABLE, a `LOCK TABLE` — is left out whole and listed
    /// in `lockedRelations`, read from `pg_locks`, which never waits. Sizes come from `pg_class.relpages`
    /// (as of the last VACUUM, ANALYZE or index build) times the block size, because
    /// `pg_total_relation_size` opens the relation and would wait for that lock too.
    ///
    /// At scale (20,000 tables, 80,000 indexes) the relations come as compact rows keyed by oid, not
    /// objects sorted by the server: the client names and sorts them (`CatalogRows.Resolved`). The
    /// deparsers run only where they must: `pg_get_indexdef` for indexes that are not plain (an
    /// expression, predicate, INCLUDE, options, NULLS NOT DISTINCT, a non-default operator class,
    /// collation or ordering, a partitioned table's index; plain ones are written by the client exactly
    /// as it would), `pg_get_constraintdef` for CHECK and EXCLUDE constraints (no rule reads the others').
    static let catalog = """
        \(marker)
        WITH other_locks AS MATERIALIZED (
            SELECT l.relation, l.mode, l.granted
            FROM pg_catalog.pg_locks l
            WHERE l.locktype = 'relation' AND l.pid <> pg_catalog.pg_backend_pid() AND l.mode = 'AccessExclusiveLock'
              AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
        ), all_rel AS (
            SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, c.reltuples, c.relpages,
                   c.reltoastrelid,
                   (SELECT string_agg(DISTINCT o.mode, ', ') FROM other_locks o
                    WHERE o.relation = c.oid
                       OR o.relation IN (SELECT x.indexrelid FROM pg_catalog.pg_index x WHERE x.indrelid = c.oid)) AS locked_by,
                   (SELECT bool_or(o.granted) FROM other_locks o
                    WHERE o.relation = c.oid
                       OR o.relation IN (SELECT x.indexrelid FROM pg_catalog.pg_index x WHERE x.indrelid = c.oid)) AS lock_granted
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND \(auditedSchema)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                AND d.deptype = 'e')
        ), user_rel AS (
            SELECT * FROM all_rel WHERE locked_by IS NULL
        )
        SELECT json_build_object(
          'serverVersion', current_setting('server_version'),
          'serverVersionNum', current_setting('server_version_num')::int,
          'database', current_database(),
          'currentUser', current_user,
          'lockedRelations', (SELECT json_agg(json_build_object('schema', a.schema, 'name', a.name, 'modes', a.locked_by,
                                                                'granted', a.lock_granted)
                                              ORDER BY a.schema, a.name)
                              FROM all_rel a WHERE a.locked_by IS NOT NULL),
          'settings', (SELECT json_object_agg(s.name, s.value) FROM (
                         SELECT p.name, current_setting(p.name) AS value
                         FROM pg_catalog.pg_settings p
                         -- source 'client': set by this session's startup options (our own timeouts and
                         -- read-only mode), not the server's configuration: leave them out.
                         WHERE (p.name = ANY ($1::text[]) OR p.name LIKE 'hnsw.%' OR p.name LIKE 'ivfflat.%')
                           AND p.source <> 'client'
                         UNION
                         SELECT v.name, current_setting(v.name, true)
                         FROM unnest($2::text[]) AS v(name)
                         WHERE current_setting(v.name, true) IS NOT NULL) s),
          'statsResetAt', (SELECT extract(epoch FROM d.stats_reset) FROM pg_catalog.pg_stat_database d
                           WHERE d.datname = current_database()),
          'indexesBeingBuilt', (SELECT json_agg(pn.nspname || '.' || pt.relname || '.' || pi.relname)
                                FROM pg_catalog.pg_stat_progress_create_index p
                                JOIN pg_catalog.pg_class pi ON pi.oid = p.index_relid
                                JOIN pg_catalog.pg_class pt ON pt.oid = p.relid
                                JOIN pg_catalog.pg_namespace pn ON pn.oid = pt.relnamespace
                                WHERE p.datname = current_database()),
          'connections', (SELECT json_object_agg(a.state, a.n) FROM (
                            SELECT coalesce(state, 'unknown') AS state, count(*) AS n
                            FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend'
                            GROUP BY 1) a),
          'extensions', (SELECT json_agg(json_build_object('name', e.extname, 'version', e.extversion,
                                                           'schema', n.nspname) ORDER BY e.extname)
                         FROM pg_catalog.pg_extension e
                         JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace),
          'tables', (SELECT json_agg(json_build_array(
                        r.oid::bigint, r.schema, r.name, r.kind, r.reltuples,
                        (r.relpages::bigint + coalesce(t.relpages, 0)
                         + coalesce((SELECT sum(ix.relpages) FROM pg_catalog.pg_index i
                                     JOIN pg_catalog.pg_class ix ON ix.oid = i.indexrelid
                                     WHERE i.indrelid = r.oid), 0))
                        * current_setting('block_size')::bigint,
                        s.seq_scan, s.idx_scan, s.n_live_tup, s.n_dead_tup,
                        extract(epoch FROM s.last_vacuum), extract(epoch FROM s.last_autovacuum),
                        extract(epoch FROM s.last_analyze), extract(epoch FROM s.last_autoanalyze),
                        (SELECT pn.nspname || '.' || pc.relname
                         FROM pg_catalog.pg_inherits ih
                         JOIN pg_catalog.pg_class cc ON cc.oid = ih.inhrelid AND cc.relispartition
                         JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent
                         JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                         WHERE ih.inhrelid = r.oid),
                        NULLIF(pg_catalog.quote_ident(r.schema), r.schema), NULLIF(pg_catalog.quote_ident(r.name), r.name)))
                     FROM user_rel r LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = r.oid
                     LEFT JOIN pg_catalog.pg_class t ON t.oid = r.reltoastrelid),
          'columns', (SELECT json_agg(json_build_array(
                         a.attrelid::bigint, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                         pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                         NULLIF(pg_catalog.quote_ident(a.attname), a.attname)))
                      FROM user_rel r
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
                      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum),
          'indexes', (SELECT json_agg(json_build_array(
                         i.indrelid::bigint, ic.relname,
                         CASE WHEN i.indexprs IS NOT NULL OR i.indpred IS NOT NULL OR ic.reloptions IS NOT NULL
                                   OR r.kind <> 'r' OR i.indnatts <> i.indnkeyatts OR i.indnullsnotdistinct
                                   OR EXISTS (SELECT 1 FROM generate_series(0, i.indnkeyatts - 1) AS k
                                              JOIN pg_catalog.pg_attribute ka ON ka.attrelid = i.indrelid AND ka.attnum = i.indkey[k]
                                              JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k]
                                              WHERE i.indoption[k] <> 0 OR NOT oc.opcdefault OR oc.opcintype <> ka.atttypid
                                                 OR i.indcollation[k] <> ka.attcollation)
                              THEN coalesce(pg_catalog.pg_get_indexdef(i.indexrelid), '') END,
                         am.amname, i.indisunique, i.indisprimary, i.indisvalid, i.indisready,
                         ic.relpages::bigint * current_setting('block_size')::bigint, su.idx_scan,
                         i.indnkeyatts, i.indkey::int2[], i.indclass::oid[]::bigint[],
                         CASE WHEN i.indexprs IS NOT NULL
                              THEN (SELECT json_agg(CASE WHEN i.indkey[k - 1] = 0
                                                         THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, true) END ORDER BY k)
                                    FROM generate_series(1, i.indnkeyatts) AS k) END,
                         pg_catalog.pg_get_expr(i.indpred, i.indrelid), ic.reloptions,
                         NULLIF(pg_catalog.quote_ident(ic.relname), ic.relname)))
                      FROM user_rel r
                      JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
                      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                      JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                      LEFT JOIN pg_catalog.pg_stat_user_indexes su ON su.indexrelid = i.indexrelid),
          'operatorClasses', (SELECT json_object_agg(oc.oid::text, oc.opcname) FROM pg_catalog.pg_opclass oc),
          'constraints', (SELECT json_agg(json_build_array(
                             c.conrelid::bigint, c.conname, c.contype::text,
                             CASE WHEN c.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(c.oid, true) END,
                             c.convalidated, c.conkey, NULLIF(c.confrelid, 0)::bigint))
                          FROM user_rel r
                          JOIN pg_catalog.pg_constraint c ON c.conrelid = r.oid
                          WHERE c.contype IN ('p', 'f', 'u', 'c', 'x')),
          'referencedRelations', (SELECT json_object_agg(rc.oid::text, rn.nspname || '.' || rc.relname)
                                  FROM pg_catalog.pg_class rc
                                  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
                                  WHERE rc.oid IN (SELECT c.confrelid FROM user_rel r
                                                   JOIN pg_catalog.pg_constraint c ON c.conrelid = r.oid
                                                   WHERE c.contype = 'f')),
          'functions', (SELECT json_agg(json_build_object(
                           'schema', n.nspname, 'name', p.proname,
                           'arguments', pg_catalog.pg_get_function_identity_arguments(p.oid),
                           'kind', p.prokind::text, 'language', l.lanname, 'securityDefiner', p.prosecdef,
                           'searchPath', (SELECT substr(c.setting, 13) FROM unnest(p.proconfig) AS c(setting)
                                          WHERE c.setting LIKE 'search\\_path=%' LIMIT 1))
                         ORDER BY n.nspname, p.proname, p.oid)
                        FROM pg_catalog.pg_proc p
                        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                        JOIN pg_catalog.pg_language l ON l.oid = p.prolang
                        WHERE p.prokind IN ('f', 'p')
                          AND \(auditedSchema)
                          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                          WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                                            AND d.deptype = 'e')),
          'migrationTables', json_build_object(
             'dbmate', \(readableColumn("public.schema_migrations", "version")),
             'supabase', \(readableColumn("supabase_migrations.schema_migrations", "version")),
             'supabaseName', \(readableColumn("supabase_migrations.schema_migrations", "name")))
        )::text
        """

    /// True when the table exists, has the column and can be read: an unreadable history is reported
    /// as unknown rather than failing the whole collection.
    private static func readableColumn(_ table: String, _ column: String) -> String {
        """
        EXISTS (SELECT 1 FROM pg_catalog.pg_attribute \
        WHERE attrelid = to_regclass('\(table)') AND attname = '\(column)' AND NOT attisdropped \
        AND has_table_privilege(attrelid, 'SELECT'))
        """
    }

    /// Reads the versions of the migration tables found by `catalog`. Sent even when neither exists
    /// (it then selects two NULLs) so that every collection sends the same number of queries.
    static func migrationHistory(_ tables: CatalogRows.MigrationTables) -> String {
        let dbmate = tables.dbmate
            ? "(SELECT coalesce(json_agg(version::text ORDER BY version), '[]'::json) FROM public.schema_migrations)"
            : "NULL::json"
        let supabaseName = tables.supabaseName ? "name::text" : "NULL::text"
        let supabase = tables.supabase
            ? """
              (SELECT coalesce(json_agg(json_build_object('version', version::text, 'name', \(supabaseName))
                                        ORDER BY version), '[]'::json)
               FROM supabase_migrations.schema_migrations)
              """
            : "NULL::json"
        return "\(marker) SELECT json_build_object('dbmate', \(dbmate), 'supabase', \(supabase))::text"
    }
}
