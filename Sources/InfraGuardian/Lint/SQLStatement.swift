/// Which part of a migration a statement belongs to. Only `up` is the change under review; `down`
/// is parsed for validity.
public enum SectionRole: String, Sendable {
    case up
    case down
}

/// One parsed statement with its position in the file and the state the file is in when it runs.
/// A class: every rule walks every statement, and copying a struct of this size per visit was the
/// largest cost of a lint run (retain/release of each field). Compact, since a data seed has
/// millions: positions as 32-bit offsets into the one section text, no text copy, and no parse
/// tree for data statements (see `keepsTree`).
public final class SQLStatement: Sendable {
    /// The parse-tree node kind: `.createStmt`, `.indexStmt`, `.alterTableStmt`, `.dropStmt`...
    public let kind: PG.NodeKind
    /// The node's body: `node[.relation][.relname].string`, `node[.concurrent].bool`...
    /// `.missing` for the kinds `keepsTree` says no: what rules need of those (target table,
    /// position, transaction, timeouts) was read while parsing; `reparsed()` gives the tree again.
    public var node: JSONValue { tree?.node ?? .missing }
    /// The parse tree and what is read from it once; nil for the kinds `keepsTree` says no.
    private let tree: StatementTree?
    /// The statement's source text, without surrounding comments or the final semicolon (made
    /// from the section's bytes when asked: few rules read it).
    public var text: String { withTextBytes { String(decoding: $0, as: UTF8.self) } }
    /// File, role and text of the section, shared by its statements (the text is the
    /// `MigrationSection`'s own: no copy).
    private let sectionContext: SectionContext
    public var file: String { sectionContext.file }
    public var section: SectionRole { sectionContext.role }
    /// Position of the statement's first token in the file (1-based line and column).
    public var line: Int { Int(storedLine) }
    public var column: Int { Int(storedColumn) }
    public var endLine: Int { Int(storedEndLine) }
    /// Position of this statement among the section's statements (0-based).
    public var index: Int { Int(storedIndex) }
    private let storedLine: Int32, storedColumn: Int32, storedEndLine: Int32, storedIndex: Int32
    public let transaction: TransactionContext
    /// The table the statement works on (`relation`), when it has one; unqualified name.
    public let targetTable: String?
    /// The target table was created by an earlier statement of this same file: index, constraint
    /// and lock rules stay quiet, since nobody else can be using the table yet.
    public let targetCreatedInFile: Bool
    /// A `DROP` of tables, views or indexes that earlier statements of this file created (all of them).
    public let droppedCreatedInFile: Bool
    /// A `SET [LOCAL] lock_timeout` (non-zero) ran earlier in the file and is still in effect.
    public let lockTimeoutSet: Bool
    /// A `SET [LOCAL] statement_timeout` (non-zero) ran earlier in the file and is still in effect.
    public let statementTimeoutSet: Bool
    /// Byte range of the statement in its section (for tying comments to statements).
    var byteStart: Int { Int(storedByteStart) }
    var byteEnd: Int { Int(storedByteEnd) }
    private let storedByteStart: Int32, storedByteEnd: Int32
    /// The file line of the `DO` block this statement runs in (its static SQL or a constant EXECUTE);
    /// nil for a statement of the file itself.
    public var doBlockLine: Int? { storedDoBlockLine > 0 ? Int(storedDoBlockLine) : nil }
    private let storedDoBlockLine: Int32
    /// Commands of an `ALTER TABLE` (each an `AlterTableCmd` body), empty for other statements;
    /// computed once because many rules ask.
    public var alterCommands: [JSONValue] { tree?.alterCommands ?? [] }
    /// `subtype` of each of `alterCommands` (same order), decoded once for `alterCommands(_:)`.
    var alterSubtypes: [PG.AlterTableType?] { tree?.alterSubtypes ?? [] }

