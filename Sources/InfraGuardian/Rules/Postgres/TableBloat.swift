/// A table whose estimated bloat is both large and a large share of its size.
struct TableBloat: Rule {
    static let description = RuleDescription(
        id: "table-bloat", category: .bloat, severity: .medium,
        summary: "Estimated table bloat above 50 % of the table and above 100 MB (configurable).",
        finds: "estimated table bloat ≥ 50 % and ≥ 100 MB (fix: pg_repack, never VACUUM FULL)",
        why: """
        Space freed by VACUUM is reused but never returned: after a mass delete or a period when vacuum could \
        not keep up, the table stays large. Sequential scans read the empty pages, the cache holds fewer useful \
        rows, backups and replicas carry the dead weight. The figure is a statistical estimate from pg_stats \
        (the method of ioguix/PgHero), good to a few percent on ordinary tables; confirm with pgstattuple before \
        acting.
        """,
        fix: """
        Rebuild the table online with pg_repack (pg_repack --table schema.table, which holds an exclusive lock \
        only briefly at the start and end), or pg_squeeze. Never VACUUM FULL or CLUSTER on a live system: they \
        lock the table against reads and writes for the whole rewrite. Then make autovacuum keep up \
        (autovacuum_vacuum_scale_factor per table) so it does not come back.
        """,
        bad: [.postgres("public.events: 900 MB of which ~700 MB bloat (78 %)") {
            PostgresSnapshot(maintenance: MaintenanceStats(tableBloat: [
                BloatEstimate(table: "events", sizeBytes: 900 * 1_048_576, bloatBytes: 700 * 1_048_576)]))
        }],
        good: [.postgres("public.events: 900 MB of which ~90 MB bloat (10 %)") {
                   PostgresSnapshot(maintenance: MaintenanceStats(tableBloat: [
                       BloatEstimate(table: "events", sizeBytes: 900 * 1_048_576, bloatBytes: 90 * 1_048_576)]))
               },
               .postgres("public.settings: 80 % bloat, but only 12 MB") {
                   PostgresSnapshot(maintenance: MaintenanceStats(tableBloat: [
                       BloatEstimate(table: "settings", sizeBytes: 15 * 1_048_576, bloatBytes: 12 * 1_048_576)]))
               }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let maintenance = pg.maintenance else { return [] }
        return BloatCheck.over(maintenance.tableBloat, context.thresholds).map { estimate in
            finding(BloatCheck.message(estimate, kind: "Table", context.thresholds),
                    at: .object(estimate.qualifiedName),
                    fix: "pg_repack --table \(estimate.schema).\(estimate.table) (online); never VACUUM FULL on a live system. "
                        + "Confirm first with SELECT * FROM pgstattuple('\(estimate.schema).\(estimate.table)');")
        }
    }
}

enum BloatCheck {
    static func over(_ estimates: [BloatEstimate], _ thresholds: Thresholds) -> [BloatEstimate] {
        estimates.filter { $0.bloatBytes >= thresholds.bloatMinBytes && $0.percent >= thresholds.bloatPercent }
    }

    static func message(_ estimate: BloatEstimate, kind: String, _ thresholds: Thresholds) -> String {
        "\(kind) \(estimate.qualifiedName) is about \(MaintenanceText.percent(estimate.percent)) bloat: "
            + "~\(Format.bytes(estimate.bloatBytes)) of \(Format.bytes(estimate.sizeBytes)) not needed by its rows "
            + "(estimate; thresholds \(MaintenanceText.percent(thresholds.bloatPercent)) and \(Format.bytes(thresholds.bloatMinBytes)))."
    }
}
