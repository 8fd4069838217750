import Foundation

/// What the audit knows about one Redis server: INFO, configuration, access, the slow log, latency
/// and a bounded sample of its keys by role. No values, no key names.
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
    /// The roles configured to live on this instance by their own `url` (the main instance: none).
    public var assignedRoles: [RedisRole]?
    /// What could not be read, one line each ("ACL LIST: skipped: command not allowed (NOPERM …)").
    public var skipped: [String]?
    public var access: RedisAccessState?
    public var slowlog: RedisSlowlog?
    /// Bounded key sampling (nil when turned off or refused).
    public var sample: RedisKeySample?

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

    /// `maxclients` (INFO clients since Redis 7, else CONFIG GET).
    public var maxClients: Int? { (field("clients", "maxclients") ?? config["maxclients"]).flatMap { Int($0) } }

    public func count(_ section: String, _ name: String) -> Int64? { field(section, name).flatMap { Int64($0) } }

    public func ratio(_ section: String, _ name: String) -> Double? { field(section, name).flatMap { Double($0) } }

    /// The roles this instance holds: those whose keys the sample saw, and those configured here.
    public var rolesHeld: [RedisRole] {
        let seen = (sample?.roles ?? []).filter { $0.keys > 0 }.map(\.role)
        return Array(Set(seen + (assignedRoles ?? []))).sorted()
    }

    /// Whether the server writes snapshots (`save` not empty) or an append-only file; nil when unknown.
    public var persistenceEnabled: Bool? {
        let aof = field("persistence", "aof_enabled").map { $0 == "1" } ?? config["appendonly"].map { $0 == "yes" }
        let rdb = config["save"].map { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if aof == true || rdb == true { return true }
        guard let aof, let rdb else { return nil }
        return aof || rdb
    }

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
