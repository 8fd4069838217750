/// Keys the configured roles do not explain.
struct RedisUnmatchedKeys: Rule {
    static let description = RuleDescription(
        id: "redis-unmatched-keys", category: .redis, severity: .info,
        summary: "Most sampled keys match no role in redis.roles: what they are for is unknown to the audit.",
        finds: "more than half of at least 100 sampled keys matching no pattern of `redis.roles`",
        why: "The eviction, TTL and persistence rules judge keys by their role; keys matching none are judged by nothing.",
        fix: "Add their patterns to the role they serve in .infra-guardian.yml (redis.roles.<role>.patterns).",
        bad: [.redis("400 of 500 sampled keys match no role") {
            var snapshot = RedisExamples.snapshot(roles: [RedisExamples.role(.cache, keys: 100)])
            snapshot.sample?.sampledKeys = 500
            snapshot.sample?.unmatchedKeys = 400
            snapshot.sample?.namespaces = [.init(pattern: "user:*", keys: 400, memoryBytes: 40_000)]
            return snapshot
        }],
        good: [.redis("every sampled key matches a role") { RedisExamples.snapshot(roles: [RedisExamples.role(.cache, keys: 500)]) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard let sample = redis.snapshot.sample, sample.sampledKeys >= 100, sample.unmatchedKeys * 2 > sample.sampledKeys else { return nil }
            let matched = Set(sample.roles.flatMap { $0.withoutTTLPatterns + $0.ttlOverMaxPatterns })
            let namespaces = sample.namespaces.map(\.pattern).filter { !matched.contains($0) }.prefix(5)
            let seen = namespaces.isEmpty ? "" : "; the largest namespaces sampled: \(namespaces.joined(separator: ", "))"
            return finding("\(Format.grouped(Int64(sample.unmatchedKeys))) of \(Format.grouped(Int64(sample.sampledKeys))) sampled keys on \(redis.display) match no role in redis.roles\(seen).",
                           at: redis.location())
        }
    }
}
