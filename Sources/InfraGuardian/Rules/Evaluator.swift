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
        var parts = outcome.findings
        // unused-ignore judges the other rules' findings, so it runs after them, not as a plain check.
        if rules.contains(where: { $0 is UnusedIgnore }) {
            let setting = configuration.setting(for: UnusedIgnore.description.id)
            if setting.enabled {
                parts.append(UnusedIgnore.findings(for: outcome.unused).map { finding in
                    var finding = finding
                    if let severity = setting.severity { finding.severity = severity }
                    return finding
                })
            }
        }
        let findings = Self.ordered(parts)
        BackgroundRelease.later(parts)
        return findings
    }

    /// Every rule but unused-ignore, with waiver comments applied (one array per rule, in rule
    /// order: `ordered` makes one list of them); also the waivers that matched nothing.
    func evaluateWithWaivers(_ input: AuditInput, configuration: Configuration)
        -> (findings: [[Finding]], unused: [WaiverApplication.Unused]) {
        let analysis = MigrationAnalysis(input.migrations)
        let context = RuleContext(configuration: configuration, now: input.collectedAt, migrationAnalysis: analysis)
        let active = rules.filter { !($0 is UnusedIgnore) && configuration.setting(for: $0.ruleDescription.id).enabled }
        let enabled = Set(active.map(\.ruleDescription.id))
        // Rules are pure functions of immutable input, so they run on every core; results are
        // gathered in rule order, so the outcome is the same as a sequential run.
        var perRule = Self.concurrentMap(active) { rule in
            let findings = rule.check(input, context)
            guard let severity = configuration.setting(for: rule.ruleDescription.id).severity else { return findings }
            return findings.map { finding in
                var finding = finding
                finding.severity = severity
                return finding
            }
        }
        let waivers = WaiverApplication(
            approvalRequired: Set(rules.filter(\.ruleDescription.requiresApproval).map(\.ruleDescription.id)),
            enabledRules: enabled, knownRules: Set(rules.map(\.ruleDescription.id)))
        let unused = waivers.apply(analysis.waivers, to: &perRule)
        BackgroundRelease.later(analysis)
        return (perRule, unused)
    }

    /// `transform` of every rule, in rule order, computed on all cores. Rules that read the schema
    /// replay's locks are started last: the replay runs on a thread of its own meanwhile, and a rule
    /// waiting for it would hold a core idle.
    static func concurrentMap<T: Sendable>(_ rules: [any Rule], _ transform: @Sendable (any Rule) -> T) -> [T] {
        guard rules.count > 1 else { return rules.map(transform) }
        let schedule = rules.indices.filter { !rules[$0].readsStatementLocks }
            + rules.indices.filter { rules[$0].readsStatementLocks }
        let results = Parallel.map(rules.count) { turn in transform(rules[schedule[turn]]) }
        var turnOf = [Int](repeating: 0, count: rules.count)
        for (turn, index) in schedule.enumerated() { turnOf[index] = turn }
        return rules.indices.map { results[turnOf[$0]] }
    }

    /// The findings of `parts` in one list, worst first, then by category, rule, location, object
    /// and message: the order behind the report's I001, I002... Ties keep their input order, as a
    /// stable sort would; each finding is copied once. Rule ids and file paths are replaced by their
    /// rank among the distinct values, and severity, category, rule, file and line are packed into
    /// one integer per finding, so most comparisons are one integer comparison.
    static func ordered(_ parts: [[Finding]]) -> [Finding] {
        var ruleIDs: [String] = [], files: [String] = [], lines: [Int] = []
        var keys: [UInt64] = [], places: [(part: Int32, index: Int32)] = []
        let count = parts.reduce(0) { $0 + $1.count }
        ruleIDs.reserveCapacity(count)
        files.reserveCapacity(count)
        lines.reserveCapacity(count)
        keys.reserveCapacity(count)
        places.reserveCapacity(count)
        var lastCategory: Category?, lastCategoryRank = 0
        for (part, findings) in parts.enumerated() {
            for index in findings.indices {
                ruleIDs.append(findings[index].ruleID)
                files.append(findings[index].location.file ?? "")
                lines.append(findings[index].location.line ?? 0)
                let category = findings[index].category
                if category != lastCategory {
                    lastCategory = category
                    lastCategoryRank = categoryRank[category] ?? 15
                }
                keys.append(UInt64(findings[index].severity.rank) << 60 | UInt64(lastCategoryRank) << 56)
                places.append((Int32(part), Int32(index)))
            }
        }
        let ruleRank = ranks(of: ruleIDs), fileRank = ranks(of: files)
        // rule: 12 bits, file: 20 bits, line: 24 bits; beyond that, only severity and category are
        // packed and the rest is compared in full.
        let fits = ruleRank.allSatisfy { $0 < 1 << 12 } && fileRank.allSatisfy { $0 < 1 << 20 }
            && lines.allSatisfy { $0 >= 0 && $0 < 1 << 24 }
        if fits {
            for position in keys.indices {
                keys[position] |= UInt64(ruleRank[position]) << 44 | UInt64(fileRank[position]) << 24 | UInt64(lines[position])
            }
        }
        let sortKeys = keys, sortPlaces = places, sortLines = lines
        let precedes: @Sendable (Int, Int) -> Bool = { i, j in
            if sortKeys[i] != sortKeys[j] { return sortKeys[i] < sortKeys[j] }
            if ruleRank[i] != ruleRank[j] { return ruleRank[i] < ruleRank[j] }
            if fileRank[i] != fileRank[j] { return fileRank[i] < fileRank[j] }
            if sortLines[i] != sortLines[j] { return sortLines[i] < sortLines[j] }
            let x = sortPlaces[i], y = sortPlaces[j]
            let a = parts[Int(x.part)], b = parts[Int(y.part)]
            let objectA = a[Int(x.index)].location.object, objectB = b[Int(y.index)].location.object
            if objectA != objectB { return (objectA ?? "") < (objectB ?? "") }
            let messageA = a[Int(x.index)].message, messageB = b[Int(y.index)].message
            if messageA != messageB { return messageA < messageB }
            return i < j
        }
        let order = sortedOnTwoCores(keys.count, by: precedes)
        var result: [Finding] = []
        result.reserveCapacity(order.count)
        for position in order { result.append(parts[Int(places[position].part)][Int(places[position].index)]) }
        return result
    }

    /// `0..<count` sorted by `precedes` (a strict total order): each half on a core of its own,
    /// then merged.
    private static func sortedOnTwoCores(_ count: Int, by precedes: @Sendable (Int, Int) -> Bool) -> [Int] {
        guard count > 4_096 else { return Array(0..<count).sorted(by: precedes) }
        let middle = count / 2
        let halves = Parallel.map(2) { half in Array(half == 0 ? 0..<middle : middle..<count).sorted(by: precedes) }
        let left = halves[0], right = halves[1]
        var merged: [Int] = []
        merged.reserveCapacity(count)
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if precedes(right[j], left[i]) { merged.append(right[j]); j += 1 } else { merged.append(left[i]); i += 1 }
        }
        merged += left[i...]
        merged += right[j...]
        return merged
    }

    /// Categories in the order of their names (the report sorts by category name).
    private static let categoryRank: [Category: Int] = Dictionary(
        uniqueKeysWithValues: Category.allCases.sorted { $0.rawValue < $1.rawValue }.enumerated().map { ($1, $0) })

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
