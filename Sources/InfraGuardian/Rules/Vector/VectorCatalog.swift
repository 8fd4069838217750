import Foundation

/// pgvector facts read from the generic catalog: which columns hold vectors, which indexes serve them.
/// Shared by the vector rules and the pgvector health line.
struct VectorColumn: Sendable, Equatable {
    var column: Column
    /// `vector` or `halfvec`.
    var baseType: String
    /// The declared dimensions; nil for an undimensioned column, which no HNSW/IVFFlat index accepts.
    var dimensions: Int?

    /// HNSW and IVFFlat index at most this many dimensions (pgvector 0.8).
    var indexDimensionLimit: Int { baseType == "halfvec" ? 4_000 : 2_000 }

    var qualifiedName: String { "\(column.schema).\(column.table).\(column.name)" }

    /// `vector(1536)`, `halfvec`, `extensions.vector(768)` (schema-qualified when the extension lives
    /// outside the search path, as on Supabase); arrays of vectors are not vector columns.
    init?(_ column: Column) {
        let type = column.type
        guard !type.hasSuffix("]") else { return nil }
        // Most columns are not vectors: rule them out before any splitting (this runs for every column
        // of the schema, several times per audit), on bytes: Character-wise scans cost more than all the rest.
        guard Self.mayNameVectorType(type) else { return nil }
        let head = type.split(separator: "(", maxSplits: 1).first.map(String.init) ?? type
        let name = head.split(separator: ".").last.map { $0.trimmingCharacters(in: ["\""]) } ?? head
        guard name == "vector" || name == "halfvec" else { return nil }
        self.column = column
        baseType = name
        if let open = type.firstIndex(of: "("), let close = type.lastIndex(of: ")"), open < close {
            dimensions = Int(type[type.index(after: open)..<close])
        } else {
            dimensions = nil
        }
    }

    /// True when the type name before any "(" ends with `vector` or `halfvec`, quotes aside: a necessary
    /// condition for the parse above to accept it.
    private static func mayNameVectorType(_ type: String) -> Bool {
        let utf8 = type.utf8
        var end = utf8.firstIndex(of: UInt8(ascii: "(")) ?? utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "\"") {
            end = utf8.index(before: end)
        }
        let reversedHead = utf8[..<end].reversed()
        return reversedHead.starts(with: "rotcev".utf8) || reversedHead.starts(with: "cevflah".utf8)
    }
}

enum VectorIndex {
    static func isVectorMethod(_ method: String) -> Bool { method == "hnsw" || method == "ivfflat" }

    /// The distance an operator class serves: `vector_cosine_ops`, `halfvec_l2_ops`, ...
    static func distance(ofOperatorClass opclass: String) -> VectorSettings.Distance? {
        guard opclass.hasSuffix("_ops"), let underscore = opclass.firstIndex(of: "_") else { return nil }
        let middle = opclass[opclass.index(after: underscore)...].dropLast(4)
        switch middle {
        case "cosine": return .cosine
        case "l2": return .l2
        case "ip": return .innerProduct
        case "l1": return .l1
        default: return nil
        }
    }

    /// The operator class for `distance` on a column of `baseType` (`halfvec_cosine_ops` for halfvec).
    static func operatorClass(_ distance: VectorSettings.Distance, baseType: String) -> String {
        baseType == "vector" ? distance.operatorClass
            : distance.operatorClass.replacingOccurrences(of: "vector_", with: "\(baseType)_")
    }

    /// The index's distance, from its first key column's operator class.
    static func distance(of index: Index) -> VectorSettings.Distance? {
        index.operatorClasses.first.flatMap(distance(ofOperatorClass:))
    }

    /// True when the index's key is the column, or an expression of it (`(embedding::halfvec(3072))`).
    static func covers(_ index: Index, _ column: Column) -> Bool {
        guard isVectorMethod(index.method), index.schema == column.schema, index.table == column.table,
              let key = index.columns.first else { return false }
        return key == column.name || mentions(key, column.name)
    }

    /// `m=16` → ["m": "16"].
    static func options(_ index: Index) -> [String: String] {
        Dictionary(index.options.compactMap { option -> (String, String)? in
            let parts = option.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { first, _ in first })
    }

    private static func mentions(_ expression: String, _ identifier: String) -> Bool {
        let isPart: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" }
        var rest = expression[...]
        while let range = rest.range(of: identifier) {
            let before = range.lowerBound == expression.startIndex ? nil : expression[expression.index(before: range.lowerBound)]
            let after = range.upperBound == expression.endIndex ? nil : expression[range.upperBound]
            if !(before.map(isPart) ?? false) && !(after.map(isPart) ?? false) { return true }
            rest = expression[range.upperBound...]
        }
        return false
    }
}

extension PostgresSnapshot {
    var vectorColumns: [VectorColumn] { columns.compactMap(VectorColumn.init) }

