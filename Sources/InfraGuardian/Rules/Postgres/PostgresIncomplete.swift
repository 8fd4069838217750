/// Parts of the PostgreSQL collection that could not be read (a lock held by another session, a
/// timeout, the deadline): the rules that needed them did not run on them.
struct PostgresIncomplete: Rule {
    static let description = RuleDescription(
        id: "postgres-incomplete", category: .connection, severity: .high,
        summary: "Part of the PostgreSQL audit could not be read, so it was not checked.",
        finds: "a part of the PostgreSQL collection could not be read and was not checked: a relation held ACCESS EXCLUSIVE by another session (named with its lock), a query past `statement_timeout`/`lock_timeout`, or a step cut by `--deadline`; the rest of the audit stands, and the gate fails as *audit incomplete*",
        why: """
        A relation that another session holds in ACCESS EXCLUSIVE mode cannot be described without \
        waiting for that lock, and a query that timed out or was cut by --deadline returned nothing. The \
        audit leaves such parts out rather than hang or fail whole, and says so: what was not checked \
        cannot be certified, so the gate fails as incomplete.
        """,
        fix: """
        Run the audit again when the lock is released (a migration or a maintenance job holding it), or \
        raise the limit that ran out: --deadline, postgres.statement_timeout_ms, postgres.lock_timeout_ms.
        """,
        bad: [.postgres("public.visits locked by a running migration") {
            var snapshot = PostgresSnapshot()
            snapshot.missingParts = [MissingPart(part: "public.visits (its columns, indexes, constraints and size)",
                                                 reason: "lock held by another session on public.visits (AccessExclusiveLock)")]
            return snapshot
        }],
        good: [.postgres("every part read") { PostgresSnapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        // Masked and escaped: a snapshot may have been edited, and its texts reach every output.
        (input.postgres.value?.missingParts ?? []).map { missing in
            let part = SecretMasking.quotable(missing.part, limit: 200)
            return finding("Not checked: \(part) — \(SecretMasking.quotable(missing.reason, limit: 300)).",
                           at: .object("postgres:\(part)"))
        }
    }
}
