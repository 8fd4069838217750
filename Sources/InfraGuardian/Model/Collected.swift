/// The outcome of collecting one live source: not configured, failed with a reason, or a snapshot.
public struct Collected<Value: Codable & Sendable>: Codable, Sendable {
    /// The target as printed to users, password masked; nil when the source is not configured.
    public var target: String?
    public var value: Value?
    /// Why collection failed, in words for the user.
    public var error: String?

    public init(target: String?, value: Value? = nil, error: String? = nil) {
        self.target = target
        self.value = value
        self.error = error
    }

    public static var notConfigured: Collected { Collected(target: nil) }

    public var isConfigured: Bool { target != nil }
}
