/// Keys in more than one logical database.
struct RedisMultipleDatabases: Rule {
    static let description = RuleDescription(
        id: "redis-multiple-databases", category: .redis, severity: .low,
        summary: "Keys live in more than one logical database (db0, db1, …) of one instance.",
        finds: "more than one `dbN` with keys in INFO keyspace",
        why: "Logical databases share one memory limit, one eviction policy, one persistence setting and one thread: they do not separate roles, and Redis Cluster supports only db0.",
        fix: "Use key prefixes (and ACL key patterns) within db0, or an instance per role where they need different policies.",
        bad: [.redis("db0 and db3 hold keys") {
            RedisExamples.snapshot(info: ["keyspace": ["db0": "keys=100,expires=10", "db3": "keys=20,expires=0"]])
        }],
        good: [.redis("only db0") { RedisExamples.snapshot(info: ["keyspace": ["db0": "keys=100,expires=10"]]) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            let used = redis.snapshot.keyspace.filter { $0.keys > 0 }
            guard used.count > 1 else { return nil }
            let list = used.map { "\($0.name) (\(Format.grouped($0.keys)) keys)" }.joined(separator: ", ")
            return finding("\(redis.display) holds keys in \(used.count) logical databases: \(list); the sample read only the selected one.",
                           at: redis.location())
        }
    }
}
