import Foundation
import MCP

/// `infra-guardian mcp`: the tools over MCP's stdio transport, one JSON-RPC message a line. Standard
/// output carries the protocol and nothing else; the few diagnostics go to standard error.
public enum MCPServer {
    static let instructions = """
        InfraGuardian audits a service's persistence layer: PostgreSQL (with pgvector), Redis, dbmate/Supabase \
        migrations and TypeScript adapters. lint checks migration files without a database; audit gives the whole \
        report and its quality gate; health and migration_status read the live systems; adapters reads the source \
        tree; new_migration writes a safe migration into the project's migration folder and verify proves \
        migrations on a scratch database; explain_rule tells why a finding's rule matters and how to fix it.
        """

    /// Serves until the client closes standard input, then returns (exit 0). Calls that write
    /// (new_migration, verify) are finished first, so verify removes its scratch database and server;
    /// read-only calls still running are abandoned.
    /// - Parameter directory: the project of calls that name none (and the base of relative ones).
    public static func run(directory: String = FileManager.default.currentDirectoryPath,
                           environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        // A client gone mid-answer makes the write fail (EPIPE) instead of killing the process.
        signal(SIGPIPE, SIG_IGN)
        let toolbox = MCPToolbox(directory: directory, environment: environment)
        let writing = WritingCalls()
        let server = Server(name: "infra-guardian", version: InfraGuardianVersion.current, instructions: instructions,
                            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: toolbox.definitions) }
        await server.withMethodHandler(CallTool.self) { call in
            guard let tool = toolbox.tool(named: call.name), tool.annotations.readOnlyHint != true else {
                return await toolbox.call(call.name, call.arguments)
            }
            guard await writing.begin() else { return MCPToolResult.failure("\(call.name): the client has gone").callResult }
            let result = await toolbox.call(call.name, call.arguments)
            await writing.end()
            return result
        }
        try await server.start(transport: StdioTransport())
        log("serving \(MCPToolbox.tools.count) tools over stdio for \(directory); close stdin to stop")
        await server.waitUntilCompleted()
        await writing.drain()
        log("stdin closed: stopped")
    }

    static func log(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data("infra-guardian mcp: \(line)\n".utf8))
    }
}

/// The calls that write, counted so that the server ends only once they are done.
actor WritingCalls {
    private var running = 0
    private var closed = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// False once the client has gone: nothing new starts then.
    func begin() -> Bool {
        guard !closed else { return false }
        running += 1
        return true
    }

    func end() {
        running -= 1
        if running == 0 { resumeWaiters() }
    }

    /// Returns when no writing call is left; none starts after. A call read just before the end of
    /// input is dispatched on a task of its own: the grace lets it begin (and so be waited for).
    func drain(grace: Duration = .milliseconds(100)) async {
        try? await Task.sleep(for: grace)
        closed = true
        guard running > 0 else { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func resumeWaiters() {
        waiters.forEach { $0.resume() }
        waiters.removeAll()
    }
}
