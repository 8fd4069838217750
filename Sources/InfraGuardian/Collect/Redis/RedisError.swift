/// Why talking to Redis failed, worded for the user. Messages never carry the password.
public enum RedisError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedURL(String)
    case unsupported(String)
    case connection(String)
    case timeout(String)
    case authentication(String)
    /// The server answered a command with an error reply.
    case server(String)

    public var description: String {
        switch self {
        case let .malformedURL(detail): return "malformed Redis URL: \(detail)"
        case let .unsupported(detail): return detail
        case let .connection(detail): return detail
        case let .timeout(detail): return detail
        case let .authentication(detail): return "authentication failed: \(detail)"
        case let .server(detail): return detail
        }
    }

    /// Classifies an error reply: NOAUTH and WRONGPASS mean the credentials are wrong or missing,
    /// which the user fixes differently from a refused command.
    static func reply(_ message: String, to command: String) -> RedisError {
        if message.hasPrefix("NOAUTH") {
            return .authentication("\(message) (the server requires a password: redis://:PASSWORD@host or redis://USER:PASSWORD@host)")
        }
        if message.hasPrefix("WRONGPASS") || (command == "AUTH" && message.hasPrefix("ERR")) {
            return .authentication(message)
        }
        return .server("\(command) failed: \(message)")
    }
}
