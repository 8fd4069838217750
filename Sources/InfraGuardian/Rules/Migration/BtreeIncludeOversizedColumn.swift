/// A btree index carrying a column whose values can exceed the btree row limit.
struct BtreeIncludeOversizedColumn: ReadsAppliedSchema {
    static let description = RuleDescription(
        id: "btree-include-oversized-column", category: .migration, severity: .medium,
        summary: "A btree index INCLUDEs an unbounded text/jsonb/bytea column, or holds a large vector: inserts fail once an index row exceeds ~2.7 kB.",
        finds: """
        btree indexes whose INCLUDE list has a `text`, `varchar` without length, `json`, `jsonb` or `bytea` column \
        (or an array of one), or whose key or INCLUDE list has a `vector(n)` of more than 674 or a `halfvec(n)` of \
        more than 1348 dimensions (types from the replayed migrations); text keys are not judged
        """,
        why: """
        A btree index row holds the key and INCLUDE values themselves, and must fit a third of a page: 2704 \
        bytes (compressed). An INSERT or UPDATE whose row is larger fails ("index row size … exceeds btree \
        version 4 maximum 2704"). A vector(1536) is 6 kB: every row fails. An unbounded text or jsonb column \
        fails the first time a long value arrives, in production, not in the tests.
        """,
        fix: """
        Leave the large column out of INCLUDE (the table has it; an index-only scan is not worth failing \
        writes), or include a bounded derivative (`left(body, 200)` in a generated column, a hash). Vectors \
        belong in an HNSW or IVFFlat index, not a btree.
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint NOT NULL, body text);\nCREATE INDEX IF NOT EXISTS idx_notes_lead ON notes (lead_id) INCLUDE (body);",
                         at: .line(3)),
              .migration("CREATE TABLE IF NOT EXISTS documents (id bigint PRIMARY KEY, embedding vector(1536));\nCREATE INDEX IF NOT EXISTS idx_documents_embedding ON documents (embedding);",
                         at: .line(3))],
        good: [.migration("CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint NOT NULL, title varchar(120), body text);\nCREATE INDEX IF NOT EXISTS idx_notes_lead ON notes (lead_id) INCLUDE (title);\nCREATE INDEX IF NOT EXISTS idx_notes_body ON notes (body);"),
               .migration("CREATE TABLE IF NOT EXISTS documents (id bigint PRIMARY KEY, embedding vector(1536));\nCREATE INDEX IF NOT EXISTS idx_documents_embedding ON documents USING hnsw (embedding vector_cosine_ops);")])

    /// The btree limit for one index row, in bytes (BTMaxItemSize of an 8 kB page).
    static let rowLimit = 2704
    static let unbounded: Set<String> = ["text", "json", "jsonb", "bytea"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let positions = analysis.upStatementPositions(kind: .indexStmt).filter { position in
            let method = analysis.upStatements[position].statement.node[.accessMethod].string ?? "btree"
            return method == "btree"
        }
        guard !positions.isEmpty else { return [] }
        let schema = analysis.shared(AppliedSchema.self)
        return positions.compactMap { position in
            let statement = analysis.upStatements[position].statement
            guard let types = schema.indexColumnTypes[position], let table = statement.targetTable else { return nil }
            var problems: [String] = []
            let columns = { (list: PG.Field) in statement.node[list].array.compactMap { $0.node(.indexElem)[.name].string } }
            for column in columns(.indexParams) {
                if let type = types[column], let size = Self.vectorBytes(type) { problems.append("the key \(column) (\(type.sql), \(size) bytes)") }
            }
            for column in columns(.indexIncludingParams) {
                guard let type = types[column] else { continue }
                if let size = Self.vectorBytes(type) {
                    problems.append("INCLUDE \(column) (\(type.sql), \(size) bytes)")
                } else if Self.unbounded.contains(type.name) || (type.name == "varchar" && type.modifiers.isEmpty) {
                    problems.append("INCLUDE \(column) (\(type.sql), unbounded)")
                }
            }
            guard !problems.isEmpty else { return nil }
            let name = statement.createIndex?.name.map { "Btree index \($0)" } ?? "A btree index"
            return finding("\(name) on \(table) holds \(FixText.list(problems)): an INSERT or UPDATE whose index row exceeds \(Self.rowLimit) bytes fails (\"index row size exceeds btree version 4 maximum\").",
                           at: statement.location)
        }
    }

    /// The stored size of a vector or halfvec over the btree limit; nil when it fits or is unknown.
    static func vectorBytes(_ type: ColumnType) -> Int? {
        guard !type.isArray, let dimensions = type.modifiers.first else { return nil }
        let size: Int
        switch type.name {
        case "vector": size = 8 + 4 * dimensions
        case "halfvec": size = 8 + 2 * dimensions
        default: return nil
        }
        return size > rowLimit ? size : nil
    }
}
