import Foundation

/// Cheap questions rules ask of every statement before looking closer: answered from what
/// `SQLStatement` already holds, without reading the parse tree or building arrays.
extension SQLStatement {
    /// True when one of the `ALTER TABLE` commands has this subtype (`AT_SetNotNull`...): a test
    /// to run before `alterCommands(_:)`, which builds an array.
    func hasAlterCommand(_ subtype: String) -> Bool {
        alterSubtypes.contains { $0 == subtype }
    }
}

extension TransactionBlocks {
    /// The blocks of `split`, as ranges of positions in `statements`: for rules that look into the
    /// blocks of many files without copying them.
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
    /// `COMMIT`, `ROLLBACK`, `PREPARE TRANSACTION`, with or without `AND CHAIN`: where `split` ends a block.
    fileprivate var closesTransactionBlock: Bool {
        guard kind == "TransactionStmt" else { return false }
        let transactionKind = node["kind"]
        return transactionKind.isString("TRANS_STMT_COMMIT") || transactionKind.isString("TRANS_STMT_ROLLBACK")
            || transactionKind.isString("TRANS_STMT_PREPARE")
    }
}

extension MigrationAnalysis {
    /// The up statements of several kinds, in `upStatements` order: for rules that look at a few
    /// kinds, so they skip the other statements without visiting them.
    func upStatements(kinds: [String]) -> [(file: FileAnalysis, statement: SQLStatement)] {
        var wanted = [Bool](repeating: false, count: upStatements.count)
        for kind in kinds {
            for position in upStatementPositions(kind: kind) { wanted[position] = true }
        }
        return upStatements.indices.compactMap { wanted[$0] ? upStatements[$0] : nil }
    }
}

// MARK: - Facts several rules share

/// Something several rules derive from the same statements (the renames of existing objects, the
/// columns added to existing tables...): computed once per analysis, by the first rule that asks,
/// instead of once per rule. Reading the parse trees is most of a rule's cost, so this is where
/// sharing pays.
protocol SharedFact {
    associatedtype Value: Sendable
    static func compute(_ analysis: MigrationAnalysis) -> Value
}

extension MigrationAnalysis {
    /// `Fact`'s value for this analysis: computed on the first call; rules asking at the same time
    /// (they run concurrently) wait for that computation instead of repeating it.
    func shared<Fact: SharedFact>(_ fact: Fact.Type) -> Fact.Value {
        sharedFacts.value(of: fact, in: self)
    }
}

/// The storage behind `MigrationAnalysis.shared(_:)`: one slot per fact type, each with its own lock,
/// so two different facts are computed side by side.
final class SharedFacts: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ObjectIdentifier: AnyObject] = [:]

    private final class Slot<Value> {
        let lock = NSLock()
        var value: Value?
    }

    func value<Fact: SharedFact>(of fact: Fact.Type, in analysis: MigrationAnalysis) -> Fact.Value {
        lock.lock()
        let slot: Slot<Fact.Value>
        if let existing = slots[ObjectIdentifier(fact)] as? Slot<Fact.Value> {
            slot = existing
        } else {
            slot = Slot()
            slots[ObjectIdentifier(fact)] = slot
        }
        lock.unlock()
        slot.lock.lock()
        defer { slot.lock.unlock() }
        if let value = slot.value { return value }
        let value = Fact.compute(analysis)
        slot.value = value
        return value
    }
}

/// An `ALTER TABLE … ADD COLUMN` of an up section on a table that existed before the migration,
/// read once for the rules about added columns.
struct AddedColumn: Sendable {
    let statement: SQLStatement
    /// The statement's `targetTable`.
    let table: String
    /// The `ColumnDef` body.
    let definition: JSONValue
    /// `colname`.
    let name: String?
    /// `columnConstraintTypes` of the definition: `CONSTR_NOTNULL`, `CONSTR_DEFAULT`...
    let constraintTypes: [String]
    /// `columnTypeName` of the definition (`int4`, `serial`...).
    let typeName: String?
    /// The DEFAULT expression (`DefaultVolatility.defaultExpression(of:)`).
    let defaultExpression: JSONValue?
}

/// The `AddedColumn`s of the up sections, in `upStatements` order, then command order.
enum AddedColumns: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> [AddedColumn] {
        var columns: [AddedColumn] = []
        for (_, statement) in analysis.upStatements(kind: "AlterTableStmt") {
            guard statement.targetExistedBefore, statement.hasAlterCommand("AT_AddColumn"),
                  let table = statement.targetTable else { continue }
            for command in statement.alterCommands("AT_AddColumn") {
                let definition = command["def"]["ColumnDef"]
                let constraints = definition["constraints"].array.map { $0["Constraint"] }
                var types: [String] = []
                var defaultExpression: JSONValue?
                for constraint in constraints {
                    let type = constraint["contype"]
                    if let type = type.string { types.append(type) }
                    if defaultExpression == nil, type.isString("CONSTR_DEFAULT") { defaultExpression = constraint["raw_expr"] }
                }
                columns.append(AddedColumn(statement: statement, table: table, definition: definition,
                                           name: definition["colname"].string, constraintTypes: types,
                                           typeName: definition.columnTypeName, defaultExpression: defaultExpression))
            }
        }
        return columns
    }
}

/// An `ALTER TABLE … ADD CONSTRAINT` of an up section on a table that existed before the migration,
/// read once for the rules about added constraints.
struct AddedConstraint: Sendable {
    let statement: SQLStatement
    /// The statement's `targetTable`.
    let table: String
    /// `contype`: `CONSTR_FOREIGN`, `CONSTR_CHECK`, `CONSTR_UNIQUE`...
    let type: String?
    /// `conname`.
    let name: String?
    /// `NOT VALID` (`skip_validation`).
    let notValid: Bool
    /// `USING INDEX` (an `indexname`).
    let usesExistingIndex: Bool
}

/// The `AddedConstraint`s of the up sections, in `upStatements` order, then command order.
enum AddedConstraints: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> [AddedConstraint] {
        var constraints: [AddedConstraint] = []
        for (_, statement) in analysis.upStatements(kind: "AlterTableStmt") {
            guard statement.targetExistedBefore, statement.hasAlterCommand("AT_AddConstraint"),
                  let table = statement.targetTable else { continue }
            for command in statement.alterCommands("AT_AddConstraint") {
                let constraint = command["def"]["Constraint"]
                constraints.append(AddedConstraint(statement: statement, table: table, type: constraint["contype"].string,
                                                   name: constraint["conname"].string, notValid: constraint["skip_validation"].bool,
                                                   usesExistingIndex: constraint["indexname"].exists))
            }
        }
        return constraints
    }
}
