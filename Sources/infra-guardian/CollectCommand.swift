import ArgumentParser
import Foundation
import InfraGuardian

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect the audit input (schemas, Redis INFO, migrations) as JSON, to audit later with --snapshot.",
        discussion: "The snapshot holds metadata only: no row values, no Redis values, passwords masked.")

    @OptionGroup var targets: TargetOptions

    @Option(name: .long, help: DeadlineHelp.text(default: Deadline.defaultAuditSeconds))
    var deadline: Double = Deadline.defaultAuditSeconds

    func validate() throws {
        do { _ = try Deadline.validated(deadline) } catch { throw ValidationError("\(error)") }
    }

    @Option(name: .long, help: ArgumentHelp("Write the snapshot here (default: standard output).", valueName: "file"))
    var out: String?

    func run() throws {
        try emit(try JSONRenderer.render(try targets.session(deadline: deadline).collect()), to: out)
    }
}
