import Foundation

/// Judges probe and rule-pack queries against the catalog before they run: every function and
/// operator they call must be one PostgreSQL marks immutable or stable, or a volatile built-in on
/// `readOnlyVolatileFunctions`, so `set_config`, `pg_terminate_backend`, `pg_read_file`, `lo_export`,
/// `pg_sleep`, `dblink_exec` and friends never run. One round trip for all the queries of a phase.
///
/// This is the first of two walls: whatever passes still runs inside `BEGIN READ ONLY … ROLLBACK`.
enum QueryGuard {
    /// Volatile built-ins that only read: sizes (`pg_relation_size` is volatile because files change),
    /// clocks and recovery state. Nothing here writes, signals, sleeps or reads files.
    static let readOnlyVolatileFunctions: Set<String> = [
        "pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size", "pg_database_size",
        "pg_tablespace_size", "pg_is_in_recovery", "pg_current_wal_lsn", "pg_current_wal_insert_lsn",
        "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp",
        "clock_timestamp", "timeofday", "pg_postmaster_start_time", "pg_conf_load_time",
        "pg_stat_get_activity", "pg_stat_get_backend_idset", "pg_backend_pid", "txid_current_snapshot",
        "pg_current_snapshot",
    ]

    /// What one query may do, or why not: `shapes[i]` judged against the catalog.
    struct Verdict: Equatable, Sendable {
        var refusal: QueryRefusal?
        /// It reads tables outside the catalogs (or catalog columns holding user data): pack rows are then
        /// hashed, never shown.
        var readsUserData = false
        /// The relations outside the catalogs it reads, for the refusal of a pack that did not declare them.
        var userRelations: [String] = []
    }

    /// Judges each shape (nil: not read, refused already). Throws only when the catalog cannot be asked;
    /// callers then refuse every query, since nothing unjudged may run.
    static func judge(_ shapes: [ReadQueryShape?], on connection: PostgresConnection) throws -> [Verdict] {
        let present = shapes.compactMap { $0 }
        let functions = Set(present.flatMap(\.functions)).sorted()
        let operators = Set(present.flatMap(\.operators)).sorted()
        let relations = Set(present.flatMap(\.relations)).sorted()
        let catalog = try CatalogFacts.read(functions: functions, operators: operators, relations: relations, on: connection)
        return shapes.map { shape in
            guard let shape else { return Verdict(refusal: QueryRefusal("not judged")) }
            return verdict(shape, catalog)
        }
    }

    static func verdict(_ shape: ReadQueryShape, _ catalog: CatalogFacts) -> Verdict {
        for name in shape.functions.sorted() {
            guard let facts = catalog.functions[name], facts.anyVolatile else { continue }
            let bare = name.split(separator: ".").last.map(String.init) ?? name
            guard facts.volatileOnlyInCatalog, readOnlyVolatileFunctions.contains(bare) else {
                return Verdict(refusal: QueryRefusal("calls \(name)(), which PostgreSQL marks volatile (it may write, signal or act outside the database)"))
            }
        }
        for name in shape.operators.sorted() where catalog.volatileOperators.contains(name) {
            return Verdict(refusal: QueryRefusal("uses the operator \(name), whose function is volatile"))
        }
        let userRelations = shape.relations.filter { !catalog.catalogRelations.contains($0) }
        let readsSamples = shape.relations.contains { catalog.sampleRelations.contains($0) }
        return Verdict(refusal: nil, readsUserData: !userRelations.isEmpty || readsSamples || shape.namesSensitiveColumns,
                       userRelations: userRelations.sorted())
    }

    /// The catalog's answer about the names the queries use.
    struct CatalogFacts: Decodable, Equatable {
        struct Function: Decodable, Equatable {
            var anyVolatile: Bool
            /// Every volatile overload lives in pg_catalog (a user's `public.pg_relation_size` is not the built-in).
            var volatileOnlyInCatalog: Bool
        }
        var functions: [String: Function]
        var volatileOperators: Set<String>
        /// Relations in pg_catalog, information_schema or owned by an extension (pg_stat_statements).
        var catalogRelations: Set<String>
        /// Catalog relations whose rows are samples of user data (pg_statistic, pg_stats…).
        var sampleRelations: Set<String>

