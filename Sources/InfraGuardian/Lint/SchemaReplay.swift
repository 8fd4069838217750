/// What the lock rules need to know about one up statement, computed once per analysis by
/// replaying the up sections in the order they are applied (see `SchemaReplay`).
struct StatementLocks: Sendable {
    /// Strong locks on relations that existed before the migration.
    var locks: [RelationLock] = []
    /// For ALTER COLUMN … TYPE: each changed column's type before the change, when the analysed
    /// migrations say it.
    var oldTypes: [String: ColumnType] = [:]
    /// For SET NOT NULL: columns a VALID `CHECK (col IS NOT NULL)` already proves (no scan, PG 12+).
    var provenNotNull: Set<String> = []

    var isEmpty: Bool { locks.isEmpty && oldTypes.isEmpty && provenNotNull.isEmpty }
}

/// One `StatementLocks` per up statement, stored sparsely: most statements (every row of a data
/// seed) take no strong lock, and their empty records are not kept.
struct StatementLocksTable: RandomAccessCollection, Sendable {
    let count: Int
    private let records: [Int: StatementLocks]

    init(count: Int, records: [Int: StatementLocks]) {
        self.count = count
        self.records = records
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> StatementLocks { records[position] ?? StatementLocks() }
}

/// Replays the up sections in the order they are applied, so lock rules can ask what the analysed
/// migrations had done before a statement: objects created earlier in the same file, column types,
/// NOT NULL checks already validated. Best effort: only what the analysed files say is known.
enum SchemaReplay {
    /// One `StatementLocks` per element of `upStatements` (same order), from a single replay:
    /// every lock rule reads it instead of replaying the whole set again.
    static func statementLocks(files: [FileAnalysis]) -> StatementLocksTable {
        var offsets: [Int] = []
        var total = 0
        for file in files {
            offsets.append(total)
            total += file.up?.statements.count ?? 0
        }
        var records: [Int: StatementLocks] = [:]
        var facts = SchemaFacts()
        for fileIndex in files.indices.sorted(by: { files[$0].position < files[$1].position }) {
            var created = FileObjects()
            let statements = files[fileIndex].up?.statements ?? []
            let failed = (files[fileIndex].up?.syntaxErrors ?? []).sorted { $0.line < $1.line }
            var failedSeen = 0
            var held = HeldLocks()
            for (index, statement) in statements.enumerated() {
                while failedSeen < failed.count, failed[failedSeen].line < statement.line {
                    if let text = failed[failedSeen].statementText { created.applyUnparsed(text) }
                    failedSeen += 1
                }
                var record = record(statement, created: created, facts: facts)
                held.mark(&record.locks, for: statement, next: statements.indices.contains(index + 1) ? statements[index + 1] : nil)
                if !record.isEmpty { records[offsets[fileIndex] + index] = record }
                facts.apply(statement)
                created.apply(kind: statement.kind, node: statement.node)
            }
        }
        return StatementLocksTable(count: total, records: records)
    }

    private static func record(_ statement: SQLStatement, created: FileObjects, facts: SchemaFacts) -> StatementLocks {
        var record = StatementLocks(locks: statement.strongLocks(created: created, facts: facts))
        guard statement.kind == .alterTableStmt, let table = statement.targetTable else { return record }
        for (command, subtype) in zip(statement.alterCommands, statement.alterSubtypes) {
            switch subtype {
            case .alterColumnType:
                let column = command[.name].string ?? ""
                if let type = facts.type(of: column, in: table) { record.oldTypes[column] = type }
            case .setNotNull:
                let column = command[.name].string ?? ""
                if facts.hasValidatedNotNullCheck(column, in: table) { record.provenNotNull.insert(column) }
            default:
                break
            }
        }
        return record
    }
}

/// The strong locks the current transaction block already holds: a statement asking again for a
/// mode it holds (or a weaker one) on the same relation waits for nobody.
struct HeldLocks {
    private var modes: [String: LockMode] = [:]

