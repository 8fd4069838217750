/// CREATE INDEX without CONCURRENTLY on a table that already holds data.
struct RequireConcurrentIndex: Rule {
    static let description = RuleDescription(
        id: "require-concurrent-index", category: .migration, severity: .high,
        summary: "CREATE INDEX on an existing table blocks its writes until the build ends.",
        finds: "`CREATE INDEX` without `CONCURRENTLY` on a table not created earlier in the same file",
        why: """
        A plain CREATE INDEX takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits for \
        the whole build, minutes on a large table. CONCURRENTLY builds without blocking writes. Tables \
        created earlier in the same migration are exempt: nobody else can be using them yet.
        """,
        fix: """
        Build it concurrently, alone in a migration that runs outside a transaction:
          -- migrate:up transaction:false
          CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);
          -- migrate:down transaction:false
          DROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;
        If the build fails it leaves an INVALID index: drop it and run the migration again.
        """,
        bad: [.migration("CREATE INDEX idx_leads_phone ON leads(phone_hash);"),
              .migration("CREATE UNIQUE INDEX IF NOT EXISTS idx_leads_email ON leads(email_hash);")],
        good: [.migration("-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone ON leads(phone_hash);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS idx_leads_phone;\n"),
               .migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY, phone_hash text);\nCREATE INDEX IF NOT EXISTS idx_leads_phone ON leads(phone_hash);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let positions = analysis.upStatementPositions(kind: .indexStmt).filter { position in
            let statement = analysis.upStatements[position].statement
            return statement.createIndex?.isConcurrent == false && statement.targetExistedBefore
        }
        guard !positions.isEmpty else { return [] }
        let tables = analysis.shared(TableCreations.self)
        return positions.compactMap { position in
            let (file, statement) = analysis.upStatements[position]
            guard let index = statement.createIndex, let table = statement.targetTable else { return nil }
            let name = index.name.map { " \($0)" } ?? ""
            let partitioned = tables.isPartitioned(table, before: position)
            let fix = partitioned ? Self.partitionedFix(statement, table: table, partitions: tables.partitions[table] ?? [])
                                  : Self.fix(statement, file: file.file, supabaseCLI: analysis.supabaseCLI)
            return finding("CREATE INDEX\(name) without CONCURRENTLY blocks writes to \(table)\(partitioned ? " and every partition of it" : "") for the whole build.",
                           at: statement.location, fix: fix)
        }
    }

    /// The same index built concurrently, in the file's framework; nil (the generic fix) when the
    /// statement's text cannot be rewritten.
    static func fix(_ statement: SQLStatement, file: MigrationFile, supabaseCLI: SupabaseCLIVersion) -> String? {
        guard let name = statement.createIndex?.name,
              let definition = FixText.indexDefinition(statement, concurrently: true) else { return nil }
        return FixText.standalone(definition, down: "DROP INDEX CONCURRENTLY IF EXISTS \(name);", file: file,
                                  statement: .createIndexConcurrently, supabaseCLI: supabaseCLI)
            + "\nIf the build fails it leaves an INVALID index: drop it and run the migration again."
    }

    /// PostgreSQL rejects CREATE INDEX CONCURRENTLY on a partitioned table: the parent's index is made
    /// with ON ONLY (invalid, instant), each partition's concurrently, then attached.
    static func partitionedFix(_ statement: SQLStatement, table: String, partitions: [String]) -> String? {
        guard let name = statement.createIndex?.name,
              let parent = FixText.indexDefinition(statement, concurrently: false, only: true) else { return nil }
        let shown = partitions.isEmpty ? ["<partition>"] : Array(partitions.prefix(3))
        var lines = ["\(parent)   -- instant; INVALID until every partition's index is attached"]
        for partition in shown {
            let partitionIndex = "\(partition)_\(name)"
            if let build = FixText.indexDefinition(statement, concurrently: true, only: false, table: partition, name: partitionIndex) {
                lines += [build, "ALTER INDEX \(name) ATTACH PARTITION \(partitionIndex);"]
            }
        }
        if partitions.count > shown.count { lines.append("-- … and the same for the other \(partitions.count - shown.count) partitions") }
        return "\(table) is partitioned, where PostgreSQL rejects CREATE INDEX CONCURRENTLY: create the parent's index ON ONLY, "
            + "build each partition's concurrently (outside a transaction), then attach it:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}
