/// Shared by the column-type rules (prefer-jsonb, prefer-bigint-keys, prefer-timestamptz,
/// ban-char-field, prefer-identity): every column definition of every up section, new tables
/// included, since a type is expensive to change once the table holds data.
enum ColumnTypes {
    static func definitions(_ analysis: MigrationAnalysis) -> [(statement: SQLStatement, column: ColumnDefinition)] {
        analysis.upColumnDefinitions
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
