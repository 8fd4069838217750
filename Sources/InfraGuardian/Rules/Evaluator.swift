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
        return Self.ordered(parts)
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
        return (perRule, unused)
    }

    /// `transform` of every rule, in rule order, computed on all cores. One rule reading the applied
    /// schema starts first (it builds the schema while the other cores run the plain rules), the
    /// other applied-schema rules after the plain ones. Rules that read the schema replay's locks are
    /// started last: the replay runs on a thread of its own meanwhile, and a rule waiting for it
    /// would hold a core idle.
    static func concurrentMap<T: Sendable>(_ rules: [any Rule], _ transform: @Sendable (any Rule) -> T) -> [T] {
        guard rules.count > 1 else { return rules.map(transform) }
        let locks = rules.indices.filter { rules[$0].readsStatementLocks }
        let schema = rules.indices.filter { !rules[$0].readsStatementLocks && rules[$0].readsAppliedSchema }
        let plain = rules.indices.filter { !rules[$0].readsStatementLocks && !rules[$0].readsAppliedSchema }
        let schedule = Array(schema.prefix(1)) + plain + schema.dropFirst() + locks
        let results = Parallel.map(rules.count) { turn in transform(rules[schedule[turn]]) }
        var turnOf = [Int](repeating: 0, count: rules.count)
        for (turn, index) in schedule.enumerated() { turnOf[index] = turn }
        return rules.indices.map { results[turnOf[$0]] }
    }

    /// The findings of `parts` in one list, worst first, then by category, rule, file, line,
    /// object and message: the order behind the report's I001, I002... Ties keep their input order.
    static func ordered(_ parts: [[Finding]]) -> [Finding] {
        // Findings stay in their parts, addressed by (part, index), and are copied once, into the
        // result: a copy retains each of a finding's strings, and a big lint has tens of thousands.
        let ranks = FindingOrder.Ranks(parts)
        var keys: [FindingOrder] = []
        keys.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        var lookup = FindingOrder.Lookup(ranks)
        for part in parts.indices {
            for index in parts[part].indices {
                keys.append(FindingOrder(parts, at: FindingAddress(part: part, index: index), lookup: &lookup))
            }
        }
        keys.sort { $0.precedes($1, in: parts) }
        var ordered: [Finding] = []
        ordered.reserveCapacity(keys.count)
        for key in keys { ordered.append(parts[key.address.part][key.address.index]) }
        return ordered
    }
}

/// Where a finding sits in the rules' output: its rule's part, then its place in that part.
struct FindingAddress: Comparable {
    let part: Int
    let index: Int

    static func < (a: FindingAddress, b: FindingAddress) -> Bool { (a.part, a.index) < (b.part, b.index) }
}

/// The sort key of one finding in a report: severity, category, rule, file, line, object, message,
/// then the order the rules reported them in. Rule ids, files and objects are compared by their
/// rank among the report's distinct values (one string sort of a few hundred names, instead of
/// string comparisons in each of the n log n steps); messages, only when all of those tie, are
/// read from the finding itself.
struct FindingOrder {
    let severity: Int
    let category: Int
    let rule: Int
    let file: Int
    let line: Int
    let object: Int
    /// Where the finding was in the rules' output: equal keys keep that order.
    let address: FindingAddress

    /// The rank of each distinct category, rule id, file and object (in `String` order).
    struct Ranks: Sendable {
        let category: [String: Int], rule: [String: Int], file: [String: Int], object: [String: Int]

        init(_ parts: [[Finding]]) {
            var categories = Set<String>(), rules = Set<String>(), files = Set<String>(), objects = Set<String>()
            // By index: `for finding in part` would copy (and retain) every finding.
            for part in parts {
                for index in part.indices {
                    categories.insert(part[index].category.rawValue)
                    rules.insert(part[index].ruleID)
                    files.insert(part[index].location.file ?? "")
                    objects.insert(part[index].location.object ?? "")
                }
            }
            func table(_ names: Set<String>) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: names.sorted().enumerated().map { ($1, $0) })
            }
            category = table(categories)
            rule = table(rules)
            file = table(files)
            object = table(objects)
        }
    }

    /// `Ranks` looked up with the previous answer of each table kept: one rule's findings share
    /// their rule and category and mostly their file, so most lookups are a string comparison.
    struct Lookup {
        var category: CachedRank, rule: CachedRank, file: CachedRank, object: CachedRank

        init(_ ranks: Ranks) {
            category = CachedRank(ranks.category)
            rule = CachedRank(ranks.rule)
            file = CachedRank(ranks.file)
            object = CachedRank(ranks.object)
        }
    }

    /// One table of `Ranks` and its last answer.
    struct CachedRank {
        let table: [String: Int]
        private var lastName: String?
        private var lastRank = 0

        init(_ table: [String: Int]) { self.table = table }

        mutating func rank(_ name: String) -> Int {
            if name == lastName { return lastRank }
            lastRank = table[name] ?? 0
            lastName = name
            return lastRank
        }
    }

    init(_ parts: [[Finding]], at address: FindingAddress, lookup: inout Lookup) {
        let part = parts[address.part], index = address.index
        severity = part[index].severity.rank
        category = lookup.category.rank(part[index].category.rawValue)
        rule = lookup.rule.rank(part[index].ruleID)
        file = lookup.file.rank(part[index].location.file ?? "")
        line = part[index].location.line ?? 0
        object = lookup.object.rank(part[index].location.object ?? "")
        self.address = address
    }

    /// True when this finding comes before `other` in the report; `parts` holds both findings.
    func precedes(_ other: FindingOrder, in parts: [[Finding]]) -> Bool {
        let mine = (severity, category, rule, file, line, object)
        let theirs = (other.severity, other.category, other.rule, other.file, other.line, other.object)
        if mine != theirs { return mine < theirs }
        let message = parts[address.part][address.index].message
        let otherMessage = parts[other.address.part][other.address.index].message
        return message != otherMessage ? message < otherMessage : address < other.address
    }
}
