/// The table-level locks a statement takes, from PostgreSQL's documentation (ALTER TABLE "Notes",
/// "Explicit Locking" 13.3.1). Only the strong modes are modelled: SHARE ROW EXCLUSIVE and above
/// block every write, ACCESS EXCLUSIVE blocks reads too, and while such a lock request waits in
/// the queue behind a long transaction, every later query on the table waits behind it.
enum LockMode: Int, Comparable, Sendable {
    case shareRowExclusive = 6
    case exclusive = 7
    case accessExclusive = 8

    static func < (left: LockMode, right: LockMode) -> Bool { left.rawValue < right.rawValue }

    var sql: String {
        switch self {
        case .shareRowExclusive: return "SHARE ROW EXCLUSIVE"
        case .exclusive: return "EXCLUSIVE"
        case .accessExclusive: return "ACCESS EXCLUSIVE"
        }
    }
}

/// One strong lock on a relation that existed before the migration.
struct RelationLock: Sendable {
    /// Table name, or a description when the statement does not name the table ("the table of index i").
    var relation: String
    var mode: LockMode
    /// Held while the statement scans or rewrites the table: the time grows with its size.
    var scans: Bool
    /// Why a relation the statement does not target is locked ("referenced by a foreign key").
    var via: String? = nil

    /// `leads`, or `leads (referenced by a foreign key)`.
    var described: String { via.map { "\(relation) (\($0))" } ?? relation }
}

extension SQLStatement {
    /// Strong locks on relations that existed before this migration (objects created earlier in
    /// the same up section are nobody else's yet). `facts` tell whether a type change or a
    /// SET NOT NULL needs a scan.
    func strongLocks(created: CreatedObjects, facts: SchemaFacts) -> [RelationLock] {
        let isExisting = { (name: String) in !created.isNewTable(name) }
        var locks: [RelationLock] = []
        func lock(_ name: String?, _ mode: LockMode, scans: Bool = false, via: String? = nil) {
            guard let name, isExisting(name) else { return }
            locks.append(RelationLock(relation: name, mode: mode, scans: scans, via: via))
        }
        switch kind {
        case "AlterTableStmt" where node["objtype"].isString("OBJECT_TABLE"):
            for (command, subtype) in zip(alterCommands, alterSubtypes) {
                let subtype = subtype ?? ""
                let (mode, scans) = Self.alterLock(command, subtype: subtype, table: targetTable ?? "", facts: facts)
                if let mode { lock(targetTable, mode, scans: scans) }
                // A foreign key also locks the referenced table against writes (SHARE ROW EXCLUSIVE).
                for referenced in Self.referencedTables(command, subtype: subtype) where referenced != targetTable {
                    lock(referenced, .shareRowExclusive, via: "referenced by a foreign key")
                }
                if subtype == "AT_AttachPartition" {
                    // The attached table is scanned to check its rows against the partition bound.
                    lock(command["def"]["PartitionCmd"]["name"]["relname"].string, .accessExclusive, scans: true,
                         via: "the partition being attached")
                }
            }
        case "CreateStmt":
            let table = targetTable
            // Foreign keys of a new table lock each existing referenced table (squawk misses it).
            func lockReferenced(by constraint: JSONValue) {
                guard constraint["contype"].isString("CONSTR_FOREIGN") else { return }
                let referenced = constraint["pktable"]["relname"].string
                if referenced != table { lock(referenced, .shareRowExclusive, via: "referenced by a foreign key") }
            }
            for element in node["tableElts"].array {
                lockReferenced(by: element["Constraint"])
                for constraint in element["ColumnDef"]["constraints"].array { lockReferenced(by: constraint["Constraint"]) }
            }
            if node["partbound"].exists {
                lock(node["inhRelations"][0]["RangeVar"]["relname"].string, .accessExclusive, via: "parent of the new partition")
            }
        case "CreateTrigStmt":
            lock(targetTable, .shareRowExclusive)
        case "RenameStmt" where node["renameType"].string != "OBJECT_INDEX":
            // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12; the rest ACCESS EXCLUSIVE.
            lock(targetTable, .accessExclusive)
        case "AlterObjectSchemaStmt" where node["objectType"].isString("OBJECT_TABLE"),
             "CreateRuleStmt":
            lock(targetTable, .accessExclusive)
        case "CreatePolicyStmt", "AlterPolicyStmt":
            lock(node["table"]["relname"].string, .accessExclusive)
        case "DropStmt":
            locks += dropLocks(created: created)
        case "TruncateStmt":
            for relation in node["relations"].array { lock(relation["RangeVar"]["relname"].string, .accessExclusive) }
        case "LockStmt":
            guard let mode = LockMode(rawValue: node["mode"].int ?? 0) else { break }
            for relation in node["relations"].array { lock(relation["RangeVar"]["relname"].string, mode) }
        case "VacuumStmt" where node["options"].array.contains { $0["DefElem"]["defname"].isString("full") }:
            let relations = node["rels"].array.compactMap { $0["VacuumRelation"]["relation"]["relname"].string }
            if relations.isEmpty { lock("every table of the database", .accessExclusive, scans: true) }
            for relation in relations { lock(relation, .accessExclusive, scans: true) }
        case "ClusterStmt":
            lock(targetTable ?? "every clustered table of the database", .accessExclusive, scans: true)
        case "ReindexStmt" where concurrentOperation == nil:
            // REINDEX takes ACCESS EXCLUSIVE on the index(es) rebuilt: queries planning to use them wait.
            if node["kind"].isString("REINDEX_OBJECT_INDEX") {
                if let index = targetTable, !created.isNewIndex(index) {
                    locks.append(RelationLock(relation: "index \(index)", mode: .accessExclusive, scans: true))
                }
            } else {
                lock(targetTable ?? node["name"].string.map { "every index of \($0)" }, .accessExclusive, scans: true)
            }
        case "RefreshMatViewStmt" where !node["concurrent"].bool:
            lock(targetTable, .accessExclusive, scans: true)
        default:
            break
        }
        return locks
    }

