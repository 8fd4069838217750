/// A volatile-* policy where most keys never expire: it cannot free memory.
struct RedisVolatilePolicyWithoutTTLs: Rule {
    static let description = RuleDescription(
        id: "redis-volatile-policy-without-ttls", category: .redis, severity: .medium,
        summary: "A volatile-* eviction policy while most keys have no TTL: Redis behaves as noeviction and refuses writes when full.",
        finds: "`maxmemory-policy` `volatile-*` with a memory limit set, when more than half of the keys (INFO keyspace: keys − expires) have no TTL",
        why: """
        volatile-* policies evict only keys that have a TTL. When most keys have none, there is little or \
        nothing to evict: at maxmemory, writes fail with OOM errors, as with noeviction, although the \
        configuration suggests a cache.
        """,
        fix: "Give the cache keys a TTL (SET key value EX seconds), or use noeviction deliberately and size maxmemory for the data.",
        bad: [.redis("volatile-lru, 10,000 keys of which 9,000 have no TTL") {
            RedisExamples.snapshot(policy: "volatile-lru", info: ["keyspace": ["db0": "keys=10000,expires=1000,avg_ttl=0"]])
        }],
        good: [.redis("volatile-lru, 10,000 keys of which 8,000 expire") {
            RedisExamples.snapshot(policy: "volatile-lru", info: ["keyspace": ["db0": "keys=10000,expires=8000,avg_ttl=0"]])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard redis.evictsExpiringKeys, redis.memoryBounded, let policy = redis.policy else { return nil }
            let keys = redis.snapshot.keyspace.reduce(Int64(0)) { $0 + $1.keys }
            let expiring = redis.snapshot.keyspace.reduce(Int64(0)) { $0 + $1.expires }
            guard keys >= 100, expiring * 2 < keys else { return nil }
            let without = keys - expiring
            return finding("\(redis.display) uses maxmemory-policy \(policy), which evicts only keys with a TTL, but \(Format.grouped(without)) of \(Format.grouped(keys)) keys have none: at maxmemory \(Format.bytes(redis.snapshot.maxmemoryBytes ?? 0)) it refuses writes (OOM) as noeviction would.",
                           at: redis.location())
        }
    }
}
