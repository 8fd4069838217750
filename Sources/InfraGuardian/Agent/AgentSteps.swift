import Foundation

/// The answer being built: lines per step, the verdicts and the reports of what ran.
struct AgentSteps {
    let session: Session
    let directory: String
    let budget: AgentBudget
    private var lines: [(step: String, text: String)] = []
    private(set) var gatePassed: Bool?
    private(set) var written: [String] = []
    private var reports: [String] = []
    private var findings: [Finding] = []

    init(session: Session, directory: String, budget: AgentBudget) {
        self.session = session
        self.directory = directory
        self.budget = budget
    }

    mutating func say(_ step: String, _ text: String) { lines.append((step, text)) }

    mutating func gate(_ verdict: GateVerdict) { gatePassed = (gatePassed ?? true) && verdict.passed }

    mutating func analyze(keyword: String) {
        let set = session.configuredMigrations()
        let folders = set.folders.filter(\.exists).map(\.path)
        say("ANALYZE", "project \(directory) (activated by \"\(keyword)\"); migrations: "
            + (folders.isEmpty ? "no migration folder" : "\(set.files.count) file\(set.files.count == 1 ? "" : "s") in \(folders.joined(separator: ", "))"))
    }

    /// Live checks need this much of the budget; below it they are skipped and said so.
    static let liveReserve = 2.0

    mutating func run(_ intent: AgentIntent, all: [AgentIntent]) {
        do {
            switch intent {
            case .lint(let files): try lint(files)
            case .newMigration(let phrase): try newMigration(phrase, verify: all.contains(.verify))
            case .verify where all.contains { if case .newMigration = $0 { return true } else { return false } }: return
            case .verify: try verify([])
            case .health, .migrationStatus: health(only: intent)
            case .redis: redis()
            case .audit, .indexAdvice: audit(indexesOnly: intent == .indexAdvice)
            case .adapters: adapters()
            case .explainRule(let id): explain(id)
            }
        } catch {
            say("VALIDATE", "\(intent.name): \(error)")
        }
    }

