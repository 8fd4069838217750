/// A cache that mostly misses.
struct RedisCacheHitRatio: Rule {
    static let description = RuleDescription(
        id: "redis-cache-hit-ratio", category: .redis, severity: .low,
        summary: "Cache hits below 80 % of lookups (thresholds.redis_hit_ratio_percent) on an instance holding cache keys.",
        finds: "`keyspace_hits / (hits + misses)` below `thresholds.redis_hit_ratio_percent` over at least 10,000 lookups, on an instance whose sample shows cache keys (lookups of other roles count too: an estimate)",
        why: "A cache that misses most of the time costs a round trip and then the database query anyway: TTLs too short, keys never reused, or evictions.",
        fix: "Check the TTLs and key design of the cached reads (a key per request parameter set is never reused), and evicted_keys.",
        bad: [.redis("hits 2,000, misses 18,000, cache keys") {
            RedisExamples.snapshot(info: ["stats": ["keyspace_hits": "2000", "keyspace_misses": "18000"]],
                                   roles: [RedisExamples.role(.cache, keys: 100)])
        }],
        good: [.redis("hits 95,000, misses 5,000") {
            RedisExamples.snapshot(info: ["stats": ["keyspace_hits": "95000", "keyspace_misses": "5000"]],
                                   roles: [RedisExamples.role(.cache, keys: 100)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let limit = context.thresholds.redisHitRatioPercent
        return AuditedRedis.all(input).compactMap { redis in
            guard redis.snapshot.rolesHeld.contains(.cache), let hits = redis.snapshot.count("stats", "keyspace_hits"),
                  let misses = redis.snapshot.count("stats", "keyspace_misses"), hits + misses >= 10_000 else { return nil }
            let percent = Double(hits) * 100 / Double(hits + misses)
            guard percent < limit else { return nil }
            return finding("\(redis.display) answers \(Int(percent)) % of key lookups from memory (\(Format.grouped(hits)) hits, \(Format.grouped(misses)) misses since its last restart; threshold \(Int(limit)) %).",
                           at: redis.location())
        }
    }
}
