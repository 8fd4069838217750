/// A column whose type a statement chooses: in `CREATE TABLE`, `ALTER TABLE … ADD COLUMN` or
/// `ALTER TABLE … ALTER COLUMN … TYPE`. The type rules (json, int keys, timestamp, char, serial)
/// read these, for new tables too: a type, once the table holds data, is costly to change.
public struct ColumnDefinition: Sendable {
    public enum Origin: Sendable { case createTable, addColumn, alterType }

    public var table: String
    public var column: String
    /// The `ColumnDef` body.
    public var definition: JSONValue
    public var origin: Origin
    /// Columns named by the table-level `PRIMARY KEY (…)` / `FOREIGN KEY (…)` of the same `CREATE TABLE`.
    public var tableKeyColumns: Set<String>

    /// The built-in type (`int4`, `json`, `timestamp`, `bpchar`, `serial`…): the last part of the
    /// name when it is unqualified or in `pg_catalog`; nil for a type in another schema.
    public let builtinType: String?

    init(table: String, column: String, definition: JSONValue, origin: Origin, tableKeyColumns: Set<String>) {
        self.table = table
        self.column = column
        self.definition = definition
        self.origin = origin
        self.tableKeyColumns = tableKeyColumns
        let names = SQLStatement.names(definition[.typeName][.names]) ?? []
        builtinType = names.count == 1 || names.count == 2 && names.first == "pg_catalog" ? names.last : nil
    }

    public var constraintTypes: [PG.ConstrType] { definition.columnConstraintTypes }

    /// `table.column`, for messages.
    public var qualifiedName: String { "\(table).\(column)" }
}

extension SQLStatement {
    /// The columns whose type the statement sets (see `ColumnDefinition`).
    public var columnDefinitions: [ColumnDefinition] {
        let table = targetTable ?? "?"
        switch kind {
        case .createStmt:
            let elements = node[.tableElts].array
            var keys: Set<String> = []
            for element in elements {
                let constraint = element.node(.constraint)
                guard let type = constraint[.contype].decoded(PG.ConstrType.self), [.primary, .foreign].contains(type) else { continue }
                keys.formUnion(Self.names(constraint[.keys]) ?? [])
                keys.formUnion(Self.names(constraint[.fkAttrs]) ?? [])
            }
            return elements.compactMap { element in
                let definition = element.node(.columnDef)
                guard let name = definition[.colname].string else { return nil }
                return ColumnDefinition(table: table, column: name, definition: definition, origin: .createTable,
                                        tableKeyColumns: keys)
            }
        case .alterTableStmt:
            return alterCommands.compactMap { command in
                let definition = command[.def].node(.columnDef)
                switch command[.subtype].decoded(PG.AlterTableType.self) {
                case .addColumn:
                    guard let name = definition[.colname].string else { return nil }
                    return ColumnDefinition(table: table, column: name, definition: definition, origin: .addColumn,
                                            tableKeyColumns: [])
                case .alterColumnType:
                    guard let name = command[.name].string else { return nil }
                    return ColumnDefinition(table: table, column: name, definition: definition, origin: .alterType,
                                            tableKeyColumns: [])
                default:
                    return nil
                }
            }
        default:
            return []
        }
    }
}
