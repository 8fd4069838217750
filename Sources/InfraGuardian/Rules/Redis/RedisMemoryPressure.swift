/// Memory in use close to maxmemory.
struct RedisMemoryPressure: Rule {
    static let description = RuleDescription(
        id: "redis-memory-pressure", category: .redis, severity: .medium,
        summary: "Redis uses more than 90 % of maxmemory (thresholds.redis_memory_percent): it is about to evict or refuse writes.",
        finds: "`used_memory` minus `mem_not_counted_for_evict` (replication and AOF buffers) above `thresholds.redis_memory_percent` of `maxmemory`",
        why: """
        At maxmemory Redis evicts by its policy or, with noeviction, refuses every write with an OOM error. \
        The buffers Redis does not count for eviction (replica output, AOF) are left out, as Redis does.
        """,
        fix: "Raise maxmemory (and the instance's memory), move a role to an instance of its own, or shorten the TTLs of what fills it (see the namespaces in the report).",
        bad: [.redis("used 245 MB of 256 MB") {
            RedisExamples.snapshot(maxmemory: 256 << 20, used: 245 << 20)
        }],
        good: [.redis("used 40 MB of 256 MB") { RedisExamples.snapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let limit = context.thresholds.redisMemoryPercent
        return AuditedRedis.all(input).compactMap { redis in
            guard let max = redis.snapshot.maxmemoryBytes, max > 0, let used = redis.snapshot.usedMemoryBytes else { return nil }
            let counted = used - (redis.snapshot.count("memory", "mem_not_counted_for_evict") ?? 0)
            let percent = Double(counted) * 100 / Double(max)
            guard percent >= limit else { return nil }
            let top = redis.snapshot.sample?.namespaces.first.map { "; the largest namespace sampled is \($0.pattern) (\(Format.bytes($0.memoryBytes)))" } ?? ""
            return finding("\(redis.display) uses \(Format.bytes(counted)) of maxmemory \(Format.bytes(max)) (\(Int(percent)) %, threshold \(Int(limit)) %) under maxmemory-policy \(redis.policy ?? "?")\(top).",
                           at: redis.location())
        }
    }
}
