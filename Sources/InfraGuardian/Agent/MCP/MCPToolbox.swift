import Dispatch
import Foundation
import MCP

/// The tools of `infra-guardian mcp`, and the one place a call is checked and run. Every failure
/// (unknown tool, bad arguments, a path outside the project, a configuration error, anything thrown)
/// becomes an `isError` result with one line: the server keeps answering.
struct MCPToolbox: Sendable {
    static let tools: [MCPTool] = [AuditTool.tool, HealthTool.tool, LintTool.tool, MigrationStatusTool.tool,
                                   AdaptersTool.tool, NewMigrationTool.tool, VerifyTool.tool, ExplainRuleTool.tool,
                                   RedisTool.tool]

    /// Where a call without `directory` works, and relative directories start from.
    let directory: String
    let environment: [String: String]
    private let verifyLock = NSLock()

    init(directory: String, environment: [String: String]) {
        self.directory = directory
        self.environment = environment
    }

    var definitions: [Tool] { Self.tools.map(\.definition) }

    func tool(named name: String) -> MCPTool? { Self.tools.first { $0.name == name } }

    /// Runs the call on a Dispatch queue: the library's work is synchronous and spreads over the cores
    /// itself, and must not hold one of the few threads of Swift's cooperative pool (stdin is read there).
    func call(_ name: String, _ arguments: [String: Value]?) async -> CallTool.Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: callNow(name, arguments).callResult)
            }
        }
    }

    func callNow(_ name: String, _ arguments: [String: Value]?) -> MCPToolResult {
        guard let tool = tool(named: name) else {
            return .failure("unknown tool \"\(SecretMasking.quotable(name, limit: 60))\"; the tools are "
                            + Self.tools.map(\.name).joined(separator: ", "))
        }
        do {
            let checked = try MCPArguments(arguments, for: tool.arguments)
            let project = try MCPProject(checked.string("directory"), serverDirectory: directory)
            return try tool.run(MCPCall(arguments: checked, project: project, environment: environment, verifyLock: verifyLock))
        } catch {
            return .failure("\(name): \(MCPToolError.line(error))")
        }
    }
}
