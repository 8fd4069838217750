/// Shared by the column-type rules (prefer-jsonb, prefer-bigint-keys, prefer-timestamptz,
/// ban-char-field, prefer-identity): every column definition of every up section, new tables
/// included, since a type is expensive to change once the table holds data.
enum ColumnTypes {
    static func definitions(_ analysis: MigrationAnalysis) -> [(statement: SQLStatement, column: ColumnDefinition)] {
        analysis.upStatements.flatMap { _, statement in statement.columnDefinitions.map { (statement, $0) } }
    }

    /// What the statement does to the column, for messages.
    static func verb(_ column: ColumnDefinition) -> String {
        switch column.origin {
        case .createTable: return "column"
        case .addColumn: return "new column"
        case .alterType: return "type change of"
        }
    }
}