    private func dropLocks(created: CreatedObjects) -> [RelationLock] {
        let names = node["objects"].array.map { object in
            object["List"]["items"].array.compactMap { $0["String"]["sval"].string }
        }
        switch dropObjectType {
        case "TABLE", "VIEW", "MATERIALIZED_VIEW":
            return names.compactMap(\.last).filter { !created.isNewTable($0) }
                .map { RelationLock(relation: $0, mode: .accessExclusive, scans: false) }
        case "INDEX" where !node["concurrent"].bool:
            // The lock is on the index's table, which the statement does not name.
            return names.compactMap(\.last).filter { !created.isNewIndex($0) }
                .map { RelationLock(relation: "the table of index \($0)", mode: .accessExclusive, scans: false) }
        case "TRIGGER", "POLICY", "RULE":
            // `DROP TRIGGER t ON table`: the table is the second-to-last name part.
            return names.compactMap { $0.dropLast().last }.filter { !created.isNewTable($0) }
                .map { RelationLock(relation: $0, mode: .accessExclusive, scans: false) }
        default:
            return []
        }
    }

    /// Tables a command's foreign keys reference (`ADD CONSTRAINT … FOREIGN KEY`, `ADD COLUMN … REFERENCES`).
    /// `subtype` is the command's (`SQLStatement.alterSubtypes`, decoded once).
    static func referencedTables(_ command: JSONValue, subtype: String) -> [String] {
        let constraints: [JSONValue]
        switch subtype {
        case "AT_AddConstraint": constraints = [command["def"]["Constraint"]]
        case "AT_AddColumn": constraints = command["def"]["ColumnDef"]["constraints"].array.map { $0["Constraint"] }
        default: return []
        }
        return constraints.filter { $0["contype"].isString("CONSTR_FOREIGN") }.compactMap { $0["pktable"]["relname"].string }
    }