        static func read(functions: [String], operators: [String], relations: [String],
                         on connection: PostgresConnection) throws -> CatalogFacts {
            let text = try connection.measure(sql, [arrayLiteral(functions), arrayLiteral(operators), arrayLiteral(relations)])
                .first?.first ?? nil
            guard let data = text?.data(using: .utf8) else {
                throw PostgresError(kind: .decoding, message: "the query guard's catalog query returned no row")
            }
            do {
                return try JSONDecoder().decode(CatalogFacts.self, from: data)
            } catch {
                throw PostgresError(kind: .decoding, message: "could not read the query guard's catalog answer: \(error)")
            }
        }

        /// A text[] literal: every element double-quoted with `\` and `"` escaped.
        static func arrayLiteral(_ items: [String]) -> String {
            "{" + items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
                .joined(separator: ",") + "}"
        }

        /// Names are matched as written: `schema.name` in that schema, a bare name in every schema (a
        /// bare name resolves through search_path, so any schema's overload might be the one called).
        static let sql = """
            \(CatalogQuery.marker)
            WITH fn AS (
              SELECT w.name, p.provolatile = 'v' AS volatile, n.nspname = 'pg_catalog' AS in_catalog
              FROM unnest($1::text[]) AS w(name)
              JOIN pg_proc p ON p.proname = split_part(w.name, '.', array_length(string_to_array(w.name, '.'), 1))
              JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE strpos(w.name, '.') = 0 OR n.nspname = split_part(w.name, '.', 1)
            ), op AS (
              SELECT DISTINCT w.name
              FROM unnest($2::text[]) AS w(name)
              JOIN pg_operator o ON o.oprname = split_part(w.name, '.', array_length(string_to_array(w.name, '.'), 1))
              JOIN pg_namespace n ON n.oid = o.oprnamespace
              JOIN pg_proc p ON p.oid = o.oprcode
              WHERE (strpos(w.name, '.') = 0 OR n.nspname = split_part(w.name, '.', 1)) AND p.provolatile = 'v'
            ), rel AS (
              SELECT w.name, c.oid, n.nspname,
                     n.nspname IN ('pg_catalog', 'information_schema')
                       OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                  AND d.deptype = 'e') AS is_catalog,
                     c.relname IN ('pg_statistic', 'pg_statistic_ext_data', 'pg_stats', 'pg_stats_ext',
                                   'pg_stats_ext_exprs') AS holds_samples
              FROM unnest($3::text[]) AS w(name)
              JOIN pg_class c ON c.oid = to_regclass(quote_ident(split_part(w.name, '.', 1))
                                 || CASE WHEN strpos(w.name, '.') > 0 THEN '.' || quote_ident(split_part(w.name, '.', 2)) ELSE '' END)
              JOIN pg_namespace n ON n.oid = c.relnamespace
            )
            SELECT json_build_object(
              'functions', (SELECT coalesce(json_object_agg(name, json_build_object(
                               'anyVolatile', volatile, 'volatileOnlyInCatalog', volatile_in_catalog)), '{}')
                            FROM (SELECT name, bool_or(volatile) AS volatile,
                                         bool_and(NOT volatile OR in_catalog) AS volatile_in_catalog
                                  FROM fn GROUP BY name) f),
              'volatileOperators', (SELECT coalesce(json_agg(name), '[]') FROM op),
              'catalogRelations', (SELECT coalesce(json_agg(name), '[]') FROM rel WHERE is_catalog),
              'sampleRelations', (SELECT coalesce(json_agg(name), '[]') FROM rel WHERE is_catalog AND holds_samples)
            )::text
            """
    }
}
