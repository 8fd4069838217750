/// A migration file the database has not recorded as applied.
struct PendingMigration: Rule {
    static let description = RuleDescription(
        id: "pending-migration", category: .migration, severity: .medium,
        summary: "A migration file has not been applied to the audited database.",
        finds: "a migration file not applied to the audited database",
        why: """
        The code that ships expects the schema its migrations describe. A pending migration means the \
        database and the code disagree, and the seed counts any pending migration as not healthy.
        """,
        fix: "Apply it (`dbmate up` or `supabase db push`) after testing it in staging, or remove the file if it was abandoned.",
        bad: [.migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);", applied: [], at: .line(1))],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);", applied: ["202401011200"])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let history = input.postgres.value?.migrationHistory else { return [] }
        return MigrationStatusResolver.resolve(input.migrations, history: history)
            .filter { $0.state == .pending }
            .map { entry in
                finding("Migration \(entry.name) is not applied to the database.",
                        at: Location(file: entry.path, line: 1))
            }
    }
}
