import Foundation
import Testing
@testable import InfraGuardian

/// Each rule's first finding for its first bad example, pinned: where it lands and what it says.
/// A change to any message shows up here as a diff to review. After an intended change, record the
/// new file with `IG_UPDATE_SNAPSHOTS=1 swift test --filter RuleMessageSnapshotTests` and commit it.
@Suite struct RuleMessageSnapshotTests {
    static let snapshotPath = repositoryRoot + "/Tests/InfraGuardianTests/Snapshots/rule-messages.txt"

    static func currentSnapshot() -> String {
        RuleExampleTests.rules.map(\.rule).filter { !($0 is PackRule) }.map { rule in
            let description = rule.ruleDescription
            // Rule-pack examples are SQL, run against real servers (RulePackExampleTests).
            guard let example = description.badExamples.first, example.setupSQL == nil,
                  let finding = rule.check(example.input(), RuleExampleTests.context(example)).first(where: { $0.ruleID == description.id })
            else { return "\(description.id)\n  (no finding)\n" }
            return "\(description.id)\n  at: \(finding.location.description)\n  \(finding.message)\n"
        }.joined(separator: "\n")
    }

    @Test func firstBadExampleMessagesMatchTheSnapshot() throws {
        let current = Self.currentSnapshot()
        if ProcessInfo.processInfo.environment["IG_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(atPath: (Self.snapshotPath as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try current.write(toFile: Self.snapshotPath, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOfFile: Self.snapshotPath, encoding: .utf8)
        let currentEntries = current.components(separatedBy: "\n\n"), recordedEntries = recorded.components(separatedBy: "\n\n")
        for entry in currentEntries where !recordedEntries.contains(entry) {
            Issue.record("not in the snapshot (message or location changed, or a new rule):\n\(entry)")
        }
        for entry in recordedEntries where !currentEntries.contains(entry) {
            Issue.record("in the snapshot but no longer produced:\n\(entry)")
        }
        #expect(!current.contains("(no finding)"))
    }
}
