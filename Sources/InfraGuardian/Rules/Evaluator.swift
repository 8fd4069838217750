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
        let (found, unused) = evaluateWithWaivers(input, configuration: configuration)
        var findings = found
        // unused-ignore judges the other rules' findings, so it runs after them, not as a plain check.
        if rules.contains(where: { $0 is UnusedIgnore }) {
            let setting = configuration.setting(for: UnusedIgnore.description.id)
            if setting.enabled {
                findings += UnusedIgnore.findings(for: unused).map { finding in
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
        let outcome = waivers.apply(analysis.waivers, to: findings)
        analysis.releaseLater()
        return outcome
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
    /// Rule ids and file paths are replaced by their rank among the distinct values first, so the
    /// sort compares integers (tens of thousands of findings share a few dozen rules and files);
    /// ties keep their input order, as a stable sort of the findings would.
    public static func ordered(_ findings: [Finding]) -> [Finding] {
        let ruleRank = ranks(of: findings.map(\.ruleID))
        let fileRank = ranks(of: findings.map { $0.location.file ?? "" })
        struct Key {
            var severity: Int, category: Category, rule: Int, file: Int, line: Int
        }
        let keys = findings.indices.map { index in
            let finding = findings[index]
            return Key(severity: finding.severity.rank, category: finding.category,
                       rule: ruleRank[index], file: fileRank[index], line: finding.location.line ?? 0)
        }
        return findings.withUnsafeBufferPointer { items in
            var order = Array(items.indices)
            order.sort { i, j in
                let a = keys[i], b = keys[j]
                if a.severity != b.severity { return a.severity < b.severity }
                if a.category != b.category { return a.category.rawValue < b.category.rawValue }
                if a.rule != b.rule { return a.rule < b.rule }
                if a.file != b.file { return a.file < b.file }
                if a.line != b.line { return a.line < b.line }
                let la = items[i].location, lb = items[j].location
                if la.object != lb.object { return (la.object ?? "") < (lb.object ?? "") }
                if items[i].message != items[j].message { return items[i].message < items[j].message }
                return i < j
            }
            return order.map { items[$0] }
        }
    }

    /// Each value's position among the distinct values in `<` order (equal values, equal ranks).
    /// Neighbours usually share the value (findings come rule by rule, file by file), so a value
    /// equal to the previous one skips the hash lookup.
    private static func ranks(of values: [String]) -> [Int] {
        var slot: [String: Int] = [:]
        var distinct: [String] = []
        var slots: [Int] = []
        slots.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            if index > 0, value == values[index - 1] {
                slots.append(slots[index - 1])
                continue
            }
            if let known = slot[value] {
                slots.append(known)
            } else {
                slot[value] = distinct.count
                slots.append(distinct.count)
                distinct.append(value)
            }
        }
        var rankOfSlot = [Int](repeating: 0, count: distinct.count)
        for (rank, position) in distinct.indices.sorted(by: { distinct[$0] < distinct[$1] }).enumerated() {
            rankOfSlot[position] = rank
        }
        return slots.map { rankOfSlot[$0] }
    }
}
