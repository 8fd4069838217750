import Foundation

/// What the audit knows about one Redis server: INFO, memory configuration and latency. No values.
public struct RedisSnapshot: Codable, Sendable {
    /// INFO fields by section name (lower-case: server, clients, memory, persistence, stats,
    /// replication, keyspace) then field name.
    public var info: [String: [String: String]]
    /// `CONFIG GET maxmemory*` results; empty when CONFIG is disabled (see `configError`).
    public var config: [String: String]
    public var configError: String?
    /// Round-trip times of `PING`, in milliseconds.
    public var pingMillis: [Double]
    public var collectedAt: Date

    public init(info: [String: [String: String]] = ["server": ["redis_version": "7.2.4"]],
                config: [String: String] = [:], configError: String? = nil, pingMillis: [Double] = [1],
                collectedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.info = info
        self.config = config
        self.configError = configError
        self.pingMillis = pingMillis
        self.collectedAt = collectedAt
    }

    public func field(_ section: String, _ name: String) -> String? { info[section]?[name] }

    public var version: String { field("server", "redis_version") ?? "unknown" }

    public var majorVersion: Int? { version.split(separator: ".").first.flatMap { Int($0) } }

    /// "7.2" from "7.2.4".
    public var shortVersion: String { version.split(separator: ".").prefix(2).joined(separator: ".") }

    public var usedMemoryBytes: Int64? { field("memory", "used_memory").flatMap { Int64($0) } }

    public var maxmemoryBytes: Int64? {
        (config["maxmemory"] ?? field("memory", "maxmemory")).flatMap { Int64($0) }
    }

    public var maxmemoryPolicy: String? { config["maxmemory-policy"] ?? field("memory", "maxmemory_policy") }

    public var connectedClients: Int? { field("clients", "connected_clients").flatMap { Int($0) } }

    /// `db0:keys=10,expires=2,avg_ttl=0` parsed per database.
    public var keyspace: [KeyspaceDB] {
        (info["keyspace"] ?? [:]).compactMap { name, value in KeyspaceDB(name: name, value: value) }
            .sorted { $0.name < $1.name }
    }
}

public struct KeyspaceDB: Codable, Sendable, Equatable {
    public var name: String
    public var keys: Int64
    public var expires: Int64

    public init(name: String, keys: Int64, expires: Int64) {
        self.name = name
        self.keys = keys
        self.expires = expires
    }

    init?(name: String, value: String) {
        var fields: [String: Int64] = [:]
        for part in value.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, let number = Int64(pair[1]) { fields[String(pair[0])] = number }
        }
        guard let keys = fields["keys"] else { return nil }
        self.init(name: name, keys: keys, expires: fields["expires"] ?? 0)
    }
}
