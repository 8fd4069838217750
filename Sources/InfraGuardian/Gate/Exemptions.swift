/// Which findings are reported without gating, besides waivers: lint findings of migrations already
/// applied to the audited database (history: an applied migration must not be edited, so its
/// findings are not work), and findings recorded in a baseline file.
public struct ExemptionSummary: Codable, Sendable, Equatable {
    /// `gate.history` as applied.
    public var historyPolicy: String
    /// History findings per rule, worst severity first, then most findings, then rule id; empty when there are none or the
    /// policy is `fail`.
    public var history: [RuleCount]
    /// History findings left out of the report (`gate.history: hide`).
    public var hiddenHistory: Int
    public var baseline: BaselineOutcome?

    public struct RuleCount: Codable, Sendable, Equatable {
        public var rule: String
        /// The worst severity among them.
        public var severity: Severity
        public var findings: Int
        /// Migration files they are in.
        public var files: Int
    }

    public var historyCount: Int { history.reduce(0) { $0 + $1.findings } }
    var isEmpty: Bool { history.isEmpty && hiddenHistory == 0 && baseline == nil }
}

enum Exemptions {
    /// Marks (or, with `hide`, removes) history findings, then applies the baseline to what gates;
    /// non-history findings keep their order ahead of history ones, so Issues Found numbers them first.
    /// - Parameter statuses: the migration states against the audited database; nil: none was read,
    ///   so nothing is history.
    static func apply(to findings: inout [Finding], migrations: MigrationSet, statuses: [MigrationStatusEntry]?,
                      policy: GatePolicy, baseline: LoadedBaseline?, evaluated: Set<String>? = nil) -> ExemptionSummary? {
        var summary = ExemptionSummary(historyPolicy: policy.history.rawValue, history: [], hiddenHistory: 0, baseline: nil)
        if policy.history != .fail, let statuses {
            let applied = appliedUnchanged(migrations, statuses: statuses)
            if !applied.isEmpty {
                markHistory(&findings, applied: applied)
                summary.history = counts(findings.filter { $0.exemption == .history })
                if policy.history == .hide {
                    let before = findings.count
                    findings.removeAll { $0.exemption == .history }
                    summary.hiddenHistory = before - findings.count
                    summary.history = []
                } else {
                    findings = findings.filter { $0.exemption != .history } + findings.filter { $0.exemption == .history }
                }
            }
        }
        if let baseline {
            summary.baseline = baseline.baseline.apply(to: &findings, migrations: migrations, path: baseline.path,
                                                               evaluated: evaluated)
        }
        return summary.isEmpty ? nil : summary
    }

    /// Paths of the migration files applied to the database and, when compared with `--base`,
    /// unchanged since: an applied file edited since the base is work again (and `modified-migration`
    /// says so).
    private static func appliedUnchanged(_ migrations: MigrationSet, statuses: [MigrationStatusEntry]) -> Set<String> {
        let appliedPaths = Set(statuses.filter { $0.state == .applied }.compactMap(\.path))
        return Set(migrations.files.filter { file in
            appliedPaths.contains(file.path) && (file.baseState == nil || file.baseState == .unchanged)
        }.map(\.path))
    }

    /// Only the migration rules' findings about an applied file are history: `modified-migration` and
    /// the like describe the file's state now, and live findings are not about files.
    private static func markHistory(_ findings: inout [Finding], applied: Set<String>) {
        for index in findings.indices where findings[index].waiver == nil && findings[index].category == .migration {
            guard let file = findings[index].location.file, applied.contains(file),
                  !currentStateRules.contains(findings[index].ruleID) else { continue }
            findings[index].exemption = .history
        }
    }

    /// Migration rules that report what the files are now, not what an applied migration did.
    static let currentStateRules: Set<String> = ["modified-migration", "applied-migration-missing-file",
                                                 "pending-migration", "migration-unreadable"]

    private static func counts(_ findings: [Finding]) -> [ExemptionSummary.RuleCount] {
        var byRule: [String: (severity: Severity, findings: Int, files: Set<String>)] = [:]
        for finding in findings {
            var entry = byRule[finding.ruleID] ?? (finding.severity, 0, [])
            if finding.severity.rank < entry.severity.rank { entry.severity = finding.severity }
            entry.findings += 1
            if let file = finding.location.file { entry.files.insert(file) }
            byRule[finding.ruleID] = entry
        }
        return byRule.map { ExemptionSummary.RuleCount(rule: $0.key, severity: $0.value.severity,
                                                       findings: $0.value.findings, files: $0.value.files.count) }
            .sorted { ($0.severity.rank, $1.findings, $0.rule) < ($1.severity.rank, $0.findings, $1.rule) }
    }
}

/// A baseline read from disk, with the path it was read from (for the report).
public struct LoadedBaseline: Sendable {
    public var baseline: Baseline
    public var path: String

    public init(baseline: Baseline, path: String) {
        self.baseline = baseline
        self.path = path
    }
}

extension Finding {
    /// Why this finding does not count against the gate, in a few words; nil when it does.
    public var notGatingNote: String? {
        if let waiver { return "waived: \(waiver.reason)" }
        switch exemption {
        case .history: return "history: in an applied migration"
        case .baseline: return "in the baseline"
        case nil: return nil
        }
    }
}
