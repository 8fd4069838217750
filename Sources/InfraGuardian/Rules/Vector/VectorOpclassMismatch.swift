/// A vector index built for another distance than the one the service queries with.
struct VectorOpclassMismatch: Rule {
    static let description = RuleDescription(
        id: "vector-opclass-mismatch", category: .vector, severity: .high,
        summary: "An HNSW/IVFFlat index's operator class does not match the configured distance (cosine `<=>` by default).",
        finds: "an HNSW/IVFFlat operator class that does not serve the configured distance (`<=>` for cosine)",
        why: """
        pgvector indexes serve exactly one distance operator: `vector_l2_ops` serves `<->`, \
        `vector_cosine_ops` `<=>`, `vector_ip_ops` `<#>`, `vector_l1_ops` `<+>`. A query ordering by `<=>` \
        cannot use a `vector_l2_ops` index: it silently falls back to a sequential scan, with no error. \
        Set `vector.distance` in .infra-guardian.yml to what the service's queries use.
        """,
        fix: """
        In a `-- migrate:up transaction:false` migration: CREATE INDEX CONCURRENTLY IF NOT EXISTS <new index> ON <table> \
        USING hnsw (<column> vector_cosine_ops) WITH (m = 16, ef_construction = 64); then DROP INDEX CONCURRENTLY IF EXISTS <old index>;
        """,
        bad: [.postgres("idx_embeddings_embedding_hnsw USING hnsw (embedding vector_l2_ops), queries use <=> (cosine)") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw("vector_l2_ops")])
        }],
        good: [.postgres("idx_embeddings_embedding_hnsw USING hnsw (embedding vector_cosine_ops)") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw()])
        }, .postgres("an l2 index next to a cosine one on the same column") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw(), VectorExamples.hnsw("vector_l2_ops", name: "idx_embeddings_l2")])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let wanted = context.configuration.vector.distance
        return pg.mismatchedVectorIndexes(context.configuration.vector).map { index, vector in
            let opclass = index.operatorClasses.first ?? "?"
            let served = VectorIndex.distance(ofOperatorClass: opclass)
            let column = vector.column
            let newName = SQLName.indexName(["idx", column.table, column.name, index.method, wanted.rawValue])
            let options = index.options.isEmpty ? "" : " WITH (\(index.options.joined(separator: ", ")))"
            let fix = """
                In a `-- migrate:up transaction:false` migration: CREATE INDEX CONCURRENTLY IF NOT EXISTS \(SQLName.quote(newName)) \
                ON \(pg.sqlName(column.schema, column.table)) USING \(index.method) (\(SQLName.quote(column.name)) \
                \(VectorIndex.operatorClass(wanted, baseType: vector.baseType)))\(options); \
                then DROP INDEX CONCURRENTLY IF EXISTS \(pg.sqlName(index.schema, index.name)); \
                (or set vector.distance if the service really queries with \(served?.queryOperator ?? "another operator"))
                """
            return finding("Index \(index.qualifiedName) uses \(opclass) (\(served?.queryOperator ?? "?")) but the configured distance is \(wanted.rawValue) (\(wanted.queryOperator)): queries ordering by \(wanted.queryOperator) cannot use it and scan \(column.table).",
                           at: .object(index.qualifiedName), fix: fix)
        }
    }
}
