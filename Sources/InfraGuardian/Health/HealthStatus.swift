import Foundation

/// The seed's `HealthStatus`: `{ status, checks[], timestamp }`.
public struct HealthStatus: Codable, Sendable {
    public struct Check: Codable, Sendable {
        public var name: String
        public var status: HealthState
        public var details: String
        /// Median round trip, where one was measured.
        public var latencyMs: Double?
    }

    public var status: HealthState
    public var checks: [Check]
    public var timestamp: Date

    public init(input: AuditInput, configuration: Configuration) {
        let components = HealthEvaluator.components(input, configuration)
        let latency: [String: Double] = [
            "PostgreSQL": input.postgres.value.flatMap { Percentiles.median($0.pingMillis) },
            "Redis": input.redis.value.flatMap { Percentiles.median($0.pingMillis) },
        ].compactMapValues { $0 }
        checks = components.map { Check(name: $0.component, status: $0.state, details: $0.details, latencyMs: latency[$0.component]) }
        status = HealthEvaluator.overall(components)
        timestamp = input.collectedAt
    }

    public var text: String {
        var lines = ["status: \(status.rawValue)"]
        for check in checks {
            lines.append("\(check.status.icon) \(check.name): \(check.status.rawValue) — \(check.details)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
