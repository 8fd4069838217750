/// How bad a finding is. The gate fails on CRITICAL and HIGH by default.
public enum Severity: String, Codable, CaseIterable, Sendable, Comparable {
    case critical = "CRITICAL"
    case high = "HIGH"
    case medium = "MEDIUM"
    case low = "LOW"
    case info = "INFO"

    /// Lower rank is worse; used for ordering reports worst-first.
    public var rank: Int {
        switch self {
        case .critical: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        case .info: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank > rhs.rank }

    public init?(caseInsensitive text: String) {
        self.init(rawValue: text.uppercased())
    }
}
