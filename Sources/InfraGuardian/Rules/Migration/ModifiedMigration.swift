/// The seed's first NEVER: modifying a migration file that existed before (and may be applied).
struct ModifiedMigration: Rule {
    static let description = RuleDescription(
        id: "modified-migration", category: .migration, severity: .critical,
        summary: "A migration that existed at the base revision was changed or deleted.",
        finds: "with `--base REF`: a migration that existed at the base was changed or deleted (never edit an applied migration)",
        why: """
        Databases that already ran the old text will never run the new one: environments drift apart \
        silently, and a rebuild from the files no longer matches production. The seed forbids it outright.
        """,
        fix: "Restore the original file (`git checkout BASE -- FILE`) and put the change in a new migration with a later timestamp.",
        bad: [RuleExample("db/migrations/202401011200_create_leads.sql changed since origin/main") {
            var file = MigrationFileParser.parse(path: "db/migrations/202401011200_create_leads.sql", kind: .dbmate,
                                                 text: "-- migrate:up\nSELECT 2;\n-- migrate:down\nSELECT 1;\n")
            file.baseState = .modified
            return AuditInput(migrations: MigrationSet(files: [file], base: "origin/main"))
        }],
        good: [RuleExample("db/migrations/202402011200_add_index.sql added since origin/main") {
            var file = MigrationFileParser.parse(path: "db/migrations/202402011200_add_index.sql", kind: .dbmate,
                                                 text: "-- migrate:up\nSELECT 2;\n-- migrate:down\nSELECT 1;\n")
            file.baseState = .added
            return AuditInput(migrations: MigrationSet(files: [file], base: "origin/main"))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let base = input.migrations.base ?? "the base"
        let modified = input.migrations.files.filter { $0.baseState == .modified }.map { file in
            finding("\(file.fileName) existed at \(base) and has been modified.", at: Location(file: file.path, line: 1))
        }
        let deleted = input.migrations.deletedSinceBase.map { path in
            finding("\(path) existed at \(base) and has been deleted.", at: Location(file: path))
        }
        let failed = input.migrations.baseError.map { [finding("\($0).", at: Location(object: "git"),
                                                               fix: "Pass a revision that exists (fetch it first in CI: `git fetch origin main`).")] } ?? []
        return modified + deleted + failed
    }
}