    private mutating func lint(_ named: [String]) throws {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        var paths: [String] = []
        for file in named {
            let full = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: root, isDirectory: true)).standardizedFileURL.path
            guard full.hasPrefix(root + "/") else { say("VALIDATE", "\(file) is outside the project: not read"); continue }
            paths.append(String(full.dropFirst(root.count + 1)))
        }
        if named.isEmpty {
            let set = session.configuredMigrations()
            paths = Session.changedFiles(set, root: directory).sorted()
            if paths.isEmpty { say("VALIDATE", "lint: git reports no new or changed migration file; all files linted"); }
        } else if paths.isEmpty { return }
        let report = try session.lint(paths: paths)
        gate(report.gate)
        findings += report.findings
        reports.append(session.render(report, as: .md))
        let what = named.isEmpty && !paths.isEmpty ? "\(paths.count) changed migration file\(paths.count == 1 ? "" : "s")" : "\(report.files) file\(report.files == 1 ? "" : "s")"
        say("VALIDATE", "lint of \(what): \(Self.count(report.findings)); Quality Gate (Infra): \(report.gate.passed ? "PASSED" : "FAILED")")
    }

    private mutating func newMigration(_ phrase: String, verify: Bool) throws {
        let written = try session.newMigration(phrase)
        self.written += written.paths
        let design = written.design
        say("DESIGN", "wrote \(written.paths.joined(separator: ", ")): " + design.steps.joined(separator: "; "))
        let indexes = design.up.filter { $0.contains("INDEX") }
        say("INDEX", indexes.isEmpty ? "no index needed" : indexes.joined(separator: " "))
        say("ROLLBACK", "down section: " + design.down.joined(separator: " "))
        let report = try session.lint(paths: written.paths)
        gate(report.gate)
        findings += report.findings
        say("VALIDATE", "lint of the new file: \(Self.count(report.findings))")
        if verify { try self.verify(written.paths) } else {
            say("VALIDATE", "not yet run on a database: `infra-guardian verify \(written.paths[0])` proves it (up, up again, down, up)")
        }
    }

    private mutating func verify(_ targets: [String]) throws {
        guard budget.remaining > Self.liveReserve else { say("VALIDATE", "verify skipped: the agent's time budget is spent"); return }
        let report = try session.verify(targets: targets, all: false, using: VerifyOptions(target: .ownServer(binaries: nil)))
        gate(report.gate)
        findings += report.findings
        reports.append(try session.render(report, as: .md))
        for migration in report.verification.migrations {
            let steps = migration.steps.map { "\($0.name.label) \($0.outcome.rawValue)" }.joined(separator: ", ")
            say("VALIDATE", "verify \(migration.file) on \(report.verification.server): \(migration.incomplete ?? steps)")
        }
    }

    private mutating func health(only intent: AgentIntent) {
        guard budget.remaining > Self.liveReserve else { say("ANALYZE", "\(intent.name) skipped: the agent's time budget is spent"); return }
        let wanted: Set<String>? = intent == .redis ? ["Redis"] : intent == .migrationStatus ? ["Migrations"] : nil
        let status = session.health()
        for check in status.checks where wanted?.contains(check.name) ?? true {
            say("ANALYZE", "\(check.name): \(check.status.rawValue), \(check.details)")
        }
    }

    /// Redis by role: each instance's row (roles, sampled share) and the Redis findings.
    private mutating func redis() {
        guard budget.remaining > Self.liveReserve else { say("ANALYZE", "redis skipped: the agent's time budget is spent"); return }
        let report = session.redis()
        guard !report.components.allSatisfy({ $0.state == .notConfigured }) else {
            say("ANALYZE", "Redis: not configured (redis.url, redis.url_env or REDIS_URL)")
            return
        }
        gate(report.gate)
        findings += report.findings
        reports.append(Session.markdown(report))
        for component in report.components {
            say("ANALYZE", "\(component.component): \(component.state.rawValue), \(component.details)")
        }
        say("VALIDATE", "redis: \(Self.count(report.findings)); Quality Gate (Infra): \(report.gate.passed ? "PASSED" : "FAILED")")
    }

    private mutating func audit(indexesOnly: Bool) {
        guard budget.remaining > Self.liveReserve else { say("ANALYZE", "audit skipped: the agent's time budget is spent"); return }
        let report = session.audit()
        if !indexesOnly { gate(report.gate) }
        let issues = report.issues.map(\.finding).filter { !indexesOnly || $0.ruleID.contains("index") }
        findings += issues
        if let markdown = try? session.render(report, as: .md) { reports.append(markdown) }
        for component in report.components where component.state != .notConfigured {
            say("ANALYZE", "\(component.component): \(component.state.rawValue), \(component.details)")
        }
        say(indexesOnly ? "INDEX" : "VALIDATE", indexesOnly ? "index findings: \(Self.count(issues))"
            : "audit: \(Self.count(issues)); Quality Gate (Infra): \(report.gate.passed ? "PASSED" : "FAILED")")
    }

    private mutating func adapters() {
        let report = session.adapters()
        gate(report.gate)
        findings += report.findings
        let rows = report.coverage.map { "\($0.entity)/\($0.adapter) port \($0.hasPort ? "yes" : "no"), tests \($0.hasTests ? "yes" : "no")" }
        say("ANALYZE", "adapters: \(rows.isEmpty ? "none found (paths.source or --source)" : rows.joined(separator: "; "))")
        say("VALIDATE", "adapter findings: \(Self.count(report.findings))")
    }

    private mutating func explain(_ id: String) {
        guard let rule = session.rules.first(where: { $0.ruleDescription.id == id })?.ruleDescription else { return }
        say("ANALYZE", "rule \(id) (\(rule.severity.rawValue)): \(rule.summary) Why: \(rule.why) Fix: \(rule.fix)")
    }

    static func count(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "no findings" }
        let bySeverity = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        let parts = Severity.allCases.compactMap { severity in bySeverity[severity].map { "\($0) \(severity.rawValue)" } }
        return "\(findings.count) finding\(findings.count == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
    }

    /// The full reports of what ran, in one Markdown file of its own in the temporary folder.
    func writeReport() -> String? {
        guard !reports.isEmpty else { return nil }
        let path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("infra-guardian-agent-\(UUID().uuidString.prefix(8).lowercased()).md")
        do { try Session.writeNew(reports.joined(separator: "\n\n---\n\n"), to: path, shown: path) } catch { return nil }
        return path
    }

    /// A fix as the answer shows it: whole when short (its SQL is the point: a first line such as
    /// "Guarded, it can run again:" says nothing alone), its lines indented under the finding, at most
    /// eight lines and 600 characters; the report has the rest.
    static func shortFix(_ fix: String) -> String {
        let lines = fix.split(separator: "\n", omittingEmptySubsequences: true)
        var shown = lines.prefix(8).joined(separator: "\n    ")
        var cut = lines.count > 8
        if shown.count > 600 { shown = String(shown.prefix(600)); cut = true }
        return cut ? shown + " … (the report has the whole fix)" : shown
    }

    /// The answer: the steps, the top findings (worst first), the verdict and the report's path.
    func text(reportFile: String?) -> String {
        var out = lines.map { "[\($0.step)] \($0.text)" }
        let top = findings.sorted { ($0.severity.rank, $0.location.file ?? "", $0.location.line ?? 0) < ($1.severity.rank, $1.location.file ?? "", $1.location.line ?? 0) }
        if !top.isEmpty { out.append("Top findings:") }
        for finding in top.prefix(10) {
            let place = finding.location.file.map { file in [file, finding.location.line.map(String.init)].compactMap { $0 }.joined(separator: ":") }
                ?? finding.location.object ?? ""
            out.append("- \(finding.severity.rawValue) \(finding.ruleID) \(place): \(finding.message) Fix: \(Self.shortFix(finding.fix))")
        }
        if let gatePassed { out.append("Quality Gate (Infra): \(gatePassed ? "PASSED" : "FAILED")") }
        if let reportFile { out.append("Full report: \(reportFile)") }
        let text = out.joined(separator: "\n")
        return text.count <= Agent.answerLimit ? text : String(text.prefix(Agent.answerLimit)) + "\n… (cut; the full report has everything)"
    }
}
