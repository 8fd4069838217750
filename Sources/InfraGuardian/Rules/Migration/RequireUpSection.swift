/// dbmate refuses a file without `-- migrate:up`.
struct RequireUpSection: Rule {
    static let description = RuleDescription(
        id: "require-up-section", category: .migration, severity: .high,
        summary: "A dbmate migration has no `-- migrate:up` marker, so dbmate refuses to run it.",
        finds: "a dbmate file without `-- migrate:up`",
        why: "dbmate only runs the text after `-- migrate:up`; without the marker the deploy fails at this file.",
        fix: "Start the file with `-- migrate:up` (add ` transaction:false` for CREATE INDEX CONCURRENTLY) and end it with a `-- migrate:down` section.",
        bad: [RuleExample("CREATE TABLE leads (id uuid PRIMARY KEY); -- without markers") {
            AuditInput(migrations: MigrationSet(files: [MigrationFileParser.parse(
                path: "db/migrations/202401011200_create_leads.sql", kind: .dbmate,
                text: "CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n")]))
        }],
        good: [.migration("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.migrations.files.compactMap { file in
            guard file.kind == .dbmate, file.contents != nil, file.up == nil else { return nil }
            return finding("\(file.fileName) has no `-- migrate:up` marker.", at: Location(file: file.path, line: 1))
        }
    }
}
