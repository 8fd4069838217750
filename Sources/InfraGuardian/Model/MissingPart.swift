/// A part of a collection that could not be read, and why: a wait that ran out (`--deadline`, a
/// client-side limit, statement_timeout, lock_timeout) or a lock another session holds. The rest of
/// the snapshot stands; the rule `postgres-incomplete` names the part and the gate says the audit is
/// incomplete. Reasons name the lock or the limit, never a connection string.
public struct MissingPart: Codable, Sendable, Equatable {
    /// What was not read: "definitions of public.visits (…)", "maintenance facts", "probes".
    public var part: String
    public var reason: String

    public init(part: String, reason: String) {
        self.part = part
        self.reason = reason
    }

    public var summary: String { "\(part): \(reason)" }
}
