import Foundation
import Testing
@testable import InfraGuardian

@Suite struct ReportRenderingTests {
    @Test func htmlRendersGFMTables() {
        #expect(HTMLRenderer.fragment("| a |\n|---|\n| b |\n").contains("<table>"))
    }

    static let sections = ["# Infrastructure Audit Report", "## Database Analysis", "## Adapter Coverage",
                           "## Migration Status", "## Performance Metrics", "## Issues Found", "## Quality Gate (Infra): "]

    func liveInput() -> AuditInput {
        var pg = PostgresSnapshot(serverVersion: "15.4", serverVersionNum: 150004,
                                  connections: ConnectionStats(total: 12, byState: ["idle": 12]),
                                  extensions: [Extension(name: "vector", version: "0.8.0")],
                                  pingMillis: [0.4, 0.5, 0.6])
        pg.migrationHistory = MigrationHistory(dbmate: [AppliedMigration(version: "202401011200")])
        let files = ["202401011200_create_leads", "202401021200_add_cases"].map {
            MigrationFileParser.parse(path: "db/migrations/\($0).sql", kind: .dbmate,
                                      text: "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
        }
        let redis = RedisSnapshot(info: ["server": ["redis_version": "7.2.4"], "memory": ["used_memory": "47185920"]],
                                  config: ["maxmemory-policy": "allkeys-lru"], pingMillis: [0.2, 0.3])
        return AuditInput(postgres: Collected(target: "postgres://app:***@db/medicalcor", value: pg),
                          redis: Collected(target: "redis://cache:6379/0", value: redis),
                          migrations: MigrationSet(folders: [MigrationFolder(path: "db/migrations", kind: .dbmate,
                                                                             exists: true, explicit: false)],
                                                   files: files))
    }

    @Test func markdownHasTheSeedSectionsInOrderAndEndsWithTheGate() throws {
        let report = ReportBuilder().build(liveInput(), configuration: Configuration())
        let markdown = try MarkdownRenderer().render(report)
        var cursor = markdown.startIndex
        for section in Self.sections {
            let found = try #require(markdown.range(of: section, range: cursor..<markdown.endIndex), "missing \(section)")
            cursor = found.upperBound
        }
        #expect(markdown.contains("| PostgreSQL | ✅ | v15.4, connections: 12/100"))
        #expect(markdown.contains("| Redis | ✅ | v7.2, memory: 45MB"))
        #expect(markdown.contains("| 202401021200_add_cases | ⏳ pending |"))
        #expect(markdown.contains("| I001 | Migration | MEDIUM |"))
        let lastHeading = try #require(markdown.split(separator: "\n").last { $0.hasPrefix("#") })
        #expect(lastHeading == "## Quality Gate (Infra): PASSED")
    }

    @Test func emptySectionsSayWhyInARow() throws {
        let report = ReportBuilder().build(AuditInput(), configuration: Configuration())
        let markdown = try MarkdownRenderer().render(report)
        #expect(markdown.contains("| — | — | — | — | ➖ No source tree given: pass --source DIR (or paths.source)"))
        // A source tree without adapters says so in the row too.
        let empty = ReportBuilder().build(AuditInput(sourceRoot: "src", adapters: AdapterGraph(root: "src")), configuration: Configuration())
        #expect(try MarkdownRenderer().render(empty).contains("| — | — | — | — | ➖ No persistence adapter or port found under src."))
        #expect(markdown.contains("No migration files found"))
        #expect(markdown.contains("No live database measured"))
        #expect(markdown.contains("No issues found by"))
        #expect(markdown.contains("| PostgreSQL | ➖ | not configured"))
        #expect(markdown.contains("## Quality Gate (Infra): PASSED"))
    }

    @Test func issueIDsAreStableAndWorstFirst() {
        var input = liveInput()
        input.redis.value?.info["server"]?["redis_version"] = "6.2.1"
        let report = ReportBuilder().build(input, configuration: Configuration())
        #expect(report.issues.map(\.id) == ["I001", "I002"])
        #expect(report.issues.map(\.finding.ruleID) == ["redis-version", "pending-migration"])
        #expect(!report.gate.passed)
        #expect(report.gate.reasons.first == "1 HIGH finding (I001)")
    }

    @Test func cellsCannotBreakTables() {
        let renderer = MarkdownRenderer()
        #expect(renderer.cell("a|b\nc") == "a\\|b c")
    }

    @Test func htmlHasRealTables() throws {
        let markdown = try MarkdownRenderer().render(ReportBuilder().build(liveInput(), configuration: Configuration()))
        let html = HTMLRenderer.render(markdown: markdown)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<table>"))
        #expect(html.contains("<h2>Quality Gate (Infra): PASSED</h2>"))
        #expect(!html.contains("| Component |"))
    }

    @Test func jsonRoundTrips() throws {
        let report = ReportBuilder().build(liveInput(), configuration: Configuration())
        let json = try JSONRenderer.render(report)
        let decoded = try JSONRenderer.decoder().decode(Report.self, from: Data(json.utf8))
        #expect(decoded.issues == report.issues)
        #expect(decoded.gate == report.gate)
    }

    @Test func snapshotRoundTripsAndAuditsTheSame() throws {
        let input = liveInput()
        let json = try JSONRenderer.render(input)
        let decoded = try JSONRenderer.decoder().decode(AuditInput.self, from: Data(json.utf8))
        let a = ReportBuilder().build(input, configuration: Configuration())
        let b = ReportBuilder().build(decoded, configuration: Configuration())
        #expect(a.issues == b.issues && a.components == b.components)
    }

    @Test func compiledTemplateMatchesTheShippedFile() throws {
        let file = try String(contentsOfFile: repositoryRoot + "/templates/report.md.mustache", encoding: .utf8)
        #expect(file == DefaultTemplates.reportMarkdown, "templates/report.md.mustache and DefaultTemplates.swift differ")
    }
}
