/// More statements in a transaction after one took ACCESS EXCLUSIVE on an existing table.
struct StatementsAfterAccessExclusive: Rule {
    static let description = RuleDescription(
        id: "statements-after-access-exclusive", category: .migration, severity: .medium,
        summary: "Statements run after an ACCESS EXCLUSIVE lock in the same transaction, which holds that lock until commit.",
        why: """
        A lock lives until the end of its transaction. Once a statement holds ACCESS EXCLUSIVE on an \
        existing table, every later statement of the transaction (dbmate's, the Supabase CLI's, an \
        explicit BEGIN, or the implicit block of a multi-statement `transaction:false` section) runs \
        while all reads and writes of that table wait, and any lock it waits for extends the outage. \
        SET, COMMENT ON and COMMIT are not counted. Reported once per transaction.
        """,
        fix: """
        Give the ACCESS EXCLUSIVE statement its own migration (or put it last), and fold several changes \
        of one table into a single ALTER TABLE:
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text, ADD COLUMN IF NOT EXISTS medium text;
        """,
        bad: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nUPDATE leads SET source = 'web' WHERE source IS NULL;")],
        good: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text, ADD COLUMN IF NOT EXISTS medium text;\nCOMMENT ON COLUMN leads.source IS 'Attribution source';"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS body text;\nCREATE INDEX IF NOT EXISTS idx_notes_body ON notes (body);")])

    /// Statements that neither take locks nor take time.
    private static let harmless: Set<String> = ["TransactionStmt", "VariableSetStmt", "VariableShowStmt", "CommentStmt"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        var locking: [String: RelationLock] = [:]  // "file#index" → the ACCESS EXCLUSIVE lock it takes
        for (item, locks) in analysis.upStatementsWithLocks {
            if let lock = locks.locks.first(where: { $0.mode == .accessExclusive }) {
                locking["\(item.statement.file)#\(item.statement.index)"] = lock
            }
        }
        return analysis.files.flatMap { file in
            TransactionBlocks.split(file.up?.statements ?? []).compactMap { block -> Finding? in
                guard block.first?.inTransaction == true,
                      let first = block.firstIndex(where: { locking["\($0.file)#\($0.index)"] != nil }),
                      let lock = locking["\(block[first].file)#\(block[first].index)"],
                      let extra = block[(first + 1)...].first(where: { !Self.harmless.contains($0.kind) }) else { return nil }
                return finding("This statement runs while the ACCESS EXCLUSIVE lock on \(lock.relation) taken at line \(block[first].line) is held (\(extra.transaction.explanation)): reads and writes of \(lock.relation) wait for it too.",
                               at: extra.location)
            }
        }
    }
}
