import Foundation

/// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`) and other SARIF viewers.
///
/// Locations: a finding in a file gets a `physicalLocation` relative to `%SRCROOT%`; a finding on a
/// database object or a Redis key pattern gets `logicalLocations` only. GitHub lists such results but
/// cannot anchor them to a line; pointing them at the config file or the migration folder instead would
/// claim a place the problem is not, and would make the alert move whenever that file changes.
/// Waived findings carry an `inSource` suppression, so GitHub shows them as dismissed, not hidden.
public enum SARIFRenderer {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public static let informationURI = "https://github.com/medicalcor/infra-guardian"
    public static let fingerprintKey = "infraGuardian/v1"

    /// Each rule's description and generic fix are in `tool.driver.rules` once (`shortDescription`
    /// the summary, `fullDescription` why, `help` the fix); a result references its rule by `ruleId`
    /// and `ruleIndex` and carries its message, location and, only when it has one, its concrete fix.
    ///
    /// - Parameters:
    ///   - rules: rule metadata; every rule is listed in `tool.driver.rules`, and rules referenced by a
    ///     finding but missing here (rule packs) get a descriptor made from the finding.
    ///   - sourceRoot: absolute paths under this directory are made relative to it.
    ///   - securitySeverity: adds `security-severity` to each rule. GitHub then files the alerts as
    ///     security alerts, which infrastructure findings usually are not: off by default.
    public static func render(findings: [Finding], rules: [RuleDescription], toolVersion: String,
                              sourceRoot: String? = nil, securitySeverity: Bool = false) -> String {
        var descriptors: [SARIF.Rule] = []
        var indexByID: [String: Int] = [:]
        // The fix each rule's `help` gives: a result repeats a fix only when it is not this one.
        var genericFix: [String: String] = [:]
        // A descriptor is built only for an id not seen yet (not once per finding).
        func add(_ id: String, fix: String, _ rule: () -> SARIF.Rule) {
            guard indexByID[id] == nil else { return }
            indexByID[id] = descriptors.count
            descriptors.append(rule())
            genericFix[id] = fix
        }
        for rule in rules { add(rule.id, fix: rule.fix) { descriptor(rule, securitySeverity: securitySeverity) } }
        for finding in findings {
            add(finding.ruleID, fix: finding.fix) { descriptor(finding, securitySeverity: securitySeverity) }
        }

        let results = findings.map { finding in
            SARIF.Result(
                ruleId: finding.ruleID, ruleIndex: indexByID[finding.ruleID] ?? 0, level: level(finding.severity),
                message: SARIF.Message(text: resultText(finding, genericFix: genericFix[finding.ruleID])),
                locations: locations(finding.location, sourceRoot: sourceRoot),
                partialFingerprints: [fingerprintKey: finding.fingerprint],
                suppressions: suppressions(finding))
        }
        let driver = SARIF.Driver(name: "infra-guardian", informationUri: informationURI, version: toolVersion,
                                  rules: descriptors)
        let log = SARIF.Log(schema: schemaURI, version: "2.1.0",
                            runs: [SARIF.Run(tool: SARIF.Tool(driver: driver), results: results)])
        // Only strings and integers: encoding cannot fail, the fallback is an empty but valid log.
        return (try? JSONRenderer.render(log))
            ?? #"{"$schema":"\#(schemaURI)","version":"2.1.0","runs":[]}"# + "\n"
    }

    /// The finding's message, followed by its fix when that is concrete (not its rule's generic fix,
    /// which `help` of the rule descriptor holds once). SARIF's own `fixes` would need artifact
    /// changes (replacement text), which a fix in prose is not.
    /// An empty message becomes the rule id: GitHub rejects a result without message text.
    /// (Blank is tested by the first non-whitespace character: trimming 33,000 messages and fixes
    /// through Foundation took a fifth of a large run.)
    static func resultText(_ finding: Finding, genericFix: String?) -> String {
        let message = finding.message.contains { !$0.isWhitespace } ? finding.message : finding.ruleID
        guard finding.fix != genericFix, finding.fix.contains(where: { !$0.isWhitespace }) else { return message }
        return "\(message) Fix: \(finding.fix)"
    }

