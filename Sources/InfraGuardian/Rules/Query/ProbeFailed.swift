/// A configured probe that could not run at all.
struct ProbeFailed: Rule {
    static let description = RuleDescription(
        id: "probe-failed", category: .query, severity: .high,
        summary: "A probe (`probes:` in .infra-guardian.yml) failed: syntax error, timeout, missing table, or a write.",
        finds: "a configured probe errors (syntax, timeout, missing table)",
        why: """
        A probe measures a query the service depends on. When it fails, either the query is broken against \
        this schema (the service will fail the same way) or it exceeded statement_timeout — both need a look.
        """,
        fix: "Run the probe's SQL with its parameters in psql against the same database; fix the statement or the schema, or raise postgres.statement_timeout_ms if the query is legitimately long. Probes run read-only: a write cannot be a probe.",
        bad: [.postgres("probe with a syntax error") {
            PostgresSnapshot(probes: [ProbeResult(name: "lead-by-phone", runs: 20,
                                                  error: "ERROR: syntax error at or near \"SELEC\" (SQLSTATE 42601)")])
        }],
        good: [.postgres("probe measured") {
            PostgresSnapshot(probes: [ProbeResult(name: "lead-by-phone", runs: 20, latency: LatencySummary(
                samples: 20, p50Millis: 0.3, p95Millis: 0.4, p99Millis: 0.5, maxMillis: 0.5))])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.postgres.value?.probes ?? []).compactMap { probe in
            guard let error = probe.error else { return nil }
            return finding("Probe `\(probe.name)` failed: \(error)", at: .object("probe:\(probe.name)"))
        }
    }
}
