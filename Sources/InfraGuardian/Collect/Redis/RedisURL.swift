import Foundation

/// A parsed Redis target: `redis://[user:password@]host[:port][/db]` or `unix:///path/to.sock[?db=N]`.
public struct RedisURL: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public static let defaultPort = 6379

    public var endpoint: Endpoint
    public var user: String?
    public var password: String?
    public var database: Int

    public init(endpoint: Endpoint, user: String? = nil, password: String? = nil, database: Int = 0) {
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.database = database
    }

    /// `host:port`, with IPv6 literals bracketed, or the socket path; never secrets.
    public var location: String {
        switch endpoint {
        case let .tcp(host, port): return (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        case let .unix(path): return path
        }
    }

    /// The form shown to users: the password is replaced by `***`, everything else kept.
    public var masked: String {
        var credentials = ""
        if user != nil || password != nil {
            credentials = (user.map(Self.encode) ?? "") + (password == nil ? "" : ":***") + "@"
        }
        switch endpoint {
        case .tcp: return "redis://\(credentials)\(location)/\(database)"
        case let .unix(path):
            return "unix://\(credentials)\(path)" + (database == 0 ? "" : "?db=\(database)")
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.urlUserAllowed
        allowed.remove(charactersIn: ":@")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension RedisURL {
    /// Best-effort masking of a string that may not parse, so errors about it never show a password.
    public static func mask(_ raw: String) -> String {
        if let url = try? RedisURL(parsing: raw) { return url.masked }
        guard let schemeEnd = raw.range(of: "://") else {
            // Without a scheme we cannot tell a password from a host name: show nothing sensitive.
            return raw.contains("@") ? "***@" + (raw.split(separator: "@").last.map(String.init) ?? "") : raw
        }
        var rest = Substring(raw[schemeEnd.upperBound...])
        // Query strings may carry `password=`; they are not part of the supported syntax anyway.
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = "?***"
            rest = rest[..<mark]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            let user = userInfo.firstIndex(of: ":").map { String(userInfo[..<$0]) + ":***" } ?? "***"
            rest = Substring(user) + rest[at...]
        }
        return String(raw[..<schemeEnd.upperBound]) + rest + query
    }
}
