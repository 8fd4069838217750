import Foundation

/// The overall time an audit, a collection or a health check may take (`--deadline`). Every
/// connection attempt, query and command waits at most `min(remaining, its own timeout)`, so a
/// stopped server or a black-holed network costs the deadline, never a hang.
public struct Deadline: Sendable {
    /// The whole budget, as given by the user (for messages).
    public let seconds: Double
    private let end: ContinuousClock.Instant

    public static let defaultAuditSeconds: Double = 60
    public static let defaultHealthSeconds: Double = 20
    /// Larger values are refused: an audit that may take hours is a hang by another name.
    public static let maximumSeconds: Double = 3600

    public init(seconds: Double, from start: ContinuousClock.Instant = ContinuousClock.now) {
        self.seconds = seconds
        end = start + .milliseconds(Int64((max(seconds, 0) * 1000).rounded()))
    }

    public var remaining: Duration { max(end - ContinuousClock.now, .zero) }
    public var isExpired: Bool { ContinuousClock.now >= end }

    /// What a step may wait: its own timeout, or less when the deadline comes first.
    public func bound(_ own: Duration) -> Bound {
        let left = remaining
        return left < own ? Bound(limit: left, byDeadline: true, deadline: self)
                          : Bound(limit: own, byDeadline: false, deadline: self)
    }

    /// One step's wait: its limit, and whether the overall deadline (rather than the step's own
    /// timeout) set it, so a message can say which one ran out.
    public struct Bound: Sendable {
        public var limit: Duration
        public var byDeadline: Bool
        public var deadline: Deadline

        public var end: ContinuousClock.Instant { ContinuousClock.now + limit }

        /// "the --deadline of 10 s" or "5.0 s", for "... got no answer within ...".
        public var explanation: String {
            byDeadline ? "the --deadline of \(Deadline.format(deadline.seconds)) s expired"
                       : "no answer within \(Deadline.format(limit.seconds)) s"
        }
    }

    /// Checks a `--deadline` value; the error text is shown as is (exit 2).
    public static func validated(_ seconds: Double) throws -> Deadline {
        guard seconds.isFinite, seconds > 0, seconds <= maximumSeconds else {
            throw InvalidDeadline(message: "--deadline must be a number of seconds above 0 and at most "
                                  + "\(Int(maximumSeconds)) (got \(seconds.isFinite ? format(seconds) : "\(seconds)"))")
        }
        return Deadline(seconds: seconds)
    }

    public struct InvalidDeadline: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

extension Duration {
    /// Seconds as a Double, for messages and `poll` timeouts.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded up so that a wait never ends early; clamped to `Int32` for `poll`.
    var pollMillis: Int32 {
        let millis = (seconds * 1000).rounded(.up)
        return Int32(min(max(millis, 0), Double(Int32.max)))
    }
}
