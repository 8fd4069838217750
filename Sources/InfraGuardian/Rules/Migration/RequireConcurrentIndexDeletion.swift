/// DROP INDEX without CONCURRENTLY on an index the migration did not create.
struct RequireConcurrentIndexDeletion: ReadsStatementLocks {
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
        let analysis = context.migrations(input)
        let positions = analysis.upStatementPositions(kind: .dropStmt).filter { position in
            let drop = analysis.upStatements[position].statement.drop
            return drop?.objectType == .index && drop?.isConcurrent == false
        }
        guard !positions.isEmpty else { return [] }
        let statementLocks = analysis.statementLocks
        // The last CREATE INDEX of each name before a position: what the down step re-creates.
        let creations = analysis.upStatementPositions(kind: .indexStmt).compactMap { position -> (Int, String)? in
            analysis.upStatements[position].statement.createIndex?.name.map { (position, $0) }
        }
        return positions.compactMap { position in
            let (file, statement) = analysis.upStatements[position]
            // Indexes created earlier in the file take no lock worth a finding (see `FileObjects`).
            let locks = statementLocks[position].locks
            guard !locks.isEmpty else { return nil }
            let names = locks.compactMap(\.droppedIndex)
            let tables = locks.map(\.described)
            let indexes = names.isEmpty ? statement.droppedObjects : names
            let fixes = indexes.map { index -> String in
                // Only a table the migrations named: a lock's "the table of i" is no table to re-create on.
                let lock = locks.first { $0.droppedIndex == index && $0.tableKnown }
                let created = creations.last { $0.0 < position && $0.1 == index }.map { analysis.upStatements[$0.0].statement }
                let down = created.flatMap { FixText.indexDefinition($0, concurrently: true, table: lock?.relation) }
                    ?? "-- re-create \(index) as it is defined today (not in these migrations: see pg_indexes)"
                return FixText.standalone("DROP INDEX CONCURRENTLY IF EXISTS \(index);", down: down, file: file.file,
                                          statement: .dropIndexConcurrently, supabaseCLI: analysis.supabaseCLI)
            }
            let fix = (indexes.count > 1 ? "DROP INDEX CONCURRENTLY takes one index per statement. " : "")
                + fixes.joined(separator: "\n")
            return finding("DROP INDEX \(indexes.joined(separator: ", ")) without CONCURRENTLY blocks reads and writes on \(tables.joined(separator: ", ")) until it gets the lock.",
                           at: statement.location, fix: fix)
        }
    }
}
