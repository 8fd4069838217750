import Foundation
import Synchronization
import Testing
@testable import InfraGuardian

/// Progress lines: none for a short run, the step in progress once the delay is reached, then each
/// new step at once, nothing after `finish`.
@Suite struct ProgressReporterTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    @Test func aShortRunPrintsNothing() async throws {
        let lines = Lines()
        let progress = ProgressReporter(after: .milliseconds(300)) { lines.append($0) }
        progress.step("collecting")
        progress.step("evaluating 96 rules")
        progress.finish()
        try await Task.sleep(for: .milliseconds(500))
        #expect(lines.all.isEmpty)
    }

    @Test func aLongRunShowsTheCurrentStepThenEachNewOne() async throws {
        let lines = Lines()
        let progress = ProgressReporter(after: .milliseconds(100)) { lines.append($0) }
        progress.step("collecting the live databases")
        try await Task.sleep(for: .milliseconds(400))
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.hasPrefix("infra-guardian: collecting the live databases (") == true, "\(lines.all)")
        progress.step("evaluating 96 rules on 20,000 tables")
        progress.finish()
        progress.step("rendering")
        #expect(lines.all.map { $0.components(separatedBy: " (").first ?? "" }
                == ["infra-guardian: collecting the live databases", "infra-guardian: evaluating 96 rules on 20,000 tables"])
    }
}
