/// A replica that lost its primary.
struct RedisReplicationLinkDown: Rule {
    static let description = RuleDescription(
        id: "redis-replication-link-down", category: .redis, severity: .high,
        summary: "A Redis replica's link to its primary is down (master_link_status:down).",
        finds: "`role:slave` with `master_link_status:down`",
        why: "The replica serves ever older data and cannot take over on failover without losing what it missed.",
        fix: "Check the primary's reachability and replication settings (masterauth, network, repl-backlog-size); INFO replication on both sides.",
        bad: [.redis("role slave, master_link_status down") {
            RedisExamples.snapshot(info: ["replication": ["role": "slave", "master_link_status": "down",
                                                          "master_link_down_since_seconds": "340"]])
        }],
        good: [.redis("role slave, link up") {
            RedisExamples.snapshot(info: ["replication": ["role": "slave", "master_link_status": "up"]])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard redis.snapshot.field("replication", "role") == "slave",
                  redis.snapshot.field("replication", "master_link_status") == "down" else { return nil }
            let since = redis.snapshot.field("replication", "master_link_down_since_seconds").map { " for \($0) s" } ?? ""
            return finding("\(redis.display) is a replica whose link to its primary has been down\(since).", at: redis.location())
        }
    }
}
