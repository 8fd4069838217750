import Foundation
import Testing
@testable import InfraGuardian

/// Collection at scale on a real PostgreSQL 15: a schema of 2,000 tables, 8,000 indexes and 4,000
/// foreign keys (the benchmark's full size, `scripts/bench/live-audit-scale`) costs the same number of
/// catalog queries as a small one, every object comes back, the rules find exactly the smells the
/// generator planted, and the report's Issues Found stays one screen (a rule above
/// `report.max_rows_per_rule` is one summary row). Timing is the benchmark's business: no clock here.
@Suite(.integration) struct ScaleTests {
    static let small = LargeSchema.Size(tables: 12, indexes: 48, foreignKeys: 24, partitioned: 1)
    static let large = LargeSchema.Size(tables: 2_000, indexes: 8_000, foreignKeys: 4_000, partitioned: 10)

    /// Loads the schema into a scratch database (dropped on return) and collects it.
    private func load(_ size: LargeSchema.Size) throws -> (LargeSchema, PostgresSnapshot) {
        let schema = try LargeSchema(size)
        let database = try ScratchDatabase(on: .pg15)
        try database.execute(schema.sql)
        let collected = PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings())
        let snapshot = try #require(collected.value, "collection of \(size) failed: \(collected.error ?? "no error")")
        return (schema, snapshot)
    }

    /// The catalog's view of the schema, in the generator's terms.
    private func counts(_ snapshot: PostgresSnapshot) -> LargeSchema.Expected {
        let byType = Dictionary(grouping: snapshot.constraints, by: \.type).mapValues(\.count)
        return LargeSchema.Expected(
            tables: snapshot.tables.count, indexes: snapshot.indexes.count,
            constraints: .init(p: byType["p"] ?? 0, f: byType["f"] ?? 0, u: byType["u"] ?? 0, c: byType["c"] ?? 0),
            partitionedTables: snapshot.tables.filter { $0.kind == "p" }.count,
            vectorColumns: snapshot.vectorColumns.count,
            unindexedForeignKeys: 0, duplicateIndexes: 0)
    }

    /// One test, so the large schema is loaded once.
    @Test func largeSchemaCostsTheSameQueriesComesBackWholeAndFindsThePlantedSmells() throws {
        let (smallSchema, smallSnapshot) = try load(Self.small)
        #expect(counts(smallSnapshot) == Self.withoutSmells(smallSchema.expected))

        let (largeSchema, largeSnapshot) = try load(Self.large)
        let expected = largeSchema.expected
        #expect(expected.tables >= 2_000 && expected.indexes >= 8_000 && expected.constraints.f >= 4_000)
        #expect(counts(largeSnapshot) == Self.withoutSmells(expected))
        #expect(largeSnapshot.columns.count > 10 * expected.tables)
        #expect(Set(largeSnapshot.tables.map(\.schema)).count == 8)
        #expect(largeSnapshot.tables.filter { $0.partitionOf != nil }.count == 2 * expected.partitionedTables)

        // The absolute number (catalog, maintenance, migration history...) is PostgresCollectorTests' business.
        #expect(largeSnapshot.queryCount == smallSnapshot.queryCount)
        #expect(largeSnapshot.queryCount > 0)

        // The rules see every object: they report the planted smells, once each, and nothing else of theirs.
        let input = AuditInput(postgres: Collected(target: "postgres://scale", value: largeSnapshot),
                               collectedAt: largeSnapshot.collectedAt)
        let byRule = Dictionary(grouping: Evaluator().evaluate(input, configuration: Configuration()), by: \.ruleID)
            .mapValues(\.count)
        #expect(byRule["fk-without-index"] == expected.unindexedForeignKeys)
        #expect((byRule["duplicate-index"] ?? 0) == expected.duplicateIndexes)
        #expect(byRule["redundant-index"] == nil)
        #expect(byRule["table-without-primary-key"] == nil)
        #expect(byRule["invalid-index"] == nil)

        // The report stays one screen: a rule above report.max_rows_per_rule is one summary row.
        try expectIssuesFoundFitsAScreen(input)
    }

    private func expectIssuesFoundFitsAScreen(_ input: AuditInput) throws {
        let report = ReportBuilder().build(input, configuration: Configuration())
        let limit = ReportSettings.defaultMaxRowsPerRule
        let byRule = Dictionary(grouping: report.issues, by: \.finding.ruleID).mapValues(\.count)
        let markdown = try MarkdownRenderer().render(report)
        let rows = Self.rows(markdown, in: "## Issues Found")
        #expect(byRule.values.contains { $0 > limit }, "no rule above the limit: \(byRule)")
        #expect(rows.count == byRule.values.reduce(0) { $0 + ($1 > limit ? 1 : $1) })
        #expect(rows.count <= 25, "Issues Found has \(rows.count) rows")
        for (rule, count) in byRule where count > limit {
            #expect(rows.contains { $0.contains("`\(rule)`: \(count) findings (worst: ") }, "no summary row for \(rule)")
        }
        let details = try MarkdownRenderer(details: true).render(report)
        #expect(Self.rows(details, in: "## Issues Found").count == rows.count)
        #expect(Self.rows(details, in: "## Details").count == report.issues.count)
        #expect(Self.rows(try MarkdownRenderer(maxRowsPerRule: 0).render(report), in: "## Issues Found").count
            == report.issues.count)
    }

    /// The finding rows of one section of the report.
    private static func rows(_ markdown: String, in heading: String) -> [Substring] {
        guard let start = markdown.range(of: "\n\(heading)\n") else { return [] }
        let section = markdown[start.upperBound...]
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        return section[..<end].split(separator: "\n").filter { $0.hasPrefix("| I") && !$0.hasPrefix("| ID |") }
    }

    /// The smells are not catalog counts: compare the rest.
    private static func withoutSmells(_ expected: LargeSchema.Expected) -> LargeSchema.Expected {
        var plain = expected
        plain.unindexedForeignKeys = 0
        plain.duplicateIndexes = 0
        return plain
    }
}
