/// An installed pgvector older than the features the service relies on.
struct PgvectorExtensionOutdated: Rule {
    static let minimum = [0, 5, 0]
    static let iterativeScans = [0, 8, 0]

    static let description = RuleDescription(
        id: "pgvector-extension-outdated", category: .vector, severity: .medium,
        summary: "pgvector is older than 0.5.0 (no HNSW); INFO below 0.8.0 (no iterative index scans).",
        finds: "pgvector older than 0.5.0 (no HNSW); INFO below 0.8.0 (no iterative scans)",
        why: """
        HNSW indexes arrived in pgvector 0.5.0; before that only IVFFlat (which must be built after the data \
        is loaded) exists. 0.6 made HNSW builds parallel and much faster, 0.7 added halfvec (HNSW up to \
        4,000 dimensions) and L1 distance, 0.8 added iterative index scans (`hnsw.iterative_scan`), without \
        which a filtered similarity search can return fewer rows than its LIMIT.
        """,
        fix: "Install a newer pgvector on the server (package or managed-service upgrade), then in a migration: ALTER EXTENSION vector UPDATE;",
        bad: [.postgres("pgvector 0.4.4") { VectorExamples.embeddings(version: "0.4.4") },
              .postgres("pgvector 0.7.4 (INFO: no iterative scans)") { VectorExamples.embeddings(version: "0.7.4") }],
        good: [.postgres("pgvector 0.8.6") { VectorExamples.embeddings(version: "0.8.6") }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let version = pg.extensionVersion("vector") else { return [] }
        let parts = Self.parse(version)
        let location = Location.object("extension vector")
        if parts.lexicographicallyPrecedes(Self.minimum) {
            return [finding("pgvector \(version) is older than 0.5.0: no HNSW indexes, only IVFFlat.", at: location)]
        }
        if parts.lexicographicallyPrecedes(Self.iterativeScans) {
            var info = finding("pgvector \(version) predates 0.8.0: no iterative index scans (hnsw.iterative_scan), so filtered similarity searches may return fewer rows than their LIMIT.",
                               at: location)
            info.severity = .info
            return [info]
        }
        return []
    }

    /// "0.8.6" → [0, 8, 6]; missing or odd parts count as 0.
    static func parse(_ version: String) -> [Int] {
        let numbers = version.split(separator: ".").map { part in Int(part.prefix { $0.isNumber }) ?? 0 }
        return numbers + Array(repeating: 0, count: max(0, 3 - numbers.count))
    }
}
