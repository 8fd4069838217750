/// BEGIN with no COMMIT or ROLLBACK before the end of the section.
struct BanUncommittedTransaction: Rule {
    static let description = RuleDescription(
        id: "ban-uncommitted-transaction", category: .migration, severity: .high,
        summary: "A BEGIN with no COMMIT or ROLLBACK before the end of the section.",
        finds: "a `BEGIN` never committed or rolled back before the end of a `transaction:false` section or a psql-run file",
        why: """
        The section ends with the transaction block still open, so nothing it did is committed: when \
        dbmate (or psql) closes its connection PostgreSQL rolls the block back. The deploy reports success while \
        the schema change is lost (and the schema_migrations row with it, when dbmate wrote it on the \
        same connection), and its locks are held until then. In a section the tool already wraps \
        (dbmate's default, Supabase), the stray BEGIN is a transaction-nesting finding instead.
        """,
        fix: """
        Close the block you open, or leave transactions to the tool:
          -- migrate:up transaction:false
          BEGIN;
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
          COMMIT;
        """,
        bad: [.migration("-- migrate:up transaction:false\nBEGIN;\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\n-- migrate:down\nSELECT 1;\n"),
              .migration("BEGIN;\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\n", kind: .psql)],
        good: [.migration("-- migrate:up transaction:false\nBEGIN;\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nCOMMIT;\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).files.flatMap { file -> [Finding] in
            [(file.up, file.file.up), (file.down, file.file.down)].compactMap { parsed, section -> Finding? in
                guard let parsed, let section, !section.transaction, file.file.kind != .supabase else { return nil }
                var open: SQLStatement?
                for statement in parsed.statements {
                    if statement.opensTransaction, open == nil { open = statement }
                    if statement.closesTransaction { open = nil }
                }
                guard let open else { return nil }
                return finding("BEGIN at line \(open.line) is never committed: the \(parsed.role.rawValue) section ends with the block open, and closing the connection rolls it back.",
                               at: open.location)
            }
        }
    }
}
