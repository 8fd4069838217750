/// `health`: PostgreSQL (`SELECT 1` < 100 ms), Redis (`PING` < 50 ms) and pending migrations.
enum HealthTool {
    static let tool = MCPTool(
        name: "health", title: "Health of PostgreSQL, Redis and migrations",
        description: """
            Checks PostgreSQL (SELECT 1 under 100 ms, connections, pgvector), Redis (PING under 50 ms, memory) and \
            pending migrations against the configured thresholds. structuredContent is the seed's HealthStatus: \
            {status: healthy|degraded|unhealthy, checks[], timestamp}.
            """,
        arguments: [.directory, .databaseURL, .redisURL, .migrations, .deadline(default: Deadline.defaultHealthSeconds),
                    .format(["text", "json"], default: "text", "The text content: text (one line a check) or json."), .config],
        annotations: MCPTool.readOnly(openWorld: true)) { call in
            let status = try call.session(deadline: Deadline.defaultHealthSeconds).health()
            return try MCPToolResult(json: JSONRenderer.render(status), text: status.text, asJSON: call.wantsJSON)
        }
}
