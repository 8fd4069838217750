import ArgumentParser
import Foundation
import InfraGuardian

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record today's findings, so the gate fails only on new ones (audit/lint --baseline FILE).",
        discussion: """
        Runs the audit (the live systems when configured, else the static checks) and writes every finding that is \
        not waived, by a fingerprint that ignores line numbers: the rule, then the migration file and its statement \
        with comments and white space normalized, or the database object. Commit the file and pass it as \
        --baseline FILE (or gate.baseline) to audit and lint: findings recorded there are still reported, but do \
        not fail the gate, and the report counts how many have been fixed since. Each entry excuses one finding: \
        the same problem added again is new. Exit 0 written, 2 usage or configuration error.
        """)

    @OptionGroup var targets: TargetOptions

    @Option(name: .long, help: DeadlineHelp.text(default: Deadline.defaultAuditSeconds))
    var deadline: Double = Deadline.defaultAuditSeconds

    @Option(name: .long, help: ArgumentHelp("The baseline file to write.", valueName: "file"))
    var output: String = Baseline.defaultFileName

    func validate() throws {
        do { _ = try Deadline.validated(deadline) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        let session = try makeSession { try targets.session(deadline: deadline) }
        let (baseline, report) = session.recordBaseline()
        try emit(try usage { try session.encode(baseline) }, to: output)
        let incomplete = report.gate.reasons.first { $0.hasPrefix("audit incomplete") }
        var summary = "infra-guardian: recorded \(baseline.findings.count) finding\(baseline.findings.count == 1 ? "" : "s") in \(output)"
        summary += "; gate with: infra-guardian audit --baseline \(output) (or lint --baseline \(output))\n"
        if let incomplete { summary += "infra-guardian: warning: \(incomplete): findings there could not be recorded\n" }
        FileHandle.standardError.write(Data(summary.utf8))
    }
}
