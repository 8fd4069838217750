import Foundation

extension RedisURL {
    static let syntax = "redis://[user:password@]host[:port][/db] or unix:///path/to.sock[?db=N]"

    /// Parses by hand rather than with URLComponents so that each mistake gets its own message,
    /// and so that no message ever repeats the user-info part (it may hold a password).
    public init(parsing raw: String) throws {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = text.range(of: "://") else {
            throw RedisError.malformedURL("missing scheme; expected \(Self.syntax)")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = Substring(text[schemeEnd.upperBound...])
        switch scheme {
        case "redis": try self.init(tcp: rest)
        case "unix": try self.init(unix: rest)
        case "rediss":
            throw RedisError.unsupported(
                "TLS (rediss://) is not supported by this build's hiredis 0.14 (it has no TLS); "
                    + "run a local TLS proxy such as stunnel or spiped and point redis:// at it")
        default:
            throw RedisError.malformedURL("unsupported scheme '\(scheme)'; expected \(Self.syntax)")
        }
    }

    private init(tcp rest: Substring) throws {
        if rest.contains("?") || rest.contains("#") {
            throw RedisError.malformedURL(
                "query parameters are not supported; put the database in the path (redis://host:6379/1)")
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let (user, password, hostPort) = try Self.splitCredentials(rest[..<slash])
        let (host, port) = try Self.splitHostPort(hostPort)
        var path = rest[slash...].dropFirst()
        if path.hasSuffix("/") { path = path.dropLast() }
        let database = path.isEmpty ? 0 : try Self.parseDatabase(path)
        self.init(endpoint: .tcp(host: host, port: port), user: user, password: password, database: database)
    }

    private init(unix rest: Substring) throws {
        let mark = rest.firstIndex(of: "?") ?? rest.endIndex
        let (user, password, path) = try Self.splitCredentials(rest[..<mark])
        guard path.hasPrefix("/") else {
            throw RedisError.malformedURL("a unix socket needs an absolute path: unix:///path/to.sock")
        }
        var database = 0
        for item in rest[mark...].dropFirst().split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0] == "db" else {
                throw RedisError.malformedURL("only the query parameter 'db' is supported for unix sockets")
            }
            database = try Self.parseDatabase(pair[1])
        }
        self.init(endpoint: .unix(path: String(path)), user: user, password: password, database: database)
    }

    /// `user:password@rest` → the decoded credentials and `rest`. The last `@` wins because an
    /// unencoded `@` is more likely in a password than in a host name.
    private static func splitCredentials(_ text: Substring) throws -> (String?, String?, Substring) {
        guard let at = text.lastIndex(of: "@") else { return (nil, nil, text) }
        let userInfo = text[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else {
            throw RedisError.malformedURL(
                "the part before '@' has no ':'; write redis://:password@host or redis://user:password@host")
        }
        let user = try decode(userInfo[..<colon], what: "user name")
        let password = try decode(userInfo[userInfo.index(after: colon)...], what: "password")
        return (user.isEmpty ? nil : user, password.isEmpty ? nil : password, text[text.index(after: at)...])
    }

    private static func decode(_ text: Substring, what: String) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw RedisError.malformedURL("invalid percent-encoding in the \(what)")
        }
        return decoded
    }

    private static func splitHostPort(_ text: Substring) throws -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            // IPv6 literal: [::1]:6379
            guard let close = text.firstIndex(of: "]") else {
                throw RedisError.malformedURL("unterminated IPv6 address '\(text)'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw RedisError.malformedURL("unexpected '\(after)' after ']'") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw RedisError.malformedURL("no host; expected \(syntax)") }
        guard let portText else { return (String(host), defaultPort) }
        guard !portText.isEmpty, portText.allSatisfy(isDigit), let port = Int(portText) else {
            throw RedisError.malformedURL("port '\(portText)' is not a number")
        }
        guard (1...65535).contains(port) else {
            throw RedisError.malformedURL("port \(port) is out of range (1-65535)")
        }
        return (String(host), port)
    }

    /// Int() alone would accept "+5"; a URL port or database is plain ASCII digits.
    private static func isDigit(_ character: Character) -> Bool { ("0"..."9").contains(character) }

    private static func parseDatabase(_ text: Substring) throws -> Int {
        guard !text.isEmpty, text.allSatisfy(isDigit), let number = Int(text) else {
            throw RedisError.malformedURL("database '\(text)' is not a non-negative number")
        }
        return number
    }
}
