import Foundation

/// What to measure besides the catalog: probes, pg_stat_statements and hypopg index advice.
public struct MeasurementPlan: Sendable, Equatable {
    public var probes: [ProbeDefinition]
    public var indexAdvice: IndexAdviceSettings
    /// Slow-statement thresholds: the statements that meet them are index-advice candidates.
    public var thresholds: Thresholds
    /// pg_stat_statements entries kept per ranking (by mean, by total).
    public var statementLimit: Int

    public init(probes: [ProbeDefinition] = [], indexAdvice: IndexAdviceSettings = IndexAdviceSettings(),
                thresholds: Thresholds = Thresholds(), statementLimit: Int = 20) {
        self.probes = probes
        self.indexAdvice = indexAdvice
        self.thresholds = thresholds
        self.statementLimit = statementLimit
    }

    public init(_ configuration: Configuration) {
        self.init(probes: configuration.probes, indexAdvice: configuration.indexAdvice,
                  thresholds: configuration.thresholds)
    }
}

/// Runs the measurements in the audit session after the catalog is read. Never throws: each part
/// records its own failure, so a broken probe or a missing extension never costs the catalog.
enum Measurements {
    static func run(_ connection: PostgresConnection, into snapshot: inout PostgresSnapshot,
                    plan: MeasurementPlan, settings: PostgresSettings) {
        step("the audit role's privileges", connection, &snapshot) { snapshot in
            snapshot.auditRole = AuditRoleReader.read(connection)
        }
        var reading = StatementStatsReader.Reading(stats: .unavailable("not read", limit: plan.statementLimit), fullTexts: [])
        step("pg_stat_statements", connection, &snapshot) { snapshot in
            reading = StatementStatsReader.read(connection, extensions: snapshot.extensions, limit: plan.statementLimit)
            snapshot.statementStats = reading.stats
        }
        var probes: [ProbeResult] = []
        step("probes", connection, &snapshot) { snapshot in
            probes = ProbeRunner.run(plan.probes, on: connection, statementTimeoutMillis: settings.statementTimeoutMillis,
                                     budget: .seconds(settings.probeBudgetSeconds))
            snapshot.probes = probes
        }
        step("index advice", connection, &snapshot) { snapshot in
            snapshot.indexAdvice = advice(connection, snapshot: snapshot, plan: plan, probes: probes, reading: reading)
        }
        snapshot.measurementQueryCount = connection.measurementCount
    }

    /// Runs one measurement; when the session was cut by a wait that ran out (during this step or
    /// before it), the step is recorded as a missing part: each step records its own errors, so only
    /// the connection knows that the deadline, not the query, was the cause.
    static func step(_ name: String, _ connection: PostgresConnection, _ snapshot: inout PostgresSnapshot,
                     _ body: (inout PostgresSnapshot) -> Void) {
        let before = connection.cut
        connection.activity = name
        body(&snapshot)
        if let before {
            snapshot.addMissing(name, "not run: the session was closed when \(before.message.prefix { $0 != ":" }) was cut short")
        } else if let cut = connection.cut {
            snapshot.addMissing(name, "cut short: \(cut.message)")
        }
    }

    private static func advice(_ connection: PostgresConnection, snapshot: PostgresSnapshot, plan: MeasurementPlan,
                               probes: [ProbeResult], reading: StatementStatsReader.Reading) -> IndexAdvice {
        guard plan.indexAdvice.enabled else { return .skipped(IndexAdvice.disabledReason) }
        guard let hypopg = snapshot.extensions.first(where: { $0.name == "hypopg" }) else {
            return .skipped("index advice skipped: hypopg not installed in this database")
        }
        let advisor = IndexAdvisor(connection: connection, hypopgSchema: hypopg.schema, snapshot: snapshot,
                                   minimumCostReductionPercent: plan.indexAdvice.minimumCostReductionPercent)
        return advisor.advise(candidates(plan: plan, probes: probes, reading: reading))
    }

    /// Probes that ran, then slow statements by total time; plain SELECTs only, each text once.
    static func candidates(plan: MeasurementPlan, probes: [ProbeResult],
                           reading: StatementStatsReader.Reading) -> [IndexAdvisor.Candidate] {
        var seen = Set<String>()
        var result: [IndexAdvisor.Candidate] = []
        func add(_ label: String, _ sql: String) {
            let key = SQLText.normalized(sql) ?? sql
            guard SQLText.isSingleSelect(sql), seen.insert(key).inserted else { return }
            result.append(IndexAdvisor.Candidate(label: label, sql: sql))
        }
        for (definition, outcome) in zip(plan.probes, probes) where outcome.error == nil && outcome.refusal == nil {
            add("probe \(definition.name)", definition.sql)
        }
        let slow = zip(reading.stats.statements, reading.fullTexts)
            .filter { $0.0.meanMillis >= plan.thresholds.slowQueryMeanMillis && $0.0.calls >= plan.thresholds.slowQueryMinCalls
                && !$0.1.isEmpty }
            .sorted { $0.0.totalMillis > $1.0.totalMillis }
        for (statement, text) in slow {
            add("pg_stat_statements \(statement.queryID ?? "?")", text)
        }
        return result
    }
}
