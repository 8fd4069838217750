/// CONCURRENTLY operations inside a transaction block: PostgreSQL refuses them.
struct ConcurrentlyInTransaction: Rule {
    static let description = RuleDescription(
        id: "concurrently-in-transaction", category: .migration, severity: .critical,
        summary: "CREATE/DROP INDEX CONCURRENTLY or REINDEX CONCURRENTLY runs inside a transaction block, which PostgreSQL rejects.",
        finds: "`CREATE/DROP INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY` in a transaction block (dbmate default, Supabase, `BEGIN`, multi-statement `transaction:false`)",
        why: """
        A concurrent build commits several internal transactions and waits for older ones to end, which \
        is impossible inside a transaction block: PostgreSQL answers "cannot run inside a transaction \
        block" and the deploy fails. dbmate wraps each section in a transaction unless \
        `-- migrate:up transaction:false`; the Supabase CLI runs each file in one; an explicit BEGIN opens \
        one; and dbmate sends a `transaction:false` section as ONE query string, which PostgreSQL runs as \
        an implicit block as soon as it holds more than one statement. The seed's own migration template \
        (BEGIN; … CREATE INDEX CONCURRENTLY …; COMMIT;) has this defect.
        """,
        fix: """
        Give the concurrent statement a migration of its own, with no BEGIN/COMMIT:
          -- migrate:up transaction:false
          CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);
          -- migrate:down transaction:false
          DROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;
        Keep the table creation and other DDL in a preceding, transactional migration.
        """,
        bad: [.migration(SeedExamples.migrationTemplateFilledIn, at: .line(17, column: 1)),
              .migration("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);"),
              .migration("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_email ON leads(email_hash);\n-- migrate:down\nSELECT 1;\n"),
              .migration("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;\n",
                         at: .line(4, column: 1))],
        good: [.migration("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let analysis = context.migrations(input)
        // Up sections: only the kinds that can run concurrently; an ALTER TABLE only with DETACH PARTITION.
        let candidates = [.indexStmt, .dropStmt, .reindexStmt].map(analysis.upStatementPositions(kind:))
            + [analysis.upStatementPositions(withAlterCommand: .detachPartition)]
        for (file, statement) in analysis.upStatements(atAnyOf: candidates) where statement.inTransaction {
            if let problem = problem(statement, file: file.file, supabaseCLI: analysis.supabaseCLI) { findings.append(problem) }
        }
        // Down sections too: a down section PostgreSQL refuses breaks the rollback just as surely.
        for file in analysis.files {
            for statement in file.down?.statements ?? [] where statement.inTransaction {
                if let problem = problem(statement, file: file.file, supabaseCLI: analysis.supabaseCLI) { findings.append(problem) }
            }
        }
        return findings
    }

    private func problem(_ statement: SQLStatement, file: MigrationFile, supabaseCLI: SupabaseCLIVersion) -> Finding? {
        guard let operation = statement.concurrentOperation else { return nil }
        // A Supabase CLI older than the one that runs it standalone: say which release is modelled.
        if let doLine = statement.doBlockLine {
            // No runner can take a statement out of a DO block: it runs inside the DO's transaction.
            let text = FixText.oneLine(statement) + ";"
            let moved = FixText.standalone(text, down: nil, file: file, statement: statement.pipelineIncompatible, supabaseCLI: supabaseCLI)
            return finding("\(operation) runs inside the DO block at line \(doLine) (\(statement.section.rawValue) section); PostgreSQL "
                           + "rejects it in a DO block under every runner.",
                           at: statement.location,
                           fix: "Take it out of the DO block. " + moved)
        }
        let release = statement.transaction == .migrationTool(.supabase) && statement.pipelineIncompatible != nil
            ? "; Supabase CLI \(supabaseCLI) from `migrations.supabase_cli`" : ""
        let text = FixText.oneLine(statement) + ";"
        let fix: String
        if let (table, plain) = FixText.plainIndexOnNewTable(statement) {
            fix = "\(table) is created earlier in this file and still empty: build the index without CONCURRENTLY:\n  \(plain)"
        } else {
            let moved = statement.section == .down && file.kind == .dbmate
                ? "Give the down section `-- migrate:down transaction:false` and this statement alone in it:\n  " + text
                : FixText.standalone(text, down: nil, file: file, statement: statement.pipelineIncompatible, supabaseCLI: supabaseCLI)
            if case .explicit(let line) = statement.transaction {
                fix = "Take it out of the BEGIN block opened at line \(line). " + moved
            } else {
                fix = moved
            }
        }
        return finding("\(operation) runs \(statement.transaction.explanation) (\(statement.section.rawValue) section\(release)); PostgreSQL rejects it.",
                       at: statement.location, fix: fix)
    }
}
