import Foundation

/// `infra-guardian redis`: every configured Redis judged by what its keyspaces are for, alone.
public struct RedisReport: Codable, Sendable {
    public var components: [ComponentHealth]
    public var instances: [RedisInstanceSummary]
    public var findings: [Finding]
    public var gate: GateVerdict
}

extension Session {
    /// Reads the configured Redis instances (configuration, access, slow log, bounded key sample) and
    /// runs the Redis rules; gated like an audit (an unreachable instance fails it).
    public func redis(now: Date = Date()) -> RedisReport {
        let (main, others) = Auditor.collectRedis(options.auditRequest, configuration: configuration, now: now)
        var input = AuditInput(redis: main, collectedAt: now)
        input.additionalRedis = others.isEmpty ? nil : others
        let rules = evaluator.rules.filter { rule in
            let description = rule.ruleDescription
            return description.category == .redis || description.id.hasPrefix("redis-")
        }
        let findings = Evaluator(rules: rules).evaluate(input, configuration: configuration)
        let components = HealthEvaluator.components(input, configuration).filter { $0.component.hasPrefix("Redis") }
        let gate = QualityGate.evaluate(findings: findings, issueID: { Finding.issueID($0 + 1) }, components: components,
                                        policy: configuration.gate, incomplete: input.incompleteParts)
        return RedisReport(components: components, instances: ReportBuilder.redisSummaries(input) ?? [],
                           findings: findings, gate: gate)
    }

    public func redis(now: Date = Date()) async -> RedisReport { await Self.offPool { redis(now: now) } }

    /// Markdown: each instance's row, its busiest namespaces, the findings and the gate.
    public static func markdown(_ report: RedisReport) -> String {
        var lines = ["# Redis by role", "", "| Component | Status | Details |", "|-----------|--------|---------|"]
        for component in report.components {
            lines.append("| \(Linter.cell(component.component)) | \(component.state.icon) | \(Linter.cell(component.details)) |")
        }
        for instance in report.instances {
            guard let sample = instance.sample, !sample.namespaces.isEmpty else { continue }
            lines += ["", "## Namespaces of \(Linter.cell(instance.target)) (sampled)", "",
                      "| Pattern | Keys | Memory |", "|---------|------|--------|"]
            for namespace in sample.namespaces {
                lines.append("| `\(Linter.cell(namespace.pattern))` | \(Format.grouped(Int64(namespace.keys))) | \(Format.bytes(namespace.memoryBytes)) |")
            }
        }
        lines += issuesAndGate(report.findings, report.gate)
        return lines.joined(separator: "\n") + "\n"
    }
}
