/// A configured PostgreSQL that could not be audited.
struct PostgresUnreachable: Rule {
    static let description = RuleDescription(
        id: "postgres-unreachable", category: .connection, severity: .high,
        summary: "The configured PostgreSQL could not be reached or read.",
        finds: "the configured PostgreSQL could not be reached or read (the reason is in the finding)",
        why: "An audit that could not see the database cannot certify it; the cause (network, credentials, timeout) is in the message.",
        fix: "Check the URL (--database-url, DATABASE_URL or PG* variables), the network path, the credentials and that the server is up.",
        bad: [RuleExample("postgres://app@db.internal:5432/medicalcor -> connection refused") {
            AuditInput(postgres: Collected(target: "postgres://app@db.internal:5432/medicalcor",
                                           error: "connection refused"))
        }],
        good: [.postgres("PostgreSQL 15.4 answered") { PostgresSnapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let error = input.postgres.error else { return [] }
        return [finding("PostgreSQL at \(input.postgres.target ?? "?"): \(error)", at: .object("postgres"))]
    }
}
