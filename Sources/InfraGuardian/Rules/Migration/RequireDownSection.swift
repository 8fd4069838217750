/// Every dbmate migration carries a usable rollback.
struct RequireDownSection: Rule {
    static let description = RuleDescription(
        id: "require-down-section", category: .migration, severity: .high,
        summary: "A dbmate migration has no usable `-- migrate:down` section.",
        finds: "a dbmate file without a usable `-- migrate:down` section",
        why: """
        The seed requires a rollback section in every migration. Without one, `dbmate rollback` does \
        nothing and an incident becomes a manual, unreviewed repair on production data.
        """,
        fix: "Add `-- migrate:down` with statements that undo the up section in reverse order, using IF EXISTS.",
        bad: [.migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n", at: .line(1)),
              .migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n-- migrate:down\n-- nothing\n", at: .line(3))],
        good: [.migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n-- migrate:down\nDROP TABLE IF EXISTS leads;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.migrations.files.compactMap { file in
            guard file.kind == .dbmate, file.contents != nil, file.up != nil else { return nil }
            guard let down = file.down else {
                return finding("\(file.fileName) has no `-- migrate:down` section.", at: Location(file: file.path, line: 1))
            }
            guard Self.holdsStatement(down.text) ?? down.hasStatements else {
                return finding("The `-- migrate:down` section of \(file.fileName) holds no statement.",
                               at: Location(file: file.path, line: max(1, down.startLine - 1)))
            }
            return nil
        }
    }

    /// `MigrationSection.hasStatements` read from the bytes: the first line that is not blank decides
    /// (a statement, or a `--` comment to skip). Nil when a line it reads needs Unicode rules (a
    /// non-ASCII character where trimming or `--` could depend on it, or a carriage return, which
    /// joins the line with the next one); then `hasStatements` answers.
    static func holdsStatement(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
            let carriageReturn = UInt8(ascii: "\r"), dash = UInt8(ascii: "-")
            var i = 0
            while i < bytes.count {
                while i < bytes.count, bytes[i] == space || bytes[i] == tab { i += 1 }
                guard i < bytes.count else { return false }
                let first = bytes[i]
                if first == newline { i += 1; continue }  // a blank line
                if first >= 0x80 || first == carriageReturn { return nil }
                guard first == dash, i + 1 < bytes.count, bytes[i + 1] == dash else { return true }
                // A comment line, unless a combining mark joins the second "-" into another character.
                if i + 2 < bytes.count, bytes[i + 2] >= 0x80 { return nil }
                while i < bytes.count, bytes[i] != newline {
                    if bytes[i] == carriageReturn { return nil }
                    i += 1
                }
                i += 1
            }
            return false
        }
    }
}
