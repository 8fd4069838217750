import Foundation

/// Index advice proven with hypopg, in the style of Dexter: plan a query, offer the planner
/// hypothetical btree indexes on the columns its sequential scans filter on (single columns, then
/// pairs), and keep an index only when the plan uses it and its cost falls by the configured share.
///
/// Runs inside the read-only audit session: hypopg keeps hypothetical indexes in backend memory, so
/// `hypopg_create_index` and `hypopg_reset` are accepted with `default_transaction_read_only = on`
/// (checked on PostgreSQL 15; only `CREATE EXTENSION hypopg` needs write access, so advice is given
/// only where hypopg is already installed). Generic plans come from a protocol-level prepared statement
/// executed with NULL parameters under `plan_cache_mode = force_generic_plan`, the same on 15 and
/// 16+ (where `EXPLAIN (GENERIC_PLAN)` would need the simple protocol). The statement is prepared anew
/// for every EXPLAIN: a cached generic plan is not invalidated when a hypothetical index appears.
///
/// Bounded: at most `maxCandidates` queries; per query at most `maxScans` scanned tables with
/// `maxColumnsPerTable` columns each, created in one statement per batch. Per query at most 17
/// statements: reset, base plan, batch of single-column indexes, plan, reset, batch of pairs, plan,
/// reset — where a plan is prepare + describe + EXPLAIN EXECUTE + DEALLOCATE. With the one SET:
/// 1 + 5 × 17 = 86 statements at worst, whatever the schema size.
struct IndexAdvisor {
    struct Candidate: Equatable {
        /// `probe <name>` or `pg_stat_statements <queryid>`.
        var label: String
        var sql: String
    }

    static let maxCandidates = 5
    static let maxScans = 2
    static let maxColumnsPerTable = 3
    static let statementName = "infra_guardian_advice"

    var connection: PostgresConnection
    /// Schema of the hypopg extension, for qualified calls that do not depend on search_path.
    var hypopgSchema: String
    var snapshot: PostgresSnapshot
    var minimumCostReductionPercent: Double

    /// Advice for `candidates` (the first `maxCandidates`).
    func advise(_ candidates: [Candidate]) -> IndexAdvice {
        var advice = IndexAdvice()
        let chosen = Array(candidates.prefix(Self.maxCandidates))
        guard !chosen.isEmpty else { return advice }
        do {
            _ = try connection.measure("\(CatalogQuery.marker) SET plan_cache_mode = force_generic_plan")
        } catch {
            return .skipped("index advice skipped: cannot force generic plans (\(error))")
        }
        for candidate in chosen {
            advice.examinedQueries += 1
            do {
                advice.suggestions += try advise(candidate)
            } catch {
                advice.notes.append("\(candidate.label): \(error)")
            }
            _ = try? reset()
        }
        return advice
    }

    private func advise(_ candidate: Candidate) throws -> [IndexSuggestion] {
        try reset()
        let base = try plan(candidate.sql)
        let scans = base.scans.prefix(Self.maxScans).compactMap(usableColumns)
        guard !scans.isEmpty, base.totalCost > 0 else { return [] }

        let singles = scans.flatMap { scan in scan.columns.map { HypotheticalIndex(scan: scan, columns: [$0]) } }
        if let found = try attempt(singles.filter { !isCovered($0) }, candidate: candidate, base: base) {
            return found
        }
        try reset()
        let pairs = scans.flatMap { scan in
            scan.columns.flatMap { first in
                scan.columns.filter { $0 != first }.map { HypotheticalIndex(scan: scan, columns: [first, $0]) }
            }
        }
        return try attempt(pairs.filter { !isCovered($0) }, candidate: candidate, base: base) ?? []
    }

    private struct HypotheticalIndex {
        var scan: QueryPlan.FilteredScan
        var columns: [String]

        var definition: String {
            "CREATE INDEX ON \(quoteIdentifier(scan.schema)).\(quoteIdentifier(scan.table)) "
                + "(\(columns.map(quoteIdentifier).joined(separator: ", ")))"
        }
    }

