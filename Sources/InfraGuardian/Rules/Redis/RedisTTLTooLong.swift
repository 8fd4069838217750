/// Keys that expire later than their role allows.
struct RedisTTLTooLong: Rule {
    static let description = RuleDescription(
        id: "redis-ttl-too-long", category: .redis, severity: .low,
        summary: "Sampled keys of a role expire later than the role's max_ttl_s (locks 1 h, rate limits 1 day, idempotency 7 days, sessions 30 days by default).",
        finds: "keys whose PTTL exceeds their role's `max_ttl_s` (`redis.roles`) in the key sample; counts are estimates",
        why: "A lock held for days after its holder died, a rate-limit window of a month, a session valid for a year: the TTL exists but does not do its job.",
        fix: "Shorten the EX/PX given when the keys are written to the role's limit, or raise max_ttl_s in .infra-guardian.yml if the longer life is intended.",
        bad: [RuleExample("3 lock keys (lock:job:*) expire in 2 days", expected: .object("redis lock:job:*")) {
            AuditInput(redis: Collected(target: "redis://example", value: RedisExamples.snapshot(
                roles: [RedisExamples.role(.locks, keys: 10, patterns: ["lock:job:*"], ttlOverMax: 3, longest: 172_800)])))
        }],
        good: [.redis("lock keys expire within 30 s") {
            RedisExamples.snapshot(roles: [RedisExamples.role(.locks, keys: 10, longest: 30)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let roles = context.configuration.redis.roles
        return AuditedRedis.all(input).flatMap { redis -> [Finding] in
            (redis.snapshot.sample?.roles ?? []).compactMap { seen in
                guard seen.ttlOverMax > 0, let limit = roles[seen.role]?.maxTTLSeconds else { return nil }
                let patterns = seen.ttlOverMaxPatterns.isEmpty ? "" : " (\(seen.ttlOverMaxPatterns.joined(separator: ", ")))"
                let longest = seen.longestTTLSeconds.map { "; the longest has \(Format.seconds(Double($0))) left" } ?? ""
                return finding("\(Format.grouped(Int64(seen.ttlOverMax))) of \(Format.grouped(Int64(seen.keys))) sampled \(seen.role.keysInWords)\(patterns) on \(redis.display) expire later than the role's max_ttl_s \(Format.seconds(Double(limit)))\(longest) (\(redis.sampleScope)).",
                               at: redis.location(seen.ttlOverMaxPatterns.first),
                               fix: "Write \(seen.role.keysInWords) with EX \(limit) or less, or set redis.roles.\(seen.role.rawValue).max_ttl_s if the longer life is intended.")
            }
        }
    }
}
