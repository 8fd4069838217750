/// The state of one component (PostgreSQL, pgvector, Redis, migrations) in the report and `health`.
public enum HealthState: String, Codable, Sendable {
    case healthy
    case degraded
    case unhealthy
    case notConfigured = "not_configured"

    public var icon: String {
        switch self {
        case .healthy: "✅"
        case .degraded: "⚠️"
        case .unhealthy: "❌"
        case .notConfigured: "➖"
        }
    }

    /// Worse of two states; `notConfigured` never worsens an overall status.
    public func worse(_ other: HealthState) -> HealthState {
        func rank(_ s: HealthState) -> Int {
            switch s {
            case .notConfigured: 0
            case .healthy: 1
            case .degraded: 2
            case .unhealthy: 3
            }
        }
        return rank(other) > rank(self) ? other : self
    }
}

public struct ComponentHealth: Codable, Sendable, Equatable {
    public var component: String
    public var state: HealthState
    public var details: String

    public init(component: String, state: HealthState, details: String) {
        self.component = component
        self.state = state
        self.details = details
    }
}
