/// A version the database recorded for which no file exists any more.
struct AppliedMigrationMissingFile: Rule {
    static let description = RuleDescription(
        id: "applied-migration-missing-file", category: .migration, severity: .high,
        summary: "The database recorded a migration whose file is missing from the repository.",
        finds: "a version recorded in `schema_migrations` with no file",
        why: """
        Migration history is append-only: a deleted or renamed file means the repository can no longer \
        rebuild the schema it runs on, and a rollback has nothing to roll back with.
        """,
        fix: "Restore the file from version control under its original name; never delete or rename an applied migration.",
        bad: [.migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);",
                         applied: ["202401011200", "202312010900"],
                         at: .object("public.schema_migrations:202312010900"))],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);", applied: ["202401011200"])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let history = input.postgres.value?.migrationHistory else { return [] }
        return MigrationStatusResolver.resolve(input.migrations, history: history)
            .filter { $0.state == .appliedMissingFile }
            .map { entry in
                let table = entry.kind == .dbmate ? "public.schema_migrations" : "supabase_migrations.schema_migrations"
                return finding("Version \(entry.version ?? entry.name) is recorded in \(table) but no migration file has it.",
                               at: .object("\(table):\(entry.version ?? entry.name)"))
            }
    }
}
