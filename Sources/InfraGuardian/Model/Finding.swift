import Foundation

/// Where a finding points: a file position, a database object, or a Redis key pattern.
public struct Location: Codable, Sendable, Hashable {
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// A database object (`public.leads.idx_leads_phone`), a component (`postgres`) or a key pattern.
    public var object: String?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, object: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.object = object
    }

    public static func object(_ name: String) -> Location { Location(object: name) }

    /// For people (text, Markdown, JUnit): control characters in the file name escaped.
    public var description: String {
        if let file {
            var text = ControlCharacters.escaped(file)
            if let line { text += ":\(line)" }
            if let column { text += ":\(column)" }
            return text
        }
        return object ?? ""
    }
}

/// A reasoned exception recorded in the source (`-- infra-guardian:ignore RULE reason`).
public struct Waiver: Codable, Sendable, Hashable {
    public var reason: String
    public var location: Location?

    public init(reason: String, location: Location? = nil) {
        self.reason = reason
        self.location = location
    }
}

/// Why a reported finding does not count against the gate, besides a waiver.
public enum Exemption: String, Codable, Sendable, Hashable {
    /// In a migration already applied to the audited database (and unchanged since `--base`):
    /// applied migrations must not be edited, so their findings are history, not work.
    case history
    /// Recorded in the baseline file (`infra-guardian baseline`): known when the team adopted the gate.
    case baseline
}

/// One problem found by one rule.
public struct Finding: Codable, Sendable, Hashable {
    public var ruleID: String
    public var category: Category
    public var severity: Severity
    public var message: String
    public var fix: String
    public var location: Location
    /// Set when the finding is waived: it is still reported, but does not count against the gate.
    public var waiver: Waiver?
    /// Set when the finding is history or in the baseline: reported, but not gating.
    public var exemption: Exemption?

    public init(ruleID: String, category: Category, severity: Severity, message: String,
                fix: String, location: Location, waiver: Waiver? = nil) {
        self.ruleID = ruleID
        self.category = category
        self.severity = severity
        self.message = message
        self.fix = fix
        self.location = location
        self.waiver = waiver
    }

    /// Stable across runs and unaffected by line shifts in unrelated statements:
    /// rule id + location identity + message.
    public var fingerprint: String {
        let key = [ruleID, location.file ?? "", location.object ?? "", message].joined(separator: "\u{1F}")
        return StableHash.hex(key)
    }

    public var isWaived: Bool { waiver != nil }

    /// True when the finding can fail the gate: neither waived nor exempt.
    public var isActive: Bool { waiver == nil && exemption == nil }

    /// `I001`, `I002`... (`String(format: "I%03d", number)` without Foundation's formatter).
    public static func issueID(_ number: Int) -> String {
        let digits = String(number.magnitude), width = number < 0 ? 2 : 3
        return "I" + (number < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
