import Foundation

/// What `verify` prints: the steps it ran, the findings of the verification rules and the gate.
public struct VerifyReport: Codable, Sendable {
    public var verification: MigrationVerification
    public var findings: [Finding]
    public var gate: GateVerdict
}

/// Formats of the verify output.
public enum VerifyFormat: String, CaseIterable, Sendable {
    case text, md, json, sarif, junit
}

extension Session {
    /// Runs `targets` (paths, file names or versions; empty: the files git reports new or changed in
    /// the migration folders, else the latest file; `all`: every file) on a scratch database and
    /// applies the verification rules and the gate. Throws `SessionError` when nothing can run.
    public func verify(targets: [String], all: Bool, using scratch: VerifyOptions) throws -> VerifyReport {
        let set = configuredMigrations()
        guard !set.files.isEmpty else {
            let looked = self.options.migrationFolders ?? configuration.paths.migrations ?? Paths.defaultMigrationFolders
            throw SessionError("no migration files to verify (looked in \(looked.joined(separator: ", ")))")
        }
        let chosen = try Self.verifyTargets(targets, all: all, in: set, root: self.options.directory)
        let verification = MigrationVerifier.verify(set, targets: chosen, options: scratch)
        if let error = verification.error { throw SessionError(error) }
        return verifyReport(verification, migrations: set)
    }

    /// The verification rules and the gate over what `verify` observed. Every failed step is a
    /// finding, so the gate follows the findings (waivers and `gate.fail_on` apply); a file that
    /// could not be verified (incomplete) fails it.
    public func verifyReport(_ verification: MigrationVerification, migrations: MigrationSet) -> VerifyReport {
        let verificationRules = rules.filter { $0.ruleDescription.category == .verification }
        var findings = Evaluator(rules: verificationRules).evaluate(
            AuditInput(migrations: migrations, verification: verification), configuration: configuration)
        let exemptions = Exemptions.apply(to: &findings, migrations: migrations, statuses: nil, policy: configuration.gate,
                                          baseline: baseline, evaluated: Set(verificationRules.map(\.ruleDescription.id)))
        var gate = QualityGate.evaluate(findings: findings, issueID: { Finding.issueID($0 + 1) }, components: [],
                                        policy: configuration.gate, exemptions: exemptions)
        for migration in verification.migrations {
            guard let incomplete = migration.incomplete else { continue }
            gate.passed = false
            gate.reasons.append("\(migration.file): verification incomplete (\(incomplete))")
        }
        return VerifyReport(verification: verification, findings: findings, gate: gate)
    }

    /// The paths `verify` runs.
    static func verifyTargets(_ targets: [String], all: Bool, in set: MigrationSet, root: String) throws -> Set<String> {
        if all { return Set(set.files.map(\.path)) }
        if !targets.isEmpty {
            return Set(try targets.map { target in
                let normalized = target.hasPrefix("./") ? String(target.dropFirst(2)) : target
                let matches = set.files.filter { file in
                    file.path == normalized || file.path.hasSuffix("/" + normalized) || file.fileName == normalized
                        || file.version == normalized
                }
                guard let match = matches.first, matches.count == 1 else {
                    throw SessionError(matches.isEmpty
                        ? "\(target) is not a migration file of \(set.folders.map(\.path).joined(separator: ", "))"
                        : "\(target) names \(matches.count) migration files; give the path")
                }
                return match.path
            })
        }
        let changed = changedFiles(set, root: root)
        if !changed.isEmpty { return changed }
        return Set(set.files.max { $0.path < $1.path }.map { [$0.path] } ?? [])
    }

    /// Migration files git reports as new or modified in the working tree (none outside a repository).
    static func changedFiles(_ set: MigrationSet, root: String) -> Set<String> {
        let folders = set.folders.filter(\.exists).map(\.path)
        guard !folders.isEmpty else { return [] }
        let result = GitBaseline.run(["git", "status", "--porcelain", "--untracked-files=all", "--"] + folders, in: root)
        guard result.status == 0 else { return [] }
        let paths = result.output.split(separator: "\n").compactMap { line -> String? in
            guard line.count > 3, !line.hasPrefix(" D"), !line.hasPrefix("D ") else { return nil }
            let path = String(line.dropFirst(3))
            return path.components(separatedBy: " -> ").last
        }
        let known = Set(set.files.map(\.path))
        return Set(paths.filter { known.contains($0) })
    }

    /// The verify output in `format`.
    public func render(_ report: VerifyReport, as format: VerifyFormat) throws -> String {
        switch format {
        case .text: return VerificationRenderer.text(report)
        case .md: return VerificationRenderer.markdown(report)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do { return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n" } catch {
                throw SessionError("cannot encode the verify report: \(error)")
            }
        case .sarif: return sarif(report.findings)
        case .junit: return junit(report.findings)
        }
    }
}
