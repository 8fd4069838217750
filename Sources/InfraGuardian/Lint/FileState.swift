import Foundation

/// What is in effect at a given point of a section: the transaction block and the timeouts.
struct FileState {
    let sectionTransaction: Bool
    let kind: MigrationKind
    /// Statements sent in one query string (dbmate sends the whole section at once).
    let statementCount: Int
    /// The Supabase CLI release modelled for Supabase files (`migrations.supabase_cli`).
    let supabaseCLI: SupabaseCLIVersion
    private var explicitBeginLine: Int?
    private(set) var lockTimeout = false
    private(set) var statementTimeout = false
    /// Timeouts set with `SET LOCAL`: they end with the explicit block that set them.
    private var localSettings: Set<String> = []

    init(sectionTransaction: Bool, kind: MigrationKind, statementCount: Int, supabaseCLI: SupabaseCLIVersion = .latest) {
        self.sectionTransaction = sectionTransaction
        self.kind = kind
        self.statementCount = statementCount
        self.supabaseCLI = supabaseCLI
    }

    /// The context the statement runs in; `BEGIN` itself is reported in the context it opens.
    mutating func context(kind: PG.NodeKind, node: JSONValue, line: Int) -> TransactionContext {
        if kind == .transactionStmt, TransactionContext.opens(node), explicitBeginLine == nil { explicitBeginLine = line }
        if let line = explicitBeginLine { return .explicit(beginLine: line) }
        switch self.kind {
        case .supabase:
            // The CLI runs what it recognises as pipeline-incompatible on its own, outside the batch.
            if let statement = PipelineIncompatibleStatement(kind: kind, node: node), supabaseCLI.runsStandalone(statement) {
                return .none
            }
            return .migrationTool(.supabase)
        case .psql:
            // `psql -f` sends statement after statement, each in autocommit unless a BEGIN opened a block.
            return .none
        case .dbmate:
            if sectionTransaction { return .migrationTool(.dbmate) }
            return statementCount > 1 ? .implicitMultiStatement : .none
        }
    }

    /// Updates the state after the statement ran.
    mutating func apply(kind: PG.NodeKind, node: JSONValue) {
        switch kind {
        case .transactionStmt where TransactionContext.closes(node):
            explicitBeginLine = nil
            for name in localSettings { set(name, false) }
            localSettings = []
        case .variableSetStmt:
            let name = node[.name].string ?? ""
            switch node[.kind].decoded(PG.VariableSetKind.self) {
            case .setValue:
                set(name, !Self.isZero(node[.args][0]))
                if node[.isLocal].bool, explicitBeginLine != nil { localSettings.insert(name) }
            case .setDefault, .reset:
                set(name, false)
            case .resetAll:
                lockTimeout = false
                statementTimeout = false
            default:
                break
            }
        default:
            break
        }
    }

    private mutating func set(_ name: String, _ value: Bool) {
        if name == "lock_timeout" { lockTimeout = value }
        if name == "statement_timeout" { statementTimeout = value }
    }

    /// `SET lock_timeout = 0` (or '0') turns the timeout off.
    private static func isZero(_ argument: JSONValue) -> Bool {
        let constant = argument.node(.aConst)
        if constant[.ival].exists { return (constant[.ival][.ival].int ?? 0) == 0 }
        if let text = constant[.sval][.sval].string { return Int(trimmed(text)) == 0 }
        return false
    }

    /// `text` without surrounding whitespace; ASCII text (nearly every value) without Foundation.
    private static func trimmed(_ text: String) -> Substring {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return Substring(text.trimmingCharacters(in: .whitespaces)) }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return text[first...last]
    }
}
