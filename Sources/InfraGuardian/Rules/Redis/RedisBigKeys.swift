/// Keys over the size thresholds.
struct RedisBigKeys: Rule {
    static let description = RuleDescription(
        id: "redis-big-keys", category: .redis, severity: .medium,
        summary: "Sampled keys over the size thresholds: strings > 100 KB, hashes > 5,000 fields, sets, sorted sets and lists > 1,000 members, streams > 100,000 entries.",
        finds: "keys of the sample over `thresholds.redis_big_*`, grouped by pattern and type (a sorted set in a rate-limit role is a sliding window: not reported)",
        why: "Reading, writing, expiring or deleting a big key blocks Redis for its whole size, and a big key moves as one piece on migration and resharding.",
        fix: "Split the key (hash buckets by id range, one key per entity), page through it (HSCAN/SSCAN/ZSCAN), and delete big keys with UNLINK.",
        bad: [RuleExample("1 hash (bighash:*) with 6,000 fields", expected: .object("redis bighash:*")) {
            var snapshot = RedisExamples.snapshot()
            snapshot.sample?.bigKeys = [.init(pattern: "bighash:*", type: "hash", count: 1, largest: 6_000, unit: "fields", threshold: 5_000)]
            return AuditInput(redis: Collected(target: "redis://example", value: snapshot))
        }],
        good: [.redis("no key over the thresholds") { RedisExamples.snapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).flatMap { redis -> [Finding] in
            (redis.snapshot.sample?.bigKeys ?? []).map { group in
                let role = group.role.map { " (\($0.keysInWords))" } ?? ""
                return finding("\(group.count) sampled \(group.type) key\(group.count == 1 ? "" : "s") \(group.pattern)\(role) on \(redis.display) over \(Format.grouped(group.threshold)) \(group.unit): the largest has \(Format.grouped(group.largest)) \(group.unit) (\(redis.sampleScope)).",
                               at: redis.location(group.pattern), fix: fix(group))
            }
        }
    }

    private func fix(_ group: RedisKeySample.BigKeyGroup) -> String {
        switch group.type {
        case "hash": "Split the \(group.pattern) hashes into buckets (<key>:<id / 1000>) under 5,000 fields each; read them with HSCAN, never HGETALL; delete with UNLINK."
        case "string": "Store the \(group.pattern) values smaller (compress, or split into a hash of parts), or keep large blobs out of Redis; delete with UNLINK."
        case "list", "set", "zset": "Bound the \(group.pattern) \(group.type)s (trim: LTRIM / ZREMRANGEBYRANK, or split by time or id range); page with \(group.type == "list" ? "LRANGE windows" : group.type == "set" ? "SSCAN" : "ZSCAN"); delete with UNLINK."
        default: "Cap the \(group.pattern) streams: XADD … MAXLEN ~ <entries>, or XTRIM periodically."
        }
    }
}
