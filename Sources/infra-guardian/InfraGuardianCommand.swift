import ArgumentParser
import InfraGuardian

@main
struct InfraGuardianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "infra-guardian", abstract: "placeholder")
}
