/// Migration files and folders the tool could not read: an audit with holes must say so.
struct UnreadableMigration: Rule {
    static let description = RuleDescription(
        id: "migration-unreadable", category: .migration, severity: .high,
        summary: "A migration folder or file could not be read (missing, not a folder, permission denied, not UTF-8).",
        finds: "a migration folder or file is missing, unreadable or not UTF-8",
        why: "What cannot be read cannot be checked; a gate that passed over it would certify an unknown.",
        fix: "Fix the path in `.infra-guardian.yml` (paths.migrations) or `--migrations`, the file's permissions, or save the file as UTF-8.",
        bad: [RuleExample("paths.migrations: [db/migrationz]  # the folder does not exist") {
            AuditInput(migrations: MigrationSet(folders: [MigrationFolder(
                path: "db/migrationz", kind: .dbmate, exists: false, explicit: true,
                error: "migration folder db/migrationz does not exist")]))
        }],
        good: [.migration("SELECT 1;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let folders = input.migrations.folders.compactMap { folder in
            folder.error.map { finding("\($0).", at: Location(file: folder.path)) }
        }
        let files = input.migrations.files.compactMap { file in
            file.readError.map { finding("\(file.fileName): \($0).", at: Location(file: file.path)) }
        }
        return folders + files
    }
}
