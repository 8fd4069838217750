import Foundation
import Testing
@testable import InfraGuardian

@Suite("Redis collector against a real redis-server",
       .enabled(if: RedisTestEnvironment.enabled, "IG_SKIP_INTEGRATION=1"))
struct RedisCollectorTests {
    /// Small timeouts keep the failure cases quick; a local server answers well within them.
    static var settings: RedisSettings {
        var settings = RedisSettings()
        settings.connectTimeoutMillis = 300
        settings.commandTimeoutMillis = 300
        settings.pingSamples = 3
        return settings
    }

    @Test func collectsInfoConfigAndLatency() throws {
        let result = RedisCollector.collect(url: try RedisTestEnvironment.url(), settings: Self.settings)
        #expect(result.error == nil)
        let snapshot = try #require(result.value)
        #expect((snapshot.majorVersion ?? 0) >= 7)
        #expect(snapshot.usedMemoryBytes != nil)
        #expect(snapshot.config["maxmemory-policy"] != nil)
        #expect(snapshot.configError == nil)
        #expect(snapshot.pingMillis.count == Self.settings.pingSamples)
        #expect(snapshot.pingMillis.allSatisfy { $0 >= 0 })
        for section in RedisCollector.infoSections { #expect(snapshot.info[section] != nil, "section \(section)") }
    }

    @Test func keyspaceCountsKeysAndExpires() throws {
        let raw = try RedisTestEnvironment.url()
        let url = try RedisURL(parsing: raw)
        let writer = try RedisConnection(url: url, settings: Self.settings)
        let prefix = "infra-guardian-test:\(UUID().uuidString):"
        let keys = ["plain", "ttl-1", "ttl-2"].map { prefix + $0 }
        defer { _ = try? writer.command(["DEL"] + keys) }
        #expect(try writer.command(["SET", keys[0], "v"]) == .status("OK"))
        #expect(try writer.command(["SET", keys[1], "v", "EX", "600"]) == .status("OK"))
        #expect(try writer.command(["SET", keys[2], "v", "PX", "600000"]) == .status("OK"))

        let snapshot = try #require(RedisCollector.collect(url: raw, settings: Self.settings).value)
        let database = try #require(snapshot.keyspace.first { $0.name == "db\(url.database)" })
        // Other tests may share the server, hence lower bounds.
        #expect(database.keys >= 3)
        #expect(database.expires >= 2)
    }

    @Test func targetIsMasked() throws {
        let result = RedisCollector.collect(url: try RedisTestEnvironment.authURL(), settings: Self.settings)
        #expect(result.target?.contains("secret-redis") == false)
        #expect(result.target?.contains("***") == true)
    }

    @Test func rightPasswordWorks() throws {
        let result = RedisCollector.collect(url: try RedisTestEnvironment.authURL(), settings: Self.settings)
        #expect(result.error == nil)
        #expect(result.value?.majorVersion != nil)
    }

    @Test func wrongPasswordFailsWithoutEchoingIt() throws {
        let url = try RedisURL(parsing: try RedisTestEnvironment.authURL())
        let wrong = "wrong-pass-9f3a"
        let result = RedisCollector.collect(url: "redis://:\(wrong)@\(url.location)/\(url.database)",
                                            settings: Self.settings)
        let error = try #require(result.error)
        #expect(error.contains("authentication failed"))
        #expect(!error.contains(wrong))
        #expect(result.target?.contains(wrong) == false)
    }

    @Test func missingPasswordReportsNoAuth() throws {
        let url = try RedisURL(parsing: try RedisTestEnvironment.authURL())
        let result = RedisCollector.collect(url: "redis://\(url.location)/\(url.database)", settings: Self.settings)
        let error = try #require(result.error)
        #expect(error.contains("authentication failed"))
        #expect(error.contains("NOAUTH"))
    }

    // The elapsed-time bounds below guard against a hang (no timeout applied), not speed.
    @Test func unreachableServerFailsPromptly() {
        let start = Date()
        let result = RedisCollector.collect(url: "redis://127.0.0.1:1/0", settings: Self.settings)
        #expect(result.error?.contains("cannot connect to 127.0.0.1:1") == true)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func silentServerTimesOut() throws {
        let server = try RedisSilentServer()
        let start = Date()
        let result = RedisCollector.collect(url: "redis://127.0.0.1:\(server.port)", settings: Self.settings)
        let elapsed = Date().timeIntervalSince(start)
        let error = try #require(result.error)
        #expect(error.contains("timed out after 300 ms"))
        #expect(elapsed >= 0.25 && elapsed < 5, "elapsed \(elapsed) s")
    }

    @Test func malformedURLBecomesAnError() {
        let result = RedisCollector.collect(url: "redis://:hunter2@cache:abc/0", settings: Self.settings)
        #expect(result.error == "malformed Redis URL: port 'abc' is not a number")
        #expect(result.target?.contains("hunter2") == false)
        #expect(result.value == nil)
    }
}
