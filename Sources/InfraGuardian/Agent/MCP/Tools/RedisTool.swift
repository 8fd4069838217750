/// `redis`: every configured Redis judged by what its keyspaces are for.
enum RedisTool {
    static let tool = MCPTool(
        name: "redis", title: "Redis by role",
        description: """
            Reads the configured Redis instances (redis_url, else redis.url or REDIS_URL, and every instance a role \
            names in redis.roles): INFO, CONFIG GET where allowed, the default user's ACL flags, the slow log's command \
            names and a bounded key sample (SCAN, never KEYS) counted by role: cache, sessions, rate limits, locks, \
            queues, idempotency. Judges the eviction policy against the roles held, TTLs by role, big keys, \
            persistence, memory and access. Never returns a value or a key name, only patterns and counts. \
            structuredContent is the `redis --format json` layout (components, instances with their samples, findings, gate).
            """,
        arguments: [.directory, .redisURL, .deadline(default: Deadline.defaultHealthSeconds),
                    .format(["md", "json"], default: "md", "The text content: md (rows, namespaces, findings, gate) or json."),
                    .config],
        annotations: MCPTool.readOnly(openWorld: true)) { call in
            let report = try call.session(deadline: Deadline.defaultHealthSeconds).redis()
            return try MCPToolResult(json: JSONRenderer.render(report), text: Session.markdown(report), asJSON: call.wantsJSON)
        }
}
