import Foundation

/// A table past its own autovacuum (or autoanalyze) trigger that has not been vacuumed (analyzed) for a week.
struct AutovacuumLagging: Rule {
    /// How long a table past its trigger may go without a vacuum or analyze before it is reported.
    static let maximumLag: TimeInterval = 7 * 86_400

    static let description = RuleDescription(
        id: "autovacuum-lagging", category: .schema, severity: .medium,
        summary: "A table past its autovacuum/autoanalyze trigger with no vacuum/analyze in 7 days (or ever).",
        finds: "a table past its own autovacuum (autoanalyze) trigger — threshold + scale factor × rows, per-table options honoured — with ≥ 10,000 dead rows (changes) and no vacuum (analyze) for 7 days or ever",
        why: """
        Autovacuum vacuums a table once its dead rows exceed autovacuum_vacuum_threshold + \
        autovacuum_vacuum_scale_factor × rows, and analyzes it once its changes since the last analyze exceed the \
        analyze equivalent; it checks every minute. A table past that trigger and untouched for a week means \
        autovacuum is off (globally or for the table), starved of workers, or cancelled again and again by lock \
        conflicts: dead rows pile up, and stale statistics make the planner choose bad plans. Only tables with at \
        least 10,000 (configurable) dead rows or changes are reported.
        """,
        fix: """
        Run it by hand now: VACUUM (ANALYZE, VERBOSE) schema.table; (or ANALYZE schema.table; for stale \
        statistics). Then find why autovacuum does not: re-enable it (ALTER TABLE ... SET (autovacuum_enabled = \
        on), autovacuum = on), check for sessions that keep conflicting locks, give it more workers \
        (autovacuum_max_workers) or budget (autovacuum_vacuum_cost_limit).
        """,
        bad: [.postgres("public.events: 50,000 dead rows, never vacuumed") {
                  PostgresSnapshot(tables: [Table(name: "events", rowEstimate: 100_000, liveTuples: 100_000,
                                                  deadTuples: 50_000, lastAutoanalyze: Date(timeIntervalSince1970: 0))],
                                   collectedAt: Date(timeIntervalSince1970: 3600))
              },
              .postgres("public.leads: 200,000 changes since the last analyze, 30 days ago") {
                  PostgresSnapshot(tables: [Table(name: "leads", rowEstimate: 500_000, liveTuples: 500_000,
                                                  lastAutovacuum: Date(timeIntervalSince1970: 0),
                                                  lastAutoanalyze: Date(timeIntervalSince1970: 0))],
                                   maintenance: MaintenanceStats(tables: [TableMaintenance(name: "leads", modsSinceAnalyze: 200_000)]),
                                   collectedAt: Date(timeIntervalSince1970: 30 * 86_400))
              }],
        good: [.postgres("public.events: 50,000 dead rows, vacuumed an hour ago") {
                   PostgresSnapshot(tables: [Table(name: "events", rowEstimate: 100_000, liveTuples: 100_000, deadTuples: 50_000,
                                                   lastAutovacuum: Date(timeIntervalSince1970: 0),
                                                   lastAutoanalyze: Date(timeIntervalSince1970: 0))],
                                    collectedAt: Date(timeIntervalSince1970: 3600))
               },
               .postgres("public.audit_logs: 300,000 dead of 10,000,000 rows, below its 2,000,050 trigger") {
                   PostgresSnapshot(tables: [Table(name: "audit_logs", rowEstimate: 10_000_000, liveTuples: 10_000_000,
                                                   deadTuples: 300_000)],
                                    collectedAt: Date(timeIntervalSince1970: 30 * 86_400))
               }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let minimum = context.thresholds.deadTupleMinRows
        let maintenance = MaintenanceLookup(pg.maintenance)
        return pg.tables.compactMap { table in
            let extra = maintenance.table(table.schema, table.name)
            let rows = max(table.rowEstimate, 0)
            var lags: [String] = []
            let vacuumTrigger = setting("autovacuum_vacuum_threshold", extra, pg, default: 50)
                + setting("autovacuum_vacuum_scale_factor", extra, pg, default: 0.2) * rows
            if table.deadTuples >= minimum, Double(table.deadTuples) > vacuumTrigger,
               isStale(VacuumState.lastVacuum(table), now: pg.collectedAt) {
                lags.append("\(MaintenanceText.count(table.deadTuples)) dead rows past its vacuum trigger of "
                            + "\(MaintenanceText.count(Int64(vacuumTrigger))), last vacuum: "
                            + VacuumState.ago(VacuumState.lastVacuum(table), now: pg.collectedAt))
            }
            let analyzeTrigger = setting("autovacuum_analyze_threshold", extra, pg, default: 50)
                + setting("autovacuum_analyze_scale_factor", extra, pg, default: 0.1) * rows
            if let changes = extra?.modsSinceAnalyze, changes >= minimum, Double(changes) > analyzeTrigger,
               isStale(VacuumState.lastAnalyze(table), now: pg.collectedAt) {
                lags.append("\(MaintenanceText.count(changes)) changes past its analyze trigger of "
                            + "\(MaintenanceText.count(Int64(analyzeTrigger))), last analyze: "
                            + VacuumState.ago(VacuumState.lastAnalyze(table), now: pg.collectedAt))
            }
            guard !lags.isEmpty else { return nil }
            var message = "Autovacuum is behind on \(table.qualifiedName): \(lags.joined(separator: "; "))"
            if pg.settings["autovacuum"] == "off" {
                message += " (autovacuum is off for the whole server)"
            } else if extra?.autovacuumDisabled == true {
                message += " (autovacuum_enabled=off on this table)"
            }
            var fix = "VACUUM (ANALYZE, VERBOSE) \(table.qualifiedName); now, then find why autovacuum does not: "
            fix += extra?.autovacuumDisabled == true
                ? "re-enable it with ALTER TABLE \(table.qualifiedName) SET (autovacuum_enabled = on); "
                : "look for sessions holding conflicting locks (pg_locks) that cancel it, "
            fix += "and give it workers (autovacuum_max_workers) and budget (autovacuum_vacuum_cost_limit) if it is starved."
            return finding(message + ".", at: .object(table.qualifiedName), fix: fix)
        }
    }

    private func isStale(_ last: Date?, now: Date) -> Bool {
        guard let last else { return true }
        return now.timeIntervalSince(last) > Self.maximumLag
    }

    /// A table's storage option wins over the server setting, which wins over PostgreSQL's default.
    private func setting(_ name: String, _ table: TableMaintenance?, _ pg: PostgresSnapshot, default value: Double) -> Double {
        table?.option(name).flatMap(Double.init) ?? pg.settings[name].flatMap(Double.init) ?? value
    }
}
