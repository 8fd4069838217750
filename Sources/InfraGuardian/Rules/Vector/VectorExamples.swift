/// Snapshot fixtures shared by the pgvector rules' examples: `public.embeddings (embedding vector(N))`.
enum VectorExamples {
    static func embeddings(type: String = "vector(1536)", rows: Double = 50_000, indexes: [Index] = [],
                           version: String = "0.8.6", building: [String] = [],
                           searches: [VectorSearch]? = nil) -> PostgresSnapshot {
        var snapshot = PostgresSnapshot(
            serverVersion: "18.6", serverVersionNum: 180006,
            extensions: [Extension(name: "vector", version: version)],
            tables: [Table(name: "embeddings", rowEstimate: rows, sizeBytes: 400 << 20)],
            columns: [Column(table: "embeddings", name: "id", position: 1, type: "uuid", notNull: true),
                      Column(table: "embeddings", name: "embedding", position: 2, type: type, notNull: true)],
            indexes: [Index(table: "embeddings", name: "embeddings_pkey", isUnique: true, isPrimary: true,
                            columns: ["id"], operatorClasses: ["uuid_ops"])] + indexes,
            constraints: [Constraint(table: "embeddings", name: "embeddings_pkey", type: "p", columns: ["id"])],
            indexesBeingBuilt: building)
        if let searches {
            var stats = StatementStats()
            stats.vectorSearches = searches
            snapshot.statementStats = stats
        }
        return snapshot
    }

    /// `SELECT e.id FROM embeddings e ORDER BY e.embedding <=> $1 LIMIT $2`, as pg_stat_statements shows it.
    static func cosineSearch(calls: Int64 = 1_200) -> VectorSearch {
        VectorSearch(calls: calls, relations: [VectorSearch.Relation(name: "embeddings", alias: "e")],
                     operands: [VectorSearch.Operand(qualifier: "e", column: "embedding")])
    }

    static func hnsw(_ opclass: String = "vector_cosine_ops", name: String = "idx_embeddings_embedding_hnsw",
                     valid: Bool = true) -> Index {
        Index(table: "embeddings", name: name,
              definition: "CREATE INDEX \(name) ON public.embeddings USING hnsw (embedding \(opclass)) WITH (m='16', ef_construction='64')",
              method: "hnsw", isValid: valid, isReady: valid, sizeBytes: 12 << 20, columns: ["embedding"],
              operatorClasses: [opclass], options: ["m=16", "ef_construction=64"])
    }
}
