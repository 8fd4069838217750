/// Turns the pg_stat_statements texts that use a pgvector distance operator into `VectorSearch`
/// facts: which relations each statement reads and which column references a distance operator
/// compares. Only names leave this function, never text: the rules match them to the catalog.
enum VectorSearchReader {
    /// pgvector's distance operators: L2, inner product, cosine, L1, Hamming, Jaccard.
    static let operators: Set<String> = ["<->", "<#>", "<=>", "<+>", "<~>", "<%>"]

    /// The statements kept for this: a bound on the work, not on the schema.
    static let limit = 500

    /// nil when the text does not parse (the PostgreSQL 15 grammar), is nested too deep to walk, or
    /// compares no column reference: such a statement proves nothing about any column.
    static func search(_ text: String, calls: Int64) -> VectorSearch? {
        let bytes = Array(text.utf8)[...]
        guard NestingGuard.estimate(bytes).depth <= NestingGuard.inlineLimit,
              case .success(let tree) = PgQuery.parse(bytes) else { return nil }
        var walk = Walk()
        walk.visit(tree.root, depth: 0)
        guard !walk.operands.isEmpty else { return nil }
        return VectorSearch(calls: calls, relations: walk.relations, operands: walk.operands)
    }

    private struct Walk {
        var relations: [VectorSearch.Relation] = []
        var operands: [VectorSearch.Operand] = []

        mutating func visit(_ node: JSONValue, depth: Int) {
            guard depth < 400 else { return }
            if node.isArray {
                for element in node.array { visit(element, depth: depth + 1) }
                return
            }
            guard node.isObject else { return }
            // A RangeVar body: wrapped in `{"RangeVar": ...}` in FROM lists, bare as `relation` of
            // UPDATE, DELETE and INSERT.
            if let name = node[.relname].string {
                relations.append(VectorSearch.Relation(schema: node[.schemaname].string, name: name,
                                                       alias: node[.alias][.aliasname].string))
            }
            let expression = node.node(.aExpr)
            if expression.exists, let name = expression[.name].array.last?.node(.string)[.sval].string,
               VectorSearchReader.operators.contains(name) {
                for side in [expression[.lexpr], expression[.rexpr]] {
                    if let operand = Self.operand(side) { operands.append(operand) }
                }
            }
            for (_, value) in node.members { visit(value, depth: depth + 1) }
        }

        /// `embedding`, `d.embedding`, `app.docs.embedding`, also under a cast (`embedding::halfvec(3)`).
        static func operand(_ node: JSONValue) -> VectorSearch.Operand? {
            let cast = node.node(.typeCast)
            let reference = (cast.exists ? cast[.arg] : node).node(.columnRef)
            guard reference.exists else { return nil }
            var names: [String] = []
            for field in reference[.fields].array {
                guard let name = field.node(.string)[.sval].string else { return nil } // `t.*`
                names.append(name)
            }
            guard let column = names.last, names.count <= 3 else { return nil }
            let qualifiers = names.dropLast()
            return VectorSearch.Operand(schema: qualifiers.count == 2 ? qualifiers.first : nil,
                                        qualifier: qualifiers.last, column: column)
        }
    }
}
