import Foundation

/// Reads the top statements of `pg_stat_statements` for the audited database in one query.
enum StatementStatsReader {
    /// Each ranking (by mean, by total) keeps this many statements.
    static let defaultLimit = 20
    /// What the server shows instead of the text to a role without `pg_read_all_stats`.
    static let hiddenText = "<insufficient privilege>"

    /// The view's columns through `to_jsonb`, so one query reads every version of the extension:
    /// 1.8+ (PostgreSQL 13+) names them `*_exec_time`, older installs kept after an upgrade say
    /// `total_time`/`mean_time`; 17 renamed the block-time columns and added `stats_since`, 18 added
    /// parallel and WAL columns — none of which this reads. `$1` is the limit per ranking.
    /// Statements carrying `CatalogQuery.marker` are the audit's own (this one included, and those of
    /// other audits running at the same time): they are left out, never reported as slow queries.
    static func sql(schema: String) -> String {
        """
        \(CatalogQuery.marker)
        WITH v AS (
            SELECT j->>'queryid' AS queryid, (j->>'calls')::bigint AS calls,
                   coalesce(j->>'total_exec_time', j->>'total_time')::float8 AS total,
                   coalesce(j->>'mean_exec_time', j->>'mean_time')::float8 AS mean,
                   (j->>'rows')::bigint AS rows, j->>'query' AS query
            FROM (SELECT to_jsonb(p) AS j FROM \(quoteIdentifier(schema)).pg_stat_statements p
                  WHERE p.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())) s
            WHERE strpos(j->>'query', '\(CatalogQuery.marker)') = 0
        ), ranked AS (
            (SELECT * FROM v WHERE query <> '\(hiddenText)' ORDER BY mean DESC NULLS LAST LIMIT $1::int)
            UNION
            (SELECT * FROM v WHERE query <> '\(hiddenText)' ORDER BY total DESC NULLS LAST LIMIT $1::int)
        )
        SELECT json_build_object(
            'statements', coalesce((SELECT json_agg(json_build_object(
                'queryID', queryid, 'calls', calls, 'totalMillis', total, 'meanMillis', mean,
                'rows', rows, 'query', query) ORDER BY total DESC) FROM ranked), '[]'::json),
            'hidden', (SELECT count(*) FROM v WHERE query = '\(hiddenText)'),
            'vectorSearches', coalesce((SELECT json_agg(json_build_object('calls', calls, 'query', query) ORDER BY calls DESC)
                                        FROM (SELECT calls, query FROM v
                                              WHERE query <> '\(hiddenText)' AND query ~ '<(->|#>|=>|\\+>|~>|%>)'
                                              ORDER BY calls DESC LIMIT \(VectorSearchReader.limit)) s), '[]'::json))::text
        """
    }

    struct Rows: Decodable {
        struct Statement: Decodable {
            var queryID: String?; var calls: Int64?; var totalMillis: Double?; var meanMillis: Double?
            var rows: Int64?; var query: String?
        }
        struct Search: Decodable { var calls: Int64?; var query: String? }
        var statements: [Statement]
        var hidden: Int
        var vectorSearches: [Search]?
    }

    /// The statements, plus the full normalized texts (for index advice) keyed by position.
    struct Reading {
        var stats: StatementStats
        var fullTexts: [String]
    }

    static func read(_ connection: PostgresConnection, extensions: [Extension], limit: Int = defaultLimit) -> Reading {
        guard let installed = extensions.first(where: { $0.name == "pg_stat_statements" }) else {
            return Reading(stats: .unavailable("pg_stat_statements is not installed in this database", limit: limit),
                           fullTexts: [])
        }
        do {
            let text = try connection.measure(sql(schema: installed.schema), [String(limit)]).first?.first ?? nil
            guard let data = text?.data(using: .utf8) else {
                return Reading(stats: .unavailable("pg_stat_statements returned no row", limit: limit), fullTexts: [])
            }
            let rows = try JSONDecoder().decode(Rows.self, from: data)
            var statements: [StatementStat] = []
            var fullTexts: [String] = []
            for row in rows.statements {
                // Text that libpg_query cannot normalize is withheld: it might carry a literal.
                let normalized = row.query.flatMap(SQLText.normalized)
                statements.append(StatementStat(
                    queryID: row.queryID, calls: row.calls ?? 0, totalMillis: row.totalMillis ?? 0,
                    meanMillis: row.meanMillis ?? 0, rows: row.rows ?? 0,
                    query: normalized.map { SQLText.shortened($0, to: StatementStat.maxQueryLength) }
                        ?? "(text withheld: not parseable by the PostgreSQL 15 grammar)"))
                fullTexts.append(normalized ?? "")
            }
            var stats = StatementStats(statements: statements, limit: limit, hiddenStatements: rows.hidden)
            stats.vectorSearches = (rows.vectorSearches ?? []).compactMap { row in
                row.query.flatMap { VectorSearchReader.search($0, calls: row.calls ?? 0) }
            }
            return Reading(stats: stats, fullTexts: fullTexts)
        } catch let error as PostgresError {
            return Reading(stats: .unavailable(reason(error), limit: limit), fullTexts: [])
        } catch {
            return Reading(stats: .unavailable("could not read pg_stat_statements: \(error)", limit: limit), fullTexts: [])
        }
    }

    private static func reason(_ error: PostgresError) -> String {
        switch error.sqlState {
        case "55000":
            return "pg_stat_statements is installed but not loaded: add it to shared_preload_libraries and restart (\(error.message))"
        case "42501":
            return "permission denied reading pg_stat_statements: grant pg_read_all_stats to the audit role (\(error.message))"
        default:
            return "could not read pg_stat_statements: \(error.message)"
        }
    }
}
