/// Neither snapshots nor an append-only file on an instance holding state.
struct RedisPersistenceOff: Rule {
    static let description = RuleDescription(
        id: "redis-persistence-off", category: .redis, severity: .high,
        summary: "Persistence is off (no RDB save points, no AOF) on an instance holding sessions, queues or idempotency keys.",
        finds: "`save` empty and `appendonly no` on an instance whose sample or configuration shows session, queue or idempotency keys (HIGH with queues or idempotency keys, MEDIUM with sessions only); unknown when CONFIG is refused",
        why: "A restart or failover empties the instance: queued jobs and idempotency keys are lost (work done twice or never), sessions log everybody out.",
        fix: "CONFIG SET appendonly yes and CONFIG SET appendfsync everysec (and in redis.conf), or enable persistence in the managed service; keep RDB snapshots for backups.",
        bad: [.redis("save \"\", appendonly no, BullMQ queue keys") {
            RedisExamples.snapshot(info: ["persistence": ["aof_enabled": "0"]], config: ["save": "", "appendonly": "no"],
                                   roles: [RedisExamples.role(.queues, keys: 60)])
        }],
        good: [.redis("appendonly yes with queue keys") {
            RedisExamples.snapshot(config: ["save": "", "appendonly": "yes"], roles: [RedisExamples.role(.queues, keys: 60)])
        }, .redis("persistence off on a cache-only instance") {
            RedisExamples.snapshot(info: ["persistence": ["aof_enabled": "0"]], config: ["save": "", "appendonly": "no"],
                                   roles: [RedisExamples.role(.cache, keys: 60)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard redis.snapshot.persistenceEnabled == false else { return nil }
            let held = redis.snapshot.rolesHeld.filter(\.needsPersistence)
            guard !held.isEmpty else { return nil }
            var result = finding("\(redis.display) keeps nothing on disk (save \"\", appendonly no) and holds \(redis.heldRoles { $0.needsPersistence }.joined(separator: ", ")): a restart or failover loses them.",
                                 at: redis.location())
            if held == [.sessions] { result.severity = .medium }
            return result
        }
    }
}
