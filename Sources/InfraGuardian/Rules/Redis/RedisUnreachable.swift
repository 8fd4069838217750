/// A configured Redis that could not be audited.
struct RedisUnreachable: Rule {
    static let description = RuleDescription(
        id: "redis-unreachable", category: .connection, severity: .high,
        summary: "The configured Redis could not be reached or read.",
        finds: "the configured Redis could not be reached or read",
        why: "An audit that could not see Redis cannot certify it; the cause (network, AUTH, timeout) is in the message.",
        fix: "Check the URL (--redis-url or REDIS_URL), the password, the network path and that the server is up.",
        bad: [RuleExample("redis://cache.internal:6379/0 -> connection refused") {
            AuditInput(redis: Collected(target: "redis://cache.internal:6379/0", error: "connection refused"))
        }],
        good: [.redis("Redis 7.2.4 answered") { RedisSnapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.allRedis.enumerated().compactMap { index, redis in
            guard let error = redis.error else { return nil }
            return finding("Redis at \(redis.target ?? "?"): \(error)", at: .object(index == 0 && input.redis.isConfigured ? "redis" : "redis \(redis.target ?? "?")"))
        }
    }
}
