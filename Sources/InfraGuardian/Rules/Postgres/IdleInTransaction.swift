/// Sessions that opened a transaction and stopped talking.
struct IdleInTransaction: Rule {
    static let description = RuleDescription(
        id: "idle-in-transaction", category: .connection, severity: .high,
        summary: "Sessions idle in a transaction for longer than 60 s (configurable).",
        finds: "client sessions idle in a transaction for ≥ 60 s, grouped by user and application",
        why: """
        A session idle in a transaction keeps its locks and its snapshot: DDL and other writers queue behind its \
        locks, and VACUUM cannot remove any row version newer than its snapshot anywhere in the database, so \
        bloat and wraparound risk grow for as long as it sits there. It is almost always a client bug: a \
        transaction opened, then an exception or an await on something slow before COMMIT/ROLLBACK, or a \
        connection returned to the pool mid-transaction.
        """,
        fix: """
        In the code: release the client in finally (try { BEGIN ... COMMIT } catch { ROLLBACK } finally { \
        client.release() }), and never await network calls inside a transaction. On the server: ALTER ROLE app \
        SET idle_in_transaction_session_timeout = '60s'; (or ALTER DATABASE), so a stuck session is ended. \
        Now: SELECT pg_terminate_backend(pid) for the sessions listed.
        """,
        bad: [.postgres("one session of `api` idle in transaction for 5 minutes") {
            PostgresSnapshot(maintenance: MaintenanceStats(idleInTransaction: [
                SessionActivity(pid: 4242, state: "idle in transaction", stateSeconds: 300, transactionSeconds: 310)]))
        }],
        good: [.postgres("one session idle in transaction for 2 seconds") {
            PostgresSnapshot(maintenance: MaintenanceStats(idleInTransaction: [
                SessionActivity(pid: 4242, state: "idle in transaction", stateSeconds: 2)]))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let maintenance = pg.maintenance else { return [] }
        let threshold = context.thresholds.idleInTransactionSeconds
        let stuck = maintenance.idleInTransaction.filter { $0.stateSeconds >= threshold }
        let timeout = timeoutText(maintenance.idleInTransactionTimeouts)
        return SessionGroups.byOwner(stuck).map { owner, sessions in
            let longest = sessions.map(\.stateSeconds).max() ?? 0
            let pids = sessions.prefix(5).map { String($0.pid) }.joined(separator: ", ")
            let message = "\(sessions.count) session(s) of \(MaintenanceText.ownerText(sessions[0])) idle in transaction for more than "
                + "\(MaintenanceText.duration(threshold)) (longest \(MaintenanceText.duration(longest)); pid \(pids)); \(timeout)."
            return finding(message, at: .object("\(pg.database): sessions of \(owner)"))
        }
    }

    private func timeoutText(_ settings: [ScopedSetting]) -> String {
        guard !settings.isEmpty else {
            return "no role or database sets idle_in_transaction_session_timeout"
        }
        return "idle_in_transaction_session_timeout set for " + settings.map { setting in
            let scope = [setting.role.map { "role \($0)" }, setting.database.map { "database \($0)" }]
                .compactMap { $0 }.joined(separator: " in ")
            return "\(scope.isEmpty ? "everyone" : scope) = \(setting.value)"
        }.joined(separator: ", ")
    }
}

enum SessionGroups {
    /// Sessions grouped by user and application, in a stable order.
    static func byOwner(_ sessions: [SessionActivity]) -> [(String, [SessionActivity])] {
        Dictionary(grouping: sessions, by: MaintenanceText.owner).sorted { $0.key < $1.key }
            .map { ($0.key, $0.value.sorted { $0.stateSeconds > $1.stateSeconds }) }
    }
}
