/// A vector column that similarity searches can only scan.
struct VectorColumnWithoutIndex: Rule {
    static let description = RuleDescription(
        id: "vector-column-without-index", category: .vector, severity: .high,
        summary: "A searched vector/halfvec column has no HNSW or IVFFlat index (HIGH from 10,000 rows, MEDIUM below; INFO when not seen searched).",
        finds: "a `vector`/`halfvec` column with no HNSW/IVFFlat index that pg_stat_statements shows searched with a distance operator, or that `vector.columns` names (MEDIUM under 10,000 rows); INFO when it is not seen searched",
        why: """
        Without an approximate-nearest-neighbour index, `ORDER BY embedding <=> $1 LIMIT k` computes the \
        distance to every row: at 1,536 dimensions that is ~6 KB read and ~1,500 multiply-adds per row, \
        so latency grows linearly with the table (tens of milliseconds per 10,000 rows). A column that is \
        only written and read back (an embedding stored for later, a search done elsewhere) needs no \
        index, and an index would slow its writes: the column counts as searched when a \
        pg_stat_statements statement applies a pgvector distance operator (<->, <=>, <#>, <+>, <~>, <%>) \
        to it, or when `vector.columns` in .infra-guardian.yml names it; otherwise the finding is INFO. \
        The severity of a searched column follows the table's size (threshold: seq_scan_min_rows).
        """,
        fix: """
        In a `-- migrate:up transaction:false` migration, with maintenance_work_mem large enough for the graph: \
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_<table>_<column>_hnsw ON <table> USING hnsw (<column> vector_cosine_ops) \
        WITH (m = 16, ef_construction = 64); (use the operator class of the configured distance)
        """,
        bad: [.postgres("public.embeddings.embedding vector(1536), 50,000 rows, no index, searched: ORDER BY e.embedding <=> $1") {
            VectorExamples.embeddings(searches: [VectorExamples.cosineSearch()])
        }],
        good: [.postgres("public.embeddings.embedding with idx_embeddings_embedding_hnsw (vector_cosine_ops)") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw()], searches: [VectorExamples.cosineSearch()])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let settings = context.configuration.vector
        let distance = settings.distance
        let evidence = VectorSearchEvidence(pg, settings)
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
            let head = "\(vector.qualifiedName) (\(column.type), \(size)) has no HNSW or IVFFlat index"
            switch evidence.verdict(vector) {
            case .notSeen(let reason):
                var result = finding("\(head); it was not seen searched (\(reason)), so nothing scans it yet. If the application runs similarity searches on it, name it in vector.columns.",
                                     at: .object(vector.qualifiedName), fix: fix)
                result.severity = .info
                return result
            case .configured, .seen:
                let source: String
                if case .seen(let calls) = evidence.verdict(vector) {
                    source = "searched in pg_stat_statements, \(Format.grouped(calls)) call\(calls == 1 ? "" : "s")"
                } else {
                    source = "named in vector.columns"
                }
                var result = finding("\(head) (\(source)): similarity searches (\(distance.queryOperator)) scan the whole table.",
                                     at: .object(vector.qualifiedName), fix: fix)
                if rows < context.thresholds.seqScanMinRows { result.severity = .medium }
                return result
            }
        }
    }
}
