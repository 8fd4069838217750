/// Slow log entries over the threshold.
struct RedisSlowCommands: Rule {
    static let description = RuleDescription(
        id: "redis-slow-commands", category: .redis, severity: .low,
        summary: "The slow log holds commands slower than 100 ms (thresholds.redis_slowlog_ms); MEDIUM when KEYS is among them.",
        finds: "entries of `SLOWLOG GET 128` slower than `thresholds.redis_slowlog_ms`, by command name (arguments are never read); MEDIUM when one is `KEYS`",
        why: "Redis runs one command at a time: every slow command delays all clients. KEYS walks the whole keyspace.",
        fix: "Replace KEYS with SCAN, split big keys, and bound range reads (ZRANGE/LRANGE/HGETALL on big collections) with pages.",
        bad: [.redis("SLOWLOG: KEYS 420 ms, HGETALL 150 ms") {
            var snapshot = RedisExamples.snapshot()
            snapshot.slowlog = RedisSlowlog(entries: [.init(command: "KEYS", micros: 420_000), .init(command: "HGETALL", micros: 150_000)])
            return snapshot
        }],
        good: [.redis("SLOWLOG: GET 12 ms") {
            var snapshot = RedisExamples.snapshot()
            snapshot.slowlog = RedisSlowlog(entries: [.init(command: "GET", micros: 12_000)])
            return snapshot
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let limit = Int64(context.thresholds.redisSlowlogMillis * 1000)
        return AuditedRedis.all(input).compactMap { redis in
            let slow = (redis.snapshot.slowlog?.entries ?? []).filter { $0.micros >= limit }
            guard let slowest = slow.map(\.micros).max() else { return nil }
            var counts: [String: Int] = [:]
            for entry in slow { counts[entry.command, default: 0] += 1 }
            let commands = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            var result = finding("\(redis.display)'s slow log holds \(slow.count) command\(slow.count == 1 ? "" : "s") slower than \(Format.millis(context.thresholds.redisSlowlogMillis)) (\(commands); slowest \(Format.millis(Double(slowest) / 1000))).",
                                 at: redis.location())
            if counts["KEYS"] != nil { result.severity = .medium }
            return result
        }
    }
}
