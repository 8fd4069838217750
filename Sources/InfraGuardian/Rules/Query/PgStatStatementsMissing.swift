/// Without pg_stat_statements nobody can tell which statements are slow.
struct PgStatStatementsMissing: Rule {
    static let description = RuleDescription(
        id: "pg-stat-statements-missing", category: .query, severity: .low,
        summary: "pg_stat_statements is not installed, not loaded, or not readable: slow statements go unseen.",
        finds: "pg_stat_statements not installed, not preloaded or not readable",
        why: """
        pg_stat_statements is how PostgreSQL (and PgHero, and this audit) finds the statements that cost the \
        most time. Without it, slow queries are found by users first.
        """,
        fix: "Add pg_stat_statements to shared_preload_libraries (restart), then CREATE EXTENSION IF NOT EXISTS pg_stat_statements; grant pg_read_all_stats to the audit role to read every statement.",
        bad: [.postgres("extension not installed") {
            PostgresSnapshot(statementStats: .unavailable("pg_stat_statements is not installed in this database"))
        }],
        good: [.postgres("extension installed and readable") {
            PostgresSnapshot(extensions: [Extension(name: "pg_stat_statements", version: "1.10")],
                             statementStats: StatementStats())
        }, .postgres("snapshot from before statement statistics were collected") { PostgresSnapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let reason = input.postgres.value?.statementStats?.unavailableReason else { return [] }
        return [finding("Statement statistics unavailable: \(reason).", at: .object("postgres"))]
    }
}
