/// Matches waiver comments to findings: a waived finding stays in the report with `waiver` set;
/// a waiver that matched nothing is returned so `unused-ignore` can report it.
struct WaiverApplication {
    struct Unused: Sendable {
        var directive: WaiverDirective
        /// Why it waived nothing, for the message.
        var explanation: String
    }

    /// Rule ids whose findings only an `approve` waiver lifts (destructive changes).
    var approvalRequired: Set<String>
    /// Rules that ran; waivers naming a rule that is switched off are not "unused".
    var enabledRules: Set<String>
    var knownRules: Set<String>

    /// Sets `waiver` on the findings a directive covers (in place; `parts` as the rules returned
    /// them) and returns the directives that covered nothing.
    func apply(_ directives: [WaiverDirective], to parts: inout [[Finding]]) -> [Unused] {
        let valid = directives.filter(\.isValid)
        guard !valid.isEmpty else { return [] }
        var byFile: [String: [Int]] = [:]
        for (index, directive) in valid.enumerated() { byFile[directive.file, default: []].append(index) }
        var used = Set<Int>()
        for part in parts.indices {
            for position in parts[part].indices where parts[part][position].waiver == nil {
                let ruleID = parts[part][position].ruleID, location = parts[part][position].location
                guard let file = location.file, let candidates = byFile[file] else { continue }
                let match = candidates.first { index in
                    let directive = valid[index]
                    guard directive.rules.contains(ruleID) else { return false }
                    if approvalRequired.contains(ruleID), directive.kind != .approve { return false }
                    if directive.isFileLevel { return true }
                    guard let lines = directive.statementLines, let line = location.line else { return false }
                    return lines.contains(line)
                }
                guard let match else { continue }
                used.insert(match)
                parts[part][position].waiver = Waiver(reason: valid[match].reason, location: valid[match].location)
            }
        }
        return valid.indices.filter { !used.contains($0) }.compactMap { unusedEntry(valid[$0]) }
    }

    private func unusedEntry(_ directive: WaiverDirective) -> Unused? {
        let unknown = directive.rules.filter { !knownRules.contains($0) }
        if directive.rules.allSatisfy({ knownRules.contains($0) && !enabledRules.contains($0) }) { return nil }
        if !unknown.isEmpty {
            return Unused(directive: directive, explanation: "no rule has the id \(unknown.joined(separator: ", "))")
        }
        let needApproval = directive.rules.filter { approvalRequired.contains($0) }
        if directive.kind != .approve, !needApproval.isEmpty {
            let rule = needApproval[0]
            return Unused(directive: directive, explanation: """
                \(rule) is a destructive change: only `-- infra-guardian:approve \(rule) <reason>` waives it
                """)
        }
        if directive.kind != .ignoreFile, directive.statementLines == nil {
            return Unused(directive: directive, explanation: "no statement follows it in its section")
        }
        let scope = directive.isFileLevel ? "in this file" : "on the statement that follows it"
        return Unused(directive: directive, explanation: "\(directive.rules.joined(separator: ", ")) raised nothing \(scope)")
    }
}
