/// Whether a statement runs inside a transaction block, and why. PostgreSQL refuses
/// CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ALTER TYPE … ADD VALUE (before PG 12)
/// and friends in a block, and a lock taken in a block is held until its end.
public enum TransactionContext: Sendable, Equatable {
    /// Runs alone in autocommit mode (dbmate `transaction:false` with a single statement).
    case none
    /// The migration tool's own transaction: dbmate wraps each section unless `transaction:false`;
    /// the Supabase CLI runs each file in one transaction.
    case migrationTool(MigrationKind)
    /// Inside `BEGIN` / `START TRANSACTION` written in the file, opened at this file line.
    case explicit(beginLine: Int)
    /// dbmate `transaction:false` sends the whole section as one multi-statement query string, and
    /// PostgreSQL runs such a string as an implicit transaction block (dbmate issues #126, #285).
    case implicitMultiStatement
    /// A statement of the `DO` block at this file line, run outside any other block: the DO runs as
    /// one statement, so everything in it is one transaction.
    case doBlock(line: Int)

    public var inTransaction: Bool { self != .none }

    /// For messages: "in dbmate's transaction", "in the BEGIN block opened at line 3"...
    public var explanation: String {
        switch self {
        case .none: return "outside any transaction block"
        case .migrationTool(.dbmate): return "in the transaction dbmate wraps the section in (no `transaction:false` on `-- migrate:up`)"
        case .migrationTool(.supabase): return "in the transaction the Supabase CLI runs each migration file in"
        case .migrationTool(.psql): return "in the transaction psql runs the file in (`--single-transaction`)"
        case .explicit(let line): return "in the BEGIN block opened at line \(line)"
        case .implicitMultiStatement:
            return "in the implicit transaction block PostgreSQL opens for a multi-statement query (dbmate sends a `transaction:false` section as one query)"
        case .doBlock(let line): return "inside the DO block at line \(line) (a DO block runs as one statement, in one transaction)"
        }
    }
}

extension TransactionContext {
    /// `BEGIN` / `START TRANSACTION` (a `TransactionStmt` body).
    static func opens(_ node: JSONValue) -> Bool {
        let kind = node[.kind].decoded(PG.TransactionStmtKind.self)
        return kind == .begin || kind == .start
    }

    /// `COMMIT`, `END`, `ROLLBACK`, `ABORT`, `PREPARE TRANSACTION`: the block ends (`AND CHAIN` opens
    /// the next one at once, so it does not end it).
    static func closes(_ node: JSONValue) -> Bool {
        switch node[.kind].decoded(PG.TransactionStmtKind.self) {
        case .commit, .rollback, .prepare:
            return !node[.chain].bool
        default:
            return false
        }
    }
}

extension SQLStatement {
    /// `BEGIN` / `START TRANSACTION`.
    public var opensTransaction: Bool { kind == .transactionStmt && TransactionContext.opens(node) }
    /// `COMMIT` / `ROLLBACK` / `END` / `ABORT` / `PREPARE TRANSACTION` (not `AND CHAIN`).
    public var closesTransaction: Bool { kind == .transactionStmt && TransactionContext.closes(node) }
}
