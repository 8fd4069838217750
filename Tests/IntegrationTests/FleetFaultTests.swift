import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// A fleet whose databases fail while it runs: dropped mid-audit, dropped before their turn, or never
/// answering. Each is a clear line of the report and of the gate; the others are still audited; the
/// run ends within each database's own `--deadline`, never a hang.
@Suite(.integration) struct FleetFaultTests {
    @Test func databasesDroppedMidFleetAreNamedAndTheOthersAudited() throws {
        let first = try ScratchDatabase(on: .pg18)
        let second = try ScratchDatabase(on: .pg18)
        let third = try ScratchDatabase(on: .pg18)
        let directory = try TemporaryDirectory()
        // Ten thousand probe runs keep each database's audit busy for a while (one at a time: --jobs 1),
        // so the first is caught mid-audit and the third is gone long before its turn.
        try directory.write(".infra-guardian.yml", """
            probes:
              - name: busy
                sql: SELECT 1
                runs: 10000
            """)
        let dropper = DatabaseDropper(url: try TestServers.url(.pg18), watching: first.name, dropping: [first.name, third.name])
        dropper.start()
        let result = try CommandLineRunner.run(["audit", "--jobs", "1", "--deadline", "20", "--database-url", first.url,
                                                "--database-url", second.url, "--database-url", third.url],
                                               in: directory.path)
        #expect(dropper.dropped, "the first database's audit was never seen in pg_stat_activity")
        #expect(result.exitCode == 1, "\(result.output)")
        let gate = Self.gateLines(result.stdout)
        let (one, two, three) = (ConnectionTarget.maskedPostgres(first.url), ConnectionTarget.maskedPostgres(second.url),
                                 ConnectionTarget.maskedPostgres(third.url))
        #expect(gate.contains { $0.hasPrefix("- `\(one)`: ") }, "\(gate)")
        #expect(gate.contains { $0.hasPrefix("- `\(three)`: PostgreSQL is unhealthy") && $0.contains("does not exist") }, "\(gate)")
        #expect(!gate.contains { $0.contains(two) }, "\(gate)")
        #expect(result.stdout.contains("| `\(two)` | "))
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("## Database ") }.count == 3)
        print("dropped mid-fleet: \(gate.joined(separator: "\n"))")
    }

    /// Black holes (accept, never answer) beside a real database: each black hole costs its own
    /// deadline from when its audit starts, the real database is audited, nothing hangs.
    @Test func databasesThatNeverAnswerCostTheirOwnDeadlineEach() throws {
        let database = try ScratchDatabase(on: .pg18)
        let silent = try (0..<2).map { _ in try RedisSilentServer() }
        let directory = try TemporaryDirectory()
        try directory.write(".infra-guardian.yml", "postgres:\n  connect_timeout_s: 120\n")
        let urls = silent.map { "postgres://app@127.0.0.1:\($0.port)/tenant" } + [database.url]
        let clock = ContinuousClock()
        let start = clock.now
        // One at a time: the two black holes take 2 s each, one after the other.
        let result = try CommandLineRunner.run(["audit", "--jobs", "1", "--deadline", "2"] + urls.flatMap { ["--database-url", $0] },
                                               in: directory.path)
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(4) + DeadlineTests.slack, "took \(elapsed)")
        #expect(result.exitCode == 1)
        let gate = Self.gateLines(result.stdout)
        for port in silent.map(\.port) {
            #expect(gate.contains { $0.contains("127.0.0.1:\(port)/tenant`: ") && $0.contains("the --deadline of 2 s expired") },
                    "\(gate)")
        }
        #expect(!gate.contains { $0.contains(ConnectionTarget.maskedPostgres(database.url)) }, "\(gate)")
        print("black holes in a fleet: FAILED report after \(elapsed)")
    }

    /// The bullet lines of the fleet's gate.
    static func gateLines(_ markdown: String) -> [String] {
        guard let start = markdown.range(of: "## Quality Gate (Infra): ") else { return [] }
        return markdown[start.upperBound...].split(separator: "\n").dropFirst()
            .prefix { !$0.hasPrefix("## ") }.filter { $0.hasPrefix("- ") }.map(String.init)
    }
}

/// Watches pg_stat_activity for the audit's session in one database; once seen, drops the given
/// databases (FORCE: the audit's session on the watched one is terminated mid-audit).
final class DatabaseDropper: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private let url: String
    private let watched: String
    private let names: [String]

    init(url: String, watching watched: String, dropping names: [String]) {
        self.url = url
        self.watched = watched
        self.names = names
    }

    var dropped: Bool { lock.withLock { done } }

    func start() {
        AuditSessionWatch.start(url: url, database: watched) { [self] _, admin in
            for name in names { try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            lock.withLock { done = true }
        }
    }
}
