/// An index that hypopg proved would make a probe or a slow statement much cheaper.
struct IndexAdviceRule: Rule {
    static let description = RuleDescription(
        id: "index-advice", category: .index, severity: .medium,
        summary: "A hypothetical index (hypopg) cuts a probe's or slow statement's plan cost by 50 % or more (configurable).",
        finds: "a hypothetical index (hypopg) cuts a probe's or slow statement's plan cost by ≥ 50 %; the fix is the `CREATE INDEX CONCURRENTLY` statement and `cost before → after`",
        why: """
        The planner was shown the index without building it and chose it: the query scans the whole table \
        today and would not with the index. This is Dexter's method — measured on the live statistics, not \
        guessed from the schema.
        """,
        fix: "Add the suggested index in a migration with -- migrate:up transaction:false: CREATE INDEX CONCURRENTLY IF NOT EXISTS ... (it does not block writes), then re-run the audit.",
        bad: [.postgres("probe lead-by-phone scans leads; an index on phone_hash cuts cost 1834 → 8") {
            PostgresSnapshot(indexAdvice: IndexAdvice(suggestions: [IndexSuggestion(
                query: "probe lead-by-phone", table: "leads", columns: ["phone_hash"],
                statement: "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_phone_hash ON public.leads (phone_hash);",
                costBefore: 1834, costAfter: 8.3)], examinedQueries: 1))
        }],
        good: [.postgres("advice examined one query and found nothing to add") {
            PostgresSnapshot(indexAdvice: IndexAdvice(examinedQueries: 1))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.postgres.value?.indexAdvice?.suggestions ?? []).map { suggestion in
            let cost = "cost \(Self.cost(suggestion.costBefore)) → \(Self.cost(suggestion.costAfter))"
            let columns = suggestion.columns.joined(separator: ", ")
            return finding("\(suggestion.query) scans \(suggestion.qualifiedTable); an index on (\(columns)) "
                           + "cuts its plan \(cost).",
                           at: .object("\(suggestion.qualifiedTable)(\(columns))"),
                           fix: "\(suggestion.statement) (\(cost))")
        }
    }

    static func cost(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }
}
