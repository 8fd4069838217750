import ArgumentParser
import Foundation
import InfraGuardian

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit live PostgreSQL and Redis plus migration files; print the report and gate it.",
        discussion: """
        With no database or Redis configured, only the static parts run and the live components show \
        as not configured (that alone does not fail the gate). Several --database-url, or --targets FILE, \
        audit a fleet: each database as alone, --jobs at a time, in one report with one gate (md or json). \
        Exit 0 PASSED, 1 FAILED, 2 usage error.
        """)

    @OptionGroup var targets: TargetOptions

    @Option(name: .customLong("targets"), help: ArgumentHelp(
        "A file listing databases, one PostgreSQL URL, keyword string or libpq service name a line (blank lines and "
            + "# comments skipped): they are audited as a fleet, with any --database-url.",
        valueName: "file"))
    var targetsFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "A fleet: how many databases are read at once, \(Session.fleetJobsRange.lowerBound) to \(Session.fleetJobsRange.upperBound).",
        valueName: "n"))
    var jobs: Int = Session.defaultFleetJobs

    /// Several databases, or a targets file: one fleet report.
    private var isFleet: Bool { targetsFile != nil || targets.databaseURL.count > 1 }

    @Option(name: .long, help: DeadlineHelp.text(default: Deadline.defaultAuditSeconds))
    var deadline: Double = Deadline.defaultAuditSeconds

    @Flag(name: .long, help: ArgumentHelp(
        "Also prove every migration file on a scratch database as `verify --all` does (a \"Migration verification\" "
            + "row in Database Analysis, its findings in Issues Found). Never on the audited database."))
    var verify = false

    @Option(name: .long, help: ArgumentHelp(
        "With --verify: a PostgreSQL server where the tool may create (and drop) its own database (default: a throwaway server it starts).",
        valueName: "url"))
    var scratchURL: String?

    @Option(name: .long, help: ArgumentHelp("With --verify: the folder of initdb, pg_ctl and postgres for the throwaway server.",
                                            valueName: "dir"))
    var pgBin: String?

    func validate() throws {
        do { _ = try Deadline.validated(deadline) } catch { throw ValidationError("\(error)") }
        if !verify && (scratchURL != nil || pgBin != nil) { throw ValidationError("--scratch-url and --pg-bin go with --verify") }
        if scratchURL != nil && pgBin != nil { throw ValidationError("--pg-bin starts a throwaway server; --scratch-url uses yours: give one") }
        if verify && snapshot != nil { throw ValidationError("--verify runs the migrations now; a --snapshot is audited as it was saved") }
        guard Session.fleetJobsRange.contains(jobs) else {
            throw ValidationError("--jobs must be \(Session.fleetJobsRange.lowerBound) to \(Session.fleetJobsRange.upperBound) (got \(jobs))")
        }
        if isFleet {
            if snapshot != nil { throw ValidationError("--snapshot is one database's input: it does not go with a fleet") }
            if template != nil || details { throw ValidationError("--template and --details are not supported for a fleet") }
            if ![.md, .json].contains(output.format) {
                throw ValidationError("--format \(output.format.rawValue) is not supported for a fleet: use md or json")
            }
        }
    }

    @Option(name: .long, help: ArgumentHelp("Audit a saved input (from `collect --out`) instead of live systems.",
                                            valueName: "file"))
    var snapshot: String?

    @OptionGroup var output: OutputOptions<ReportFormat>

    @Option(name: .long, help: BaselineHelp.text)
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template replacing the built-in report.md.mustache.",
                                            valueName: "file"))
    var template: String?

    @Flag(name: .long, help: ArgumentHelp(
        "md, html: append `## Details` with every finding's row, including those of rules that Issues Found "
            + "summarises (more findings than report.max_rows_per_rule). json, sarif, junit and github always carry every finding."))
    var details = false

    @Flag(name: .long, help: "No progress lines on standard error (they appear only when it is a terminal and the audit takes over 2 s).")
    var quiet = false

    func run() throws {
        let scratch = verify ? VerifyOptions(target: scratchURL.map { .url($0) } ?? .ownServer(binaries: pgBin)) : nil
        // Progress only for a person watching: never in CI logs or pipes.
        let progress = quiet || isatty(STDERR_FILENO) == 0 ? nil : ProgressReporter { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        defer { progress?.finish() }
        let session = try makeSession {
            try targets.session(deadline: deadline, baseline: baseline, verify: scratch, fleet: isFleet, progress: progress)
        }
        if isFleet { return try runFleet(session) }
        let report = try snapshot.map { session.audit(try loadSnapshot($0)) } ?? session.audit()
        let text = try usage { try session.render(report, as: output.format, templateFile: template, details: details) }
        progress?.finish()
        try emit(text, to: output.output)
        if !report.gate.passed { throw ExitCode(1) }
    }

    private func runFleet(_ session: Session) throws {
        var list = FleetTargetList()
        list.add(urls: targets.databaseURL)
        if let targetsFile { try usage { try list.add(file: targetsFile) } }
        if list.targets.isEmpty && list.problems.isEmpty {
            throw UsageError(message: "--targets \(targetsFile ?? "") lists no database")
        }
        let fleet = session.auditFleet(list, jobs: jobs)
        try emit(try usage { try session.render(fleet, as: output.format) }, to: output.output)
        if !fleet.gate.passed { throw ExitCode(1) }
    }

    private func loadSnapshot(_ path: String) throws -> AuditInput {
        do {
            return try SnapshotFile.load(path)
        } catch let problem as SnapshotFile.Problem {
            throw UsageError(message: problem.message)
        }
    }
}
