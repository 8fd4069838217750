/// A NUL byte in a migration file: C-string tools (psql, libpq, libpg_query) stop reading at it, so
/// whatever follows it is invisible to some tools and not to others.
struct NulByteInMigration: Rule {
    static let description = RuleDescription(
        id: "nul-byte-in-migration", category: .migration, severity: .high,
        summary: "A migration file contains a NUL byte (\\0).",
        finds: "a NUL byte in a migration file (line:column; C-string tools cut the file there); the rest of the file is still linted, the NUL read as a space",
        why: """
        Text after a NUL byte is cut off by every tool that handles SQL as a C string (libpq sends the \
        query only up to it; PostgreSQL refuses it in a query string), so what runs is not what reviewers \
        read. The linter reports the byte, then lints the rest of the file with the NUL read as a space, \
        so nothing after it goes unchecked.
        """,
        fix: "Remove the NUL byte (often an editor or encoding accident: save the file as plain UTF-8).",
        bad: [RuleExample("SELECT 1;\\0 DROP TABLE users;  -- \\0 is a NUL byte in the file") {
            example("-- migrate:up\nSELECT 1;\u{0} DROP TABLE IF EXISTS users;\n-- migrate:down\nSELECT 1;\n")
        }],
        good: [.migration("SELECT 1;")])

    /// At most this many findings per file (a binary file would have thousands).
    static let maximumPerFile = 20

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.migrations.files.flatMap { file -> [Finding] in
            guard let contents = file.contents else { return [] }
            let positions = Self.nulPositions(in: contents)
            return positions.prefix(Self.maximumPerFile).enumerated().map { index, position in
                var message = "A NUL byte at line \(position.line), column \(position.column): "
                    + "the rest of the file is cut off for tools that read SQL as a C string."
                if index == Self.maximumPerFile - 1, positions.count > Self.maximumPerFile {
                    message += " \(positions.count - Self.maximumPerFile) more lines with NUL bytes are not listed."
                }
                return finding(message, at: Location(file: file.path, line: position.line, column: position.column))
            }
        }
    }

    /// Line and column (1-based, in characters) of the first NUL byte of each line that has one.
    static func nulPositions(in contents: String) -> [(line: Int, column: Int)] {
        var contents = contents
        return contents.withUTF8 { bytes in
            guard bytes.contains(0) else { return [] }
            var positions: [(line: Int, column: Int)] = []
            var line = 1, column = 1, reported = 0
            for byte in bytes {
                if byte == 0x0A {
                    line += 1
                    column = 1
                    continue
                }
                if byte == 0, reported != line {
                    positions.append((line, column))
                    reported = line
                }
                if byte & 0xC0 != 0x80 { column += 1 }
            }
            return positions
        }
    }

    private static func example(_ text: String) -> AuditInput {
        let file = MigrationFileParser.parse(path: "db/migrations/202401011200_example.sql", kind: .dbmate, text: text)
        return AuditInput(migrations: MigrationSet(
            folders: [MigrationFolder(path: "db/migrations", kind: .dbmate, exists: true, explicit: false)], files: [file]))
    }
}
