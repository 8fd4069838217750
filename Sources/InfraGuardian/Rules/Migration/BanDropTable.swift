/// DROP TABLE in an up section without an explicit approval.
struct BanDropTable: Rule {
    static let description = RuleDescription(
        id: "ban-drop-table", category: .migration, severity: .high,
        summary: "DROP TABLE destroys a table and its data.",
        finds: "up-section `DROP TABLE` without `-- infra-guardian:approve ban-drop-table <reason>`",
        why: """
        The seed forbids DROP TABLE without approval: the rows are gone (only a backup brings them back) \
        and code still using the table fails at once. Drops in the down section are the rollback itself \
        and are not flagged, nor are tables created earlier in the same migration.
        """,
        fix: """
        1. Remove every use of the table from the code, and deploy that.
        2. Check a backup exists (or rename the table to <name>_deprecated first and wait a release).
        3. Drop it in its own migration with an approval on the line above:
             -- infra-guardian:approve ban-drop-table replaced by lead_events, ticket INFRA-124
             DROP TABLE IF EXISTS legacy_leads;
        """,
        bad: [.migration("DROP TABLE IF EXISTS legacy_leads;")],
        good: [.migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n-- migrate:down\nDROP TABLE IF EXISTS leads;\n")],
        requiresApproval: true)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .dropStmt).flatMap { file, statement -> [Finding] in
            guard statement.kind == .dropStmt, statement.dropObjectType == .table else { return [] }
            return statement.droppedObjects
                .filter { !file.tablesCreatedHere.contains(SQLStatement.unqualified($0)) }
                .map { name in
                    let fix = FixText.approved("ban-drop-table", change: "DROP TABLE \(name)", statement: "DROP TABLE IF EXISTS \(name);", steps: [
                        "Remove every use of \(name) from the code (and views, functions, jobs), and deploy that.",
                        "Check a backup holds its data, or rename it to \(SQLStatement.unqualified(name))_deprecated first and wait a release."])
                    return finding("DROP TABLE \(name) without `-- infra-guardian:approve ban-drop-table <reason>`.",
                                   at: statement.location, fix: fix)
                }
        }
    }
}
