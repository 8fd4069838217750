/// A waiver comment that names no rule or gives no reason: it is not applied.
struct WaiverWithoutReason: Rule {
    static let description = RuleDescription(
        id: "waiver-without-reason", category: .migration, severity: .medium,
        summary: "An `-- infra-guardian:ignore` / `approve` comment has no rule id or no reason, so it waives nothing.",
        finds: "an `-- infra-guardian:ignore/approve` comment without rule id or reason (not applied)",
        why: """
        Waivers are visible exceptions: the reason is what the reviewer and the auditor read. A waiver \
        without one is not applied, so the finding it meant to waive still counts against the gate.
        """,
        fix: "Write `-- infra-guardian:ignore RULE-ID why this is safe here` (or `ignore-file`, or `approve` for destructive changes).",
        bad: [.migration("-- infra-guardian:ignore require-concurrent-index\nCREATE INDEX IF NOT EXISTS idx_leads_phone ON leads(phone_hash);", at: .line(2, column: 1)),
              .migration("-- infra-guardian:ignore-file\nSELECT 1;", at: .line(2, column: 1))],
        good: [.migration("-- infra-guardian:ignore require-concurrent-index leads holds 200 rows; a plain build takes milliseconds\nCREATE INDEX IF NOT EXISTS idx_leads_phone ON leads(phone_hash);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).waivers.filter { !$0.isValid }.map { waiver in
            let written = "`-- infra-guardian:\(waiver.kind.rawValue)\(waiver.rules.isEmpty ? "" : " " + waiver.rules.joined(separator: ","))`"
            let missing = waiver.rules.isEmpty ? "names no rule" : "gives no reason"
            return finding("\(written) \(missing): it is not applied.", at: waiver.location)
        }
    }
}
