import ArgumentParser
import Foundation
import InfraGuardian

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter .infra-guardian.yml from what the project holds; --claude wires Claude Code too.",
        discussion: """
        Looks (read-only, no link followed, node_modules/.git/dist/build skipped, four levels deep) for the \
        migration folders (db/migrations, supabase/migrations, and nested ones such as apps/api/db/migrations), \
        the TypeScript source tree (src, else apps/*/src or packages/*/src) and the names of the variables that \
        hold the database and Redis URLs (in .env.example, .env.sample, .env.template and compose files: names \
        only, never a value). An existing .infra-guardian.yml is never overwritten without --force. With --claude, \
        adds the UserPromptSubmit hook `infra-guardian agent --format claude-hook` to .claude/settings.json and \
        the MCP server `infra-guardian mcp` to .mcp.json, keeping every key already there; running it again \
        changes nothing. A file that is not valid JSON, or whose keys have the wrong type, is refused, and then \
        nothing at all is written.
        """)

    @Flag(name: .long, help: "Also wire Claude Code: the hook in .claude/settings.json and the MCP server in .mcp.json.")
    var claude = false

    @Flag(name: .long, help: "Replace an existing .infra-guardian.yml.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("The project folder (default: the working directory).", valueName: "dir"))
    var dir: String?

    @Option(name: .long, help: ArgumentHelp(
        "The program the hook and the MCP server run, e.g. an absolute path (default: infra-guardian).", valueName: "path"))
    var command: String = "infra-guardian"

    func run() throws {
        let options = InitOptions(directory: dir ?? FileManager.default.currentDirectoryPath, claude: claude, force: force,
                                  command: command)
        let result = try usage { try ProjectInitializer.run(options) }
        for action in result.actions { print(action.line) }
        if result.written.contains(ConfigurationLoader.defaultFileName) {
            print("next: infra-guardian lint, then infra-guardian audit")
        }
    }
}
