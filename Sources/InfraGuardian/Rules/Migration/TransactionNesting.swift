/// BEGIN inside a transaction that is already open; COMMIT ending the migration tool's transaction.
struct TransactionNesting: Rule {
    static let description = RuleDescription(
        id: "transaction-nesting", category: .migration, severity: .high,
        summary: "BEGIN/COMMIT inside a migration that dbmate or the Supabase CLI already runs in a transaction, or BEGIN inside a BEGIN block.",
        finds: "`BEGIN`/`COMMIT` inside dbmate's or Supabase's transaction, or `BEGIN` inside a `BEGIN` block",
        why: """
        dbmate wraps each section in a transaction (unless `-- migrate:up transaction:false`) and the \
        Supabase CLI runs each file in one. A BEGIN inside it only raises a warning ("there is already \
        a transaction in progress"), but the COMMIT that follows ends the tool's transaction early: the \
        statements after it, and the tool's own bookkeeping (the schema_migrations row), run outside \
        any transaction, so a failure halfway leaves the schema half-migrated and the version \
        unrecorded, and the rerun fails on what was already applied. The seed's migration template \
        (BEGIN; … COMMIT; in a dbmate file) has this defect. A BEGIN in a `transaction:false` section is \
        fine: it turns dbmate's one-query section into an explicit block.
        """,
        fix: """
        Let the tool own the transaction: remove BEGIN and COMMIT.
          -- migrate:up
          CREATE TABLE IF NOT EXISTS lead_sources (id uuid PRIMARY KEY, source text NOT NULL);
          COMMENT ON TABLE lead_sources IS 'Attribution of leads';
        If you need statements outside a transaction (CREATE INDEX CONCURRENTLY), use
        `-- migrate:up transaction:false` in a migration of their own instead.
        """,
        bad: [.migration("BEGIN;\nCREATE TABLE IF NOT EXISTS lead_sources (id uuid PRIMARY KEY);\nCOMMIT;"),
              .migration("-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE IF NOT EXISTS a (id uuid PRIMARY KEY);\nBEGIN;\nCREATE TABLE IF NOT EXISTS b (id uuid PRIMARY KEY);\nCOMMIT;\n-- migrate:down\nSELECT 1;\n", at: .line(4, column: 1))],
        good: [.migration("CREATE TABLE IF NOT EXISTS lead_sources (id uuid PRIMARY KEY);"),
               .migration("-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE IF NOT EXISTS lead_sources (id uuid PRIMARY KEY);\nCOMMIT;\n-- migrate:down transaction:false\nBEGIN;\nDROP TABLE IF EXISTS lead_sources;\nCOMMIT;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        // Both sections: a rollback that commits halfway is as broken as a migration that does.
        context.migrations(input).files.flatMap { file -> [Finding] in
            [(file.up, file.file.up), (file.down, file.file.down)].flatMap { parsed, section -> [Finding] in
                guard let parsed, let section else { return [] }
                let wrapped = section.transaction || file.file.kind == .supabase
                return findings(parsed.statements, wrapped: wrapped, kind: file.file.kind)
            }
        }
    }

    private func findings(_ statements: [SQLStatement], wrapped: Bool, kind: MigrationKind) -> [Finding] {
        let tool = TransactionContext.migrationTool(kind).explanation
        var openedAt: Int?
        var result: [Finding] = []
        for (position, statement) in statements.enumerated() {
            if statement.opensTransaction {
                let commit = statements[(position + 1)...].first(where: \.closesTransaction).map { " (line \($0.line))" } ?? ""
                if let line = openedAt {
                    result.append(finding("BEGIN inside the BEGIN block opened at line \(line): PostgreSQL ignores it, and the first COMMIT ends the outer block.",
                                          at: statement.location,
                                          fix: "Remove the BEGIN at line \(statement.line) and the COMMIT that closes it\(commit): PostgreSQL has no nested "
                                              + "transactions. For a part that may fail on its own, use SAVEPOINT name … RELEASE SAVEPOINT name."))
                } else if wrapped {
                    result.append(finding("BEGIN runs \(tool): the COMMIT that follows ends that transaction early.",
                                          at: statement.location,
                                          fix: "Remove the BEGIN at line \(statement.line) and the COMMIT that closes it\(commit): the transaction the "
                                              + "tool runs already covers every statement. A statement that must run outside a transaction "
                                              + "(CREATE INDEX CONCURRENTLY) goes in a migration of its own."))
                }
                openedAt = openedAt ?? statement.line
            } else if statement.closesTransaction {
                if openedAt == nil, wrapped {
                    result.append(finding("\(Self.keyword(statement)) runs \(tool) and ends it early: what follows runs outside any transaction.",
                                          at: statement.location,
                                          fix: "Remove the \(Self.keyword(statement)) at line \(statement.line): the tool commits the migration itself."))
                }
                openedAt = nil
            }
        }
        return result
    }

    private static func keyword(_ statement: SQLStatement) -> String {
        statement.text.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).first.map { $0.uppercased() } ?? "COMMIT"
    }
}
