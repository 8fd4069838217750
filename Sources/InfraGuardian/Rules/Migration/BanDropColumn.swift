/// DROP COLUMN in an up section without an explicit approval.
struct BanDropColumn: Rule {
    static let description = RuleDescription(
        id: "ban-drop-column", category: .migration, severity: .high,
        summary: "ALTER TABLE … DROP COLUMN destroys data and breaks code still reading the column.",
        finds: "up-section `DROP COLUMN` without `-- infra-guardian:approve ban-drop-column <reason>`",
        why: """
        The seed forbids DROP COLUMN without approval: the data is gone (only a backup brings it back), and \
        any deployed code that still selects or writes the column fails at once. A rollback section cannot \
        restore the values. Drops in the down section are the rollback itself and are not flagged.
        """,
        fix: """
        1. Stop reading and writing the column in the code, and deploy that.
        2. Check a backup exists.
        3. In a later migration, drop it with an approval on the line above:
             -- infra-guardian:approve ban-drop-column unused since release 4.2, ticket INFRA-123
             ALTER TABLE leads DROP COLUMN IF EXISTS legacy_source;
        """,
        bad: [.migration("ALTER TABLE leads DROP COLUMN IF EXISTS legacy_source;")],
        good: [.migration("-- migrate:up\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\n-- migrate:down\nALTER TABLE leads DROP COLUMN IF EXISTS source;\n")],
        requiresApproval: true)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(withAlterCommands: [.dropColumn]).flatMap { _, statement -> [Finding] in
            guard statement.targetExistedBefore, let table = statement.targetTable, let alter = statement.alterTable else { return [] }
            return alter.commands(.dropColumn).map { command in
                let column = command.name ?? "?"
                let text = "ALTER TABLE \(ConstraintFixText.relation(statement)) DROP COLUMN IF EXISTS \(quoteIdentifier(column));"
                let fix = FixText.approved("ban-drop-column", change: "DROP COLUMN \(table).\(column)", statement: text, steps: [
                    "Stop reading and writing \(table).\(column) in the code, and deploy that.",
                    "Check a backup holds its data (or copy what must be kept)."])
                return finding("DROP COLUMN \(table).\(column) without `-- infra-guardian:approve ban-drop-column <reason>`.",
                               at: statement.location, fix: fix)
            }
        }
    }
}
