/// A statement of pg_stat_statements slow on average and called often (PgHero's "slow queries").
struct SlowQuery: Rule {
    static let description = RuleDescription(
        id: "slow-query", category: .query, severity: .medium,
        summary: "A statement averages 20 ms or more over at least 100 calls (pg_stat_statements; configurable).",
        finds: "a pg_stat_statements statement with mean ≥ 20 ms over ≥ 100 calls (configurable)",
        why: """
        A frequent slow statement holds a connection for its whole run: under load it fills the pool, \
        queues requests and raises every caller's latency. The mean over many calls is not a fluke.
        """,
        fix: "Run EXPLAIN (ANALYZE, BUFFERS) on the statement with representative values; add the index the plan lacks (see index-advice findings), select fewer columns or rows, or cache the result.",
        bad: [.postgres("a lookup called 5,000 times at 45 ms on average") {
            PostgresSnapshot(statementStats: StatementStats(statements: [
                StatementStat(queryID: "42", calls: 5000, totalMillis: 225_000, meanMillis: 45,
                              query: "SELECT * FROM leads WHERE phone_hash = $1")]))
        }],
        good: [.postgres("the same lookup at 0.3 ms on average") {
            PostgresSnapshot(statementStats: StatementStats(statements: [
                StatementStat(queryID: "42", calls: 5000, totalMillis: 1500, meanMillis: 0.3,
                              query: "SELECT * FROM leads WHERE phone_hash = $1")]))
        }, .postgres("a 2 s report query run twice") {
            PostgresSnapshot(statementStats: StatementStats(statements: [
                StatementStat(queryID: "7", calls: 2, totalMillis: 4000, meanMillis: 2000,
                              query: "SELECT count(*) FROM leads")]))
        }])

    /// Long enough to recognize a statement in a report cell.
    static let shownQueryLength = 160

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let statements = input.postgres.value?.statementStats?.statements else { return [] }
        let thresholds = context.thresholds
        return statements
            .filter { $0.meanMillis >= thresholds.slowQueryMeanMillis && $0.calls >= thresholds.slowQueryMinCalls }
            .sorted { $0.totalMillis > $1.totalMillis }
            .map { statement in
                let text = SQLText.shortened(statement.query, to: Self.shownQueryLength)
                return finding("Slow statement: \(statement.calls) calls, mean \(Format.millis(statement.meanMillis)), "
                               + "total \(Format.millis(statement.totalMillis)): `\(text)`",
                               at: .object("pg_stat_statements:\(statement.queryID ?? "?")"))
            }
    }
}
