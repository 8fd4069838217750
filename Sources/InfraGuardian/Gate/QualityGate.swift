/// PASSED or FAILED, and why.
public struct GateVerdict: Codable, Sendable, Equatable {
    public var passed: Bool
    public var reasons: [String]

    public var label: String { passed ? "PASSED" : "FAILED" }
}

/// The policy over findings and component health (`gate:` in the configuration).
public enum QualityGate {
    /// - Parameter issueIDs: the report IDs of the findings (I001...), in the same order.
    /// - Parameter incomplete: what the collection could not read (`AuditInput.incompleteParts`): any
    ///   entry fails the gate, whatever the policy: an audit that did not see everything certifies nothing.
    public static func evaluate(findings: [Finding], issueIDs: [String], components: [ComponentHealth],
                                policy: GatePolicy, incomplete: [String] = [],
                                exemptions: ExemptionSummary? = nil) -> GateVerdict {
        evaluate(findings: findings, issueID: { issueIDs[$0] }, components: components, policy: policy,
                 incomplete: incomplete, exemptions: exemptions)
    }

    /// - Parameter issueID: the report ID of the finding at a position (I001...); asked only for
    ///   the findings the verdict names.
    /// - Parameter exemptions: the history and baseline findings (marked in `findings`), for the reasons.
    /// How many IDs a failing reason names before "and N more".
    static let namedIDs = 10

    public static func evaluate(findings: [Finding], issueID: (Int) -> String, components: [ComponentHealth],
                                policy: GatePolicy, incomplete: [String] = [],
                                exemptions: ExemptionSummary? = nil) -> GateVerdict {
        // One pass: positions of the findings that gate (neither waived nor exempt) per severity.
        var positions: [Severity: [Int]] = [:]
        for position in findings.indices where findings[position].isActive {
            let severity = findings[position].severity
            if policy.failOn.contains(severity) { positions[severity, default: []].append(position) }
        }
        var failures: [String] = []
        for severity in Severity.allCases where policy.failOn.contains(severity) {
            guard let found = positions[severity], !found.isEmpty else { continue }
            // A reason stays one line at any scale: the first IDs, then how many more.
            let named = found.count > Self.namedIDs + 2 ? found.prefix(Self.namedIDs).map(issueID) + ["\(found.count - Self.namedIDs) more"]
                                                         : found.map(issueID)
            let list = named.count > 1 ? named.dropLast().joined(separator: ", ") + (found.count > Self.namedIDs + 2 ? " and " : ", ")
                + named[named.count - 1] : named[0]
            failures.append("\(found.count) \(severity.rawValue) finding\(found.count == 1 ? "" : "s") (\(list))")
        }
        for component in components {
            if component.state == .unhealthy && policy.failOnUnhealthy {
                failures.append("\(component.component) is unhealthy: \(component.details)")
            } else if component.state == .degraded && policy.failOnDegraded {
                failures.append("\(component.component) is degraded: \(component.details)")
            }
        }
        if !incomplete.isEmpty {
            failures.append("audit incomplete: not checked: \(incomplete.joined(separator: "; "))")
        }
        if !failures.isEmpty { return GateVerdict(passed: false, reasons: failures) }

        let failOn = Severity.allCases.filter { policy.failOn.contains($0) }.map(\.rawValue).joined(separator: " or ")
        let outside = exemptions.map { _ in " outside history and the baseline" } ?? ""
        var reasons = [failOn.isEmpty ? "no severity fails the gate (gate.fail_on is empty)"
                                      : "no unwaived \(failOn) findings\(outside)"]
        let configured = components.filter { $0.state != .notConfigured }
        reasons.append(configured.isEmpty ? "no live component configured: static checks only"
                                          : "every configured component is healthy or degraded within policy")
        let waived = findings.filter(\.isWaived).count
        if waived > 0 { reasons.append("\(waived) finding\(waived == 1 ? "" : "s") waived with a recorded reason") }
        if let exemptions { reasons += exemptionReasons(exemptions) }
        let notConfigured = components.filter { $0.state == .notConfigured }.map(\.component)
        if !notConfigured.isEmpty { reasons.append("not audited: \(notConfigured.joined(separator: ", "))") }
        return GateVerdict(passed: true, reasons: reasons)
    }

    /// What history and the baseline took out of the gate, in words.
    static func exemptionReasons(_ exemptions: ExemptionSummary) -> [String] {
        var reasons: [String] = []
        let history = exemptions.historyCount
        if history > 0 {
            reasons.append("\(history) finding\(history == 1 ? "" : "s") in migrations already applied reported as history, not gating (gate.history: report)")
        }
        if exemptions.hiddenHistory > 0 {
            let hidden = exemptions.hiddenHistory
            reasons.append("\(hidden) finding\(hidden == 1 ? "" : "s") in migrations already applied hidden as history (gate.history: hide)")
        }
        if let baseline = exemptions.baseline {
            reasons.append("baseline \(baseline.path): \(baseline.matched) of today's finding\(baseline.matched == 1 ? "" : "s") recorded there, not gating; \(baseline.fixed) of its \(baseline.recorded) fixed since")
        }
        return reasons
    }
}
