/// Client connections close to `max_connections`.
struct ConnectionSaturation: Rule {
    static let description = RuleDescription(
        id: "connection-saturation", category: .connection, severity: .high,
        summary: "Connections in use exceed 80 % (configurable) of max_connections.",
        finds: "connections above 80 % of `max_connections`",
        why: """
        When max_connections is reached, new connections fail with "too many clients": the service \
        goes down while the database is healthy. Each backend also costs memory.
        """,
        fix: "Put PgBouncer (transaction pooling) in front, lower the application pools, close idle-in-transaction sessions (idle_in_transaction_session_timeout); raise max_connections only with memory to spare.",
        bad: [.postgres("90 of 100 connections in use") {
            PostgresSnapshot(settings: ["max_connections": "100"], connections: ConnectionStats(total: 90, byState: ["idle": 90]))
        }],
        good: [.postgres("12 of 100 connections in use") {
            PostgresSnapshot(settings: ["max_connections": "100"], connections: ConnectionStats(total: 12, byState: ["idle": 12]))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let max = pg.maxConnections, max > 0 else { return [] }
        let percent = Double(pg.connections.total) * 100 / Double(max)
        let limit = context.thresholds.connectionUsagePercent
        guard percent > limit else { return [] }
        let states = pg.connections.byState.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return [finding("\(pg.connections.total) of \(max) connections in use (\(Int(percent.rounded())) % > \(Int(limit)) %; \(states)).",
                        at: .object("postgres"))]
    }
}
