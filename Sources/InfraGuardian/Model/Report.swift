import Foundation

/// The Infrastructure Audit Report: one model, rendered as Markdown, JSON, HTML (and more later).
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
    public var gate: GateVerdict

    public struct Targets: Codable, Sendable, Equatable {
        public var postgres: String?
        public var redis: String?
        public var migrationFolders: [String]
    }
}

public struct AdapterCoverageRow: Codable, Sendable, Equatable {
    public var entity: String
    public var adapter: String
    public var hasPort: Bool
    public var hasTests: Bool
    public var status: HealthState
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
