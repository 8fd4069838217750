/// A Lua script cache that keeps growing.
struct RedisManyCachedScripts: Rule {
    static let description = RuleDescription(
        id: "redis-many-cached-scripts", category: .redis, severity: .low,
        summary: "More than 500 Lua scripts cached (thresholds.redis_cached_scripts): scripts are built with values inside.",
        finds: "`number_of_cached_scripts` above `thresholds.redis_cached_scripts` (BullMQ alone loads about 50)",
        why: "Each distinct script text is cached until SCRIPT FLUSH or a restart: a script built with values in its text leaks memory with every call.",
        fix: "Pass values as KEYS/ARGV to one fixed script (EVALSHA), or use Redis Functions.",
        bad: [.redis("12,000 cached scripts") { RedisExamples.snapshot(info: ["memory": ["number_of_cached_scripts": "12000"]]) }],
        good: [.redis("48 cached scripts") { RedisExamples.snapshot(info: ["memory": ["number_of_cached_scripts": "48"]]) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let limit = Int64(context.thresholds.redisCachedScripts)
        return AuditedRedis.all(input).compactMap { redis in
            guard let scripts = redis.snapshot.count("memory", "number_of_cached_scripts"), scripts > limit else { return nil }
            let memory = redis.snapshot.count("memory", "used_memory_scripts").map { ", \(Format.bytes($0))" } ?? ""
            return finding("\(redis.display) caches \(Format.grouped(scripts)) Lua scripts\(memory) (threshold \(Format.grouped(limit))).",
                           at: redis.location())
        }
    }
}
