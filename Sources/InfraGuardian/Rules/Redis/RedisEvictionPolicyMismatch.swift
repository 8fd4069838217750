/// An eviction policy that may evict keys the application cannot lose.
struct RedisEvictionPolicyMismatch: Rule {
    static let description = RuleDescription(
        id: "redis-eviction-policy-mismatch", category: .redis, severity: .high,
        summary: "Redis may evict keys that must not be evicted: an allkeys-* policy on an instance holding sessions, locks, queues or idempotency keys, or a BullMQ queue without noeviction.",
        finds: "`maxmemory-policy` `allkeys-*` (LRU, LFU, random, Redis 8's LRM) with a memory limit set, on an instance whose sample (or configuration) shows session, rate-limit, lock, queue or idempotency keys; any policy but `noeviction` on an instance holding BullMQ queues",
        why: """
        Under memory pressure an allkeys-* policy evicts whatever key it picks: a lock disappears and two \
        workers run the same job, a session is logged out, an idempotency key goes and a payment is taken \
        twice, a queued job is lost without a trace. Redis' own guidance: allkeys-lru for a pure cache; \
        for a cache beside keys that must stay, a volatile-* policy with TTLs only on the cache keys, or \
        better two instances. BullMQ refuses any policy but noeviction.
        """,
        fix: """
        Give the cache its own instance with allkeys-lru and set the instance holding state to noeviction \
        (CONFIG SET maxmemory-policy noeviction, and in redis.conf or the managed service's parameter group); \
        or use volatile-lru and give only cache keys a TTL.
        """,
        bad: [.redis("allkeys-lru, maxmemory 256 MB, 50 lock keys and 300 session keys sampled") {
            RedisExamples.snapshot(policy: "allkeys-lru", roles: [RedisExamples.role(.cache, keys: 200),
                                                                   RedisExamples.role(.sessions, keys: 300),
                                                                   RedisExamples.role(.locks, keys: 50)])
        }, .redis("volatile-lru with BullMQ queues (bull:*)") {
            RedisExamples.snapshot(policy: "volatile-lru", roles: [RedisExamples.role(.queues, keys: 60)])
        }],
        good: [.redis("allkeys-lru on a cache-only instance") {
            RedisExamples.snapshot(policy: "allkeys-lru", roles: [RedisExamples.role(.cache, keys: 500)])
        }, .redis("noeviction with sessions, locks and queues") {
            RedisExamples.snapshot(policy: "noeviction", roles: [RedisExamples.role(.sessions, keys: 300),
                                                                  RedisExamples.role(.queues, keys: 60)])
        }, .redis("allkeys-lru with sessions but no maxmemory (the policy never applies)") {
            RedisExamples.snapshot(policy: "allkeys-lru", maxmemory: 0, roles: [RedisExamples.role(.sessions, keys: 300)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard let policy = redis.policy, policy != "noeviction", redis.memoryBounded else { return nil }
            let queues = redis.snapshot.rolesHeld.contains(.queues)
            let kept = redis.heldRoles { $0.mustNotBeEvicted && $0 != .queues }
            if redis.evictsAnyKey, !kept.isEmpty || queues {
                let held = (kept + redis.heldRoles { $0 == .queues }).joined(separator: ", ")
                let max = Format.bytes(redis.snapshot.maxmemoryBytes ?? 0)
                return finding("\(redis.display) evicts any key when it reaches maxmemory \(max) (maxmemory-policy \(policy)) and holds \(held): under memory pressure it silently evicts them (\(redis.sampleScope)).",
                               at: redis.location(), fix: fix(redis, policy: policy, queues: queues))
            }
            if queues {
                return finding("\(redis.display) holds BullMQ queue keys with maxmemory-policy \(policy): BullMQ requires noeviction, and an evicted job key loses the job.",
                               at: redis.location(), fix: fix(redis, policy: policy, queues: true))
            }
            return nil
        }
    }

    private func fix(_ redis: AuditedRedis, policy: String, queues: Bool) -> String {
        let cache = redis.snapshot.rolesHeld.contains(.cache)
        var steps = ["CONFIG SET maxmemory-policy noeviction (and the same in redis.conf or the managed service's parameter group, or it is lost on restart)."]
        if cache {
            steps.append("The cache keys then need their own instance with maxmemory-policy allkeys-lru (point redis.roles.cache.url at it), or keep one instance with volatile-lru and give only cache keys a TTL\(queues ? " (not with BullMQ: it requires noeviction)" : "").")
        }
        return steps.joined(separator: " ")
    }
}
