/// The pgvector line of the Database Analysis: the index that serves similarity search and its
/// tuning, or the problem that makes searches scan (the rules give the details and fixes).
extension HealthEvaluator {
    static func pgvector(_ collected: Collected<PostgresSnapshot>, _ settings: VectorSettings) -> ComponentHealth {
        let name = "pgvector"
        guard collected.isConfigured else {
            return ComponentHealth(component: name, state: .notConfigured, details: "not configured (needs PostgreSQL)")
        }
        guard let pg = collected.value else {
            return ComponentHealth(component: name, state: .notConfigured, details: "not checked: PostgreSQL unreachable")
        }
        guard let version = pg.extensionVersion("vector") else {
            // Not every database needs vectors; whether this one should have them is a rule's call.
            return ComponentHealth(component: name, state: .notConfigured, details: "extension `vector` not installed")
        }
        let head = "v\(version)"
        let invalid = pg.invalidVectorIndexes
        if !invalid.isEmpty {
            let names = invalid.map { "\($0.method.uppercased()) \(label($0.schema, $0.table)).\($0.name)" }
            return ComponentHealth(component: name, state: .unhealthy,
                                   details: "\(head), invalid index: \(names.joined(separator: ", ")) (searches scan the table)")
        }
        var problems = pg.mismatchedVectorIndexes(settings).map { index, _ in
            "\(index.name) uses \(index.operatorClasses.first ?? "?") but queries use \(settings.distance.queryOperator) (\(settings.distance.rawValue))"
        }
        // A column only written, never searched, needs no index: it does not make searches scan.
        let evidence = VectorSearchEvidence(pg, settings)
        problems += pg.unindexedVectorColumns.filter(evidence.isSearched).map { "\(label($0.column)) has no HNSW/IVFFlat index" }
        problems += pg.indexes.filter { VectorIndex.isVectorMethod($0.method) && pg.isBeingBuilt($0) }
            .map { "\($0.name) is being built" }
        if !problems.isEmpty {
            return ComponentHealth(component: name, state: .degraded, details: "\(head), " + problems.joined(separator: "; "))
        }
        let served = pg.vectorColumns.flatMap { column in
            pg.vectorIndexes(on: column).filter(\.isValid).map { (column: column, index: $0) }
        }
        let unsearched = pg.unindexedVectorColumns.filter { !evidence.isSearched($0) }
        let quiet = unsearched.isEmpty ? nil
            : unsearched.map { label($0.column) }.joined(separator: ", ") + " not indexed, not seen searched"
        guard !served.isEmpty else {
            return ComponentHealth(component: name, state: .healthy, details: "\(head), " + (quiet ?? "no vector columns"))
        }
        let parts = ["hnsw", "ivfflat"].compactMap { method -> String? in
            let group = served.filter { $0.index.method == method }
            guard !group.isEmpty else { return nil }
            let title = method == "hnsw" ? "HNSW" : "IVFFlat"
            let items = group.map { describe($0.index, on: $0.column) }.joined(separator: "; ")
            let noun = group.count == 1 ? "\(title) index healthy" : "\(group.count) \(title) indexes healthy"
            return "\(noun) (\(items), \(searchSetting(method, pg)))"
        }
        return ComponentHealth(component: name, state: .healthy,
                               details: "\(head), " + (parts + [quiet].compactMap { $0 }).joined(separator: "; "))
    }

    /// `embeddings.embedding, m=16, ef_construction=64, 12MB` (pgvector's defaults when WITH is absent).
    private static func describe(_ index: Index, on column: VectorColumn) -> String {
        let options = VectorIndex.options(index)
        let tuning = index.method == "hnsw"
            ? "m=\(options["m"] ?? "16"), ef_construction=\(options["ef_construction"] ?? "64")"
            : "lists=\(options["lists"] ?? "100")"
        return "\(label(column.column)), \(tuning), \(Format.bytes(index.sizeBytes))"
    }

    /// The query-time knob, as the audited session sees it (unset means pgvector's default).
    private static func searchSetting(_ method: String, _ pg: PostgresSnapshot) -> String {
        method == "hnsw" ? "hnsw.ef_search=\(pg.settings["hnsw.ef_search"] ?? "40")"
            : "ivfflat.probes=\(pg.settings["ivfflat.probes"] ?? "1")"
    }

    private static func label(_ column: Column) -> String { "\(label(column.schema, column.table)).\(column.name)" }

    private static func label(_ schema: String, _ table: String) -> String { schema == "public" ? table : "\(schema).\(table)" }
}
