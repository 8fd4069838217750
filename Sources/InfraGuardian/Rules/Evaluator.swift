import Dispatch

/// Runs the enabled rules, applies severity overrides and orders findings for a stable report.
public struct Evaluator: Sendable {
    public var rules: [any Rule]

    public init(rules: [any Rule] = RuleRegistry.builtIn) {
        self.rules = rules
    }

    /// Rule ids named in the configuration that no rule has: a configuration error (exit 2).
    public func unknownRuleSettings(in configuration: Configuration) -> [ConfigurationError] {
        let known = Set(rules.map { $0.ruleDescription.id })
        return configuration.rules.keys.sorted().filter { !known.contains($0) }.map { id in
            ConfigurationError(file: configuration.sourceFile ?? ConfigurationLoader.defaultFileName,
                               line: configuration.rules[id]?.line, key: "rules.\(id)",
                               problem: "no rule has this id (see `infra-guardian rules`)")
        }
    }

    public func evaluate(_ input: AuditInput, configuration: Configuration) -> [Finding] {
        let outcome = evaluateWithWaivers(input, configuration: configuration)
        var findings = outcome.findings
        // unused-ignore judges the other rules' findings, so it runs after them, not as a plain check.
        if rules.contains(where: { $0 is UnusedIgnore }) {
            let setting = configuration.setting(for: UnusedIgnore.description.id)
            if setting.enabled {
                findings += UnusedIgnore.findings(for: outcome.unused).map { finding in
                    var finding = finding
                    if let severity = setting.severity { finding.severity = severity }
                    return finding
                }
            }
        }
        return Self.ordered(findings)
    }

    /// Every rule but unused-ignore, with waiver comments applied; also the waivers that matched nothing.
    func evaluateWithWaivers(_ input: AuditInput, configuration: Configuration)
        -> (findings: [Finding], unused: [WaiverApplication.Unused]) {
        let analysis = MigrationAnalysis(input.migrations)
        let context = RuleContext(configuration: configuration, now: input.collectedAt, migrationAnalysis: analysis)
        let active = rules.filter { !($0 is UnusedIgnore) && configuration.setting(for: $0.ruleDescription.id).enabled }
        let enabled = Set(active.map(\.ruleDescription.id))
        // Rules are pure functions of immutable input, so they run on every core; results are
        // gathered in rule order, so the outcome is the same as a sequential run.
        let perRule = Self.concurrentMap(active) { rule in
            let setting = configuration.setting(for: rule.ruleDescription.id)
            return rule.check(input, context).map { finding in
                var finding = finding
                if let severity = setting.severity { finding.severity = severity }
                return finding
            }
        }
        let findings = perRule.flatMap { $0 }
        let waivers = WaiverApplication(
            approvalRequired: Set(rules.filter(\.ruleDescription.requiresApproval).map(\.ruleDescription.id)),
            enabledRules: enabled, knownRules: Set(rules.map(\.ruleDescription.id)))
        return waivers.apply(analysis.waivers, to: findings)
    }

    static func concurrentMap<T: Sendable>(_ rules: [any Rule], _ transform: @Sendable (any Rule) -> T) -> [T] {
        guard rules.count > 1 else { return rules.map(transform) }
        let buffer = UnsafeMutableBufferPointer<T?>.allocate(capacity: rules.count)
        buffer.initialize(repeating: nil)
        defer {
            buffer.deinitialize()
            buffer.deallocate()
        }
        nonisolated(unsafe) let results = buffer
        DispatchQueue.concurrentPerform(iterations: rules.count) { index in
            results[index] = transform(rules[index])
        }
        return buffer.compactMap { $0 }
    }

    /// Worst first, then by category, rule, location: the order behind the report's I001, I002...
    /// Sorts positions rather than the findings themselves (moving a finding retains and releases
    /// each of its strings); ties keep their input order, as the stable sort of the findings did.
    public static func ordered(_ findings: [Finding]) -> [Finding] {
        findings.withUnsafeBufferPointer { items in
            var order = Array(items.indices)
            order.sort { i, j in
                let ra = items[i].severity.rank, rb = items[j].severity.rank
                if ra != rb { return ra < rb }
                if items[i].category != items[j].category {
                    return items[i].category.rawValue < items[j].category.rawValue
                }
                if items[i].ruleID != items[j].ruleID { return items[i].ruleID < items[j].ruleID }
                let a = items[i], b = items[j]
                let la = a.location, lb = b.location
                if la.file != lb.file { return (la.file ?? "") < (lb.file ?? "") }
                if la.line != lb.line { return (la.line ?? 0) < (lb.line ?? 0) }
                if la.object != lb.object { return (la.object ?? "") < (lb.object ?? "") }
                if a.message != b.message { return a.message < b.message }
                return i < j
            }
            return order.map { items[$0] }
        }
    }
}
