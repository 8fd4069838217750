/// A statement PostgreSQL's own parser rejects, in either section.
struct SQLSyntaxError: Rule {
    static let description = RuleDescription(
        id: "sql-syntax-error", category: .migration, severity: .high,
        summary: "PostgreSQL's parser rejects a statement of the migration.",
        finds: "a statement PostgreSQL's own parser rejects (message and line:column), in the up or the down section",
        why: """
        The migration is parsed with PostgreSQL's own grammar (libpg_query, PostgreSQL 15), so what fails \
        here fails on the server: the deploy stops at this file, or a rollback stops at its down section. \
        A reserved word used as a name (`select`, `user`, `order`...) is a common cause.
        """,
        fix: "Correct the statement at the reported line and column; quote reserved words used as names (\"select\") or rename them.",
        bad: [.migration("CREATE TABLE IF NOT EXISTS events (select int);", at: .line(2, column: 36)),
              .migration(SeedExamples.migrationTemplate, at: .line(18, column: 15)),
              .migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS events (id bigint);\n-- migrate:down\nDROP TABLE IF EXISTS events CASCADE RESTRICT;\n", at: .line(4, column: 37))],
        good: [.migration("CREATE TABLE IF NOT EXISTS events (\"select\" int);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).files.flatMap(\.syntaxErrors).map { problem in
            finding("PostgreSQL rejects this statement of the \(problem.section.rawValue) section: \(problem.message).",
                    at: problem.location)
        }
    }
}
