/// Evictions on an instance that holds keys which must not be evicted.
struct RedisEvictedKeptKeys: Rule {
    static let description = RuleDescription(
        id: "redis-evicted-kept-keys", category: .redis, severity: .high,
        summary: "Redis has evicted keys (INFO evicted_keys) on an instance holding sessions, rate limits, locks, queues or idempotency keys.",
        finds: "`evicted_keys` above 0 since the last restart on an instance whose sample or configuration shows keys other than cache keys",
        why: "Evictions have happened, so keys that must stay may already have been lost: logged-out users, lost jobs, broken locks.",
        fix: "Stop the evictions first: raise maxmemory, set maxmemory-policy noeviction, or move the cache to an instance of its own.",
        bad: [.redis("evicted_keys 1,204 with session keys") {
            RedisExamples.snapshot(policy: "allkeys-lru", info: ["stats": ["evicted_keys": "1204"]],
                                   roles: [RedisExamples.role(.sessions, keys: 300)])
        }],
        good: [.redis("evicted_keys 1,204 on a cache-only instance") {
            RedisExamples.snapshot(policy: "allkeys-lru", info: ["stats": ["evicted_keys": "1204"]],
                                   roles: [RedisExamples.role(.cache, keys: 300)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard let evicted = redis.snapshot.count("stats", "evicted_keys"), evicted > 0 else { return nil }
            let kept = redis.heldRoles { $0.mustNotBeEvicted }
            guard !kept.isEmpty else { return nil }
            return finding("\(redis.display) has evicted \(Format.grouped(evicted)) keys since its last restart (maxmemory-policy \(redis.policy ?? "?")) and holds \(kept.joined(separator: ", ")): some of them may be among the evicted.",
                           at: redis.location())
        }
    }
}
