/// Small readers for parse-tree shapes several rules need.
extension JSONValue {
    /// `Constraint.contype` of each constraint of a `ColumnDef` body: `.notnull`, `.default`...
    public var columnConstraintTypes: [PG.ConstrType] {
        self[.constraints].array.compactMap { $0.node(.constraint)[.contype].decoded(PG.ConstrType.self) }
    }

    /// The last part of a `ColumnDef`'s type name (`varchar`, `int8`, `serial`...).
    public var columnTypeName: String? {
        self[.typeName][.names].array.last?.node(.string)[.sval].string
    }
}

extension SQLStatement {
    /// `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY` and
    /// `DETACH PARTITION … CONCURRENTLY`: the statements PostgreSQL refuses in a transaction block.
    public var concurrentOperation: String? {
        switch kind {
        case .indexStmt where createIndex?.isConcurrent == true:
            return "CREATE INDEX CONCURRENTLY"
        case .dropStmt where drop?.isConcurrent == true:
            return "DROP INDEX CONCURRENTLY"
        case .reindexStmt:
            let concurrent = node[.params].containsOption(.concurrently)
            return concurrent ? "REINDEX CONCURRENTLY" : nil
        case .alterTableStmt:
            let detach = alterCommands.contains {
                $0[.subtype].equals(PG.AlterTableType.detachPartition) && $0[.def].node(.partitionCmd)[.concurrent].bool
            }
            return detach ? "ALTER TABLE … DETACH PARTITION … CONCURRENTLY" : nil
        default:
            return nil
        }
    }

    /// `ALTER TABLE` commands of one subtype (`AT_AddColumn`, `AT_DropColumn`, `AT_AlterColumnType`...).
    public func alterCommands(_ subtype: PG.AlterTableType) -> [JSONValue] {
        var matching: [JSONValue] = []
        for (position, command) in alterCommands.enumerated() where alterSubtypes[position] == subtype {
            matching.append(command)
        }
        return matching
    }

    /// The last part of a dropped object's name (`public.leads` → `leads`).
    public static func unqualified(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }
}