    func vectorIndexes(on column: VectorColumn) -> [Index] {
        indexes.filter { VectorIndex.covers($0, column.column) }
    }

    /// Vector indexes left invalid by a failed build (those still being built are not failures).
    var invalidVectorIndexes: [Index] {
        indexes.filter { VectorIndex.isVectorMethod($0.method) && !$0.isValid && !isBeingBuilt($0) }
    }

    /// Vector indexes whose operator class serves another distance than the configured one, on columns
    /// with no index for the configured distance: queries with its operator cannot use them.
    /// Failed builds are left to `invalidVectorIndexes`; builds in progress count, they will serve queries.
    func mismatchedVectorIndexes(_ settings: VectorSettings) -> [(index: Index, column: VectorColumn)] {
        vectorColumns.flatMap { column -> [(index: Index, column: VectorColumn)] in
            let indexes = vectorIndexes(on: column).filter { $0.isValid || isBeingBuilt($0) }
            guard !indexes.contains(where: { VectorIndex.distance(of: $0) == settings.distance }) else { return [] }
            return indexes.filter { index in
                VectorIndex.distance(of: index).map { $0 != settings.distance } ?? false
            }.map { (index: $0, column: column) }
        }
    }

    /// Vector columns with no HNSW/IVFFlat index at all (an invalid one is reported on its own).
    var unindexedVectorColumns: [VectorColumn] {
        vectorColumns.filter { vectorIndexes(on: $0).isEmpty }
    }
}

/// Which vector columns the application searches: named in `vector.columns`, or compared by a
/// distance operator in a pg_stat_statements statement. A reference counts only when it resolves to
/// one table: `d.embedding` through the alias `d`, a bare `embedding` when exactly one relation of
/// the statement has that column; an unqualified table name present in several schemas resolves to none.
struct VectorSearchEvidence {
    enum Verdict: Equatable {
        case configured
        case seen(calls: Int64)
        /// Why the audit cannot say it is searched.
        case notSeen(String)
    }

    private let searchedCalls: [String: Int64]
    private let statementsReason: String?
    private let settings: VectorSettings

    init(_ pg: PostgresSnapshot, _ settings: VectorSettings) {
        self.settings = settings
        guard let stats = pg.statementStats, stats.isAvailable, let searches = stats.vectorSearches else {
            searchedCalls = [:]
            statementsReason = pg.statementStats?.unavailableReason.map { "pg_stat_statements unavailable: \($0)" }
                ?? "pg_stat_statements not read"
            return
        }
        // Statements whose text this role may not read could be the searches.
        statementsReason = stats.hiddenStatements > 0
            ? "no readable pg_stat_statements statement applies a distance operator to it; \(stats.hiddenStatements) statements are hidden from the audit role (grant pg_read_all_stats)"
            : nil
        var owners: [String: Set<String>] = [:]
        for column in pg.columns { owners[column.name, default: []].insert("\(column.schema).\(column.table)") }
        var schemasByTable: [String: Set<String>] = [:]
        for table in pg.tables { schemasByTable[table.name, default: []].insert(table.schema) }
        func tables(_ relation: VectorSearch.Relation) -> Set<String> {
            if let schema = relation.schema { return ["\(schema).\(relation.name)"] }
            let schemas = schemasByTable[relation.name] ?? []
            return schemas.count == 1 ? Set(schemas.map { "\($0).\(relation.name)" }) : []
        }
        var calls: [String: Int64] = [:]
        for search in searches {
            for operand in search.operands {
                let candidates: Set<String>
                if let schema = operand.schema, let table = operand.qualifier {
                    candidates = ["\(schema).\(table)"]
                } else if let qualifier = operand.qualifier {
                    candidates = search.relations.filter { ($0.alias ?? $0.name) == qualifier }
                        .reduce(into: Set<String>()) { $0.formUnion(tables($1)) }
                } else {
                    candidates = search.relations.reduce(into: Set<String>()) { $0.formUnion(tables($1)) }
                }
                let owning = candidates.intersection(owners[operand.column] ?? [])
                guard owning.count == 1, let table = owning.first else { continue }
                calls["\(table).\(operand.column)", default: 0] += search.calls
            }
        }
        searchedCalls = calls
    }

    func verdict(_ vector: VectorColumn) -> Verdict {
        let column = vector.column
        if settings.names(schema: column.schema, table: column.table, column: column.name) { return .configured }
        if let calls = searchedCalls[vector.qualifiedName] { return .seen(calls: calls) }
        return .notSeen(statementsReason ?? "no pg_stat_statements statement applies a distance operator to it")
    }

    func isSearched(_ vector: VectorColumn) -> Bool {
        if case .notSeen = verdict(vector) { return false }
        return true
    }
}
