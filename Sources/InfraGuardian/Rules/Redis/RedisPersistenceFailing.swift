/// The last snapshot or AOF write failed.
struct RedisPersistenceFailing: Rule {
    static let description = RuleDescription(
        id: "redis-persistence-failing", category: .redis, severity: .high,
        summary: "The last RDB snapshot or AOF write failed (rdb_last_bgsave_status / aof_last_write_status: err).",
        finds: "`rdb_last_bgsave_status:err` or `aof_last_write_status:err` in INFO persistence",
        why: "Nothing recent is on disk; with stop-writes-on-bgsave-error (the default) Redis also refuses every write until a snapshot succeeds.",
        fix: "Read the Redis log for the cause (disk full, permissions, fork failing for lack of memory: vm.overcommit_memory=1), fix it, then BGSAVE.",
        bad: [.redis("rdb_last_bgsave_status:err") {
            RedisExamples.snapshot(info: ["persistence": ["rdb_last_bgsave_status": "err"]])
        }],
        good: [.redis("both ok") { RedisExamples.snapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            let failed = [("rdb_last_bgsave_status", "the last RDB snapshot"), ("aof_last_write_status", "the last AOF write")]
                .filter { redis.snapshot.field("persistence", $0.0) == "err" }.map(\.1)
            guard !failed.isEmpty else { return nil }
            return finding("\(redis.display): \(failed.joined(separator: " and ")) failed (INFO persistence: err).", at: redis.location())
        }
    }
}
