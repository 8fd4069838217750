import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `infra-guardian lint` as a process on input meant to crash it or hide something (issue 9): it
/// exits 1 with a rendered report, never with a signal.
@Suite struct LintHostileInputTests {
    static let deepStatements = [
        "SELECT 1" + String(repeating: "+1", count: 70_000),
        "SELECT 'a'" + String(repeating: "||'a'", count: 70_000),
        "SELECT " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
    ]

    @Test(arguments: deepStatements)
    func deepStatementIsAFindingNotACrash(_ deep: String) throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_deep.sql",
                            "-- migrate:up\nSELECT 1;\n\(deep);\nDROP TABLE IF EXISTS users;\n-- migrate:down\nSELECT 1;\n")
        for format in ["text", "json"] {
            let result = try CommandLineRunner.run(["lint", "--format", format], in: directory.path)
            #expect(result.exitCode == 1, "exit \(result.exitCode): \(result.stderr.prefix(500))")
            #expect(result.stdout.contains("too deeply nested for the parser"))
            #expect(result.stdout.contains("sql-syntax-error"))
            #expect(result.stdout.contains("ban-drop-table"), "the statement after the deep one was not linted")
        }
        let text = try CommandLineRunner.run(["lint"], in: directory.path)
        #expect(text.stdout.contains("db/migrations/202401011200_deep.sql:3:"))
        #expect(text.stdout.contains("Quality Gate (Infra): FAILED"))
    }

    @Test func nulByteIsReportedAndWhatFollowsIsLinted() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_nul.sql",
                            Data("-- migrate:up\nSELECT 1;\0 DROP TABLE users;\n-- migrate:down\nSELECT 1;\n".utf8))
        let result = try CommandLineRunner.run(["lint"], in: directory.path)
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.stdout.contains("db/migrations/202401011200_nul.sql:2:10: high: A NUL byte"))
        #expect(result.stdout.contains("[nul-byte-in-migration]"))
        #expect(result.stdout.contains("db/migrations/202401011200_nul.sql:2:12: high: DROP TABLE users"))
    }

    @Test func controlCharactersInAFileNameNeverReachTheOutputRaw() throws {
        let directory = try TemporaryDirectory()
        try directory.write("db/migrations/202401011200_x\u{1B}[31mred\nforged.sql", "-- migrate:up\nCREATE INDEX i ON t (a);\n")
        for format in ["text", "github", "md", "junit"] {
            let result = try CommandLineRunner.run(["lint", "--format", format], in: directory.path)
            #expect(result.exitCode == 1, "\(format): \(result.output)")
            #expect(!result.stdout.unicodeScalars.contains("\u{1B}"), "\(format) printed a raw ESC")
            #expect(!result.stdout.contains("red\nforged"), "\(format) printed a raw newline of the file name")
            if format != "junit" { #expect(result.stdout.contains("\\u{1B}[31mred\\u{A}forged.sql"), "\(format)") }
        }
    }
}
