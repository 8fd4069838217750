/// Which part of a migration a statement belongs to. Only `up` is the change under review; `down`
/// is parsed for validity.
public enum SectionRole: String, Sendable {
    case up
    case down
}

/// One parsed statement with its position in the file and the state the file is in when it runs.
public struct SQLStatement: Sendable {
    /// The parse-tree node name: `CreateStmt`, `IndexStmt`, `AlterTableStmt`, `DropStmt`...
    public var kind: String
    /// The node's body: `node["relation"]["relname"].string`, `node["concurrent"].bool`...
    public var node: JSONValue
    /// The statement's source text, without surrounding comments or the final semicolon.
    public var text: String
    public var file: String
    public var section: SectionRole
    /// Position of the statement's first token in the file (1-based line and column).
    public var line: Int
    public var column: Int
    public var endLine: Int
    /// Position of this statement among the section's statements (0-based).
    public var index: Int
    public var transaction: TransactionContext
    /// The table the statement works on (`relation`), when it has one; unqualified name.
    public var targetTable: String?
    /// The target table was created by an earlier statement of this same file: index, constraint
    /// and lock rules stay quiet, since nobody else can be using the table yet.
    public var targetCreatedInFile: Bool
    /// A `SET [LOCAL] lock_timeout` (non-zero) ran earlier in the file and is still in effect.
    public var lockTimeoutSet: Bool
    /// A `SET [LOCAL] statement_timeout` (non-zero) ran earlier in the file and is still in effect.
    public var statementTimeoutSet: Bool
    /// Byte range of the statement in its section (for tying comments to statements).
    var byteStart: Int
    var byteEnd: Int

    public var inTransaction: Bool { transaction.inTransaction }

    /// The table existed before this migration started: it was not created earlier in this file.
    public var targetExistedBefore: Bool { targetTable != nil && !targetCreatedInFile }

    public var location: Location { Location(file: file, line: line, column: column) }

    /// Commands of an `ALTER TABLE` (each an `AlterTableCmd` body), empty for other statements.
    public var alterCommands: [JSONValue] {
        guard kind == "AlterTableStmt" else { return [] }
        return node["cmds"].array.map(\.nodeBody)
    }

    /// Names of the objects a `DROP` removes (`schema.name` when qualified).
    public var droppedObjects: [String] {
        guard kind == "DropStmt" else { return [] }
        return node["objects"].array.map { object in
            let parts = object["List"]["items"].array.compactMap { $0["String"]["sval"].string }
            if !parts.isEmpty { return parts.joined(separator: ".") }
            return object["String"]["sval"].string ?? object.nodeKind ?? "?"
        }
    }

    /// `DropStmt.removeType` without its prefix: `TABLE`, `INDEX`, `VIEW`...
    public var dropObjectType: String? {
        node["removeType"].string.map { $0.hasPrefix("OBJECT_") ? String($0.dropFirst(7)) : $0 }
    }
}

/// A statement PostgreSQL's parser rejects, with its message and position.
public struct SQLSyntaxProblem: Sendable, Equatable {
    public var message: String
    public var file: String
    public var section: SectionRole
    public var line: Int
    public var column: Int
    /// The offending statement's text (trimmed), when it could be isolated.
    public var statementText: String?

    public var location: Location { Location(file: file, line: line, column: column) }
}
