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

    /// `I001`, `I002`... (`String(format: "I%03d", number)` without Foundation's formatter,
    /// which cost a tenth of a lint run on tens of thousands of findings).
    public static func issueID(_ number: Int) -> String {
        var digits = 1, rest = number.magnitude
        while rest >= 10 { rest /= 10; digits += 1 }
        let width = max(digits, number < 0 ? 2 : 3)
        let length = 1 + (number < 0 ? 1 : 0) + width
        // Written in place: IDs are short enough to be stored inline, so no allocation at all.
        return String(unsafeUninitializedCapacity: length) { buffer in
            var cursor = length - 1
            var value = number.magnitude
            for _ in 0..<width {
                buffer[cursor] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                cursor -= 1
            }
            buffer[0] = UInt8(ascii: "I")
            if number < 0 { buffer[1] = UInt8(ascii: "-") }
            return length
        }
    }
}
