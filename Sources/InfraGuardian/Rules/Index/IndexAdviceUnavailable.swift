/// Index advice was asked for (the default) but could not run.
struct IndexAdviceUnavailable: Rule {
    static let description = RuleDescription(
        id: "index-advice-unavailable", category: .index, severity: .info,
        summary: "Index advice was skipped: hypopg is not installed in the audited database (or could not be used).",
        finds: "index advice skipped: hypopg not installed in the audited database",
        why: """
        Index advice proves each suggestion with a hypothetical index (hypopg) so it never guesses. Without \
        the extension, missing indexes of probes and slow statements go unreported.
        """,
        fix: "Install hypopg where the provider offers it (Debian/Ubuntu: postgresql-NN-hypopg; Supabase, RDS and Cloud SQL ship it), then CREATE EXTENSION IF NOT EXISTS hypopg; or set index_advice.enabled: false to silence this.",
        bad: [.postgres("hypopg missing") {
            PostgresSnapshot(indexAdvice: .skipped("index advice skipped: hypopg not installed in this database"))
        }],
        good: [.postgres("hypopg installed, advice ran") {
            PostgresSnapshot(extensions: [Extension(name: "hypopg", version: "1.4.0")],
                             indexAdvice: IndexAdvice(examinedQueries: 2))
        }, .postgres("advice disabled in the configuration") {
            PostgresSnapshot(indexAdvice: .skipped(IndexAdvice.disabledReason))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let reason = input.postgres.value?.indexAdvice?.skippedReason,
              reason != IndexAdvice.disabledReason else { return [] }
        return [finding("\(reason.prefix(1).uppercased())\(reason.dropFirst()).", at: .object("postgres"))]
    }
}
