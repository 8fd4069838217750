/// Clients turned away at maxclients.
struct RedisRejectedConnections: Rule {
    static let description = RuleDescription(
        id: "redis-rejected-connections", category: .redis, severity: .medium,
        summary: "Redis has rejected connections (INFO rejected_connections): clients hit maxclients.",
        finds: "`rejected_connections` above 0 since the last restart",
        why: "A rejected connection is a failed request in the application, usually from a connection leak or pools sized past maxclients.",
        fix: "Find the clients holding connections (CLIENT LIST, grouped by name), size the pools under maxclients, or raise maxclients.",
        bad: [.redis("rejected_connections 37") { RedisExamples.snapshot(info: ["stats": ["rejected_connections": "37"]]) }],
        good: [.redis("rejected_connections 0") { RedisExamples.snapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard let rejected = redis.snapshot.count("stats", "rejected_connections"), rejected > 0 else { return nil }
            let limit = redis.snapshot.maxClients.map { " (maxclients \(Format.grouped(Int64($0))))" } ?? ""
            return finding("\(redis.display) has rejected \(Format.grouped(rejected)) connections since its last restart\(limit).",
                           at: redis.location())
        }
    }
}
