/// No memory limit on an instance that evicts or caches.
struct RedisMaxmemoryUnbounded: Rule {
    static let description = RuleDescription(
        id: "redis-maxmemory-unbounded", category: .redis, severity: .medium,
        summary: "maxmemory is 0 (unbounded) on an instance with an eviction policy or cache keys: it grows until the host runs out of memory.",
        finds: "`maxmemory` 0 while `maxmemory-policy` is not `noeviction` or the sample shows cache keys",
        why: """
        Without maxmemory the eviction policy never applies: a cache grows until the operating system \
        kills Redis (every role on it lost at once) or the host swaps and every command slows down.
        """,
        fix: "CONFIG SET maxmemory <bytes> (about 75 % of the memory the host gives Redis; and in redis.conf), keeping the policy the roles need.",
        bad: [.redis("maxmemory 0, allkeys-lru, cache keys") {
            RedisExamples.snapshot(policy: "allkeys-lru", maxmemory: 0, roles: [RedisExamples.role(.cache, keys: 500)])
        }],
        good: [.redis("maxmemory 256 MB, allkeys-lru") {
            RedisExamples.snapshot(policy: "allkeys-lru", roles: [RedisExamples.role(.cache, keys: 500)])
        }, .redis("maxmemory 0, noeviction, sessions only (a store, not a cache)") {
            RedisExamples.snapshot(policy: "noeviction", maxmemory: 0, roles: [RedisExamples.role(.sessions, keys: 300)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard redis.snapshot.maxmemoryBytes == 0, let policy = redis.policy else { return nil }
            let cache = redis.snapshot.rolesHeld.contains(.cache)
            guard policy != "noeviction" || cache else { return nil }
            let reason = policy != "noeviction" ? "its eviction policy \(policy) never applies" : "its cache keys are never evicted"
            var fix = "CONFIG SET maxmemory <bytes> and the same in redis.conf"
            if let system = redis.snapshot.count("memory", "total_system_memory"), system > 0 {
                fix = "CONFIG SET maxmemory \(system * 3 / 4) (75 % of the host's \(Format.bytes(system)); less if other processes share it) and the same in redis.conf"
            }
            return finding("\(redis.display) has maxmemory 0 (unbounded): \(reason), and it grows until the host runs out of memory (using \(Format.bytes(redis.snapshot.usedMemoryBytes ?? 0)) now).",
                           at: redis.location(), fix: fix + ", keeping maxmemory-policy \(policy).")
        }
    }
}
