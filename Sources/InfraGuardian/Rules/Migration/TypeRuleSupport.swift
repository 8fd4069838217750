/// Shared by the column-type rules (prefer-jsonb, prefer-bigint-keys, prefer-timestamptz,
/// ban-char-field, prefer-identity): the column definitions of every up section, new tables
/// included, since a type is expensive to change once the table holds data.
enum ColumnTypes: SharedFact {
    /// The definitions of some built-in types (`builtinType`), in `upColumnDefinitions` order.
    static func definitions(_ analysis: MigrationAnalysis, ofTypes types: Set<String>)
        -> [(statement: SQLStatement, column: ColumnDefinition)] {
        let positions = analysis.shared(ColumnTypes.self)
        let all = analysis.upColumnDefinitions
        return types.flatMap { positions[$0] ?? [] }.sorted().map { all[$0] }
    }

    /// Positions in `upColumnDefinitions` of each built-in type's definitions, found once for the
    /// five rules: each then reads only the definitions of its types.
    static func compute(_ analysis: MigrationAnalysis) -> [String: [Int]] {
        var positions: [String: [Int]] = [:]
        let all = analysis.upColumnDefinitions
        for position in all.indices {
            if let type = all[position].column.builtinType { positions[type, default: []].append(position) }
        }
        return positions
    }

    /// The column declared `declaration` (`payload jsonb`) where the statement declares it; an
    /// existing column's type change is spelled out (`existing`) since data is already stored.
    static func fix(_ column: ColumnDefinition, _ statement: SQLStatement, declaration: String, existing: String? = nil) -> String {
        let name = quoteIdentifier(column.column)
        let relation = ConstraintFixText.relation(statement)
        switch column.origin {
        case .createTable:
            return "Declare it `\(name) \(declaration)` in the CREATE TABLE \(relation) at line \(statement.line): the table is new, nothing to migrate."
        case .addColumn:
            return "Add it as `\(name) \(declaration)` in this ALTER TABLE \(relation): nothing is stored in it yet."
        case .alterType:
            return existing ?? "Change \(relation).\(name) to \(declaration) instead (it is rewritten either way)."
        }
    }

    /// "Column t.c is json", "New column t.c is json", "Column t.c becomes json", for messages.
    static func describe(_ column: ColumnDefinition, as type: String) -> String {
        switch column.origin {
        case .createTable: return "Column \(column.qualifiedName) is \(type)"
        case .addColumn: return "New column \(column.qualifiedName) is \(type)"
        case .alterType: return "Column \(column.qualifiedName) becomes \(type)"
        }
    }
}
