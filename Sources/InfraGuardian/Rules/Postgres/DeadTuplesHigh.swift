import Foundation

/// A table carrying a large share of dead rows.
struct DeadTuplesHigh: Rule {
    static let description = RuleDescription(
        id: "dead-tuples-high", category: .schema, severity: .medium,
        summary: "Dead rows above 20 % of a table (configurable), on tables with at least 10,000 dead rows.",
        finds: "dead rows ≥ 20 % of a table with ≥ 10,000 dead rows",
        why: """
        Every UPDATE and DELETE leaves a dead row version behind until VACUUM reclaims it. Dead rows are still \
        read by sequential scans and still referenced by indexes, so queries slow down and the table grows \
        (bloat that only a rewrite gives back). A high share means autovacuum runs too rarely for this table's \
        churn (the default scale factor waits for 20 % of the table), is disabled, or is blocked by a long \
        transaction that still needs the old versions.
        """,
        fix: """
        Vacuum it now: VACUUM (ANALYZE, VERBOSE) schema.table; (no exclusive lock). Then make autovacuum keep up on \
        this table: ALTER TABLE schema.table SET (autovacuum_vacuum_scale_factor = 0.02, \
        autovacuum_vacuum_threshold = 1000); and re-enable it if it was turned off (autovacuum_enabled = on). If \
        VACUUM VERBOSE reports dead rows it "cannot remove yet", end the long or idle-in-transaction sessions first.
        """,
        bad: [.postgres("public.leads: 15,000 dead of 20,000 rows, autovacuum disabled") {
            PostgresSnapshot(tables: [Table(name: "leads", liveTuples: 5_000, deadTuples: 15_000)],
                             maintenance: MaintenanceStats(tables: [
                                 TableMaintenance(name: "leads", autovacuumOptions: ["autovacuum_enabled=off"])]))
        }],
        good: [.postgres("public.leads: 5,000 dead of 1,000,000 rows") {
                   PostgresSnapshot(tables: [Table(name: "leads", liveTuples: 995_000, deadTuples: 5_000)])
               },
               .postgres("public.tiny: 90 % dead but only 900 dead rows") {
                   PostgresSnapshot(tables: [Table(name: "tiny", liveTuples: 100, deadTuples: 900)])
               }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let thresholds = context.thresholds
        return pg.tables.compactMap { table in
            let total = table.liveTuples + table.deadTuples
            guard table.deadTuples >= thresholds.deadTupleMinRows, total > 0 else { return nil }
            let percent = Double(table.deadTuples) * 100 / Double(total)
            guard percent >= thresholds.deadTuplePercent else { return nil }
            var message = "\(table.qualifiedName) has \(MaintenanceText.count(table.deadTuples)) dead rows "
                + "(\(MaintenanceText.percent(percent)) of \(MaintenanceText.count(total)); threshold "
                + "\(MaintenanceText.percent(thresholds.deadTuplePercent))); "
            message += VacuumState.describe(table, pg) + "."
            let fix = "VACUUM (ANALYZE, VERBOSE) \(table.qualifiedName); then ALTER TABLE \(table.qualifiedName) "
                + "SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000"
                + (pg.maintenance?.table(table.schema, table.name)?.autovacuumDisabled == true ? ", autovacuum_enabled = on" : "")
                + "); if VACUUM VERBOSE reports dead rows it cannot remove yet, end the long or idle-in-transaction sessions first."
            return finding(message, at: .object(table.qualifiedName), fix: fix)
        }
    }
}

/// How vacuum has treated a table, in words, for maintenance findings.
enum VacuumState {
    static func describe(_ table: Table, _ pg: PostgresSnapshot) -> String {
        var parts: [String] = []
        if pg.settings["autovacuum"] == "off" {
            parts.append("autovacuum is off for the whole server")
        } else if pg.maintenance?.table(table.schema, table.name)?.autovacuumDisabled == true {
            parts.append("autovacuum is disabled on this table (autovacuum_enabled=off)")
        }
        parts.append("last vacuum: " + ago(lastVacuum(table), now: pg.collectedAt))
        return parts.joined(separator: ", ")
    }

    static func lastVacuum(_ table: Table) -> Date? {
        [table.lastVacuum, table.lastAutovacuum].compactMap { $0 }.max()
    }

    static func lastAnalyze(_ table: Table) -> Date? {
        [table.lastAnalyze, table.lastAutoanalyze].compactMap { $0 }.max()
    }

    static func ago(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        return MaintenanceText.duration(max(now.timeIntervalSince(date), 0)) + " ago"
    }
}
