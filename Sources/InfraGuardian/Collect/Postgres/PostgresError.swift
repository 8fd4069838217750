import Foundation

/// A failure talking to PostgreSQL, worded for the user: one line, no password.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The session could not be opened (unreachable, authentication, bad connection string).
        case connection
        /// A query failed (timeout, permission, read-only violation...).
        case query
        /// The server answered something this tool could not read.
        case decoding
        /// A wait ran out on the client side (`--deadline`, or a query's own limit): the server
        /// stopped answering. The message says what was cut and after how long.
        case deadline
    }

    public var kind: Kind
    public var message: String
    /// The five-character SQLSTATE of a server error (`25006` read-only transaction, `57014` timeout).
    public var sqlState: String?
    /// The 1-based character offset of the error in the statement sent, when the server gives one.
    public var position: Int?

    public init(kind: Kind, message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { message }

    /// Makes libpq's multi-line text ("...failed: FATAL:  password authentication failed\n") fit on one
    /// line, and removes any secret it might echo back (libpq quotes parts of malformed strings).
    static func clean(_ raw: String, redacting secrets: [String] = []) -> String {
        var text = raw
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        // libpq pads its severity prefix with two spaces ("FATAL:  ..."); one reads better in a report.
        let joined = lines.joined(separator: "; ").replacingOccurrences(of: ":  ", with: ": ")
        return joined.isEmpty ? "unknown libpq error" : joined
    }
}
