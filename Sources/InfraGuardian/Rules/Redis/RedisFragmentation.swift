/// Memory the allocator holds beyond what Redis uses.
struct RedisFragmentation: Rule {
    static let description = RuleDescription(
        id: "redis-fragmentation", category: .redis, severity: .low,
        summary: "mem_fragmentation_ratio above 1.5 (thresholds.redis_fragmentation_ratio) on an instance using at least 100 MB.",
        finds: "`mem_fragmentation_ratio` above `thresholds.redis_fragmentation_ratio` when `used_memory` is at least 100 MB (small instances always show high ratios)",
        why: "The process holds much more memory than its data: the host runs out sooner than maxmemory suggests.",
        fix: "CONFIG SET activedefrag yes (jemalloc builds), or restart the instance (replica first) in a quiet hour.",
        bad: [.redis("ratio 2.1 at 2 GB used") {
            RedisExamples.snapshot(maxmemory: 4 << 30, used: 2 << 30, info: ["memory": ["mem_fragmentation_ratio": "2.10"]])
        }],
        good: [.redis("ratio 1.1") {
            RedisExamples.snapshot(maxmemory: 4 << 30, used: 2 << 30, info: ["memory": ["mem_fragmentation_ratio": "1.10"]])
        }, .redis("ratio 4.0 at 2 MB used (an almost empty instance)") {
            RedisExamples.snapshot(used: 2 << 20, info: ["memory": ["mem_fragmentation_ratio": "4.00"]])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let limit = context.thresholds.redisFragmentationRatio
        return AuditedRedis.all(input).compactMap { redis in
            guard let ratio = redis.snapshot.ratio("memory", "mem_fragmentation_ratio"), ratio > limit,
                  let used = redis.snapshot.usedMemoryBytes, used >= 100 << 20 else { return nil }
            return finding("\(redis.display) has mem_fragmentation_ratio \(ratio) (threshold \(limit)) with \(Format.bytes(used)) used: the process holds about \(Format.bytes(Int64(Double(used) * (ratio - 1)))) more than its data.",
                           at: redis.location())
        }
    }
}
