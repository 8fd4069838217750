import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian
#if canImport(Glibc)
import Glibc
#endif

/// A stopped backend, a black-holed PostgreSQL and a black-holed Redis: each gives a FAILED report
/// within `--deadline` (plus the second PQcancel may take), naming what was cut. Wall-clock bounds
/// here are the feature itself (the promise "no hang"), with seconds of slack, not a speed claim.
@Suite(.integration) struct DeadlineTests {
    /// Slack for process start, the cancel wait (1 s) and rendering on a busy 2-core machine.
    static let slack: Duration = .seconds(4)

    @Test func stoppedBackendGivesAFailedReportWithinTheDeadline() throws {
        let database = try ScratchDatabase(on: .pg15)
        try database.execute("CREATE TABLE visits (id bigint PRIMARY KEY, note text); INSERT INTO visits SELECT g, 'x' FROM generate_series(1, 100) g;")
        let directory = try TemporaryDirectory()
        // A long probe keeps the audit busy, so its backend is caught mid-audit and stopped there.
        try directory.write(".infra-guardian.yml", """
            postgres:
              statement_timeout_ms: 30000
            probes:
              - name: busy
                sql: SELECT count(*) FROM visits
                runs: 10000
            """)
        let stopper = BackendStopper(url: try TestServers.url(.pg15), database: database.name,
                                     query: "%count(*) FROM visits%")
        // SIGCONT before the scratch database is dropped (the drop waits for its backends).
        defer { stopper.resume(); withExtendedLifetime(database) {} }
        stopper.start()
        let clock = ContinuousClock()
        let start = clock.now
        let result = try CommandLineRunner.run(["audit", "--deadline", "6", "--database-url", database.url], in: directory.path)
        let elapsed = clock.now - start
        let stopped = try #require(stopper.pid, "the audit's backend was never seen in pg_stat_activity")
        #expect(stopped > 0)
        #expect(elapsed < .seconds(6) + Self.slack, "took \(elapsed)")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("## Quality Gate (Infra): FAILED"))
        #expect(result.stdout.contains("audit incomplete"))
        #expect(result.stdout.contains("postgres-incomplete"))
        #expect(result.stdout.contains("the --deadline of 6 s expired"))
        // The part that was running is named (here the probes, or whichever step was caught).
        #expect(result.stdout.contains("Not checked: "))
        let gate = result.stdout.split(separator: "\n").filter { $0.contains("audit incomplete") }
        print("stopped backend \(stopped): FAILED report after \(elapsed): \(gate.joined())")
    }

    @Test func healthWithAStoppedBackendIsUnhealthyWithinItsDeadline() throws {
        let database = try ScratchDatabase(on: .pg15)
        let directory = try TemporaryDirectory()
        // A thousand pings keep health busy long enough for its backend to be caught and stopped.
        try directory.write(".infra-guardian.yml", "postgres:\n  ping_samples: 1000\n")
        let stopper = BackendStopper(url: try TestServers.url(.pg15), database: database.name, query: "SELECT 1")
        defer { stopper.resume(); withExtendedLifetime(database) {} }
        stopper.start()
        let clock = ContinuousClock()
        let start = clock.now
        let result = try CommandLineRunner.run(["health", "--deadline", "3", "--database-url", database.url], in: directory.path)
        let elapsed = clock.now - start
        _ = try #require(stopper.pid, "the health check's backend was never seen in pg_stat_activity")
        #expect(elapsed < .seconds(3) + Self.slack, "took \(elapsed)")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("the --deadline of 3 s expired"), "\(result.stdout)")
        print("stopped backend: health answered after \(elapsed): \(result.stdout.split(separator: "\n").first { $0.contains("PostgreSQL") } ?? "")")
    }

    @Test func blackHoledPostgresAndRedisFailWithinTheDeadline() throws {
        // Own timeouts far beyond the deadline: only --deadline can end these waits.
        let (result, elapsed) = try Self.runAgainstBlackHoles("audit", deadline: 3, configuration: """
            postgres:
              connect_timeout_s: 120
            redis:
              connect_timeout_ms: 60000
              command_timeout_ms: 60000
            """)
        #expect(elapsed < .seconds(3) + Self.slack, "took \(elapsed)")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("## Quality Gate (Infra): FAILED"))
        #expect(result.stdout.contains("audit incomplete"))
        #expect(result.stdout.contains("connecting to PostgreSQL: the --deadline of 3 s expired"))
        #expect(result.stdout.contains("waiting for the reply to CLIENT SETNAME: the --deadline of 3 s expired"))
        print("black holes: FAILED audit after \(elapsed)")
    }

    @Test func healthEndsWithinItsDeadline() throws {
        let (result, elapsed) = try Self.runAgainstBlackHoles("health", deadline: 2, configuration: """
            postgres:
              connect_timeout_s: 120
            redis:
              command_timeout_ms: 60000
            """)
        #expect(elapsed < .seconds(2) + Self.slack, "took \(elapsed)")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("the --deadline of 2 s expired"))
        print("black holes: unhealthy health after \(elapsed)")
    }

