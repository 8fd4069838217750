/// REINDEX without CONCURRENTLY.
struct RequireConcurrentReindex: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "require-concurrent-reindex", category: .migration, severity: .medium,
        summary: "REINDEX without CONCURRENTLY blocks writes to the table and locks out queries using the index.",
        finds: "`REINDEX` without `CONCURRENTLY`",
        why: """
        A plain REINDEX takes SHARE on the table (no writes) and ACCESS EXCLUSIVE on each index it \
        rebuilds (queries that would use it wait) for the whole rebuild. REINDEX CONCURRENTLY \
        (PostgreSQL 12+) builds a new index beside the old one and swaps them with short locks. Objects \
        created earlier in the same file are exempt.
        """,
        fix: """
        Rebuild concurrently, alone in a migration that runs outside a transaction:
          -- migrate:up transaction:false
          REINDEX INDEX CONCURRENTLY idx_leads_phone;
          -- migrate:down
          SELECT 1;
        A failed concurrent rebuild leaves an INVALID `_ccnew` index: drop it and run again.
        """,
        bad: [.migration("REINDEX INDEX idx_leads_phone;"), .migration("REINDEX TABLE leads;")],
        good: [.migration("-- migrate:up transaction:false\nREINDEX INDEX CONCURRENTLY idx_leads_phone;\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        // The lock model leaves out objects created earlier in the file: no lock, nothing to say.
        let analysis = context.migrations(input)
        let positions = analysis.upStatementPositions(kind: .reindexStmt)
        guard !positions.isEmpty else { return [] }
        let statementLocks = analysis.statementLocks
        return positions.compactMap { position in
            let statement = analysis.upStatements[position].statement
            guard let lock = statementLocks[position].locks.first else { return nil }
            return finding("REINDEX of \(lock.relation) without CONCURRENTLY blocks writes and locks the rebuilt index(es) for the whole rebuild.",
                           at: statement.location)
        }
    }
}
