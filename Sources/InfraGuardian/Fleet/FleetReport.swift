import Foundation

/// One report over many databases (`audit` with several `--database-url` or `--targets`, `merge`):
/// each database's own audit report, what could not be audited or merged, a summary over all of
/// them and one gate. The summary and the gate are computed from the databases and the problems
/// alone, so merging the JSON reports of shards gives the summary and gate of one run over all.
///
/// As JSON (`kind: "fleet"`, fleet schema version 1): `schemaVersion`, `kind`, `title`,
/// `generatedAt`, `toolVersion`, `databases` (`[{"target", "report"}]`, each report an audit report
/// of schema version 2, ordered by target), `problems`, `summary` and `gate`.
public struct FleetReport: Sendable {
    public static let schemaVersion = 1
    public static let kind = "fleet"

    public var title = "Infrastructure Fleet Audit Report"
    public var generatedAt: Date
    public var toolVersion: String
    public private(set) var databases: [FleetDatabase]
    public private(set) var problems: [FleetProblem]
    public private(set) var summary: FleetSummary
    public private(set) var gate: GateVerdict

    /// Orders the databases by target (then by time, for the same target audited twice) and the
    /// problems by source, and computes the summary and the gate.
    public init(databases: [FleetDatabase], problems: [FleetProblem], generatedAt: Date,
                toolVersion: String = InfraGuardianVersion.current) {
        self.databases = databases.enumerated().sorted { left, right in
            (left.element.target, left.element.report.generatedAt, left.offset)
                < (right.element.target, right.element.report.generatedAt, right.offset)
        }.map(\.element)
        self.problems = problems.enumerated().sorted { ($0.element.source, $0.offset) < ($1.element.source, $1.offset) }
            .map(\.element)
        self.generatedAt = generatedAt
        self.toolVersion = toolVersion
        summary = FleetSummary(self.databases)
        gate = FleetSummary.gate(self.databases, problems: self.problems)
    }
}

/// One database of a fleet and its audit report, exactly as `audit` alone would give it.
public struct FleetDatabase: Codable, Sendable {
    /// The masked target (`report.targets.postgres`).
    public var target: String
    public var report: Report

    /// The targets are masked again: a merged report is a file, and a file may have been edited.
    public init(report: Report) {
        var report = report
        report.targets.postgres = report.targets.postgres.map(ConnectionTarget.maskedForDisplay)
        report.targets.redis = report.targets.redis.map(ConnectionTarget.maskedForDisplay)
        self.report = report
        target = report.targets.postgres ?? "PostgreSQL not configured"
    }
}

extension FleetReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case schemaVersion, kind, title, generatedAt, toolVersion, databases, problems, summary, gate
    }

    /// Reads what a fleet report holds (its databases and problems); the summary and the gate are
    /// computed again from them, never trusted from the file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decodeIfPresent(String.self, forKey: .kind)
        guard kind == Self.kind else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "not a fleet report (kind \(kind ?? "absent"))")
        }
        let version = try container.decode(Int.self, forKey: .schemaVersion)
        guard version == Self.schemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container,
                debugDescription: "fleet schema version \(version); this infra-guardian reads version \(Self.schemaVersion)")
        }
        self.init(databases: try container.decode([FleetDatabase].self, forKey: .databases).map { FleetDatabase(report: $0.report) },
                  problems: try container.decode([FleetProblem].self, forKey: .problems),
                  generatedAt: try container.decode(Date.self, forKey: .generatedAt),
                  toolVersion: try container.decode(String.self, forKey: .toolVersion))
        title = try container.decode(String.self, forKey: .title)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(title, forKey: .title)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(databases, forKey: .databases)
        try container.encode(problems, forKey: .problems)
        try container.encode(summary, forKey: .summary)
        try container.encode(gate, forKey: .gate)
    }
}