    init(kind: PG.NodeKind, node: JSONValue, document: JSONDocument, section: SectionContext, line: Int, column: Int,
         endLine: Int, index: Int, transaction: TransactionContext, targetTable: String?, targetCreatedInFile: Bool,
         droppedCreatedInFile: Bool = false, lockTimeoutSet: Bool, statementTimeoutSet: Bool, byteStart: Int, byteEnd: Int,
         doBlockLine: Int? = nil) {
        self.kind = kind
        tree = Self.keepsTree(kind) ? StatementTree(kind: kind, node: node, document: document) : nil
        sectionContext = section
        // Sections are read whole into memory (at most 2 GB each): offsets and lines fit 32 bits.
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
        storedEndLine = Int32(clamping: endLine)
        storedIndex = Int32(clamping: index)
        self.transaction = transaction
        self.targetTable = targetTable
        self.targetCreatedInFile = targetCreatedInFile
        self.droppedCreatedInFile = droppedCreatedInFile
        self.lockTimeoutSet = lockTimeoutSet
        self.statementTimeoutSet = statementTimeoutSet
        storedByteStart = Int32(clamping: byteStart)
        storedByteEnd = Int32(clamping: byteEnd)
        storedDoBlockLine = Int32(clamping: doBlockLine ?? 0)
    }

    /// Data statements keep no parse tree: no migration rule reads one (rules look at DDL, locks
    /// and transaction control), and a data seed holds millions of them.
    static func keepsTree(_ kind: PG.NodeKind) -> Bool { !dataKinds.contains(kind) }

    static let dataKinds: [PG.NodeKind] = [.insertStmt, .updateStmt, .deleteStmt, .selectStmt, .mergeStmt, .copyStmt]

    /// The statement parsed again, alone: for a rule that needs the tree of a data statement.
    func reparsed() -> (document: JSONDocument, node: JSONValue)? {
        let bytes = withTextBytes { Array($0) }
        guard case .success(let tree) = PgQuery.parse(bytes[...]), let span = StatementSpan.all(in: tree).first else { return nil }
        return (tree, span.node)
    }

    /// The UTF-8 bytes of `text`, without making a String.
    func withTextBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = sectionContext.text  // native UTF-8: `withUTF8` reads it in place
        return text.withUTF8 { bytes in
            let lower = max(0, min(byteStart, bytes.count)), upper = max(lower, min(byteEnd, bytes.count))
            return body(UnsafeBufferPointer(rebasing: bytes[lower..<upper]))
        }
    }

    public var inTransaction: Bool { transaction.inTransaction }

    /// The table existed before this migration started: it was not created earlier in this file.
    public var targetExistedBefore: Bool { targetTable != nil && !targetCreatedInFile }

    public var location: Location { Location(file: file, line: line, column: column) }

    /// Names of the objects a `DROP` removes (`schema.name` when qualified).
    public var droppedObjects: [String] {
        guard kind == .dropStmt else { return [] }
        return node[.objects].array.map { object in
            let parts = object.node(.list)[.items].array.compactMap { $0.node(.string)[.sval].string }
            if !parts.isEmpty { return parts.joined(separator: ".") }
            return object.node(.string)[.sval].string ?? object.nodeKind?.rawValue ?? "?"
        }
    }

    /// What a `DROP` removes (`DropStmt.removeType`): `.table`, `.index`, `.view`...
    public var dropObjectType: PG.ObjectType? {
        // Only `DropStmt` has a `removeType` (parsenodes.h).
        guard kind == .dropStmt else { return nil }
        return node[.removeType].decoded(PG.ObjectType.self)
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

/// A statement's parse tree and what many rules read from it, decoded once.
final class StatementTree: Sendable {
    let document: JSONDocument
    let node: JSONValue
    /// `ALTER TABLE` commands (`AlterTableCmd` bodies) and their subtypes; empty for other kinds.
    let alterCommands: [JSONValue]
    let alterSubtypes: [PG.AlterTableType?]

    init(kind: PG.NodeKind, node: JSONValue, document: JSONDocument) {
        self.document = document
        self.node = node
        alterCommands = kind == .alterTableStmt ? node[.cmds].array.map(\.nodeBody) : []
        alterSubtypes = alterCommands.map { $0[.subtype].decoded(PG.AlterTableType.self) }
    }
}

/// What the statements of one section share: its file, its role and its text.
final class SectionContext: Sendable {
    let file: String
    let role: SectionRole
    let text: String

    init(file: String, role: SectionRole, text: String) {
        self.file = file
        self.role = role
        self.text = text
    }
}
