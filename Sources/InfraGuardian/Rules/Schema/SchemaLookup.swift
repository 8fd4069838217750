import Foundation

/// Catalog questions several schema and index rules ask of a snapshot. Each is a linear scan: fine for
/// one question, quadratic when asked per index or per constraint. Loops over a whole catalog use
/// `CatalogLookup`, which answers the same questions from dictionaries built once.
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

/// The `PostgresSnapshot` lookups above, answered from dictionaries built in one pass: a rule that asks
/// per index or per constraint stays linear on schemas of thousands of tables (8,000 indexes times
/// 10,000 constraints was most of an audit's time). Same answers as the linear scans, first match
/// included when names repeat.
struct CatalogLookup {
    private struct Key: Hashable {
        var schema: String
        var name: String
    }

    private struct ObjectKey: Hashable {
        var schema: String
        var table: String
        var name: String
    }

    private let tables: [Key: Table]
    /// Partitioned tables by `qualifiedName`, the form `Table.partitionOf` names its parent in.
    private let partitioned: [String: Table]
    private let indexesByTable: [Key: [Index]]
    private let constraintNames: Set<ObjectKey>
    /// Primary-key, unique and exclusion constraints: they own an index of their name.
    private let indexOwningConstraints: Set<ObjectKey>
    private let beingBuilt: Set<String>

    init(_ pg: PostgresSnapshot) {
        tables = Dictionary(pg.tables.map { (Key(schema: $0.schema, name: $0.name), $0) }, uniquingKeysWith: { first, _ in first })
        partitioned = Dictionary(pg.tables.filter { $0.kind == "p" }.map { ($0.qualifiedName, $0) },
                                 uniquingKeysWith: { first, _ in first })
        indexesByTable = Dictionary(grouping: pg.indexes) { Key(schema: $0.schema, name: $0.table) }
        constraintNames = Set(pg.constraints.map { ObjectKey(schema: $0.schema, table: $0.table, name: $0.name) })
        indexOwningConstraints = Set(pg.constraints.filter { ["p", "u", "x"].contains($0.type) }
            .map { ObjectKey(schema: $0.schema, table: $0.table, name: $0.name) })
        beingBuilt = Set(pg.indexesBeingBuilt)
    }

    func table(_ schema: String, _ name: String) -> Table? {
        tables[Key(schema: schema, name: name)]
    }

    /// The table's indexes, in snapshot order.
    func indexes(onTable schema: String, _ name: String) -> [Index] {
        indexesByTable[Key(schema: schema, name: name)] ?? []
    }

    func partitionedParent(of table: Table) -> Table? {
        table.partitionOf.flatMap { partitioned[$0] }
    }

    func isCoveredByParent(schema: String, table name: String) -> Bool {
        guard let table = table(schema, name) else { return false }
        return partitionedParent(of: table) != nil
    }

    func isInherited(_ constraint: Constraint) -> Bool {
        guard let table = table(constraint.schema, constraint.table), let parent = partitionedParent(of: table) else {
            return false
        }
        return constraintNames.contains(ObjectKey(schema: parent.schema, table: parent.name, name: constraint.name))
    }

    func backsConstraint(_ index: Index) -> Bool {
        indexOwningConstraints.contains(ObjectKey(schema: index.schema, table: index.table, name: index.name))
    }

    func isBeingBuilt(_ index: Index) -> Bool {
        beingBuilt.contains(index.qualifiedName)
    }
}

/// Columns by schema, table and name, built in one pass: for rules that look a column up per
/// constraint or per index (a scan of every column each time is quadratic on large schemas).
struct ColumnLookup {
    private struct Key: Hashable {
        var schema: String
        var table: String
        var name: String
    }

    private let columns: [Key: Column]

    init(_ pg: PostgresSnapshot) {
        columns = Dictionary(pg.columns.map { (Key(schema: $0.schema, table: $0.table, name: $0.name), $0) },
                             uniquingKeysWith: { first, _ in first })
    }

    func column(_ schema: String, _ table: String, _ name: String) -> Column? {
        columns[Key(schema: schema, table: table, name: name)]
    }
}
