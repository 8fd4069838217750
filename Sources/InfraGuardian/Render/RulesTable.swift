/// The `rules` table of the JSON outputs (`lint --format json`, `audit --format json`), schema
/// version 2: what each rule is and its generic guidance, written once however many findings the
/// rule has. A finding then carries only its own message, location and, when it has one, its
/// concrete fix (one that differs from the rule's generic `fix`).
///
/// Version 1 (no `schemaVersion` key, no `rules`) repeated the rule's generic fix in every finding;
/// both versions decode (`LintReport`, `Report`).
public struct RuleEntry: Codable, Sendable, Equatable {
    public var category: Category
    /// The rule's default severity; a finding's own `severity` is the effective one, after
    /// `rules.<id>.severity` in the configuration.
    public var severity: Severity
    public var summary: String
    public var why: String
    /// The generic guidance: a finding whose fix is this one has no `fix` key.
    public var fix: String

    public init(category: Category, severity: Severity, summary: String, why: String, fix: String) {
        self.category = category
        self.severity = severity
        self.summary = summary
        self.why = why
        self.fix = fix
    }

    public init(_ rule: RuleDescription) {
        self.init(category: rule.category, severity: rule.severity, summary: rule.summary, why: rule.why, fix: rule.fix)
    }
}

public enum RulesTable {
    /// The `schemaVersion` the JSON outputs write; newer documents are refused when decoded.
    public static let schemaVersion = 2

    /// One entry per rule with at least one finding, keyed by rule id (`rules` lists the rules by
    /// description; the first one with an id wins). A rule missing from `rules` gets no entry, and
    /// its findings keep their fix.
    public static func entries(for findings: [Finding], rules: [RuleDescription]) -> [String: RuleEntry] {
        var wanted = Set<String>()
        for finding in findings { wanted.insert(finding.ruleID) }
        var table: [String: RuleEntry] = [:]
        for rule in rules where wanted.contains(rule.id) && table[rule.id] == nil {
            table[rule.id] = RuleEntry(rule)
        }
        return table
    }

    /// The fix a finding carries in JSON: nil when it is its rule's generic fix.
    static func concreteFix(_ finding: Finding, in table: [String: RuleEntry]) -> String? {
        table[finding.ruleID]?.fix == finding.fix ? nil : finding.fix
    }

    /// Refuses a `schemaVersion` this version cannot read; a missing one is version 1.
    static func checkVersion<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, key: Key) throws {
        let version = try container.decodeIfPresent(Int.self, forKey: key) ?? 1
        guard (1...schemaVersion).contains(version) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "schemaVersion \(version) is not one this infra-guardian reads (1...\(schemaVersion))")
        }
    }
}

/// A finding as the JSON outputs write it: `fix` only when it is concrete. Decoding fills a missing
/// fix from the rules table.
struct FindingRecord: Codable {
    var ruleID: String
    var category: Category
    var severity: Severity
    var message: String
    var fix: String?
    var location: Location
    var waiver: Waiver?
    var exemption: Exemption?

    init(_ finding: Finding, rules: [String: RuleEntry]) {
        ruleID = finding.ruleID
        category = finding.category
        severity = finding.severity
        message = finding.message
        fix = RulesTable.concreteFix(finding, in: rules)
        location = finding.location
        waiver = finding.waiver
        exemption = finding.exemption
    }

    func finding(rules: [String: RuleEntry], codingPath: [any CodingKey]) throws -> Finding {
        guard let fix = fix ?? rules[ruleID]?.fix else {
            throw DecodingError.keyNotFound(CodingKeys.fix, DecodingError.Context(
                codingPath: codingPath, debugDescription: "finding of \(ruleID) has no fix and the rules table has no entry for it"))
        }
        var finding = Finding(ruleID: ruleID, category: category, severity: severity, message: message, fix: fix,
                              location: location, waiver: waiver)
        finding.exemption = exemption
        return finding
    }
}
