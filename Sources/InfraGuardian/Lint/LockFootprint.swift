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

    /// For `DROP INDEX`: the index whose table this is.
    var droppedIndex: String? = nil
    /// For `DROP INDEX`: the migrations created the index, so `relation` is its real table.
    var tableKnown = true
    /// The transaction already holds this mode or a stronger one on the relation: no new wait.
    var alreadyHeld = false

    /// `leads`, or `leads (referenced by a foreign key)`.
    var described: String { via.map { "\(relation) (\($0))" } ?? relation }
}

extension SQLStatement {
    /// Strong locks on relations that existed before this migration (objects created earlier in
    /// the same up section are nobody else's yet). `facts` tell whether a type change or a
    /// SET NOT NULL needs a scan.
    func strongLocks(created: FileObjects, facts: SchemaFacts) -> [RelationLock] {
        let isExisting = { (name: String) in !created.isNew(name) }
        var locks: [RelationLock] = []
        func lock(_ name: String?, _ mode: LockMode, scans: Bool = false, via: String? = nil) {
            guard let name, isExisting(name) else { return }
            locks.append(RelationLock(relation: name, mode: mode, scans: scans, via: via))
        }
        switch kind {
        case .alterTableStmt where node[.objtype].equals(PG.ObjectType.table):
            for (command, subtype) in zip(alterCommands, alterSubtypes) {
                guard let subtype else { lock(targetTable, .accessExclusive); continue }
                let (mode, scans) = Self.alterLock(command, subtype: subtype, table: targetTable ?? "", facts: facts)
                if let mode { lock(targetTable, mode, scans: scans) }
                // A foreign key also locks the referenced table against writes (SHARE ROW EXCLUSIVE).
                for referenced in Self.referencedTables(command, subtype: subtype) where referenced != targetTable {
                    lock(referenced, .shareRowExclusive, via: "referenced by a foreign key")
                }
                if subtype == .attachPartition {
                    // The attached table is scanned to check its rows against the partition bound.
                    lock(command[.def].node(.partitionCmd)[.name][.relname].string, .accessExclusive, scans: true,
                         via: "the partition being attached")
                }
            }
        case .createStmt:
            let table = targetTable
            // Foreign keys of a new table lock each existing referenced table (squawk misses it).
            func lockReferenced(by constraint: JSONValue) {
                guard constraint[.contype].equals(PG.ConstrType.foreign) else { return }
                let referenced = constraint[.pktable][.relname].string
                if referenced != table { lock(referenced, .shareRowExclusive, via: "referenced by a foreign key") }
            }
            for element in node[.tableElts].array {
                lockReferenced(by: element.node(.constraint))
                for constraint in element.node(.columnDef)[.constraints].array { lockReferenced(by: constraint.node(.constraint)) }
            }
            if node[.partbound].exists {
                lock(node[.inhRelations][0].node(.rangeVar)[.relname].string, .accessExclusive, via: "parent of the new partition")
            }
        case .createTrigStmt:
            lock(targetTable, .shareRowExclusive)
        case .renameStmt where !node[.renameType].equals(PG.ObjectType.index):
            // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12; the rest ACCESS EXCLUSIVE.
            lock(targetTable, .accessExclusive)
        case .alterObjectSchemaStmt where node[.objectType].equals(PG.ObjectType.table),
             .ruleStmt:
            lock(targetTable, .accessExclusive)
        case .createPolicyStmt, .alterPolicyStmt:
            lock(node[.table][.relname].string, .accessExclusive)
        case .dropStmt:
            locks += dropLocks(created: created, facts: facts)
        case .truncateStmt:
            for relation in node[.relations].array { lock(relation.node(.rangeVar)[.relname].string, .accessExclusive) }
        case .lockStmt:
            guard let mode = LockMode(rawValue: node[.mode].int ?? 0) else { break }
            for relation in node[.relations].array { lock(relation.node(.rangeVar)[.relname].string, mode) }
        case .vacuumStmt where node[.options].containsOption(.full):
            let relations = node[.rels].array.compactMap { $0.node(.vacuumRelation)[.relation][.relname].string }
            if relations.isEmpty { lock("every table of the database", .accessExclusive, scans: true) }
            for relation in relations { lock(relation, .accessExclusive, scans: true) }
        case .clusterStmt:
            lock(targetTable ?? "every clustered table of the database", .accessExclusive, scans: true)
        case .reindexStmt where concurrentOperation == nil:
            // REINDEX takes ACCESS EXCLUSIVE on the index(es) rebuilt: queries planning to use them wait.
            if node[.kind].equals(PG.ReindexObjectType.index) {
                if let index = targetTable, !created.isNewIndex(index) {
                    locks.append(RelationLock(relation: "index \(index)", mode: .accessExclusive, scans: true))
                }
            } else {
                lock(targetTable ?? node[.name].string.map { "every index of \($0)" }, .accessExclusive, scans: true)
            }
        case .refreshMatViewStmt where !node[.concurrent].bool:
            lock(targetTable, .accessExclusive, scans: true)
        default:
            break
        }
        return locks
    }

