/// A waiver comment that waived nothing: stale, misspelled, or of the wrong kind.
struct UnusedIgnore: Rule {
    static let description = RuleDescription(
        id: "unused-ignore", category: .migration, severity: .low,
        summary: "An `-- infra-guardian:ignore`/`approve` comment matched no finding.",
        finds: "a waiver comment that waived no finding",
        why: """
        A waiver that waives nothing is noise at best; at worst it names the wrong rule (a typo) or the \
        wrong kind (`ignore` where a destructive change needs `approve`), and the author believes a \
        finding is handled when it is not.
        """,
        fix: "Remove the comment, correct the rule id, move it to the line just above the statement, or use `approve` for ban-drop-* rules.",
        bad: [.migration("-- infra-guardian:ignore require-concurrent-index the table is small\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);", at: .line(2, column: 1)),
              .migration("-- infra-guardian:ignore ban-drop-table replaced by lead_events\nDROP TABLE IF EXISTS legacy_leads;", at: .line(2, column: 1))],
        good: [.migration("-- infra-guardian:ignore require-concurrent-index leads holds 200 rows; a plain build takes milliseconds\nCREATE INDEX IF NOT EXISTS idx_leads_phone ON leads(phone_hash);"),
               .migration("-- Breaking: legacy_leads was replaced by lead_events in release 4.2.\n-- infra-guardian:approve ban-drop-table replaced by lead_events, ticket INFRA-124\nDROP TABLE IF EXISTS legacy_leads;")])

    /// Run alone (tests, `explain`), it evaluates the other built-in rules itself; in a normal run the
    /// Evaluator reuses its own findings and calls `findings(for:)`.
    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let others = Evaluator(rules: RuleRegistry.builtIn.filter { !($0 is UnusedIgnore) })
        return Self.findings(for: others.evaluateWithWaivers(input, configuration: context.configuration).unused)
    }

    static func findings(for unused: [WaiverApplication.Unused]) -> [Finding] {
        unused.map { entry in
            let directive = entry.directive
            return UnusedIgnore().finding(
                "`-- infra-guardian:\(directive.kind.rawValue) \(directive.rules.joined(separator: ","))` waived nothing: \(entry.explanation).",
                at: directive.location)
        }
    }
}
