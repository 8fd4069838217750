/// A Supabase file whose pipeline-incompatible statement the CLI runs standalone, beside statements
/// that run in the file's transaction: the file is no longer all or nothing.
struct NonAtomicMigrationFile: Rule {
    static let description = RuleDescription(
        id: "non-atomic-migration-file", category: .migration, severity: .medium,
        summary: "A Supabase migration mixes a statement the CLI runs outside the file's transaction with statements inside it.",
        finds: "`CREATE INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY`, `VACUUM`, `ALTER SYSTEM`, `CLUSTER` (and `DROP INDEX CONCURRENTLY` on newer CLIs) in a Supabase file with other DDL or DML, when `migrations.supabase_cli` runs them standalone (2.109 and later)",
        why: """
        Supabase CLI 2.109 and later run these statements on their own, outside the transaction the \
        rest of the file runs in: the statements before one are committed before it starts, the \
        statements after it run in a transaction of their own. When any part fails the file is half \
        applied: the earlier part stays, the migration is not complete, and running it again repeats \
        statements that already ran (a CREATE TABLE without IF NOT EXISTS then fails every retry). A \
        file holding only the standalone statement fails or succeeds as a whole.
        """,
        fix: """
        Give the standalone statement a migration file of its own, after the one that creates what it needs:
          -- supabase/migrations/20240102000000_leads_phone_index.sql
          CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);
        On a table created in the same file, drop CONCURRENTLY instead: the new table is empty.
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS lead_notes (id uuid PRIMARY KEY, lead_id uuid);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);\n",
                         at: .line(2, column: 1), kind: .supabase),
              .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nVACUUM ANALYZE leads;\n",
                         at: .line(2, column: 1), kind: .supabase)],
        good: [.migration("SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);\n", kind: .supabase),
               // An older CLI runs the whole file in one transaction (concurrently-in-transaction reports it).
               .migration("CREATE TABLE IF NOT EXISTS lead_notes (id uuid PRIMARY KEY);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);\n",
                          kind: .supabase, supabaseCLI: SupabaseCLIVersion(major: 2, minor: 108)),
               .migration("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).files.compactMap { file -> Finding? in
            guard file.file.kind == .supabase, let statements = file.up?.statements else { return nil }
            // `.none` in a Supabase file: the CLI runs the statement standalone (see `FileState`).
            let standalone = statements.filter { $0.transaction == .none && $0.pipelineIncompatible != nil }
            guard let first = standalone.first else { return nil }
            let transactional = statements.filter { statement in
                !(statement.transaction == .none && statement.pipelineIncompatible != nil)
                    && statement.kind != .variableSetStmt && statement.kind != .transactionStmt
            }
            guard !transactional.isEmpty else { return nil }
            let shown = standalone.prefix(5).map { "\($0.pipelineIncompatible?.rawValue ?? "") at line \($0.line)" }
            let more = standalone.count > 5 ? " and \(standalone.count - 5) more" : ""
            let count = transactional.count == 1 ? "1 other statement" : "\(transactional.count) other statements"
            return finding("\(FixText.list(shown))\(more) run\(standalone.count == 1 ? "s" : "") outside the transaction of the "
                           + "\(count) in \(file.file.fileName) (the Supabase CLI runs \(standalone.count == 1 ? "it" : "them") "
                           + "standalone): a failure leaves the file half applied.",
                           at: first.location, fix: Self.fix(standalone, file: file.file))
        }
    }

    /// Each standalone statement: on a table this file creates, without CONCURRENTLY in place;
    /// otherwise in a file of its own.
    static func fix(_ standalone: [SQLStatement], file: MigrationFile) -> String {
        standalone.prefix(5).map { statement -> String in
            if let (table, plain) = FixText.plainIndexOnNewTable(statement) {
                return "Line \(statement.line): \(table) is created in this file and still empty, so build the index without "
                    + "CONCURRENTLY, inside the file's transaction:\n  \(plain)"
            }
            return "Line \(statement.line): move it to a migration file of its own that holds only this statement "
                + "(`supabase migration new NAME` makes one that runs after \(file.fileName)):\n  \(FixText.oneLine(statement));"
        }.joined(separator: "\n")
    }
}
