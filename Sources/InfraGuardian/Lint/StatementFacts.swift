import Foundation
import Synchronization

/// Cheap questions rules ask of every statement before looking closer: answered from what
/// `SQLStatement` already holds, without reading the parse tree or building arrays.
extension SQLStatement {
    /// True when one of the `ALTER TABLE` commands has this subtype (`AT_SetNotNull`...): a test
    /// to run before `alterCommands(_:)`, which builds an array.
    func hasAlterCommand(_ subtype: PG.AlterTableType) -> Bool {
        alterSubtypes.contains { $0 == subtype }
    }
}

extension MigrationAnalysis {
    /// Each `subtype` command (`AT_SetNotNull`...) of the up ALTER TABLEs on tables that existed
    /// before, with its statement, table and the statement's locks record: the replay is waited
    /// for only when there is such a command.
    func alterCommandsOnExistingTables(_ subtype: PG.AlterTableType)
        -> [(statement: SQLStatement, table: String, locks: StatementLocks, command: JSONValue)] {
        let candidates = upStatementPositions(withAlterCommand: subtype).filter { position in
            upStatements[position].statement.targetExistedBefore
        }
        guard !candidates.isEmpty else { return [] }
        let statementLocks = self.statementLocks
        return candidates.flatMap { position in
            let statement = upStatements[position].statement
            let table = statement.targetTable ?? "?"
            return statement.alterCommands(subtype).map { (statement, table, statementLocks[position], $0) }
        }
    }

    /// The up statements of several kinds, in `upStatements` order: for rules that look at a few
    /// kinds, so they skip the other statements without visiting them.
    func upStatements(kinds: [PG.NodeKind]) -> [(file: FileAnalysis, statement: SQLStatement)] {
        upStatements(atAnyOf: kinds.map { upStatementPositions(kind: $0) })
    }

    /// Positions in `upStatements` (and `statementLocks`) of the up ALTER TABLEs with at least one
    /// command of `subtype` (`AT_SetNotNull`...), in order: the few a rule about that command reads.
    func upStatementPositions(withAlterCommand subtype: PG.AlterTableType) -> [Int] {
        shared(AlterCommandIndex.self)[subtype] ?? []
    }

    /// The up ALTER TABLEs with at least one command of one of `subtypes`, in `upStatements` order.
    func upStatements(withAlterCommands subtypes: [PG.AlterTableType]) -> [(file: FileAnalysis, statement: SQLStatement)] {
        upStatements(atAnyOf: subtypes.map(upStatementPositions(withAlterCommand:)))
    }

    /// The up statements at the positions of any of the lists (each in order), in `upStatements` order.
    func upStatements(atAnyOf positionLists: [[Int]]) -> [(file: FileAnalysis, statement: SQLStatement)] {
        if positionLists.count == 1 { return positionLists[0].map { upStatements[$0] } }
        var wanted = [Bool](repeating: false, count: upStatements.count)
        for positions in positionLists {
            for position in positions { wanted[position] = true }
        }
        return upStatements.indices.compactMap { wanted[$0] ? upStatements[$0] : nil }
    }
}

/// Subtype of ALTER TABLE command → positions in `upStatements` of the up ALTER TABLEs that have
/// one: read once, so the rules about one command skip the ALTER TABLEs without it unvisited.
enum AlterCommandIndex: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> [PG.AlterTableType: [Int]] {
        var positions: [PG.AlterTableType: [Int]] = [:]
        for position in analysis.upStatementPositions(kind: .alterTableStmt) {
            let subtypes = analysis.upStatements[position].statement.alterSubtypes
            for (offset, subtype) in subtypes.enumerated() {
                // Each statement once per subtype, even with two commands of it.
                guard let subtype, !subtypes[..<offset].contains(subtype) else { continue }
                positions[subtype, default: []].append(position)
            }
        }
        return positions
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
final class SharedFacts: Sendable {
    private let slots = Mutex<[ObjectIdentifier: any Sendable]>([:])

    /// One fact's value; its lock is held while it is computed, so a second asker waits for it.
    private final class Slot<Value: Sendable>: Sendable {
        let value = Mutex<Value?>(nil)
    }

    func value<Fact: SharedFact>(of fact: Fact.Type, in analysis: MigrationAnalysis) -> Fact.Value {
        let slot = slots.withLock { slots in
            if let existing = slots[ObjectIdentifier(fact)] as? Slot<Fact.Value> { return existing }
            let created = Slot<Fact.Value>()
            slots[ObjectIdentifier(fact)] = created
            return created
        }
        return slot.value.withLock { value in
            if let value { return value }
            let computed = Fact.compute(analysis)
            value = computed
            return computed
        }
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
    let constraintTypes: [PG.ConstrType]
    /// `columnTypeName` of the definition (`int4`, `serial`...).
    let typeName: String?
    /// The DEFAULT expression (`DefaultVolatility.defaultExpression(of:)`).
    let defaultExpression: JSONValue?
}

/// The `AddedColumn`s of the up sections, in `upStatements` order, then command order.
enum AddedColumns: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> [AddedColumn] {
        var columns: [AddedColumn] = []
        for (_, statement) in analysis.upStatements(withAlterCommands: [.addColumn]) {
            guard statement.targetExistedBefore, let table = statement.targetTable else { continue }
            for command in statement.alterCommands(.addColumn) {
                let definition = command[.def].node(.columnDef)
                let constraints = definition[.constraints].array.map { $0.node(.constraint) }
                var types: [PG.ConstrType] = []
                var defaultExpression: JSONValue?
                for constraint in constraints {
                    let type = constraint[.contype]
                    if let type = type.decoded(PG.ConstrType.self) { types.append(type) }
                    if defaultExpression == nil, type.equals(PG.ConstrType.default) { defaultExpression = constraint[.rawExpr] }
                }
                columns.append(AddedColumn(statement: statement, table: table, definition: definition,
                                           name: definition[.colname].string, constraintTypes: types,
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
    /// `contype`: `.foreign`, `.check`, `.unique`...
    let type: PG.ConstrType?
    /// `conname`.
    let name: String?
    /// `NOT VALID` (`skip_validation`).
    let notValid: Bool
    /// `USING INDEX` (an `indexname`).
    let usesExistingIndex: Bool
    /// The `Constraint` body, for fixes written from it.
    let node: JSONValue
    /// The statement adds only this constraint (its text is the constraint's).
    let isOnlyCommand: Bool
}

/// The `AddedConstraint`s of the up sections, in `upStatements` order, then command order.
enum AddedConstraints: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> [AddedConstraint] {
        var constraints: [AddedConstraint] = []
        for (_, statement) in analysis.upStatements(withAlterCommands: [.addConstraint]) {
            guard statement.targetExistedBefore, let table = statement.targetTable else { continue }
            for command in statement.alterCommands(.addConstraint) {
                let constraint = command[.def].node(.constraint)
                constraints.append(AddedConstraint(statement: statement, table: table, type: constraint[.contype].decoded(PG.ConstrType.self),
                                                   name: constraint[.conname].string, notValid: constraint[.skipValidation].bool,
                                                   usesExistingIndex: constraint[.indexname].exists, node: constraint,
                                                   isOnlyCommand: statement.alterCommands.count == 1))
            }
        }
        return constraints
    }
}
