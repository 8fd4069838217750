/// DROP DATABASE in an up section.
struct BanDropDatabase: Rule {
    static let description = RuleDescription(
        id: "ban-drop-database", category: .migration, severity: .critical,
        summary: "DROP DATABASE in a migration destroys a whole database.",
        finds: "up-section `DROP DATABASE` without `-- infra-guardian:approve ban-drop-database <reason>`",
        why: """
        Every table, row, role grant and extension of the database is gone, and only a backup brings \
        them back. A schema migration has no business dropping a database: if it runs against the wrong \
        target (a production URL in the environment), the damage is total. PostgreSQL refuses it inside \
        a transaction block, so it also fails in a default dbmate migration.
        """,
        fix: """
        Drop databases by hand, as an operational task with its own checklist (backup verified, target
        double-checked), not in a migration. If a migration really must, approve it explicitly:
          -- infra-guardian:approve ban-drop-database scratch database of the import job, ticket INFRA-130
          DROP DATABASE IF EXISTS import_scratch;
        """,
        bad: [.migration("DROP DATABASE IF EXISTS legacy_crm;")],
        good: [.migration("-- migrate:up\nCREATE SCHEMA IF NOT EXISTS crm;\n-- migrate:down\nDROP SCHEMA IF EXISTS crm;\n")],
        requiresApproval: true)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .dropdbStmt).compactMap { _, statement in
            guard statement.kind == .dropdbStmt else { return nil }
            return finding("DROP DATABASE \(statement.node[.dbname].string ?? "?") without `-- infra-guardian:approve ban-drop-database <reason>`.",
                           at: statement.location)
        }
    }
}