    /// Marks `locks` already held, then records them; forgets everything when the block ends after
    /// `statement` (autocommit: after every statement; a block: at its COMMIT or where the next
    /// statement runs in another transaction).
    mutating func mark(_ locks: inout [RelationLock], for statement: SQLStatement, next: SQLStatement?) {
        for index in locks.indices {
            let lock = locks[index]
            if let mode = modes[lock.relation], mode >= lock.mode { locks[index].alreadyHeld = true }
            if statement.inTransaction { modes[lock.relation] = max(modes[lock.relation] ?? lock.mode, lock.mode) }
        }
        let blockEnds = !statement.inTransaction || statement.closesTransaction
            || next.map { !$0.inTransaction || $0.transaction != statement.transaction } ?? true
        if blockEnds { modes = [:] }
    }
}

/// Column types and validated `CHECK (col IS NOT NULL)` constraints, per table.
struct SchemaFacts {
    private var columnTypes: [String: TableColumns] = [:]
    /// Columns covered by a VALID `CHECK (col IS NOT NULL)`: SET NOT NULL needs no scan (PG 12+).
    private(set) var validatedNotNull: [String: Set<String>] = [:]
    /// NOT VALID `CHECK (col IS NOT NULL)` constraints waiting for VALIDATE: table → name → column.
    private var pendingNotNull: [String: [String: String]] = [:]

    /// Index → its table, for the indexes the analysed migrations created (`DROP INDEX` names no table).
    private(set) var indexTables: [String: String] = [:]
    /// Table → the indexes `indexTables` gave it (a superset: entries are checked when read), so
    /// that dropping or renaming a table does not visit every index.
    private var indexesOn: [String: Set<String>] = [:]

    func type(of column: String, in table: String) -> ColumnType? { columnTypes[table]?.type(of: column) }

    func hasValidatedNotNullCheck(_ column: String, in table: String) -> Bool {
        validatedNotNull[table]?.contains(column) ?? false
    }

    mutating func apply(_ statement: SQLStatement) {
        let table = statement.targetTable ?? ""
        switch statement.kind {
        case .createStmt:
            let elements = statement.node[.tableElts]
            columnTypes[table] = TableColumns(created: elements)
            for element in elements.array { record(element.node(.constraint), table: table) }
        case .alterTableStmt where !table.isEmpty:
            for (command, subtype) in zip(statement.alterCommands, statement.alterSubtypes) {
                apply(command, subtype: subtype, table: table)
            }
        case .dropStmt where statement.dropObjectType == .table:
            for name in statement.droppedObjects.map(SQLStatement.unqualified) {
                columnTypes[name] = nil
                validatedNotNull[name] = nil
                for index in indexesOn.removeValue(forKey: name) ?? [] where indexTables[index] == name { indexTables[index] = nil }
            }
        case .dropStmt where statement.dropObjectType == .index:
            for name in statement.droppedObjects.map(SQLStatement.unqualified) { indexTables[name] = nil }
        case .indexStmt:
            if let index = statement.node[.idxname].string, !table.isEmpty {
                indexTables[index] = table
                indexesOn[table, default: []].insert(index)
            }
        case .renameStmt:
            rename(statement.node)
        default:
            break
        }
    }

    /// `ALTER TABLE t RENAME TO t_old` takes its columns, checks and indexes along.
    private mutating func rename(_ node: JSONValue) {
        guard let old = node[.relation][.relname].string, let new = node[.newname].string else { return }
        switch node[.renameType].decoded(PG.ObjectType.self) {
        case .table:
            columnTypes[new] = columnTypes.removeValue(forKey: old)
            validatedNotNull[new] = validatedNotNull.removeValue(forKey: old)
            pendingNotNull[new] = pendingNotNull.removeValue(forKey: old)
            for index in indexesOn.removeValue(forKey: old) ?? [] where indexTables[index] == old {
                indexTables[index] = new
                indexesOn[new, default: []].insert(index)
            }
        case .index:
            let table = indexTables.removeValue(forKey: old)
            indexTables[new] = table
            if let table { indexesOn[table, default: []].insert(new) }
        default:
            break
        }
    }