    /// CRITICAL/HIGH → error, MEDIUM → warning, LOW/INFO → note.
    /// A waiver is in the source; history and the baseline are decided outside it.
    static func suppressions(_ finding: Finding) -> [SARIF.Suppression]? {
        if let waiver = finding.waiver { return [SARIF.Suppression(kind: "inSource", justification: waiver.reason)] }
        switch finding.exemption {
        case .history:
            return [SARIF.Suppression(kind: "external", justification: "history: in a migration already applied to the audited database")]
        case .baseline:
            return [SARIF.Suppression(kind: "external", justification: "recorded in the infra-guardian baseline")]
        case nil: return nil
        }
    }

    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub's scale: ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, < 4.0 low.
    static func securityScore(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "1.0"
        }
    }

    static func descriptor(_ rule: RuleDescription, securitySeverity: Bool) -> SARIF.Rule {
        SARIF.Rule(id: rule.id, name: pascalCase(rule.id),
                   shortDescription: SARIF.Message(text: nonEmpty(rule.summary, or: rule.id)),
                   fullDescription: SARIF.Message(text: nonEmpty(rule.why, or: nonEmpty(rule.summary, or: rule.id))),
                   help: SARIF.Message(text: nonEmpty(rule.fix, or: rule.summary)),
                   defaultConfiguration: SARIF.Configuration(level: level(rule.severity)),
                   properties: SARIF.RuleProperties(tags: [rule.category.rawValue],
                                                    securitySeverity: securitySeverity ? securityScore(rule.severity) : nil))
    }

    static func descriptor(_ finding: Finding, securitySeverity: Bool) -> SARIF.Rule {
        SARIF.Rule(id: finding.ruleID, name: pascalCase(finding.ruleID),
                   shortDescription: SARIF.Message(text: finding.ruleID),
                   fullDescription: SARIF.Message(text: nonEmpty(finding.message, or: finding.ruleID)),
                   help: SARIF.Message(text: nonEmpty(finding.fix, or: finding.ruleID)),
                   defaultConfiguration: SARIF.Configuration(level: level(finding.severity)),
                   properties: SARIF.RuleProperties(tags: [finding.category.rawValue],
                                                    securitySeverity: securitySeverity ? securityScore(finding.severity) : nil))
    }

    static func locations(_ location: Location, sourceRoot: String?) -> [SARIF.ResultLocation]? {
        if let file = location.file, !file.isEmpty {
            let (uri, base) = artifactURI(file, sourceRoot: sourceRoot)
            let region = location.line.flatMap { line in
                line >= 1 ? SARIF.Region(startLine: line, startColumn: location.column.flatMap { $0 >= 1 ? $0 : nil }) : nil
            }
            let physical = SARIF.PhysicalLocation(artifactLocation: SARIF.ArtifactLocation(uri: uri, uriBaseId: base),
                                                  region: region)
            return [SARIF.ResultLocation(physicalLocation: physical, logicalLocations: nil)]
        }
        if let object = location.object, !object.isEmpty {
            let logical = SARIF.LogicalLocation(fullyQualifiedName: object, kind: "object")
            return [SARIF.ResultLocation(physicalLocation: nil, logicalLocations: [logical])]
        }
        return nil
    }

    /// A relative, forward-slash, percent-encoded URI against `%SRCROOT%`; absolute paths outside
    /// `sourceRoot` become `file://` URIs with no base.
    static func artifactURI(_ path: String, sourceRoot: String?) -> (uri: String, base: String?) {
        let relative = FindingPath.normalized(path, sourceRoot: sourceRoot)
        let encoded = relative.addingPercentEncoding(withAllowedCharacters: uriPathAllowed) ?? relative
        if relative.hasPrefix("/") { return ("file://" + encoded, nil) }
        return (encoded, "%SRCROOT%")
    }

    private static let uriPathAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;")
        return allowed
    }()

    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    private static func nonEmpty(_ text: String, or fallback: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? fallback : text
    }
}

/// Paths as CI tools expect them: forward slashes, no leading `./`, relative to the root when under it.
enum FindingPath {
    static func normalized(_ path: String, sourceRoot: String? = nil) -> String {
        var relative = path.replacingOccurrences(of: "\\", with: "/")
        if let root = sourceRoot?.replacingOccurrences(of: "\\", with: "/") {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if relative.hasPrefix(prefix) { relative = String(relative.dropFirst(prefix.count)) }
        }
        while relative.hasPrefix("./") { relative = String(relative.dropFirst(2)) }
        return relative
    }
}

/// The subset of the SARIF 2.1.0 object model this tool writes.
public enum SARIF {
    public struct Log: Codable, Sendable {
        public var schema: String
        public var version: String
        public var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    public struct Run: Codable, Sendable {
        public var tool: Tool
        public var results: [Result]
    }

    public struct Tool: Codable, Sendable { public var driver: Driver }

    public struct Driver: Codable, Sendable {
        public var name: String
        public var informationUri: String
        public var version: String
        public var rules: [Rule]
    }

    public struct Rule: Codable, Sendable {
        public var id: String
        public var name: String
        public var shortDescription: Message
        public var fullDescription: Message
        public var help: Message
        public var defaultConfiguration: Configuration
        public var properties: RuleProperties
    }

    public struct RuleProperties: Codable, Sendable {
        public var tags: [String]
        public var securitySeverity: String?
        enum CodingKeys: String, CodingKey {
            case tags
            case securitySeverity = "security-severity"
        }
    }

    public struct Configuration: Codable, Sendable { public var level: String }
    public struct Message: Codable, Sendable { public var text: String }

    public struct Result: Codable, Sendable {
        public var ruleId: String
        public var ruleIndex: Int
        public var level: String
        public var message: Message
        public var locations: [ResultLocation]?
        public var partialFingerprints: [String: String]
        public var suppressions: [Suppression]?
    }

    public struct ResultLocation: Codable, Sendable {
        public var physicalLocation: PhysicalLocation?
        public var logicalLocations: [LogicalLocation]?
    }

    public struct PhysicalLocation: Codable, Sendable {
        public var artifactLocation: ArtifactLocation
        public var region: Region?
    }

    public struct ArtifactLocation: Codable, Sendable {
        public var uri: String
        public var uriBaseId: String?
    }

    public struct Region: Codable, Sendable {
        public var startLine: Int
        public var startColumn: Int?
    }

    public struct LogicalLocation: Codable, Sendable {
        public var fullyQualifiedName: String
        public var kind: String
    }

    public struct Suppression: Codable, Sendable {
        public var kind: String
        public var justification: String
    }
}