    /// The lock one ALTER TABLE command takes on its own table (nil when weaker than SHARE ROW
    /// EXCLUSIVE) and whether it scans or rewrites the table while holding it.
    static func alterLock(_ command: JSONValue, subtype: String, table: String, facts: SchemaFacts) -> (LockMode?, Bool) {
        switch subtype {
        case "AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_SetRelOptions", "AT_ResetRelOptions",
             "AT_ClusterOn", "AT_DropCluster", "AT_ValidateConstraint", "AT_AttachPartition",
             "AT_DetachPartitionFinalize":
            return (nil, false)  // SHARE UPDATE EXCLUSIVE: reads and writes go on.
        case "AT_DetachPartition":
            return command["def"]["PartitionCmd"]["concurrent"].bool ? (nil, false) : (.accessExclusive, false)
        case "AT_AddConstraint":
            let constraint = command["def"]["Constraint"]
            let validated = !constraint["skip_validation"].bool
            switch constraint["contype"].string {
            case "CONSTR_FOREIGN": return (.shareRowExclusive, validated)
            case "CONSTR_CHECK": return (.accessExclusive, validated)
            case "CONSTR_UNIQUE", "CONSTR_PRIMARY", "CONSTR_EXCLUSION":
                return (.accessExclusive, !constraint["indexname"].exists)
            default: return (.accessExclusive, false)
            }
        case "AT_AddColumn":
            return (.accessExclusive, addColumnRewrites(command["def"]["ColumnDef"]) != nil || addColumnScans(command["def"]["ColumnDef"]))
        case "AT_AlterColumnType":
            let column = command["name"].string ?? ""
            guard let new = ColumnType(command["def"]["ColumnDef"]["typeName"]) else { return (.accessExclusive, true) }
            return (.accessExclusive, !typeChangeIsFree(command, from: facts.type(of: column, in: table), to: new))
        case "AT_SetNotNull":
            return (.accessExclusive, !facts.hasValidatedNotNullCheck(command["name"].string ?? "", in: table))
        case "AT_SetTableSpace", "AT_SetLogged", "AT_SetUnLogged", "AT_SetAccessMethod":
            return (.accessExclusive, true)
        case let trigger where trigger.hasPrefix("AT_EnableTrig") || trigger.hasPrefix("AT_DisableTrig")
            || trigger.hasPrefix("AT_EnableAlwaysTrig") || trigger.hasPrefix("AT_EnableReplicaTrig"):
            return (.shareRowExclusive, false)
        default:
            return (.accessExclusive, false)
        }
    }

    /// A type change with no USING and no COLLATE whose old type is known and widens for free.
    static func typeChangeIsFree(_ command: JSONValue, from old: ColumnType?, to new: ColumnType) -> Bool {
        let column = command["def"]["ColumnDef"]
        guard !column["raw_default"].exists, !column["collClause"].exists, let old else { return false }
        return old.changesWithoutRewrite(to: new)
    }

    private static let serialTypes: Set<String> = ["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]

    /// Why adding this column rewrites the table, or nil when it does not (PostgreSQL 11+).
    static func addColumnRewrites(_ column: JSONValue) -> String? {
        let types = column.columnConstraintTypes
        if serialTypes.contains(column.columnTypeName ?? "") { return "a \(column.columnTypeName ?? "serial") column" }
        if types.contains("CONSTR_IDENTITY") { return "an identity column" }
        if types.contains("CONSTR_GENERATED") { return "a stored generated column" }
        if let expression = DefaultVolatility.defaultExpression(of: column),
           let function = DefaultVolatility.volatileFunction(in: expression) {
            return "a volatile default (\(function)())"
        }
        return nil
    }

    /// Column constraints checked or indexed against every existing row (CHECK, REFERENCES, UNIQUE, PRIMARY KEY).
    static func addColumnScans(_ column: JSONValue) -> Bool {
        column.columnConstraintTypes.contains { ["CONSTR_CHECK", "CONSTR_FOREIGN", "CONSTR_UNIQUE", "CONSTR_PRIMARY"].contains($0) }
    }
}