    private mutating func apply(_ command: JSONValue, subtype: PG.AlterTableType?, table: String) {
        let name = command[.name].string ?? ""
        switch subtype {
        case .addColumn, .alterColumnType:
            let column = command[.def].node(.columnDef)
            let columnName = column[.colname].string ?? name
            if let type = ColumnType(column[.typeName]) { columnTypes[table, default: TableColumns()].changed[columnName] = type }
        case .dropColumn:
            columnTypes[table]?.changed[name] = .some(nil)
            validatedNotNull[table]?.remove(name)
        case .addConstraint:
            record(command[.def].node(.constraint), table: table)
        case .validateConstraint:
            if let column = pendingNotNull[table]?.removeValue(forKey: name) {
                validatedNotNull[table, default: []].insert(column)
            }
        case .dropConstraint:
            pendingNotNull[table]?[name] = nil
        default:
            break
        }
    }

    /// A `CHECK (col IS NOT NULL)` table constraint: valid at once, or pending until VALIDATE.
    private mutating func record(_ constraint: JSONValue, table: String) {
        guard constraint[.contype].equals(PG.ConstrType.check),
              let column = constraint[.rawExpr].notNullTestColumn else { return }
        if constraint[.skipValidation].bool {
            if let name = constraint[.conname].string { pendingNotNull[table, default: [:]][name] = column }
        } else {
            validatedNotNull[table, default: []].insert(column)
        }
    }
}

/// One table's column types: those of its CREATE TABLE, read from the statement only when asked
/// (a type is asked for only by an ALTER COLUMN … TYPE; most tables never are), then the changes
/// since (nil: dropped).
private struct TableColumns {
    var created: JSONValue = .missing
    var changed: [String: ColumnType?] = [:]

    func type(of column: String) -> ColumnType? {
        if let change = changed[column] { return change }
        // As the CREATE TABLE would have been read in order: the last definition of the column
        // whose type can be read.
        var found: ColumnType?
        for element in created.array {
            let definition = element.node(.columnDef)
            guard definition[.colname].isString(column), let type = ColumnType(definition[.typeName]) else { continue }
            found = type
        }
        return found
    }
}

extension JSONValue {
    /// `col IS NOT NULL` → `col`.
    var notNullTestColumn: String? {
        let test = self.node(.nullTest)
        guard test[.nulltesttype].equals(PG.NullTestType.notNull) else { return nil }
        return test[.arg].node(.columnRef)[.fields].array.last?.node(.string)[.sval].string
    }

    /// Every node named `kind` in this subtree (a default expression's function calls...).
    func descendants(named kind: PG.NodeKind) -> [JSONValue] {
        var found: [JSONValue] = []
        collect(kind.rawValue, into: &found)
        return found
    }

    private func collect(_ kind: String, into found: inout [JSONValue]) {
        if isArray {
            for item in array { item.collect(kind, into: &found) }
        } else if isObject {
            for (key, value) in members {
                if key == kind { found.append(value) }
                value.collect(kind, into: &found)
            }
        }
    }
}

/// Consecutive statements that run in one transaction block: locks taken by one are held until
/// the block ends, while the others run.
enum TransactionBlocks {
    /// The blocks, as ranges of positions in `statements`: for rules that look into the blocks of
    /// many files without copying them.
    static func ranges(_ statements: [SQLStatement]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (position, statement) in statements.enumerated() {
            if position > start {
                let last = statements[position - 1]
                if !last.inTransaction || last.transaction != statement.transaction {
                    ranges.append(start..<position)
                    start = position
                }
            }
            if statement.closesTransactionBlock {
                ranges.append(start..<(position + 1))
                start = position + 1
            }
        }
        if start < statements.count { ranges.append(start..<statements.count) }
        return ranges
    }
}

extension SQLStatement {
    /// `COMMIT`, `ROLLBACK`, `PREPARE TRANSACTION`, with or without `AND CHAIN`: where a block ends.
    fileprivate var closesTransactionBlock: Bool {
        guard kind == .transactionStmt else { return false }
        let transactionKind = node[.kind]
        return transactionKind.equals(PG.TransactionStmtKind.commit) || transactionKind.equals(PG.TransactionStmtKind.rollback)
            || transactionKind.equals(PG.TransactionStmtKind.prepare)
    }
}
