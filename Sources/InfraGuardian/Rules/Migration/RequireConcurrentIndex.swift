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
        context.migrations(input).upStatements(kind: .indexStmt).compactMap { _, statement in
            guard let index = statement.createIndex, !index.isConcurrent, statement.targetExistedBefore,
                  let table = statement.targetTable else { return nil }
            let name = index.name.map { " \($0)" } ?? ""
            return finding("CREATE INDEX\(name) without CONCURRENTLY blocks writes to \(table) for the whole build.",
                           at: statement.location)
        }
    }
}
