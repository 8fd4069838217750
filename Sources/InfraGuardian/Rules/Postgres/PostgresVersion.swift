/// The seed targets PostgreSQL 15+.
struct PostgresVersion: Rule {
    static let description = RuleDescription(
        id: "postgres-version", category: .version, severity: .high,
        summary: "PostgreSQL is older than the supported major version (15 by default).",
        finds: "PostgreSQL older than 15",
        why: """
        MedicalCor's schema and tooling rely on PostgreSQL 15+ (MERGE, NULLS NOT DISTINCT, faster sorts, \
        better vacuum). Older majors lose community security fixes on a published schedule.
        """,
        fix: "Plan a major-version upgrade (pg_upgrade or logical replication) to PostgreSQL 15 or newer.",
        bad: [.postgres("PostgreSQL 14.10") { PostgresSnapshot(serverVersion: "14.10", serverVersionNum: 140010) }],
        good: [.postgres("PostgreSQL 15.4") { PostgresSnapshot(serverVersion: "15.4", serverVersionNum: 150004) },
               .postgres("PostgreSQL 18.6") { PostgresSnapshot(serverVersion: "18.6", serverVersionNum: 180006) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let minimum = context.thresholds.minimumPostgresMajor
        guard pg.majorVersion < minimum else { return [] }
        return [finding("PostgreSQL \(pg.shortVersion) is older than the required \(minimum).",
                        at: .object("postgres"))]
    }
}
