/// Connected clients close to maxclients.
struct RedisClientsNearLimit: Rule {
    static let description = RuleDescription(
        id: "redis-clients-near-limit", category: .redis, severity: .medium,
        summary: "Connected clients above 80 % of maxclients (thresholds.redis_clients_percent).",
        finds: "`connected_clients` above `thresholds.redis_clients_percent` of `maxclients`",
        why: "The next burst of connections is rejected; a steady climb is usually a client that never closes its connections.",
        fix: "Reuse connections (one client or a small pool per process), look for leaks in CLIENT LIST, or raise maxclients.",
        bad: [.redis("9,100 of 10,000 clients") { RedisExamples.snapshot(info: ["clients": ["connected_clients": "9100"]]) }],
        good: [.redis("12 of 10,000 clients") { RedisExamples.snapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let limit = context.thresholds.redisClientsPercent
        return AuditedRedis.all(input).compactMap { redis in
            guard let connected = redis.snapshot.connectedClients, let max = redis.snapshot.maxClients, max > 0 else { return nil }
            let percent = Double(connected) * 100 / Double(max)
            guard percent >= limit else { return nil }
            return finding("\(redis.display) has \(Format.grouped(Int64(connected))) clients connected of maxclients \(Format.grouped(Int64(max))) (\(Int(percent)) %, threshold \(Int(limit)) %).",
                           at: redis.location())
        }
    }
}
