import Foundation
import InfraGuardian
import InfraGuardianTestSupport
import Testing

/// The library's one entry point: what every command (and the agent and MCP server next) loads.
@Suite struct SessionTests {
    @Test func loadsTheConfigurationOfItsDirectoryAndChecksRuleSettings() throws {
        let folder = try TemporaryDirectory()
        try folder.write(".infra-guardian.yml", "rules:\n  no-such-rule: off\n")
        #expect(throws: ConfigurationError.self) { try Session(SessionOptions(directory: folder.path)) }
        // `rules` and `explain` list rules without judging the settings.
        let listing = try Session(SessionOptions(directory: folder.path, validateRuleSettings: false))
        #expect(listing.rules.contains { $0.ruleDescription.id == "require-down-section" })
    }

    @Test func lintsTheConfiguredFoldersAndRendersEveryFormat() throws {
        let folder = try TemporaryDirectory()
        try folder.write("db/migrations/202401011200_add.sql",
                         "-- migrate:up\nCREATE INDEX idx_leads_phone ON leads (phone);\n-- migrate:down\nDROP INDEX idx_leads_phone;\n")
        let session = try Session(SessionOptions(directory: folder.path))
        let report = try session.lint()
        let finding = try #require(report.findings.first { $0.ruleID == "require-concurrent-index" })
        #expect(finding.location.line == 2)
        #expect(!report.gate.passed)
        for format in LintFormat.allCases {
            #expect(session.render(report, as: format).contains("require-concurrent-index"), "format \(format)")
        }
    }

    @Test func nothingToLintIsASessionErrorNamingWhereItLooked() throws {
        let folder = try TemporaryDirectory()
        let session = try Session(SessionOptions(directory: folder.path))
        #expect { try session.lint() } throws: { error in
            "\(error)".contains("no migration files to lint (looked in db/migrations, supabase/migrations)")
        }
    }

    @Test func theSourceRootIsCarriedIntoTheInput() throws {
        let folder = try TemporaryDirectory()
        let session = try Session(SessionOptions(directory: folder.path, sourceRoot: "src/adapters",
                                                 environment: [:]))
        #expect(session.collect().sourceRoot == folder.path + "/src/adapters")
        let absolute = try Session(SessionOptions(directory: folder.path, sourceRoot: "/srv/app", environment: [:]))
        #expect(absolute.collect().sourceRoot == "/srv/app")
        #expect(try Session(SessionOptions(directory: folder.path, environment: [:])).collect().sourceRoot == nil)
    }

    /// Called from many tasks at once, the async API finishes them all: its work never holds the
    /// cooperative pool's threads (two on this machine), so more calls than threads cannot starve it.
    @Test func theAsyncAPIServesMoreCallersThanTheCooperativePoolHasThreads() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("db/migrations/202401011200_add.sql", "-- migrate:up\nALTER TABLE leads ADD COLUMN note text;\n")
        let session = try Session(SessionOptions(directory: folder.path, environment: [:]))
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try await session.lint().files } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 1, count: 16))
        let report = await session.audit()
        #expect(report.components.contains { $0.component.lowercased().contains("postgres") })
    }
}