    /// `command` against a PostgreSQL and a Redis that accept connections and never answer.
    private static func runAgainstBlackHoles(_ command: String, deadline: Int, configuration: String) throws
        -> (result: CommandLineRunner.Result, elapsed: Duration) {
        let silentPostgres = try RedisSilentServer()
        let silentRedis = try RedisSilentServer()
        let directory = try TemporaryDirectory()
        try directory.write(".infra-guardian.yml", configuration)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try CommandLineRunner.run([command, "--deadline", "\(deadline)",
                                                "--database-url", "postgres://app@127.0.0.1:\(silentPostgres.port)/db",
                                                "--redis-url", "redis://127.0.0.1:\(silentRedis.port)/0"], in: directory.path)
        return (result, clock.now - start)
    }

    @Test func stoppedRedisGivesAFailedReportWithinTheDeadline() throws {
        let redis = try StoppableRedis()
        defer { redis.stop() }
        redis.pause()
        let directory = try TemporaryDirectory()
        try directory.write(".infra-guardian.yml", "redis:\n  connect_timeout_ms: 60000\n  command_timeout_ms: 60000\n")
        let clock = ContinuousClock()
        let start = clock.now
        let result = try CommandLineRunner.run(["audit", "--deadline", "3", "--redis-url", "unix://\(redis.socket)"],
                                               in: directory.path)
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(3) + Self.slack, "took \(elapsed)")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("## Quality Gate (Infra): FAILED"))
        #expect(result.stdout.contains("audit incomplete: not checked: Redis"))
        #expect(result.stdout.contains("the --deadline of 3 s expired"), "\(result.stdout)")
        print("stopped redis-server: FAILED audit after \(elapsed)")
    }

    @Test(arguments: ["0", "-5", "abc", "3601", "nan", "inf"])
    func badDeadlinesAreUsageErrors(_ value: String) throws {
        let directory = try TemporaryDirectory()
        for command in ["audit", "collect", "health"] {
            let result = try CommandLineRunner.run([command, "--deadline", value], in: directory.path)
            #expect(result.exitCode == 2, "\(command) --deadline \(value): \(result.output)")
            #expect(result.stderr.contains("deadline"), "\(command) --deadline \(value): \(result.stderr)")
        }
    }

    @Test func helpDocumentsTheDeadline() throws {
        let directory = try TemporaryDirectory()
        for (command, seconds) in [("audit", 60), ("collect", 60), ("health", 20)] {
            let result = try CommandLineRunner.run([command, "--help"], in: directory.path)
            #expect(result.stdout.contains("--deadline <seconds>"))
            #expect(result.stdout.contains("default \(seconds)"), "\(command): \(result.stdout)")
        }
    }
}

/// Watches pg_stat_activity for the audit's backend in one database and stops it (SIGSTOP) once seen;
/// `resume` sends SIGCONT. The servers run on this machine, so the backend is a local process.
final class BackendStopper: @unchecked Sendable {
    private let lock = NSLock()
    private var stoppedPID: Int32?
    private var resumed = false
    private let url: String
    private let database: String
    /// A LIKE pattern for the statement the backend runs when it is caught.
    private let query: String

    init(url: String, database: String, query: String) {
        self.url = url
        self.database = database
        self.query = query
    }

    var pid: Int32? { lock.withLock { stoppedPID } }

    func start() {
        AuditSessionWatch.start(url: url, database: database, query: query) { [self] pid, _ in
            lock.withLock {
                if !resumed {
                    kill(pid, SIGSTOP)
                    stoppedPID = pid
                }
            }
        }
    }

    func resume() {
        lock.withLock {
            resumed = true
            if let pid = stoppedPID { kill(pid, SIGCONT) }
        }
    }
}

/// Watches pg_stat_activity, on a thread of its own and for at most 20 s, for the audit's session in one
/// database running a statement LIKE `query` (caught mid-work: a probe, a ping); once seen, calls
/// `found` with its pid and the watching admin connection.
enum AuditSessionWatch {
    static func start(url: String, database: String, query: String = "%",
                      found: @escaping @Sendable (Int32, AdminConnection) -> Void) {
        Thread {
            guard let admin = try? AdminConnection(url) else { return }
            let clock = ContinuousClock()
            let end = clock.now + .seconds(20)
            while clock.now < end {
                let seen = try? admin.value("""
                    SELECT pid FROM pg_stat_activity WHERE datname = '\(database)'
                      AND application_name = 'infra-guardian' AND query LIKE '\(query)' LIMIT 1
                    """)
                if let seen, let pid = Int32(seen) {
                    found(pid, admin)
                    return
                }
                usleep(2_000)
            }
        }.start()
    }
}

/// A redis-server of this test's own on a unix socket, stopped with SIGSTOP (never a shared server).
final class StoppableRedis {
    let socket: String
    private let process = Process()

    init() throws {
        socket = NSTemporaryDirectory() + "ig-redis-\(UUID().uuidString.prefix(8)).sock"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
        guard FileManager.default.fileExists(atPath: socket) else { throw AdminError(message: "redis-server did not start") }
    }

    func pause() { kill(process.processIdentifier, SIGSTOP) }

    /// SIGKILL: a child spawned from a test thread inherits that thread's blocked signals, SIGTERM
    /// included, and would never exit on `terminate()`.
    func stop() {
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: socket)
    }
}
