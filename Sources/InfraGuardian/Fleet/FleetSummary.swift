/// What a fleet report says first: each database's worst component and findings, and each rule's
/// findings across the fleet. A pure function of the databases' reports.
public struct FleetSummary: Codable, Sendable, Equatable {
    public var databases: [DatabaseRow]
    /// Worst severity first, then the rules on most databases.
    public var rules: [RuleRow]

    public struct DatabaseRow: Codable, Sendable, Equatable {
        public var target: String
        /// The worst state of its components (`not_configured` only when none is configured).
        public var worst: HealthState
        /// The components in that state, in the report's order.
        public var worstComponents: [String]
        /// Every finding of its report, history, waived and baseline ones included.
        public var findings: Int
        /// Findings per effective severity (only the severities it has).
        public var severities: [String: Int]
        /// Waived, history and baseline findings among `findings`.
        public var notGating: Int
        public var gatePassed: Bool
    }

    public struct RuleRow: Codable, Sendable, Equatable {
        public var ruleID: String
        public var category: Category
        /// The worst effective severity of its findings.
        public var severity: Severity
        public var findings: Int
        public var notGating: Int
        /// The targets of the databases it has findings on, in the fleet's order.
        public var databases: [String]
    }

    /// - Parameter databases: in the fleet's order (by target).
    public init(_ databases: [FleetDatabase]) {
        self.databases = databases.map(Self.row)
        var rules: [String: RuleRow] = [:]
        var order: [String] = []
        for database in databases {
            for finding in database.report.issues.map(\.finding) {
                guard var rule = rules[finding.ruleID] else {
                    order.append(finding.ruleID)
                    rules[finding.ruleID] = RuleRow(ruleID: finding.ruleID, category: finding.category,
                                                    severity: finding.severity, findings: 1,
                                                    notGating: finding.isActive ? 0 : 1, databases: [database.target])
                    continue
                }
                rule.severity = max(rule.severity, finding.severity)
                rule.findings += 1
                if !finding.isActive { rule.notGating += 1 }
                if rule.databases.last != database.target { rule.databases.append(database.target) }
                rules[finding.ruleID] = rule
            }
        }
        self.rules = order.compactMap { rules[$0] }.sorted { left, right in
            (left.severity.rank, -left.databases.count, -left.findings, left.ruleID)
                < (right.severity.rank, -right.databases.count, -right.findings, right.ruleID)
        }
    }

    static func row(_ database: FleetDatabase) -> DatabaseRow {
        let components = database.report.components
        let worst = components.map(\.state).reduce(HealthState.notConfigured) { $0.worse($1) }
        let findings = database.report.issues.map(\.finding)
        var severities: [String: Int] = [:]
        for finding in findings { severities[finding.severity.rawValue, default: 0] += 1 }
        return DatabaseRow(target: database.target, worst: worst,
                           worstComponents: components.filter { $0.state == worst }.map(\.component),
                           findings: findings.count, severities: severities,
                           notGating: findings.filter { !$0.isActive }.count,
                           gatePassed: database.report.gate.passed)
    }

    /// FAILED when any database's gate failed or anything could not be audited or merged (a fleet
    /// that did not see every database certifies none of the missing ones); every reason names its
    /// database or its source.
    static func gate(_ databases: [FleetDatabase], problems: [FleetProblem]) -> GateVerdict {
        var failures: [String] = []
        for database in databases where !database.report.gate.passed {
            failures += database.report.gate.reasons.map { "`\(database.target)`: \($0)" }
        }
        failures += problems.map { "\($0.source): \($0.message)" }
        if databases.isEmpty && problems.isEmpty { failures.append("no database audited") }
        guard failures.isEmpty else { return GateVerdict(passed: false, reasons: failures) }
        let count = databases.count
        return GateVerdict(passed: true, reasons: [
            "\(count) database\(count == 1 ? "" : "s") audited: \(count == 1 ? "its gate" : "every gate") PASSED",
        ])
    }
}
