/// Keys of a role that must expire, sampled without a TTL.
struct RedisKeyWithoutTTL: Rule {
    static let description = RuleDescription(
        id: "redis-key-without-ttl", category: .redis, severity: .high,
        summary: "Sampled keys of a role that must expire have no TTL: lock keys (HIGH), sessions, rate limits, idempotency keys (MEDIUM).",
        finds: "keys of a role with `ttl_required` (`redis.roles`; default: sessions, rate_limits, locks, idempotency) whose PTTL is -1 in the key sample; HIGH for locks, MEDIUM for the others; counts are estimates from the sample",
        why: """
        A lock without a TTL is a deadlock waiting for its holder to crash; a session or an idempotency key \
        without one stays forever (memory grows, a logged-out token stays valid); a rate-limit window that \
        never expires blocks its client for good (rate-limiter-flexible with duration 0).
        """,
        fix: "Write the keys with their expiry in the same command (SET key value EX seconds; locks: SET key token NX PX milliseconds).",
        bad: [RuleExample("50 of 50 sampled lock keys (lock:order:*) have no TTL", expected: .object("redis lock:order:*")) {
            AuditInput(redis: Collected(target: "redis://example", value: RedisExamples.snapshot(
                roles: [RedisExamples.role(.locks, keys: 50, withoutTTL: 50, patterns: ["lock:order:*"])])))
        }],
        good: [.redis("every sampled lock key has a TTL") {
            RedisExamples.snapshot(roles: [RedisExamples.role(.locks, keys: 50, longest: 30)])
        }, .redis("cache keys without TTL (not required for a cache)") {
            RedisExamples.snapshot(roles: [RedisExamples.role(.cache, keys: 50, withoutTTL: 50, patterns: ["cache:*"])])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let roles = context.configuration.redis.roles
        return AuditedRedis.all(input).flatMap { redis -> [Finding] in
            (redis.snapshot.sample?.roles ?? []).compactMap { seen in
                guard seen.withoutTTL > 0, roles[seen.role]?.ttlRequired == true else { return nil }
                let patterns = seen.withoutTTLPatterns.isEmpty ? "" : " (\(seen.withoutTTLPatterns.joined(separator: ", ")))"
                var result = finding("\(Format.grouped(Int64(seen.withoutTTL))) of \(Format.grouped(Int64(seen.keys))) sampled \(seen.role.keysInWords)\(patterns) on \(redis.display) have no TTL: \(consequence(seen.role)) (\(redis.sampleScope)).",
                                     at: redis.location(seen.withoutTTLPatterns.first), fix: fix(seen.role, patterns: seen.withoutTTLPatterns,
                                                                                              limit: roles[seen.role]?.maxTTLSeconds))
                if seen.role != .locks { result.severity = .medium }
                return result
            }
        }
    }

    private func consequence(_ role: RedisRole) -> String {
        switch role {
        case .locks: "a holder that crashes keeps its lock for ever"
        case .sessions: "they are never cleaned up, and a session nobody ends stays valid"
        case .rateLimits: "a window that never expires blocks its client for good"
        case .idempotency: "they accumulate for ever"
        case .cache, .queues: "they are never cleaned up"
        }
    }

    private func fix(_ role: RedisRole, patterns: [String], limit: Int?) -> String {
        let seconds = limit.map(String.init) ?? "<seconds>"
        let write: String
        switch role {
        case .locks: write = "Acquire locks with their expiry in the same command: SET <lock key> <token> NX PX <milliseconds> (node-redlock: lock(resources, ttl))."
        case .sessions: write = "Give sessions their lifetime: connect-redis sets EX from cookie.maxAge unless disableTTL is true (remove it); else SET <session key> <value> EX \(seconds)."
        case .rateLimits: write = "Give every window its expiry: rate-limiter-flexible needs duration > 0; hand-written counters need INCR then EXPIRE <key> <window> in one MULTI (or SET … EX on the first hit)."
        case .idempotency: write = "Write idempotency keys with SET <key> <result> NX EX \(seconds) (as long as a client may retry)."
        case .cache, .queues: write = "Write the keys with SET … EX <seconds>."
        }
        guard let pattern = patterns.first else { return write }
        return write + " Existing keys: redis-cli --scan --pattern '\(pattern)' | while read -r key; do redis-cli EXPIRE \"$key\" \(seconds) NX; done (EXPIRE … NX leaves keys that already expire alone)."
    }
}
