/// A configured probe whose P95 exceeds its `budget_ms`.
struct ProbeOverBudget: Rule {
    static let description = RuleDescription(
        id: "probe-over-budget", category: .query, severity: .medium,
        summary: "A probe (`probes:` in .infra-guardian.yml) has a P95 latency above its budget_ms.",
        finds: "a probe's P95 above its `budget_ms` (under 20 runs there is no P95: its P50 above the budget)",
        why: """
        Probes are the queries the team declared critical, with the latency they promised. A P95 above the \
        budget means one call in twenty is already slower than the service can afford. Under 20 runs a \
        P95 is only the slowest run, so the probe is reported only when its median is over the budget.
        """,
        fix: "EXPLAIN (ANALYZE, BUFFERS) the probe's statement; add the missing index (see index-advice findings) or rewrite it, then re-run the audit.",
        bad: [.postgres("lead-by-phone: P95 38 ms, budget 10 ms") {
            PostgresSnapshot(probes: [ProbeResult(name: "lead-by-phone", runs: 20, latency: LatencySummary(
                samples: 20, p50Millis: 30, p95Millis: 38, p99Millis: 41, maxMillis: 41), budgetMillis: 10)])
        }],
        good: [.postgres("lead-by-phone: P95 0.4 ms, budget 10 ms") {
            PostgresSnapshot(probes: [ProbeResult(name: "lead-by-phone", runs: 20, latency: LatencySummary(
                samples: 20, p50Millis: 0.3, p95Millis: 0.4, p99Millis: 0.5, maxMillis: 0.5), budgetMillis: 10)])
        }, .postgres("lead-by-phone: 5 runs, P50 4 ms, slowest 30 ms, budget 10 ms (too few runs for a P95)") {
            PostgresSnapshot(probes: [ProbeResult(name: "lead-by-phone", runs: 5, latency: LatencySummary(
                samples: 5, p50Millis: 4, p95Millis: 30, p99Millis: 30, maxMillis: 30), budgetMillis: 10)])
        }, .postgres("a probe without a budget") {
            PostgresSnapshot(probes: [ProbeResult(name: "report", runs: 20, latency: LatencySummary(
                samples: 20, p50Millis: 300, p95Millis: 380, p99Millis: 410, maxMillis: 410))])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.postgres.value?.probes ?? []).compactMap { probe in
            guard let budget = probe.budgetMillis, let latency = probe.latency else { return nil }
            guard let p95 = latency.p95Millis else {
                // Too few runs for a P95; a median over budget means the P95 is over it too.
                guard latency.p50Millis > budget else { return nil }
                return finding("Probe `\(probe.name)`: P50 \(Format.millis(latency.p50Millis)) exceeds its budget of "
                               + "\(Format.millis(budget)) (n=\(latency.samples); a P95 needs \(LatencySummary.minimumSamplesP95) runs).",
                               at: .object("probe:\(probe.name)"))
            }
            guard p95 > budget else { return nil }
            return finding("Probe `\(probe.name)`: P95 \(Format.millis(p95)) exceeds its budget of "
                           + "\(Format.millis(budget)) (P50 \(Format.millis(latency.p50Millis)), n=\(latency.samples)).",
                           at: .object("probe:\(probe.name)"))
        }
    }
}
