/// Statements that have been running for a long time.
struct LongRunningQuery: Rule {
    static let description = RuleDescription(
        id: "long-running-query", category: .connection, severity: .medium,
        summary: "Client statements running for longer than 60 s (configurable).",
        finds: "client statements running for ≥ 60 s, grouped by user and application (never the statement text)",
        why: """
        A statement running for minutes holds its locks and its snapshot the whole time: writers and DDL queue \
        behind it, VACUUM cannot clean up after it, and a web request behind it has long since timed out. The \
        report lists who runs it (user, application), for how long and what it waits on, never the statement \
        text, which can hold patient data.
        """,
        fix: """
        Find the statement in pg_stat_statements or the application logs by user and application, then index or \
        rewrite it, or move it to a replica. Bound it: ALTER ROLE app SET statement_timeout = '30s'; (a longer \
        one for batch roles). Now, if it must stop: SELECT pg_cancel_backend(pid);
        """,
        bad: [.postgres("a statement of `api` running for 4 minutes") {
            PostgresSnapshot(maintenance: MaintenanceStats(longRunning: [
                SessionActivity(pid: 777, state: "active", waitEventType: "IO", stateSeconds: 240)]))
        }],
        good: [.postgres("statements running for 0.2 s and 3 s") {
            PostgresSnapshot(maintenance: MaintenanceStats(longRunning: [
                SessionActivity(pid: 777, stateSeconds: 0.2), SessionActivity(pid: 778, stateSeconds: 3)]))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let maintenance = pg.maintenance else { return [] }
        let threshold = context.thresholds.longRunningQuerySeconds
        let slow = maintenance.longRunning.filter { $0.stateSeconds >= threshold }
        return SessionGroups.byOwner(slow).map { owner, sessions in
            let longest = sessions.map(\.stateSeconds).max() ?? 0
            let details = sessions.prefix(5).map { session in
                "pid \(session.pid) \(MaintenanceText.duration(session.stateSeconds))"
                    + (session.waitEventType.map { ", waiting on \($0)" } ?? "")
            }.joined(separator: "; ")
            let message = "\(sessions.count) statement(s) of \(MaintenanceText.ownerText(sessions[0])) running for more than "
                + "\(MaintenanceText.duration(threshold)) (longest \(MaintenanceText.duration(longest)): \(details))."
            return finding(message, at: .object("\(pg.database): sessions of \(owner)"))
        }
    }
}
