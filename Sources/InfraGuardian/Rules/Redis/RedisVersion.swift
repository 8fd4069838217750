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
        let minimum = context.thresholds.minimumRedisMajor
        return AuditedRedis.all(input).compactMap { audited in
            let redis = audited.snapshot
            guard let major = redis.majorVersion else {
                return finding("\(audited.display) did not report its version (INFO server.redis_version).", at: audited.location())
            }
            guard major < minimum else { return nil }
            return finding("\(audited.display) \(redis.version) is older than the required \(minimum).", at: audited.location())
        }
    }
}
