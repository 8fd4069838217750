import Foundation
import MCP

/// One tool of `infra-guardian mcp`: what the client lists, and the synchronous work a call does
/// through the library's `Session` (the toolbox runs it off Swift's cooperative pool).
struct MCPTool: Sendable {
    let name: String
    let title: String
    let description: String
    let arguments: [MCPArgument]
    let annotations: Tool.Annotations
    let run: @Sendable (MCPCall) throws -> MCPToolResult

    /// An object schema: each argument's type and description, `additionalProperties: false`.
    var definition: Tool {
        var schema: [String: Value] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: arguments.map { ($0.name, $0.schema) })),
            "additionalProperties": false,
        ]
        let required = arguments.filter(\.required).map { Value.string($0.name) }
        if !required.isEmpty { schema["required"] = .array(required) }
        var annotations = annotations
        annotations.title = title
        return Tool(name: name, title: title, description: description, inputSchema: .object(schema), annotations: annotations)
    }

    /// Reads the project and reports; never writes (`readOnlyHint`). `openWorld`: it reads live servers.
    static func readOnly(openWorld: Bool) -> Tool.Annotations {
        Tool.Annotations(readOnlyHint: true, openWorldHint: openWorld)
    }
}

/// What a call works with: its checked arguments, its project, the server's environment.
struct MCPCall: Sendable {
    let arguments: MCPArguments
    let project: MCPProject
    let environment: [String: String]
    /// Held while `verify` runs: it sets the process's SIGINT/SIGTERM handling, so two at once would undo each other's.
    let verifyLock: NSLock

    /// A path argument, relative to the project (refused when it leads outside).
    func path(_ name: String) throws -> String? {
        try arguments.string(name).map { try project.inside($0, argument: name) }
    }

    /// A file argument as an absolute path inside the project, for readers that do not resolve against the project.
    func file(_ name: String) throws -> String? {
        try path(name).map { (project.root as NSString).appendingPathComponent($0) }
    }

    /// The call asked for `format: json`.
    var wantsJSON: Bool { arguments.string("format") == "json" }

    func paths(_ name: String) throws -> [String] {
        try arguments.strings(name).map { try project.inside($0, argument: name) }
    }

    /// The session options the call's arguments describe; arguments a tool does not take are absent.
    func options(deadline seconds: Double? = nil) throws -> SessionOptions {
        if let base = arguments.string("base"), base.hasPrefix("-") || base.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }) {
            throw MCPToolError("argument \"base\" must name a git revision (no leading -, no spaces): \(SecretMasking.quotable(base))")
        }
        let migrations = try paths("migrations")
        return SessionOptions(directory: project.root, configFile: try file("config"),
                              databaseURL: arguments.string("database_url"), redisURL: arguments.string("redis_url"),
                              migrationFolders: migrations.isEmpty ? nil : migrations, sourceRoot: try path("source"),
                              base: arguments.string("base"), baselineFile: try path("baseline"),
                              deadline: try (arguments.number("deadline") ?? seconds).map(Deadline.validated),
                              environment: environment)
    }

    func session(deadline seconds: Double? = nil, loadsSQLPacks: Bool = true) throws -> Session {
        var options = try options(deadline: seconds)
        options.loadsSQLPacks = loadsSQLPacks
        return try Session(options)
    }
}

/// A tool's answer: the text a person reads (the report in the asked format) and the same result
/// as structured JSON (the layout of the command's `--format json`).
struct MCPToolResult: Sendable {
    var text: String
    var structured: Value?
    var isError = false

    /// `structured` parsed from the JSON a renderer wrote; the text is that JSON when the call asked
    /// for `format: json`, else `text` (rendered only then).
    init(json: String, text: @autoclosure () throws -> String, asJSON: Bool) throws {
        self.text = asJSON ? json : try text()
        structured = try JSONDecoder().decode(Value.self, from: Data(json.utf8))
    }

    init(text: String, structured: Value?, isError: Bool = false) {
        self.text = text
        self.structured = structured
        self.isError = isError
    }

    static func failure(_ message: String) -> MCPToolResult {
        MCPToolResult(text: message, structured: ["error": .string(message)], isError: true)
    }

    var callResult: CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured,
                        isError: isError ? true : nil)
    }
}
