import ArgumentParser
import Foundation
import InfraGuardian

enum HealthFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check PostgreSQL (SELECT 1 < 100 ms), Redis (PING < 50 ms) and pending migrations.",
        discussion: "Exit 0 when healthy, 1 when degraded or unhealthy, 2 on a usage error.")

    @OptionGroup var targets: TargetOptions

    @Option(name: .long, help: DeadlineHelp.text(default: Deadline.defaultHealthSeconds))
    var deadline: Double = Deadline.defaultHealthSeconds

    func validate() throws {
        do { _ = try Deadline.validated(deadline) } catch { throw ValidationError("\(error)") }
    }

    @Option(name: .long, help: "Output format: text, or json (the seed's HealthStatus shape).")
    var format: HealthFormat = .text

    func run() throws {
        let status = try targets.session(deadline: deadline).health()
        switch format {
        case .json: try emit(try JSONRenderer.render(status), to: nil)
        case .text: try emit(status.text, to: nil)
        }
        if status.status != .healthy { throw ExitCode(1) }
    }
}
