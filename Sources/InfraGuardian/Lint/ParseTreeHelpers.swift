/// Small readers for parse-tree shapes several rules need.
extension JSONValue {
    /// `Constraint.contype` of each constraint of a `ColumnDef` body: `CONSTR_NOTNULL`, `CONSTR_DEFAULT`...
    public var columnConstraintTypes: [String] {
        self["constraints"].array.compactMap { $0["Constraint"]["contype"].string }
    }

    /// The last part of a `ColumnDef`'s type name (`varchar`, `int8`, `serial`...).
    public var columnTypeName: String? {
        self["typeName"]["names"].array.last?["String"]["sval"].string
    }
}

extension SQLStatement {
    /// `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY` and
    /// `DETACH PARTITION … CONCURRENTLY`: the statements PostgreSQL refuses in a transaction block.
    public var concurrentOperation: String? {
        switch kind {
        case "IndexStmt" where node["concurrent"].bool:
            return "CREATE INDEX CONCURRENTLY"
        case "DropStmt" where node["concurrent"].bool:
            return "DROP INDEX CONCURRENTLY"
        case "ReindexStmt":
            let concurrent = node["params"].array.contains { $0["DefElem"]["defname"].isString("concurrently") }
            return concurrent ? "REINDEX CONCURRENTLY" : nil
        case "AlterTableStmt":
            let detach = alterCommands.contains {
                $0["subtype"].isString("AT_DetachPartition") && $0["def"]["PartitionCmd"]["concurrent"].bool
            }
            return detach ? "ALTER TABLE … DETACH PARTITION … CONCURRENTLY" : nil
        default:
            return nil
        }
    }

    /// `ALTER TABLE` commands of one subtype (`AT_AddColumn`, `AT_DropColumn`, `AT_AlterColumnType`...).
    public func alterCommands(_ subtype: String) -> [JSONValue] {
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
