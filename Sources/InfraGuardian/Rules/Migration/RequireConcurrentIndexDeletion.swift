/// DROP INDEX without CONCURRENTLY on an index the migration did not create.
struct RequireConcurrentIndexDeletion: Rule {
    static let description = RuleDescription(
        id: "require-concurrent-index-deletion", category: .migration, severity: .medium,
        summary: "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table.",
        finds: "`DROP INDEX` without `CONCURRENTLY` of an index not created in the same file",
        why: """
        A plain DROP INDEX locks the table the index belongs to in ACCESS EXCLUSIVE mode: while it waits \
        for running queries to finish, every new read and write on the table queues behind it. DROP INDEX \
        CONCURRENTLY waits for those queries without blocking others. Indexes created earlier in the same \
        file, and the down section, are exempt.
        """,
        fix: """
        Drop it concurrently, alone in a migration that runs outside a transaction:
          -- migrate:up transaction:false
          DROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;
          -- migrate:down transaction:false
          CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);
        """,
        bad: [.migration("DROP INDEX IF EXISTS idx_leads_phone;")],
        good: [.migration("-- migrate:up transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;\n-- migrate:down transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads (phone_hash);\n"),
               .migration("CREATE INDEX IF NOT EXISTS idx_tmp ON leads_import (phone_hash);\nDROP INDEX IF EXISTS idx_tmp;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        var createdIndexes: Set<String> = []  // by the file's earlier statements
        var currentFile: FileAnalysis?
        return context.migrations(input).upStatements(kinds: [.indexStmt, .dropStmt]).compactMap { file, statement in
            if file !== currentFile {
                currentFile = file
                createdIndexes = []
            }
            if let name = statement.createIndex?.name { createdIndexes.insert(name) }
            guard let drop = statement.drop, drop.objectType == .index, !drop.isConcurrent else { return nil }
            let existing = statement.droppedObjects.filter { !createdIndexes.contains(SQLStatement.unqualified($0)) }
            guard !existing.isEmpty else { return nil }
            return finding("DROP INDEX \(existing.joined(separator: ", ")) without CONCURRENTLY blocks reads and writes on its table until it gets the lock.",
                           at: statement.location)
        }
    }
}
