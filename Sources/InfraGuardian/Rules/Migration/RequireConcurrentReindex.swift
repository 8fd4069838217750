import Foundation

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
            let (file, statement) = analysis.upStatements[position]
            guard let lock = statementLocks[position].locks.first else { return nil }
            return finding("REINDEX of \(lock.relation) without CONCURRENTLY blocks writes and locks the rebuilt index(es) for the whole rebuild.",
                           at: statement.location, fix: Self.fix(statement, file: file.file, supabaseCLI: analysis.supabaseCLI))
        }
    }

    /// The same REINDEX with CONCURRENTLY, where the file's framework runs it outside a transaction.
    static func fix(_ statement: SQLStatement, file: MigrationFile, supabaseCLI: SupabaseCLIVersion) -> String? {
        let text = FixText.oneLine(statement)
        guard let expression = try? NSRegularExpression(pattern: "^(REINDEX\\s+(?:\\([^)]*\\)\\s*)?(?:INDEX|TABLE|SCHEMA|DATABASE)\\s+)",
                                                        options: [.caseInsensitive]),
              let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text) else { return nil }
        let concurrent = String(text[..<range.upperBound]) + "CONCURRENTLY " + String(text[range.upperBound...]) + ";"
        return FixText.standalone(concurrent, down: nil, file: file, statement: .reindexConcurrently, supabaseCLI: supabaseCLI)
            + "\nA failed concurrent rebuild leaves an INVALID index named …_ccnew: drop it and run again."
    }
}
