/// More statements in a transaction after one took ACCESS EXCLUSIVE on an existing table.
struct StatementsAfterAccessExclusive: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "statements-after-access-exclusive", category: .migration, severity: .medium,
        summary: "Statements run after an ACCESS EXCLUSIVE lock in the same transaction, which holds that lock until commit.",
        finds: "more statements in a transaction after one took ACCESS EXCLUSIVE on an existing table (once per transaction)",
        why: """
        A lock lives until the end of its transaction. Once a statement holds ACCESS EXCLUSIVE on an \
        existing table, every later statement of the transaction (dbmate's, the Supabase CLI's, an \
        explicit BEGIN, or the implicit block of a multi-statement `transaction:false` section) runs \
        while all reads and writes of that table wait, and any lock it waits for extends the outage. \
        Counted: statements that read or write rows, scan or rewrite an existing table, or wait for \
        another lock; instant catalog changes (a view re-created, a table created or renamed, a lock \
        already held) are not. Reported once per transaction.
        """,
        fix: """
        Give the ACCESS EXCLUSIVE statement its own migration (or put it last), and fold several changes \
        of one table into a single ALTER TABLE:
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text, ADD COLUMN IF NOT EXISTS medium text;
        """,
        bad: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nUPDATE leads SET source = 'web' WHERE source IS NULL;", at: .line(4, column: 1))],
        good: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text, ADD COLUMN IF NOT EXISTS medium text;\nCOMMENT ON COLUMN leads.source IS 'Attribution source';"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS body text;\nCREATE INDEX IF NOT EXISTS idx_notes_body ON notes (body);")])

    /// Statements that neither take locks nor take time.
    private static let harmless: Set<PG.NodeKind> = [.transactionStmt, .variableSetStmt, .variableShowStmt, .commentStmt]

    /// What prolongs the hold: a statement that reads or writes rows, scans or rewrites an existing
    /// table, or waits for a lock the transaction does not hold yet. Instant catalog changes (a view
    /// re-created, a table created or renamed, a lock already held) do not.
    /// - Parameter unreadDoLines: lines of the DO blocks not read through: one of those may do anything
    ///   (the statements of the others follow it and are judged themselves).
    static func takesTimeOrWaits(_ statement: SQLStatement, locks: StatementLocks, unreadDoLines: Set<Int> = []) -> Bool {
        if harmless.contains(statement.kind) { return false }
        if statement.kind == .doStmt { return unreadDoLines.contains(statement.line) }
        if SQLStatement.dataKinds.contains(statement.kind) || statement.kind == .callStmt { return true }
        if locks.locks.contains(where: { !$0.alreadyHeld || $0.scans }) { return true }
        if statement.kind == .indexStmt, statement.targetExistedBefore, statement.createIndex?.isConcurrent == false { return true }
        return statement.targetExistedBefore && statement.hasAlterCommand(.validateConstraint)
    }

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let statementLocks = analysis.statementLocks
        var findings: [Finding] = []
        var offset = 0  // position in `upStatements` (and `statementLocks`) of the file's first up statement
        for file in analysis.files {
            let statements = file.up?.statements ?? []
            defer { offset += statements.count }
            /// The ACCESS EXCLUSIVE lock the statement at `position` in the file takes, if any.
            func exclusiveLock(_ position: Int) -> RelationLock? {
                statementLocks[offset + position].locks.first { $0.mode == .accessExclusive }
            }
            guard statements.indices.contains(where: { statements[$0].inTransaction && exclusiveLock($0) != nil }) else { continue }
            let unreadDoLines = Set((file.up?.unreadDoBlocks ?? []).map(\.line))
            for block in TransactionBlocks.ranges(statements) where statements[block.lowerBound].inTransaction {
                guard let first = block.first(where: { exclusiveLock($0) != nil }), let lock = exclusiveLock(first),
                      let extraPosition = ((first + 1)..<block.upperBound).first(where: { position in
                          Self.takesTimeOrWaits(statements[position], locks: statementLocks[offset + position],
                                                unreadDoLines: unreadDoLines)
                      })
                else { continue }
                let extra = statements[extraPosition], holder = statements[first]
                findings.append(finding("This statement runs while the ACCESS EXCLUSIVE lock on \(lock.relation) taken at line \(holder.line) is held (\(extra.transaction.explanation)): reads and writes of \(lock.relation) wait for it too.",
                                        at: extra.location, fix: Self.fix(holder: holder, extra: extra, relation: lock.relation)))
            }
        }
        return findings
    }

    /// The lock in a migration of its own, before this one: nothing else runs while it is held, and
    /// the statements after it keep whatever they depend on.
    static func fix(holder: SQLStatement, extra: SQLStatement, relation: String) -> String {
        "Give line \(holder.line) a migration of its own, before this one: its ACCESS EXCLUSIVE on \(relation) then ends "
            + "when that migration commits, instead of lasting through line \(extra.line) and the rest of this transaction."
    }
}
