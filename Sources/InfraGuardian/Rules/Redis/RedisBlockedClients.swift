/// Clients waiting in blocking commands where no queue explains them.
struct RedisBlockedClients: Rule {
    static let description = RuleDescription(
        id: "redis-blocked-clients", category: .redis, severity: .info,
        summary: "Clients are blocked in BLPOP/BRPOPLPUSH/XREAD BLOCK/WAIT on an instance that holds no queue.",
        finds: "`blocked_clients` above 0 when the sample shows no queue keys (queue workers block on purpose)",
        why: "A blocked client holds a connection until data arrives; outside a queue consumer it is often a forgotten consumer or a WAIT on a missing replica.",
        fix: "Check CLIENT LIST for the blocked clients' names and commands; give blocking calls a timeout.",
        bad: [.redis("3 blocked clients, no queue keys") { RedisExamples.snapshot(info: ["clients": ["blocked_clients": "3"]]) }],
        good: [.redis("3 blocked clients with BullMQ queues") {
            RedisExamples.snapshot(info: ["clients": ["blocked_clients": "3"]], roles: [RedisExamples.role(.queues, keys: 60)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard let blocked = redis.snapshot.count("clients", "blocked_clients"), blocked > 0,
                  !redis.snapshot.rolesHeld.contains(.queues) else { return nil }
            return finding("\(redis.display) has \(blocked) client\(blocked == 1 ? "" : "s") blocked in a blocking command, and no queue keys were seen.",
                           at: redis.location())
        }
    }
}
