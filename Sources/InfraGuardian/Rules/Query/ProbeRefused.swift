/// A probe or rule-pack query that was not sent: it is not one plain read, it calls a volatile
/// function, or a pack reads user tables without saying so. The configuration and the packs can come
/// from a pull request; this is what an attempt to write through them looks like.
struct ProbeRefused: Rule {
    static let description = RuleDescription(
        id: "probe-refused", category: .query, severity: .high,
        summary: "A probe or rule-pack query was refused before it was sent: only one plain read may run in an audit.",
        finds: "a probe or pack query not sent: not one plain read, a volatile function, or user tables read without `reads_user_data: true`",
        why: """
        Probes (`probes:`) and rule packs come from files a pull request can change, and the audit may run \
        against staging or production with real credentials. So each query must be exactly one SELECT, \
        WITH … SELECT, VALUES or TABLE (no COPY, SET, transaction control, DO, CALL, LOCK, data-modifying \
        CTE, SELECT INTO or FOR UPDATE), and every function it calls must be immutable, stable, or one of \
        the few volatile built-ins that only read (sizes, clocks, recovery state). A pack query that reads \
        tables outside the catalogs must declare `reads_user_data: true`; its values are then shown as hashes.
        """,
        fix: "Rewrite the query as one plain SELECT without volatile functions (or drop it); for a pack that must read user tables, add `reads_user_data: true`.",
        bad: [.postgres("probe that turns read-only mode off") {
            PostgresSnapshot(probes: [ProbeResult(name: "sneaky", runs: 20,
                                                  refusal: "calls set_config(), which PostgreSQL marks volatile")])
        }],
        good: [.postgres("probe that only reads") {
            PostgresSnapshot(probes: [ProbeResult(name: "lead-by-phone", runs: 20, latency: LatencySummary(
                samples: 20, p50Millis: 0.3, p95Millis: 0.4, p99Millis: 0.5, maxMillis: 0.5))])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let snapshot = input.postgres.value else { return [] }
        let probes = (snapshot.probes ?? []).compactMap { probe in
            probe.refusal.map {
                finding("Probe `\(probe.name)` was not sent: it \($0).", at: .object("probe:\(probe.name)"),
                        fix: "Rewrite probe `\(probe.name)` (`probes:` in .infra-guardian.yml) as one plain SELECT that calls no volatile function, or remove it.")
            }
        }
        let packs = (snapshot.packResults ?? [:]).sorted { $0.key < $1.key }.compactMap { id, result in
            result.refusal.map { reason in
                let fix = reason.contains("reads_user_data")
                    ? "Add `reads_user_data: true` to rule `\(id)` in its pack if reading those tables is intended (its rows are then hashed), or query the catalogs instead."
                    : "Rewrite the query of rule `\(id)` in its pack as one plain SELECT that calls no volatile function, or remove the rule."
                return finding("Rule-pack query `\(id)` was not sent: \(reason).", at: .object("rule-pack:\(id)"), fix: fix)
            }
        }
        return probes + packs
    }
}