    /// Creates the indexes, re-plans, and returns suggestions for the ones the cheaper plan uses.
    private func attempt(_ indexes: [HypotheticalIndex], candidate: Candidate,
                         base: QueryPlan) throws -> [IndexSuggestion]? {
        guard !indexes.isEmpty else { return nil }
        let names = try create(indexes.map(\.definition))
        let after = try plan(candidate.sql)
        let reduction = (base.totalCost - after.totalCost) * 100 / base.totalCost
        guard reduction >= minimumCostReductionPercent else { return nil }
        let used = zip(indexes, names).filter { after.indexNames.contains($0.1) }.map(\.0)
        guard !used.isEmpty else { return nil }
        return used.map { index in
            IndexSuggestion(query: candidate.label, schema: index.scan.schema, table: index.scan.table,
                            columns: index.columns, statement: Self.statement(index.scan, index.columns),
                            costBefore: base.totalCost, costAfter: after.totalCost)
        }
    }

    /// The scan's columns that exist in an audited table and that a btree can index.
    private func usableColumns(_ scan: QueryPlan.FilteredScan) -> QueryPlan.FilteredScan? {
        guard snapshot.tables.contains(where: { $0.schema == scan.schema && $0.name == scan.table }) else { return nil }
        let columns = scan.columns.filter { name in
            snapshot.columns.contains { $0.schema == scan.schema && $0.table == scan.table && $0.name == name
                && Self.isBtreeIndexable($0.type) }
        }
        guard !columns.isEmpty else { return nil }
        return QueryPlan.FilteredScan(schema: scan.schema, table: scan.table,
                                      columns: Array(columns.prefix(Self.maxColumnsPerTable)))
    }

    static func isBtreeIndexable(_ type: String) -> Bool {
        let unsupported = ["vector", "halfvec", "sparsevec", "json", "tsvector", "tsquery", "point", "polygon",
                           "box", "circle", "line", "lseg", "path", "geometry", "geography", "xml"]
        let base = type.prefix { $0.isLetter }
        return !unsupported.contains(String(base)) && !type.hasSuffix("[]")
    }

    /// An existing valid, non-partial btree whose leading columns are these already serves the query.
    private func isCovered(_ index: HypotheticalIndex) -> Bool {
        snapshot.indexes.contains { existing in
            existing.schema == index.scan.schema && existing.table == index.scan.table && existing.method == "btree"
                && existing.isValid && existing.predicate == nil
                && existing.columns.starts(with: index.columns)
        }
    }

    static func statement(_ scan: QueryPlan.FilteredScan, _ columns: [String]) -> String {
        let raw = (["idx", scan.table] + columns).joined(separator: "_").lowercased()
        let name = String(raw.map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(63))
        return "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(quoteIdentifier(name)) ON "
            + "\(quoteIdentifier(scan.schema)).\(quoteIdentifier(scan.table)) "
            + "(\(columns.map(quoteIdentifier).joined(separator: ", ")));"
    }

    // MARK: - Statements

    private func reset() throws {
        _ = try connection.measure("\(CatalogQuery.marker) SELECT \(quoteIdentifier(hypopgSchema)).hypopg_reset()")
    }

    /// hypopg's names for the new indexes (`<oid>btree_table_col`), in the order given.
    private func create(_ definitions: [String]) throws -> [String] {
        let rows = try connection.measure("""
            \(CatalogQuery.marker)
            SELECT h.indexname FROM unnest($1::text[]) WITH ORDINALITY AS d(definition, n)
            CROSS JOIN LATERAL \(quoteIdentifier(hypopgSchema)).hypopg_create_index(d.definition) AS h
            ORDER BY d.n
            """, [Self.textArray(definitions)])
        return rows.map { $0.first.flatMap { $0 } ?? "" }
    }

    /// The generic plan of `sql`, prepared anew so hypothetical indexes are seen.
    private func plan(_ sql: String) throws -> QueryPlan {
        let parameterCount = try connection.prepare(name: Self.statementName, sql)
        defer { _ = try? connection.measure("\(CatalogQuery.marker) DEALLOCATE \(Self.statementName)") }
        let arguments = parameterCount == 0
            ? "" : "(" + Array(repeating: "NULL", count: parameterCount).joined(separator: ", ") + ")"
        let text = try connection.measure("\(CatalogQuery.marker) EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE \(Self.statementName)\(arguments)")
            .first?.first ?? nil
        guard let text, let plan = QueryPlan(json: text) else {
            throw PostgresError(kind: .decoding, message: "EXPLAIN returned no readable plan")
        }
        return plan
    }

    /// A PostgreSQL text-array literal: every element quoted, quotes and backslashes escaped.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }
}
