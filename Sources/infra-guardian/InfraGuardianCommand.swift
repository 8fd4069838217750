import ArgumentParser
import Foundation
import InfraGuardian

@main
struct InfraGuardianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infra-guardian",
        abstract: "Audit a PostgreSQL/pgvector + Redis persistence layer and its migrations, then gate it.",
        discussion: """
        Exit codes: 0 gate PASSED (or healthy), 1 gate FAILED (or not healthy), 2 usage or configuration error.
        Configuration is read from .infra-guardian.yml in the working directory, or --config FILE.
        """,
        version: InfraGuardianVersion.current,
        subcommands: [AuditCommand.self, LintCommand.self, BaselineCommand.self, CollectCommand.self, HealthCommand.self, AdaptersCommand.self,
                      RulesCommand.self, ExplainCommand.self, NewMigrationCommand.self, VerifyCommand.self, RedisCommand.self,
                      AgentCommand.self, MCPCommand.self, InitCommand.self, MergeCommand.self],
        defaultSubcommand: AuditCommand.self)

    /// Exit codes are part of the contract: usage and configuration errors are 2 (not 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("infra-guardian: configuration error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("infra-guardian: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if let exit = error as? ExitCode {
                Foundation.exit(exit.rawValue)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// A mistake in how the tool was called; exit code 2.
struct UsageError: Error {
    var message: String
}
