import Foundation

/// The Infrastructure Audit Report: one model, rendered as Markdown, JSON, HTML (and more later).
///
/// As JSON (schema version 2, see `RulesTable`): the keys below plus `schemaVersion`; `rules` holds
/// each rule with an issue once, and an issue's finding has `fix` only when it differs from its
/// rule's generic fix. Decoding fills the generic fixes back in and reads version 1 too.
public struct Report: Codable, Sendable {
    public var title: String
    public var generatedAt: Date
    public var toolVersion: String
    public var targets: Targets
    public var components: [ComponentHealth]
    public var adapterCoverage: [AdapterCoverageRow]
    /// Why the adapter table is empty, when it is.
    public var adapterNote: String?
    public var migrations: [MigrationStatusEntry]
    public var migrationNote: String?
    public var performance: [PerformanceRow]
    public var performanceNote: String?
    public var issues: [ReportIssue]
    /// The rules with at least one issue, keyed by id: what they are and their generic fix.
    public var rules: [String: RuleEntry]
    public var gate: GateVerdict
    /// History and baseline findings (absent when there are none).
    public var exemptions: ExemptionSummary? = nil
    /// Each Redis instance's roles and key sample (absent without Redis).
    public var redis: [RedisInstanceSummary]? = nil

    public struct Targets: Codable, Sendable, Equatable {
        public var postgres: String?
        public var redis: String?
        public var migrationFolders: [String]
    }
}

/// Written by hand for the rules table; in an extension, so the memberwise initializer stays.
extension Report {
    private enum CodingKeys: String, CodingKey {
        case schemaVersion, title, generatedAt, toolVersion, targets, components, adapterCoverage, adapterNote,
             migrations, migrationNote, performance, performanceNote, issues, rules, gate, exemptions, redis
    }

    /// An issue as written: its id and its finding without the rule's generic fix.
    private struct IssueRecord: Codable {
        var id: String
        var finding: FindingRecord
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try RulesTable.checkVersion(container, key: .schemaVersion)
        title = try container.decode(String.self, forKey: .title)
        generatedAt = try container.decode(Date.self, forKey: .generatedAt)
        toolVersion = try container.decode(String.self, forKey: .toolVersion)
        targets = try container.decode(Targets.self, forKey: .targets)
        components = try container.decode([ComponentHealth].self, forKey: .components)
        adapterCoverage = try container.decode([AdapterCoverageRow].self, forKey: .adapterCoverage)
        adapterNote = try container.decodeIfPresent(String.self, forKey: .adapterNote)
        migrations = try container.decode([MigrationStatusEntry].self, forKey: .migrations)
        migrationNote = try container.decodeIfPresent(String.self, forKey: .migrationNote)
        performance = try container.decode([PerformanceRow].self, forKey: .performance)
        performanceNote = try container.decodeIfPresent(String.self, forKey: .performanceNote)
        let rules = try container.decodeIfPresent([String: RuleEntry].self, forKey: .rules) ?? [:]
        let path = container.codingPath + [CodingKeys.issues]
        issues = try container.decode([IssueRecord].self, forKey: .issues).map { record in
            ReportIssue(id: record.id, finding: try record.finding.finding(rules: rules, codingPath: path))
        }
        self.rules = rules
        gate = try container.decode(GateVerdict.self, forKey: .gate)
        exemptions = try container.decodeIfPresent(ExemptionSummary.self, forKey: .exemptions)
        redis = try container.decodeIfPresent([RedisInstanceSummary].self, forKey: .redis)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RulesTable.schemaVersion, forKey: .schemaVersion)
        try container.encode(title, forKey: .title)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(targets, forKey: .targets)
        try container.encode(components, forKey: .components)
        try container.encode(adapterCoverage, forKey: .adapterCoverage)
        try container.encodeIfPresent(adapterNote, forKey: .adapterNote)
        try container.encode(migrations, forKey: .migrations)
        try container.encodeIfPresent(migrationNote, forKey: .migrationNote)
        try container.encode(performance, forKey: .performance)
        try container.encodeIfPresent(performanceNote, forKey: .performanceNote)
        try container.encode(issues.map { IssueRecord(id: $0.id, finding: FindingRecord($0.finding, rules: rules)) },
                             forKey: .issues)
        try container.encode(rules, forKey: .rules)
        try container.encode(gate, forKey: .gate)
        try container.encodeIfPresent(exemptions, forKey: .exemptions)
        try container.encodeIfPresent(redis, forKey: .redis)
    }
}

/// One audited Redis in the JSON report: the roles it holds, what could not be read, and the key
/// sample (patterns and counts: estimates when `sample.sampledKeys` < `sample.totalKeys`).
public struct RedisInstanceSummary: Codable, Sendable, Equatable {
    /// The masked URL.
    public var target: String
    public var roles: [RedisRole]
    public var skipped: [String]?
    public var sample: RedisKeySample?

    public init(target: String, roles: [RedisRole], skipped: [String]? = nil, sample: RedisKeySample? = nil) {
        self.target = target
        self.roles = roles
        self.skipped = skipped
        self.sample = sample
    }
}

public struct AdapterCoverageRow: Codable, Sendable, Equatable {
    public var entity: String
    public var adapter: String
    public var hasPort: Bool
    public var hasTests: Bool
    public var status: HealthState
    /// The port's name (the first when several), when it has one.
    public var port: String?
    /// IDs of the findings on the adapter's file.
    public var findings: [String]?

    /// The Port, Tests and Status cells as the table shows them (`✅ LeadRepositoryPort`, `❌ I002`).
    public var cells: (port: String, tests: String, status: String) {
        let ids = findings ?? []
        return (hasPort ? "✅" + (port.map { " " + $0 } ?? "") : "❌",
                adapter == "—" ? "—" : hasTests ? "✅" : "❌",
                status.icon + (ids.isEmpty ? "" : " " + ids.joined(separator: ", ")))
    }
}

public struct PerformanceRow: Codable, Sendable, Equatable {
    public var query: String
    /// nil when the query could not be measured (a failed probe); `note` then says why.
    public var latency: LatencySummary?
    public var note: String?

    public init(query: String, latency: LatencySummary?, note: String? = nil) {
        self.query = query
        self.latency = latency
        self.note = note
    }
}

/// A finding with its report ID (I001...).
public struct ReportIssue: Codable, Sendable, Equatable {
    public var id: String
    public var finding: Finding
}
