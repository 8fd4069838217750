import Foundation

/// Collect → evaluate → gate: builds the report model from an input and a configuration.
public struct ReportBuilder: Sendable {
    public var evaluator: Evaluator

    public init(evaluator: Evaluator = Evaluator()) {
        self.evaluator = evaluator
    }

    /// - Parameter baseline: findings it records do not gate (`--baseline`, `gate.baseline`).
    public func build(_ input: AuditInput, configuration: Configuration, baseline: LoadedBaseline? = nil) -> Report {
        var findings = evaluator.evaluate(input, configuration: configuration)
        let history = input.postgres.value?.migrationHistory
        let migrations = MigrationStatusResolver.resolve(input.migrations, history: history)
        let exemptions = Exemptions.apply(to: &findings, migrations: input.migrations,
                                          statuses: history == nil ? nil : migrations,
                                          policy: configuration.gate, baseline: baseline,
                                          evaluated: Set(evaluator.rules.map(\.ruleDescription.id)))
        let ids = findings.indices.map { Finding.issueID($0 + 1) }
        let components = HealthEvaluator.components(input, configuration)
        let gate = QualityGate.evaluate(findings: findings, issueIDs: ids, components: components,
                                        policy: configuration.gate, incomplete: input.incompleteParts,
                                        exemptions: exemptions)
        return Report(
            title: "Infrastructure Audit Report",
            generatedAt: input.collectedAt,
            toolVersion: input.toolVersion,
            // Masked again at render time: a snapshot or a future collector must not be able to leak one.
            targets: Report.Targets(postgres: input.postgres.target.map(ConnectionTarget.maskedForDisplay),
                                    redis: input.redis.target.map(ConnectionTarget.maskedForDisplay),
                                    migrationFolders: input.migrations.folders.filter(\.exists).map(\.path)),
            components: components,
            adapterCoverage: Self.adapterCoverage(input.adapters, findings: findings, ids: ids),
            adapterNote: Self.adapterNote(input.adapters),
            migrations: migrations,
            migrationNote: migrationNote(input, entries: migrations),
            performance: performanceRows(input),
            performanceNote: performanceNote(input),
            issues: zip(ids, findings).map { ReportIssue(id: $0, finding: $1) },
            rules: RulesTable.entries(for: findings, rules: evaluator.rules.map(\.ruleDescription)),
            gate: gate,
            exemptions: exemptions,
            redis: Self.redisSummaries(input))
    }

    static func redisSummaries(_ input: AuditInput) -> [RedisInstanceSummary]? {
        let summaries = input.allRedis.compactMap { collected in
            collected.value.map { redis in
                RedisInstanceSummary(target: ConnectionTarget.maskedForDisplay(collected.target ?? ""), roles: redis.rolesHeld,
                                     skipped: redis.skipped, sample: redis.sample)
            }
        }
        return summaries.isEmpty ? nil : summaries
    }

    /// One row per adapter, then one per port nothing implements: its status is the worst of its
    /// missing port or tests and the findings on its file.
    static func adapterCoverage(_ graph: AdapterGraph?, findings: [Finding], ids: [String]) -> [AdapterCoverageRow] {
        guard let graph else { return [] }
        var rows = graph.adapters.map { adapter -> AdapterCoverageRow in
            let file = graph.displayPath(adapter.file)
            let own = findings.indices.filter { findings[$0].location.file == file && findings[$0].isActive }
            let worst = own.map { findings[$0].severity }.min { $0.rank < $1.rank }
            // A missing port or missing tests is a red cell, as the seed's table shows it.
            let status: HealthState = adapter.ports.isEmpty || adapter.tests.isEmpty ? .unhealthy
                : worst.map { $0 >= .high ? .unhealthy : .degraded } ?? .healthy
            return AdapterCoverageRow(entity: adapter.entity, adapter: adapter.name, hasPort: !adapter.ports.isEmpty,
                                      hasTests: !adapter.tests.isEmpty, status: status,
                                      port: adapter.ports.first?.name, findings: own.map { ids[$0] })
        }
        for port in graph.ports where port.implementedBy.isEmpty {
            let file = graph.displayPath(port.file)
            let own = findings.indices.filter { findings[$0].location.file == file && findings[$0].isActive }
            rows.append(AdapterCoverageRow(entity: port.entity, adapter: "—", hasPort: true, hasTests: false, status: .degraded,
                                           port: port.name, findings: own.map { ids[$0] }))
        }
        return rows
    }

    static func adapterNote(_ graph: AdapterGraph?) -> String {
        guard let graph else { return "No source tree given: pass --source DIR (or paths.source) to scan ports, adapters and tests." }
        return graph.adapters.isEmpty && graph.ports.isEmpty
            ? "No persistence adapter or port found under \(graph.root.isEmpty ? "the source root" : graph.root)."
            : ""
    }

    private func migrationNote(_ input: AuditInput, entries: [MigrationStatusEntry]) -> String? {
        if let broken = input.migrations.folders.first(where: { $0.error != nil }), entries.isEmpty {
            return broken.error
        }
        guard entries.isEmpty else { return nil }
        return "No migration files found (looked in \(Paths.defaultMigrationFolders.joined(separator: ", ")); set paths.migrations or --migrations)."
    }

    private func performanceRows(_ input: AuditInput) -> [PerformanceRow] {
        var rows: [PerformanceRow] = []
        if let pg = input.postgres.value, let summary = Percentiles.summarize(pg.pingMillis) {
            rows.append(PerformanceRow(query: "PostgreSQL `SELECT 1` round trip", latency: summary))
        }
        if let redis = input.redis.value, let summary = Percentiles.summarize(redis.pingMillis) {
            rows.append(PerformanceRow(query: "Redis `PING` round trip", latency: summary))
        }
        // Probes: name and latencies only — their parameters may be patient ids.
        for probe in input.postgres.value?.probes ?? [] {
            let budget = probe.budgetMillis.map { "budget \(Format.millis($0))" }
            rows.append(PerformanceRow(query: "Probe `\(probe.name)`", latency: probe.latency,
                                       note: probe.refusal.map { "refused: \($0)" } ?? probe.error.map { "failed: \($0)" }
                                           ?? [budget, probe.note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty))
        }
        return rows
    }

    private func performanceNote(_ input: AuditInput) -> String? {
        guard input.postgres.value == nil && input.redis.value == nil else { return nil }
        return "No live database measured: configure PostgreSQL or Redis to see latencies."
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
