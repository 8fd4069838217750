import Foundation

/// Catalog questions several schema and index rules ask of a snapshot.
extension PostgresSnapshot {
    func table(_ schema: String, _ name: String) -> Table? {
        tables.first { $0.schema == schema && $0.name == name }
    }

    func indexes(on table: Table) -> [Index] {
        indexes.filter { $0.schema == table.schema && $0.table == table.name }
    }

    /// The partitioned parent of `table`, when it is a partition and the parent was collected.
    func partitionedParent(of table: Table) -> Table? {
        guard let parent = table.partitionOf else { return nil }
        return tables.first { $0.qualifiedName == parent && $0.kind == "p" }
    }

    /// True for a partition whose parent was collected: the parent's findings speak for it, since
    /// indexes and constraints made on a partitioned table are cloned onto every partition.
    func isCoveredByParent(schema: String, table name: String) -> Bool {
        guard let table = table(schema, name) else { return false }
        return partitionedParent(of: table) != nil
    }

    /// A constraint cloned from the partitioned parent (same name on the parent): reported there.
    func isInherited(_ constraint: Constraint) -> Bool {
        guard let table = table(constraint.schema, constraint.table), let parent = partitionedParent(of: table) else {
            return false
        }
        return constraints.contains { $0.schema == parent.schema && $0.table == parent.name && $0.name == constraint.name }
    }

    /// Primary-key, unique and exclusion constraints own an index of the same name; dropping the
    /// index means dropping the constraint, so index rules leave those alone.
    func backsConstraint(_ index: Index) -> Bool {
        constraints.contains {
            $0.schema == index.schema && $0.table == index.table && $0.name == index.name && ["p", "u", "x"].contains($0.type)
        }
    }

    func isBeingBuilt(_ index: Index) -> Bool {
        indexesBeingBuilt.contains(index.qualifiedName)
    }

    /// `schema.table` for SQL, quoted where PostgreSQL would need it.
    func sqlName(_ schema: String, _ name: String) -> String {
        "\(SQLName.quote(schema)).\(SQLName.quote(name))"
    }
}

/// Identifier quoting for the SQL printed in fixes.
enum SQLName {
    static func quote(_ identifier: String) -> String {
        let plain = identifier.first.map { $0 == "_" || ($0.isLowercase && $0.isASCII) } ?? false
            && identifier.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
        return plain && !reserved.contains(identifier) ? identifier
            : "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A name for a new index: PostgreSQL cuts identifiers at 63 bytes, so long ones are cut here, visibly.
    static func indexName(_ parts: [String]) -> String {
        let name = parts.joined(separator: "_")
            .map { $0.isLetter || $0.isNumber ? String($0).lowercased() : "_" }.joined()
        return String(name.prefix(63))
    }

    /// Reserved words that appear as column names often enough to matter.
    private static let reserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "both", "case", "check", "collate",
        "column", "constraint", "create", "current_date", "current_time", "current_user", "default", "desc",
        "distinct", "do", "else", "end", "except", "false", "for", "foreign", "from", "grant", "group", "having",
        "in", "initially", "intersect", "into", "leading", "limit", "not", "null", "offset", "on", "only", "or",
        "order", "primary", "references", "select", "table", "then", "to", "trailing", "true", "union", "unique",
        "user", "using", "when", "where", "window", "with",
    ]
}
