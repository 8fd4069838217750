/// Vector columns whose dimensions disagree with the configuration or exceed what an index accepts.
struct VectorDimensionMismatch: Rule {
    static let description = RuleDescription(
        id: "vector-dimension-mismatch", category: .vector, severity: .medium,
        summary: "A vector column's dimensions differ from the configured ones (1536), have none, or exceed the HNSW/IVFFlat limit (HIGH).",
        finds: "dimensions ≠ `vector.dimensions`, or none; HIGH above the 2,000 (`halfvec`: 4,000) index limit",
        why: """
        pgvector rejects a vector whose length differs from the column's: embeddings of the configured model \
        (1,536 dimensions for text-embedding-3-small) fail to insert into a vector(768) column, or the \
        column was sized for another model than the one the service uses. An undimensioned `vector` column \
        cannot be indexed by HNSW or IVFFlat at all, and those indexes accept at most 2,000 dimensions for \
        `vector` (4,000 for `halfvec`): a larger column can only be searched by scanning the table.
        """,
        fix: """
        Make the column and `vector.dimensions` agree (a new column of the right type, backfilled, then \
        swapped). Beyond 2,000 dimensions, index an expression cast to halfvec: CREATE INDEX CONCURRENTLY ... \
        USING hnsw ((embedding::halfvec(3072)) halfvec_cosine_ops); and query with the same cast.
        """,
        bad: [.postgres("public.embeddings.embedding vector(768), configured 1536") { VectorExamples.embeddings(type: "vector(768)") },
              .postgres("public.embeddings.embedding vector (no dimensions)") { VectorExamples.embeddings(type: "vector") },
              .postgres("public.embeddings.embedding vector(3072), no index possible (HIGH)") {
                  VectorExamples.embeddings(type: "vector(3072)")
              }],
        good: [.postgres("public.embeddings.embedding vector(1536)") {
            VectorExamples.embeddings(indexes: [VectorExamples.hnsw()])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let configured = context.configuration.vector.dimensions
        return pg.vectorColumns.flatMap { vector -> [Finding] in
            let location = Location.object(vector.qualifiedName)
            guard let dimensions = vector.dimensions else {
                return [finding("\(vector.qualifiedName) is `\(vector.column.type)` without dimensions: HNSW and IVFFlat cannot index it (declare \(vector.baseType)(\(configured))).",
                                at: location)]
            }
            var findings: [Finding] = []
            if dimensions != configured {
                findings.append(finding("\(vector.qualifiedName) is \(vector.column.type) but the configured dimensions are \(configured): vectors of the configured model fail to insert (\"expected \(dimensions) dimensions, not \(configured)\").",
                                        at: location))
            }
            if dimensions > vector.indexDimensionLimit && pg.vectorIndexes(on: vector).isEmpty {
                var limit = finding("\(vector.qualifiedName) has \(dimensions) dimensions, above the \(Format.grouped(Int64(vector.indexDimensionLimit))) that HNSW and IVFFlat index for \(vector.baseType): similarity searches can only scan the table.",
                                    at: location)
                limit.severity = .high
                findings.append(limit)
            }
            return findings
        }
    }
}
