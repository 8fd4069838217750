/// What the Redis rules share: every audited instance with a name for locations, and the words
/// that describe the roles an instance holds.
struct AuditedRedis {
    let snapshot: RedisSnapshot
    /// `redis` for the main instance, `redis <masked URL>` for an instance of its own roles.
    let name: String

    /// Every instance that answered.
    static func all(_ input: AuditInput) -> [AuditedRedis] {
        let main = input.redis.value.map { AuditedRedis(snapshot: $0, name: "redis") }
        let others = (input.additionalRedis ?? []).compactMap { collected in
            collected.value.map { AuditedRedis(snapshot: $0, name: "redis \(collected.target ?? "?")") }
        }
        return (main.map { [$0] } ?? []) + others
    }

    /// The location of a finding about the instance, or about one key pattern on it.
    func location(_ pattern: String? = nil) -> Location { .object(pattern.map { "\(name) \($0)" } ?? name) }

    /// "Redis" or "Redis at redis://cache:6379/0", for messages.
    var display: String { name == "redis" ? "Redis" : "Redis at \(name.dropFirst("redis ".count))" }

    /// The roles held that `include` selects, with the sample's evidence: "lock keys (50 sampled)".
    func heldRoles(where include: (RedisRole) -> Bool) -> [String] {
        snapshot.rolesHeld.filter(include).map { role in
            guard let seen = snapshot.sample?.role(role), seen.keys > 0 else { return "\(role.keysInWords) (configured here)" }
            return "\(role.keysInWords) (\(Format.grouped(Int64(seen.keys))) sampled)"
        }
    }

    /// "an estimate from 12 % of the keyspace (10,000 of 83,000 keys)", or "counted on all 632 keys".
    var sampleScope: String {
        guard let sample = snapshot.sample else { return "no key sample" }
        if sample.sampledShare >= 1 { return "counted on all \(Format.grouped(Int64(sample.sampledKeys))) keys" }
        let percent = max(1, Int((sample.sampledShare * 100).rounded()))
        return "an estimate from \(percent) % of the keyspace (\(Format.grouped(Int64(sample.sampledKeys))) of \(Format.grouped(Int64(sample.totalKeys))) keys)"
    }

    var policy: String? { snapshot.maxmemoryPolicy }

    /// `allkeys-lru`, `allkeys-lfu`, `allkeys-random`, and Redis 8.6's `allkeys-lrm`.
    var evictsAnyKey: Bool { policy?.hasPrefix("allkeys-") == true }

    /// `volatile-lru`, `volatile-lfu`, `volatile-random`, `volatile-ttl`, `volatile-lrm`.
    var evictsExpiringKeys: Bool { policy?.hasPrefix("volatile-") == true }

    /// maxmemory is set: the eviction policy applies.
    var memoryBounded: Bool { (snapshot.maxmemoryBytes ?? 0) > 0 }
}

/// Snapshots for the Redis rules' examples.
enum RedisExamples {
    static func snapshot(policy: String = "noeviction", maxmemory: Int64 = 256 << 20, used: Int64 = 40 << 20,
                         info extra: [String: [String: String]] = [:], config: [String: String] = [:],
                         roles: [RedisKeySample.RoleSample] = [], sampled: Int? = nil, total: Int? = nil) -> RedisSnapshot {
        var info: [String: [String: String]] = [
            "server": ["redis_version": "7.2.4"],
            "memory": ["used_memory": String(used), "maxmemory": String(maxmemory), "maxmemory_policy": policy],
            "clients": ["connected_clients": "12", "maxclients": "10000", "blocked_clients": "0"],
            "persistence": ["aof_enabled": "1", "rdb_last_bgsave_status": "ok", "aof_last_write_status": "ok"],
            "stats": ["evicted_keys": "0", "rejected_connections": "0", "keyspace_hits": "0", "keyspace_misses": "0"],
            "replication": ["role": "master"],
        ]
        for (section, fields) in extra { info[section, default: [:]].merge(fields) { _, new in new } }
        var snapshot = RedisSnapshot(info: info, config: config)
        let keys = roles.reduce(0) { $0 + $1.keys }
        var sample = RedisKeySample(sampledKeys: sampled ?? keys, totalKeys: total ?? keys)
        sample.roles = roles
        snapshot.sample = sample
        snapshot.access = RedisAccessState(defaultUserEnabled: false, defaultUserNoPassword: false)
        return snapshot
    }

    static func role(_ role: RedisRole, keys: Int, withoutTTL: Int = 0, patterns: [String] = [], ttlOverMax: Int = 0,
                     longest: Int? = nil) -> RedisKeySample.RoleSample {
        var sample = RedisKeySample.RoleSample(role: role, keys: keys, withoutTTL: withoutTTL, ttlOverMax: ttlOverMax,
                                               longestTTLSeconds: longest, memoryBytes: Int64(keys) * 80)
        sample.withoutTTLPatterns = withoutTTL > 0 ? patterns : []
        sample.ttlOverMaxPatterns = ttlOverMax > 0 ? patterns : []
        return sample
    }
}