    private func dropLocks(created: FileObjects, facts: SchemaFacts) -> [RelationLock] {
        let names = node[.objects].array.map { object in
            object.node(.list)[.items].array.compactMap { $0.node(.string)[.sval].string }
        }
        switch dropObjectType {
        case .table, .view, .matview:
            return names.compactMap(\.last).filter { !created.isNew($0) }
                .map { RelationLock(relation: $0, mode: .accessExclusive, scans: false) }
        case .index where !node[.concurrent].bool:
            // The lock is on the index's table, which the statement does not name: the migrations say
            // which table when they created the index.
            return names.compactMap(\.last).filter { !created.isNewIndex($0) }.compactMap { index in
                guard let table = facts.indexTables[index] else {
                    return RelationLock(relation: "the table of \(index)", mode: .accessExclusive, scans: false,
                                        via: "an index not created in these migrations", droppedIndex: index, tableKnown: false)
                }
                return created.isNew(table) ? nil : RelationLock(relation: table, mode: .accessExclusive, scans: false,
                                                                 via: "the table of index \(index)", droppedIndex: index)
            }
        case .trigger, .policy, .rule:
            // `DROP TRIGGER t ON table`: the table is the second-to-last name part.
            return names.compactMap { $0.dropLast().last }.filter { !created.isNew($0) }
                .map { RelationLock(relation: $0, mode: .accessExclusive, scans: false) }
        default:
            return []
        }
    }

    /// Tables a command's foreign keys reference (`ADD CONSTRAINT … FOREIGN KEY`, `ADD COLUMN … REFERENCES`).
    /// `subtype` is the command's (`SQLStatement.alterSubtypes`, decoded once).
    static func referencedTables(_ command: JSONValue, subtype: PG.AlterTableType) -> [String] {
        let constraints: [JSONValue]
        switch subtype {
        case .addConstraint: constraints = [command[.def].node(.constraint)]
        case .addColumn: constraints = command[.def].node(.columnDef)[.constraints].array.map { $0.node(.constraint) }
        default: return []
        }
        return constraints.filter { $0[.contype].equals(PG.ConstrType.foreign) }.compactMap { $0[.pktable][.relname].string }
    }

    /// The lock one ALTER TABLE command takes on its own table (nil when weaker than SHARE ROW
    /// EXCLUSIVE) and whether it scans or rewrites the table while holding it.
    static func alterLock(_ command: JSONValue, subtype: PG.AlterTableType, table: String, facts: SchemaFacts) -> (LockMode?, Bool) {
        switch subtype {
        case .setStatistics, .setOptions, .resetOptions, .setRelOptions, .resetRelOptions,
             .clusterOn, .dropCluster, .validateConstraint, .attachPartition,
             .detachPartitionFinalize:
            return (nil, false)  // SHARE UPDATE EXCLUSIVE: reads and writes go on.
        case .detachPartition:
            return command[.def].node(.partitionCmd)[.concurrent].bool ? (nil, false) : (.accessExclusive, false)
        case .addConstraint:
            let constraint = command[.def].node(.constraint)
            let validated = !constraint[.skipValidation].bool
            switch constraint[.contype].decoded(PG.ConstrType.self) {
            case .foreign: return (.shareRowExclusive, validated)
            case .check: return (.accessExclusive, validated)
            case .unique, .primary, .exclusion:
                return (.accessExclusive, !constraint[.indexname].exists)
            default: return (.accessExclusive, false)
            }
        case .addColumn:
            return (.accessExclusive, addColumnRewrites(command[.def].node(.columnDef)) != nil || addColumnScans(command[.def].node(.columnDef)))
        case .alterColumnType:
            let column = command[.name].string ?? ""
            guard let new = ColumnType(command[.def].node(.columnDef)[.typeName]) else { return (.accessExclusive, true) }
            return (.accessExclusive, !typeChangeIsFree(command, from: facts.type(of: column, in: table), to: new))
        case .setNotNull:
            return (.accessExclusive, !facts.hasValidatedNotNullCheck(command[.name].string ?? "", in: table))
        case .setTableSpace, .setLogged, .setUnLogged, .setAccessMethod:
            return (.accessExclusive, true)
        case .enableTrig, .enableAlwaysTrig, .enableReplicaTrig, .disableTrig,
             .enableTrigAll, .disableTrigAll, .enableTrigUser, .disableTrigUser:
            return (.shareRowExclusive, false)
        default:
            return (.accessExclusive, false)
        }
    }

    /// A type change with no USING and no COLLATE whose old type is known and widens for free.
    static func typeChangeIsFree(_ command: JSONValue, from old: ColumnType?, to new: ColumnType) -> Bool {
        let column = command[.def].node(.columnDef)
        guard !column[.rawDefault].exists, !column[.collClause].exists, let old else { return false }
        return old.changesWithoutRewrite(to: new)
    }

    private static let serialTypes: Set<String> = ["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]

    /// Why adding this column rewrites the table, or nil when it does not (PostgreSQL 11+).
    static func addColumnRewrites(_ column: JSONValue) -> String? {
        let types = column.columnConstraintTypes
        if serialTypes.contains(column.columnTypeName ?? "") { return "a \(column.columnTypeName ?? "serial") column" }
        if types.contains(.identity) { return "an identity column" }
        if types.contains(.generated) { return "a stored generated column" }
        if let expression = DefaultVolatility.defaultExpression(of: column),
           let function = DefaultVolatility.volatileFunction(in: expression) {
            return "a volatile default (\(function)())"
        }
        return nil
    }

    /// Column constraints checked or indexed against every existing row (CHECK, REFERENCES, UNIQUE, PRIMARY KEY).
    static func addColumnScans(_ column: JSONValue) -> Bool {
        column.columnConstraintTypes.contains { [.check, .foreign, .unique, .primary].contains($0) }
    }
}
