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
    /// one integer per finding, so most comparisons are one integer comparison. What is done per
    /// finding runs on every core, part by part; only the distinct values are ranked serially.
    static func ordered(_ parts: [[Finding]]) -> [Finding] {
        let local = Parallel.map(parts.count) { PartKeys(parts[$0]) }
        let ruleRanks = ranks(of: local.map(\.ruleIDs)), fileRanks = ranks(of: local.map(\.files))
        let distinctRules = ruleRanks.reduce(0) { max($0, ($1.max() ?? -1) + 1) }
        let distinctFiles = fileRanks.reduce(0) { max($0, ($1.max() ?? -1) + 1) }
        // rule: 12 bits, file: 20 bits, line: 24 bits; beyond that, only severity and category are
        // packed and the rest is compared in full.
        let fits = distinctRules <= 1 << 12 && distinctFiles <= 1 << 20 && local.allSatisfy(\.linesFit)
        let packed = Parallel.map(parts.count) { part in local[part].packed(ruleRanks[part], fileRanks[part], fits: fits) }
        let count = parts.reduce(0) { $0 + $1.count }
        var keys: [UInt64] = [], places: [(part: Int32, index: Int32)] = []
        var ruleRank: [Int32] = [], fileRank: [Int32] = [], lines: [Int] = []
        keys.reserveCapacity(count)
        places.reserveCapacity(count)
        for part in parts.indices {
            keys += packed[part].keys
            for index in parts[part].indices { places.append((Int32(part), Int32(index))) }
            if !fits {
                ruleRank += packed[part].ruleRank
                fileRank += packed[part].fileRank
                lines += local[part].lines
            }
        }
        let sortKeys = keys, sortPlaces = places, sortRules = ruleRank, sortFiles = fileRank, sortLines = lines
        let precedes: @Sendable (Int, Int) -> Bool = { i, j in
            if sortKeys[i] != sortKeys[j] { return sortKeys[i] < sortKeys[j] }
            if !fits {
                if sortRules[i] != sortRules[j] { return sortRules[i] < sortRules[j] }
                if sortFiles[i] != sortFiles[j] { return sortFiles[i] < sortFiles[j] }
                if sortLines[i] != sortLines[j] { return sortLines[i] < sortLines[j] }
            }
            let x = sortPlaces[i], y = sortPlaces[j]
            let a = parts[Int(x.part)], b = parts[Int(y.part)]
            let objectA = a[Int(x.index)].location.object, objectB = b[Int(y.index)].location.object
            if objectA != objectB { return (objectA ?? "") < (objectB ?? "") }
            let messageA = a[Int(x.index)].message, messageB = b[Int(y.index)].message
            if messageA != messageB { return messageA < messageB }
            return i < j
        }
        let order = sortedOnTwoCores(count, by: precedes)
        // The copies, on two cores: each fills its half of the result in place.
        return [Finding](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let slots = buffer.baseAddress
            let halves = count > 4_096 ? 2 : 1, middle = count / halves
            DispatchQueue.concurrentPerform(iterations: halves) { half in
                for position in (half == 0 ? 0 : middle)..<(half == halves - 1 ? count : middle) {
                    let place = sortPlaces[order[position]]
                    (slots! + position).initialize(to: parts[Int(place.part)][Int(place.index)])
                }
            }
            initialized = count
        }
    }

    /// One part's sort data: its distinct rule ids and files (in order of first appearance), each
    /// finding's slot among them, and what packs without them (severity, category, line).
    private struct PartKeys: Sendable {
        var ruleIDs: [String] = [], files: [String] = []
        var ruleSlot: [Int32] = [], fileSlot: [Int32] = [], lines: [Int] = []
        var head: [UInt64] = []
        var linesFit = true

        init(_ findings: [Finding]) {
            ruleSlot.reserveCapacity(findings.count)
            fileSlot.reserveCapacity(findings.count)
            lines.reserveCapacity(findings.count)
            head.reserveCapacity(findings.count)
            var ruleSlots: [String: Int32] = [:], fileSlots: [String: Int32] = [:]
            var lastCategory: Category?, lastCategoryRank = 0
            for index in findings.indices {
                // Neighbours usually share rule and file (findings come rule by rule, file by
                // file), so a value equal to the previous one skips the hash lookup.
                let ruleID = findings[index].ruleID, file = findings[index].location.file ?? ""
                if index > 0, ruleID == ruleIDs[Int(ruleSlot[index - 1])] {
                    ruleSlot.append(ruleSlot[index - 1])
                } else {
                    ruleSlot.append(Self.slot(of: ruleID, in: &ruleSlots, &ruleIDs))
                }
                if index > 0, file == files[Int(fileSlot[index - 1])] {
                    fileSlot.append(fileSlot[index - 1])
                } else {
                    fileSlot.append(Self.slot(of: file, in: &fileSlots, &files))
                }
                let line = findings[index].location.line ?? 0
                lines.append(line)
                if line < 0 || line >= 1 << 24 { linesFit = false }
                let category = findings[index].category
                if category != lastCategory {
                    lastCategory = category
                    lastCategoryRank = categoryRank[category] ?? 15
                }
                head.append(UInt64(findings[index].severity.rank) << 60 | UInt64(lastCategoryRank) << 56)
            }
        }

        private static func slot(of value: String, in slots: inout [String: Int32], _ distinct: inout [String]) -> Int32 {
            if let known = slots[value] { return known }
            let slot = Int32(distinct.count)
            slots[value] = slot
            distinct.append(value)
            return slot
        }

        /// The packed keys, given each slot's rank among the values of all parts; when the ranks do
        /// not fit in the key, the ranks themselves for the comparisons.
        func packed(_ ruleRanks: [Int], _ fileRanks: [Int], fits: Bool)
            -> (keys: [UInt64], ruleRank: [Int32], fileRank: [Int32]) {
            guard fits else {
                return (head, ruleSlot.map { Int32(ruleRanks[Int($0)]) }, fileSlot.map { Int32(fileRanks[Int($0)]) })
            }
            var keys = head
            for index in keys.indices {
                keys[index] |= UInt64(ruleRanks[Int(ruleSlot[index])]) << 44
                    | UInt64(fileRanks[Int(fileSlot[index])]) << 24 | UInt64(lines[index])
            }
            return (keys, [], [])
        }
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

    /// For each part's distinct values, their rank among the distinct values of all parts in `<`
    /// order (equal values, equal ranks).
    private static func ranks(of distinctPerPart: [[String]]) -> [[Int]] {
        var slot: [String: Int] = [:]
        var distinct: [String] = []
        let slots = distinctPerPart.map { values in
            values.map { value in
                if let known = slot[value] { return known }
                slot[value] = distinct.count
                distinct.append(value)
                return distinct.count - 1
            }
        }
        var rankOfSlot = [Int](repeating: 0, count: distinct.count)
        for (rank, position) in distinct.indices.sorted(by: { distinct[$0] < distinct[$1] }).enumerated() {
            rankOfSlot[position] = rank
        }
        return slots.map { $0.map { rankOfSlot[$0] } }
    }
}
