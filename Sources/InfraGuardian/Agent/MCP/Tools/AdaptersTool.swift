/// `adapters`: the TypeScript adapters, ports and tests, and the adapter rules.
enum AdaptersTool {
    static let tool = MCPTool(
        name: "adapters", title: "Adapter coverage",
        description: """
            Scans the TypeScript source tree (source, else paths.source, else the project) for persistence adapters, \
            their ports and tests, and applies the adapter rules (SQL outside adapters, missing transactions, \
            Redis keys without TTL, …). No database is read. structuredContent is the `adapters --format json` layout.
            """,
        arguments: [.directory, .source, .format(["md", "json"], default: "md", "The text content: md (the table and findings) or json."),
                    .config],
        annotations: MCPTool.readOnly(openWorld: false)) { call in
            let report = try call.session(loadsSQLPacks: false).adapters()
            return try MCPToolResult(json: JSONRenderer.render(report), text: Session.markdown(report), asJSON: call.wantsJSON)
        }
}
