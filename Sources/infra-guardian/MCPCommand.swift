import ArgumentParser
import Foundation
import InfraGuardian

struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the tools over the Model Context Protocol on stdin/stdout (Claude Code, any MCP client).",
        discussion: """
        Tools: audit, health, lint, migration_status, adapters, new_migration, verify, explain_rule, each with a JSON \
        Schema for its arguments and a structured result. A call works on the project in its `directory` argument \
        (default: --dir, else the working directory); a path argument that leads outside the project is refused. \
        Every error is a tool result with isError and one line; the server keeps answering. Standard output carries \
        only the protocol. Closing stdin stops the server (exit 0) once a running new_migration or verify is done.
        """)

    @Option(name: .long, help: ArgumentHelp("The project of calls that name no directory (default: the working directory).",
                                            valueName: "dir"))
    var dir: String?

    func run() throws {
        let directory = dir.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? FileManager.default.currentDirectoryPath
        Task {
            do {
                try await MCPServer.run(directory: directory)
            } catch {
                FileHandle.standardError.write(Data("infra-guardian mcp: \(error)\n".utf8))
                Foundation.exit(2)
            }
            Foundation.exit(0)
        }
        dispatchMain()
    }
}
