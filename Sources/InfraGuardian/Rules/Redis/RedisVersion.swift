/// The seed targets Redis 7+.
struct RedisVersion: Rule {
    static let description = RuleDescription(
        id: "redis-version", category: .version, severity: .high,
        summary: "Redis is older than the supported major version (7 by default).",
        finds: "Redis older than 7",
        why: "Redis 7 brings ACL v2, Redis Functions, sharded pub/sub and listpack encodings; Redis 6 is out of support.",
        fix: "Upgrade Redis to 7.x (replica promotion or a managed-service version upgrade).",
        bad: [.redis("Redis 6.2.14") { RedisSnapshot(info: ["server": ["redis_version": "6.2.14"]]) }],
        good: [.redis("Redis 7.2.4") { RedisSnapshot(info: ["server": ["redis_version": "7.2.4"]]) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let redis = input.redis.value else { return [] }
        let minimum = context.thresholds.minimumRedisMajor
        guard let major = redis.majorVersion else {
            return [finding("Redis did not report its version (INFO server.redis_version).", at: .object("redis"))]
        }
        guard major < minimum else { return [] }
        return [finding("Redis \(redis.version) is older than the required \(minimum).", at: .object("redis"))]
    }
}
