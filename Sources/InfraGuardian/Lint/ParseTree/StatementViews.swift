/// Typed views of the statements most rules read: `statement.createIndex?.isConcurrent`,
/// `statement.alterTable?.commands`, `statement.drop?.objectType`. Each is a `JSONValue` (which
/// keeps its document alive) read through the generated names; nil for other kinds of statement.
extension SQLStatement {
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON table …`.
    public var createIndex: IndexStatement? { kind == .indexStmt ? IndexStatement(body: node) : nil }

    /// `ALTER TABLE table command, …`, its commands decoded once.
    public var alterTable: AlterTableStatement? {
        kind == .alterTableStmt ? AlterTableStatement(commands: zip(alterCommands, alterSubtypes).map(AlterTableCommand.init)) : nil
    }

    /// `DROP type [CONCURRENTLY] [IF EXISTS] name, … [CASCADE]`.
    public var drop: DropStatement? { kind == .dropStmt ? DropStatement(body: node) : nil }
}

public struct IndexStatement: Sendable {
    let body: JSONValue
    public var name: String? { body[.idxname].string }
    public var table: String? { body[.relation][.relname].string }
    public var isConcurrent: Bool { body[.concurrent].bool }
    public var isUnique: Bool { body[.unique].bool }
    public var ifNotExists: Bool { body[.ifNotExists].bool }
}

public struct AlterTableStatement: Sendable {
    public let commands: [AlterTableCommand]

    /// The commands of one subtype, in order.
    public func commands(_ subtype: PG.AlterTableType) -> [AlterTableCommand] { commands.filter { $0.subtype == subtype } }
}

public struct AlterTableCommand: Sendable {
    /// The `AlterTableCmd` body.
    public let body: JSONValue
    public let subtype: PG.AlterTableType?

    /// The column or constraint the command names (`DROP COLUMN x`, `DROP CONSTRAINT c`, `SET NOT NULL` of `x`).
    public var name: String? { body[.name].string }
    public var cascades: Bool { body[.behavior].equals(PG.DropBehavior.cascade) }
    /// `IF EXISTS` of a DROP, `IF NOT EXISTS` of an ADD.
    public var missingOk: Bool { body[.missingOk].bool }
    /// The new column of `ADD COLUMN` / the column definition of `ALTER COLUMN TYPE`.
    public var column: JSONValue { body[.def].node(.columnDef) }
    /// The constraint of `ADD CONSTRAINT`.
    public var constraint: ConstraintNode { ConstraintNode(body: body[.def].node(.constraint)) }
}

public struct ConstraintNode: Sendable {
    let body: JSONValue
    public var exists: Bool { body.exists }
    public var type: PG.ConstrType? { body[.contype].decoded(PG.ConstrType.self) }
    public var name: String? { body[.conname].string }
    /// `NOT VALID`.
    public var skipsValidation: Bool { body[.skipValidation].bool }
    /// `USING INDEX name`.
    public var usesExistingIndex: Bool { body[.indexname].exists }
}

public struct DropStatement: Sendable {
    let body: JSONValue
    public var objectType: PG.ObjectType? { body[.removeType].decoded(PG.ObjectType.self) }
    public var isConcurrent: Bool { body[.concurrent].bool }
    public var missingOk: Bool { body[.missingOk].bool }
    public var cascades: Bool { body[.behavior].equals(PG.DropBehavior.cascade) }
}
