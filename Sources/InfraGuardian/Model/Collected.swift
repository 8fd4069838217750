/// The outcome of collecting one live source: not configured, failed with a reason, or a snapshot.
public struct Collected<Value: Codable & Sendable>: Codable, Sendable {
    /// The target as printed to users, password masked; nil when the source is not configured.
    public var target: String?
    public var value: Value?
    /// Why collection failed, in words for the user.
    public var error: String?
    /// True when collection stopped because a wait ran out (`--deadline` or a client-side limit):
    /// the audit is incomplete, not just the component unhealthy.
    public var cut: Bool?

    public init(target: String?, value: Value? = nil, error: String? = nil) {
        self.target = target
        self.value = value
        self.error = error
    }

    public static var notConfigured: Collected { Collected(target: nil) }

    public var isConfigured: Bool { target != nil }
}
