/// An HNSW or IVFFlat index left invalid.
struct VectorIndexInvalid: Rule {
    static let description = RuleDescription(
        id: "vector-index-invalid", category: .vector, severity: .high,
        summary: "An HNSW or IVFFlat index is invalid (typically a failed CREATE INDEX CONCURRENTLY) and not being built.",
        finds: "an invalid HNSW/IVFFlat index (failed concurrent build)",
        why: """
        HNSW builds are long and memory-hungry: a build that hits statement_timeout, runs out of \
        maintenance_work_mem headroom, or meets a row of the wrong dimensions leaves an invalid index. \
        Similarity searches then silently scan the whole table, while every insert still pays to maintain \
        the index. Builds in progress (pg_stat_progress_create_index) are not reported.
        """,
        fix: """
        In a `-- migrate:up transaction:false` migration: DROP INDEX CONCURRENTLY IF EXISTS <index>; then \
        SET maintenance_work_mem = '2GB'; CREATE INDEX CONCURRENTLY ... USING hnsw (...) again.
        """,
        bad: [.postgres("idx_embeddings_embedding_hnsw invalid after a failed concurrent build") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw(valid: false)])
        }],
        good: [.postgres("idx_embeddings_embedding_hnsw valid") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw()])
        }, .postgres("idx_embeddings_embedding_hnsw invalid while its concurrent build runs") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw(valid: false)],
                                      building: ["public.embeddings.idx_embeddings_embedding_hnsw"])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let wanted = context.configuration.vector.distance
        return pg.invalidVectorIndexes.map { index in
            var fix = InvalidIndex.rebuildFix(index, pg) + " Raise maintenance_work_mem for the build."
            if let served = VectorIndex.distance(of: index), served != wanted {
                fix += " Rebuild it with the operator class of the configured distance (\(wanted.rawValue), \(wanted.queryOperator)), not \(index.operatorClasses.first ?? "?")."
            }
            return finding("\(index.method.uppercased()) index \(index.qualifiedName) is invalid: similarity searches cannot use it and scan \(index.table), while writes still maintain it.",
                           at: .object(index.qualifiedName), fix: fix)
        }
    }
}
