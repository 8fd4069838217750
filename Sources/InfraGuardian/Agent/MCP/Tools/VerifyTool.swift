import MCP

/// `verify`: migrations proven on a scratch database (never the audited one).
enum VerifyTool {
    static let tool = MCPTool(
        name: "verify", title: "Prove migrations on a scratch database",
        description: """
            Runs migrations on a scratch database it creates and drops (on scratch_url, or on a throwaway PostgreSQL \
            it starts from the server binaries it finds and removes afterwards; never the configured database): every \
            earlier file first, then up, up again (idempotency), down, the catalog compared with before, up once more, \
            with the locks and rewrites observed. Without files or all: the files git reports new or changed, \
            else the latest. structuredContent is the `verify --format json` layout.
            """,
        arguments: [.directory,
                    MCPArgument(name: "files", kind: .strings, description:
                        "Migration files to verify: path, file name or version (default: new or changed files, else the latest)."),
                    MCPArgument(name: "all", kind: .boolean, description: "Verify every migration file, in order.", defaultValue: false),
                    MCPArgument(name: "scratch_url", kind: .string, description:
                        "A PostgreSQL server where the tool may create (and drop) its own database; nothing else there is touched "
                            + "(default: a throwaway server). Masked in every output."),
                    MCPArgument(name: "seed_rows", kind: .integer(0...10_000_000), description:
                        "Synthetic rows inserted first into each existing table the migration touches.", defaultValue: 0),
                    .format(VerifyFormat.allCases.map(\.rawValue), default: VerifyFormat.md.rawValue,
                            "The text content: md, text, json, sarif or junit."),
                    .config],
        annotations: Tool.Annotations(readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true)) { call in
            let targets = call.arguments.strings("files")
            let all = call.arguments.flag("all")
            if all && !targets.isEmpty { throw MCPToolError("give files or all, not both") }
            let format = call.arguments.string("format").flatMap(VerifyFormat.init) ?? .md
            let scratch = VerifyOptions(target: call.arguments.string("scratch_url").map { .url($0) } ?? .ownServer(binaries: nil),
                                        seedRows: call.arguments.integer("seed_rows") ?? 0)
            let session = try call.session()
            let report = try call.verifyLock.withLock { try session.verify(targets: targets, all: all, using: scratch) }
            return try MCPToolResult(json: session.render(report, as: .json), text: session.render(report, as: format),
                                     asJSON: call.wantsJSON)
        }
}
