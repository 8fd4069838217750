import Foundation

/// The step table of `verify` (one row per migration and step, with its time), the locks and
/// rewrites observed, then the findings and the gate line.
enum VerificationRenderer {
    static func text(_ report: VerifyReport) -> String {
        let verification = report.verification
        var lines = ["infra-guardian verify on \(verification.server)"]
        if verification.applied > 0 { lines.append("\(verification.applied) earlier migration\(verification.applied == 1 ? "" : "s") applied first") }
        for migration in verification.migrations {
            lines.append("")
            lines.append(migration.file)
            for step in migration.steps {
                let time = step.outcome == .skipped ? "" : " (\(milliseconds(step.milliseconds)))"
                let detail = step.detail.map { " — \(TextFindingsRenderer.oneLine($0))" } ?? ""
                lines.append("  \(step.outcome.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(step.name.label)\(time)\(step.outcome == .failed ? step.line.map { " line \($0)" } ?? "" : "")\(detail)")
            }
            lines.append(contentsOf: observations(migration).map { "  \($0)" })
        }
        lines.append("")
        return lines.joined(separator: "\n") + "\n" + TextFindingsRenderer.render(findings: report.findings)
            + "Quality Gate (Infra): \(report.gate.label) — \(verification.migrations.count) migration\(verification.migrations.count == 1 ? "" : "s") verified\n"
    }

    static func markdown(_ report: VerifyReport) -> String {
        let verification = report.verification
        var lines = ["# Migration Verification Report", "", "_Scratch database on \(cell(verification.server))_", "",
                     "| Migration | Step | Result | Time | Detail |", "|-----------|------|--------|------|--------|"]
        for migration in verification.migrations {
            for step in migration.steps {
                let detail = [step.outcome == .failed ? step.line.map { "line \($0)" } : nil, step.detail].compactMap { $0 }.joined(separator: ": ")
                lines.append("| \(cell(migration.fileName)) | \(step.name.label) | \(step.outcome.rawValue) | "
                             + "\(step.outcome == .skipped ? "" : milliseconds(step.milliseconds)) | \(cell(detail)) |")
            }
        }
        let observed = verification.migrations.flatMap { migration in observations(migration).map { "- \(cell(migration.fileName)): \(cell($0))" } }
        if !observed.isEmpty { lines += ["", "## Locks and rewrites observed", ""] + observed }
        lines += ["", "## Findings", ""]
        if report.findings.isEmpty {
            lines.append("No findings.")
        } else {
            lines += ["| Rule | Severity | Location | Finding | Fix |", "|------|----------|----------|---------|-----|"]
            for finding in report.findings {
                let place = [finding.location.file, finding.location.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
                let severity = finding.waiver.map { "waived (\(cell($0.reason)))" }
                    ?? finding.exemption.map { "\($0.rawValue) (\(finding.severity.rawValue))" } ?? finding.severity.rawValue
                lines.append("| \(finding.ruleID) | \(severity) | \(cell(place)) | \(cell(finding.message)) | \(cell(finding.fix)) |")
            }
        }
        lines += ["", "**Quality Gate (Infra): \(report.gate.label)**", ""]
        return lines.joined(separator: "\n")
    }

    /// Lines on what the up section locked and rewrote on tables that existed before it.
    private static func observations(_ migration: VerifiedMigration) -> [String] {
        var lines: [String] = []
        for seeded in migration.seeded {
            lines.append(seeded.failure.map { "seed \(seeded.table): not seeded (\($0))" } ?? "seed \(seeded.table): \(seeded.rows) rows")
        }
        for lock in migration.locks {
            lines.append("lock  line \(lock.line): \(lock.mode) on \(lock.table)\(lock.predicted ? " (predicted)" : " (NOT predicted)")")
        }
        for rewrite in migration.rewrites {
            lines.append("rewrite line \(rewrite.line): \(rewrite.kind) \(rewrite.relation)\(rewrite.rows.map { ", \($0) rows" } ?? "")\(rewrite.predicted ? " (predicted)" : " (NOT predicted)")")
        }
        if let untraced = migration.untracedLocks { lines.append("locks: \(untraced)") }
        if let incomplete = migration.incomplete { lines.append("INCOMPLETE: \(incomplete)") }
        return lines
    }

    private static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f ms", value) : "\(Int(value.rounded())) ms"
    }

    private static func cell(_ text: String) -> String {
        TextFindingsRenderer.oneLine(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
