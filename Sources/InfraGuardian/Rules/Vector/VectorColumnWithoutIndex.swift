/// A vector column that similarity searches can only scan.
struct VectorColumnWithoutIndex: Rule {
    static let description = RuleDescription(
        id: "vector-column-without-index", category: .vector, severity: .high,
        summary: "A vector/halfvec column has no HNSW or IVFFlat index (HIGH from 10,000 rows, MEDIUM below).",
        finds: "a `vector`/`halfvec` column with no HNSW/IVFFlat index (MEDIUM under 10,000 rows)",
        why: """
        Without an approximate-nearest-neighbour index, `ORDER BY embedding <=> $1 LIMIT k` computes the \
        distance to every row: at 1,536 dimensions that is ~6 KB read and ~1,500 multiply-adds per row, \
        so latency grows linearly with the table (tens of milliseconds per 10,000 rows). The severity \
        follows the table's size (threshold: seq_scan_min_rows).
        """,
        fix: """
        In a `-- migrate:up transaction:false` migration, with maintenance_work_mem large enough for the graph: \
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_<table>_<column>_hnsw ON <table> USING hnsw (<column> vector_cosine_ops) \
        WITH (m = 16, ef_construction = 64); (use the operator class of the configured distance)
        """,
        bad: [.postgres("public.embeddings.embedding vector(1536), 50,000 rows, no index") { VectorExamples.embeddings() }],
        good: [.postgres("public.embeddings.embedding with idx_embeddings_embedding_hnsw (vector_cosine_ops)") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw()])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let distance = context.configuration.vector.distance
        return pg.unindexedVectorColumns.map { vector in
            let column = vector.column
            let rows = pg.table(column.schema, column.table)?.rowEstimate ?? -1
            let opclass = VectorIndex.operatorClass(distance, baseType: vector.baseType)
            let name = SQLName.indexName(["idx", column.table, column.name, "hnsw"])
            let fix = """
                In a `-- migrate:up transaction:false` migration: CREATE INDEX CONCURRENTLY IF NOT EXISTS \(SQLName.quote(name)) \
                ON \(pg.sqlName(column.schema, column.table)) USING hnsw (\(SQLName.quote(column.name)) \(opclass)) \
                WITH (m = 16, ef_construction = 64); (raise maintenance_work_mem for the build on a large table)
                """
            let size = rows < 0 ? "row count unknown" : "~\(Format.grouped(Int64(rows))) rows"
            var result = finding("\(vector.qualifiedName) (\(column.type), \(size)) has no HNSW or IVFFlat index: similarity searches (\(distance.queryOperator)) scan the whole table.",
                                 at: .object(vector.qualifiedName), fix: fix)
            if rows < context.thresholds.seqScanMinRows { result.severity = .medium }
            return result
        }
    }
}
