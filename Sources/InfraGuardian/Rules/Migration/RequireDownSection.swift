/// Every dbmate migration carries a usable rollback.
struct RequireDownSection: Rule {
    static let description = RuleDescription(
        id: "require-down-section", category: .migration, severity: .high,
        summary: "A dbmate migration has no usable `-- migrate:down` section.",
        why: """
        The seed requires a rollback section in every migration. Without one, `dbmate rollback` does \
        nothing and an incident becomes a manual, unreviewed repair on production data.
        """,
        fix: "Add `-- migrate:down` with statements that undo the up section in reverse order, using IF EXISTS.",
        bad: [.migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n"),
              .migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n-- migrate:down\n-- nothing\n")],
        good: [.migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n-- migrate:down\nDROP TABLE IF EXISTS leads;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.migrations.files.compactMap { file in
            guard file.kind == .dbmate, file.contents != nil, file.up != nil else { return nil }
            guard let down = file.down else {
                return finding("\(file.fileName) has no `-- migrate:down` section.", at: Location(file: file.path, line: 1))
            }
            guard down.hasStatements else {
                return finding("The `-- migrate:down` section of \(file.fileName) holds no statement.",
                               at: Location(file: file.path, line: max(1, down.startLine - 1)))
            }
            return nil
        }
    }
}
