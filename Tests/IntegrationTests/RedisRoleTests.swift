import Foundation
import Testing
@testable import InfraGuardian

/// Issue 15: keys sampled by role on a real redis-server. Each test seeds a logical database of its
/// own (`RedisTestDatabase`), because sampling reads the whole database.
@Suite("Redis keys by role against a real redis-server",
       .enabled(if: RedisTestEnvironment.enabled, "IG_SKIP_INTEGRATION=1"))
struct RedisRoleTests {
    static var settings: RedisSettings {
        var settings = RedisSettings()
        settings.connectTimeoutMillis = 2_000
        settings.commandTimeoutMillis = 2_000
        settings.pingSamples = 1
        return settings
    }

    static func settings(maxKeys: Int = 10_000, budgetMillis: Int = 5_000, scanCount: Int = 500) -> RedisSettings {
        var settings = Self.settings
        settings.sample.maxKeys = maxKeys
        settings.sample.budgetMillis = budgetMillis
        settings.sample.scanCount = scanCount
        return settings
    }

    static func json(_ collected: Collected<RedisSnapshot>) throws -> String {
        String(decoding: try JSONEncoder().encode(collected), as: UTF8.self)
    }

    // MARK: - roles, TTLs and what the report may show

    @Test func keysWithoutTTLAreCountedByRoleAndShownOnlyAsPatterns() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), .ttlAndNames)
        defer { try? db.flush() }
        let names = (
            lockOrders: (1...5).map { "lock:order:\($0)" },
            lockTimed: "lock:invoice-42",
            lockTooLong: "lock:report:9",
            sessionEmail: "session:ana@example.com",
            sessionPhone: "session:+40722123456",
            sessionUUID: "sess:3f2c8e1a-9b7d-4c55-a1e2-7f00c0ffee01",
            sessionTimed: "sess:5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
            cache: "cache:user:42"
        )
        try db.run(names.lockOrders.map { ["SET", $0, "owner-token"] } + [
            ["SET", names.lockTimed, "owner-token", "PX", "30000"],
            ["SET", names.lockTooLong, "owner-token", "EX", "7200"],
            ["HSET", names.sessionEmail, "user", "ana@example.com"],
            ["SET", names.sessionPhone, "{}"],
            ["SET", names.sessionUUID, "{}"],
            ["SET", names.sessionTimed, "{}", "EX", "3600"],
            ["SET", names.cache, "{}", "EX", "60"],
            ["SET", "cache:odd\r\n*1\r\n$4\r\nPING key", "{}", "EX", "60"],   // framed by length, not read as commands
        ])

        let result = RedisCollector.collect(url: db.url, settings: Self.settings())
        #expect(result.error == nil)
        let sample = try #require(result.value?.sample)
        #expect(sample.sampledKeys == 13)
        #expect(sample.totalKeys == 13)
        #expect(sample.stoppedBy == nil)

        let locks = try #require(sample.role(.locks))
        #expect(locks.keys == 7)
        #expect(locks.withoutTTL == 5)
        #expect(locks.withoutTTLPatterns == ["lock:order:*"])
        #expect(locks.ttlOverMax == 1)                      // 7,200 s over the default 3,600
        #expect(locks.ttlOverMaxPatterns == ["lock:report:*"])
        #expect(locks.longestTTLSeconds.map { (7_100...7_200).contains($0) } == true)

        let sessions = try #require(sample.role(.sessions))
        #expect(sessions.keys == 4)
        #expect(sessions.withoutTTL == 3)
        #expect(sessions.withoutTTLPatterns == ["session:*", "sess:*"])   // most keys first
        #expect(sessions.types == ["hash": 1, "string": 3])

        let cache = try #require(sample.role(.cache))
        #expect(cache.keys == 2 && cache.withoutTTL == 0)
        #expect(result.value?.rolesHeld == [.cache, .sessions, .locks])

        // No key name, nor a part of one that identifies someone, anywhere in what is saved.
        let text = try Self.json(result)
        let everyName = names.lockOrders + [names.lockTimed, names.lockTooLong, names.sessionEmail, names.sessionPhone,
                                            names.sessionUUID, names.sessionTimed, names.cache]
        for secret in everyName + ["ana@example.com", "+40722123456", "40722123456", "3f2c8e1a", "5d6e7f80", "invoice-42"] {
            #expect(!text.contains(secret), "\(secret) leaked into the snapshot")
        }
    }

    @Test func bigHashIsABigKeyButARateLimitWindowIsNot() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), .bigKeys)
        defer { try? db.flush() }
        var commands: [[String]] = []
        // HSET with 500 field/value pairs per command: 6,000 fields.
        for chunk in stride(from: 0, to: 6_000, by: 500) {
            commands.append(["HSET", "cache:catalog:all"] + (chunk..<(chunk + 500)).flatMap { ["field\($0)", "v"] })
        }
        // A rate-limiter-flexible sliding window: 1,500 timestamps in a zset under rlflx:.
        for chunk in stride(from: 0, to: 1_500, by: 500) {
            commands.append(["ZADD", "rlflx:login:203.0.113.7"] + (chunk..<(chunk + 500)).flatMap { [String($0), "t\($0)"] })
        }
        commands.append(["EXPIRE", "rlflx:login:203.0.113.7", "60"])
        // A set of 1,200 members outside any role, and small keys that stay below every threshold.
        commands.append(["SADD", "tags:all"] + (0..<1_200).map { "tag\($0)" })
        commands.append(["HSET", "cache:catalog:small", "a", "1"])
        try db.run(commands)

        let result = RedisCollector.collect(url: db.url, settings: Self.settings())
        let sample = try #require(result.value?.sample)
        let hash = try #require(sample.bigKeys.first { $0.type == "hash" })
        #expect(hash.pattern == "cache:catalog:*")
        #expect(hash.role == .cache)
        #expect(hash.count == 1)
        #expect(hash.largest == 6_000)
        #expect(hash.unit == "fields")
        #expect(hash.threshold == 5_000)
        let set = try #require(sample.bigKeys.first { $0.type == "set" })
        #expect(set.largest == 1_200 && set.unit == "members" && set.role == nil)
        #expect(!sample.bigKeys.contains { $0.type == "zset" }, "a sliding-window zset is not a big key")
        #expect(sample.bigKeys.count == 2)
        #expect(sample.role(.rateLimits)?.types == ["zset": 1])
        #expect(!(try Self.json(result)).contains("203.0.113.7"))
    }

    // MARK: - budgets

    @Test func keyBudgetStopsTheSample() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), .keyBudget)
        defer { try? db.flush() }
        try db.run((0..<5_000).map { ["SET", "cache:item:\($0)", "v", "EX", "600"] })

        let result = RedisCollector.collect(url: db.url, settings: Self.settings(maxKeys: 100))
        #expect(result.error == nil)
        let sample = try #require(result.value?.sample)
        #expect(sample.sampledKeys == 100)
        #expect(sample.totalKeys == 5_000)
        #expect(sample.stoppedBy?.contains("key budget") == true, "\(sample.stoppedBy ?? "nil")")
        #expect(sample.role(.cache)?.keys == 100)
    }

    /// One SCAN page can hold every key of a small database (its cursor comes back 0): the key
    /// budget still has to say that it cut the sample.
    @Test func keyBudgetReachedOnTheLastPageIsReported() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), .keyBudgetOnOnePage)
        defer { try? db.flush() }
        try db.run((0..<300).map { ["SET", "cache:item:\($0)", "v"] })

        let result = RedisCollector.collect(url: db.url, settings: Self.settings(maxKeys: 100, scanCount: 10_000))
        let sample = try #require(result.value?.sample)
        #expect(sample.sampledKeys == 100)
        #expect(sample.totalKeys == 300)
        #expect(sample.stoppedBy?.contains("key budget") == true, "\(sample.stoppedBy ?? "nil")")
    }

    @Test func timeBudgetStopsTheSampleAndTheCollectionSucceeds() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), .timeBudget)
        defer { try? db.flush() }
        try db.run((0..<5_000).map { ["SET", "cache:item:\($0)", "v"] })

        // 1 ms cannot cover 5,000 keys: the budget runs out before a command or while one waits.
        let result = RedisCollector.collect(url: db.url, settings: Self.settings(budgetMillis: 1, scanCount: 100))
        #expect(result.error == nil)
        let snapshot = try #require(result.value)
        let sample = try #require(snapshot.sample)
        #expect(sample.sampledKeys < 5_000)
        #expect(sample.stoppedBy?.contains("time budget") == true, "\(sample.stoppedBy ?? "nil")")
        #expect(snapshot.pingMillis.count == 1, "the connection still answers after the sample")
    }

    // MARK: - what managed services refuse

    @Test func configRenamedAwayIsSkippedAndThePolicyComesFromInfo() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.lockedURL(), .configRenamed)
        defer { try? db.flush() }
        try db.run([["SET", "sess:abc", "{}"], ["SET", "cache:x:1", "v", "EX", "60"]])

        let result = RedisCollector.collect(url: db.url, settings: Self.settings())
        #expect(result.error == nil)
        let snapshot = try #require(result.value)
        let skipped = snapshot.skipped ?? []
        let config = try #require(skipped.first { $0.hasPrefix("CONFIG GET") }, "\(skipped)")
        #expect(config.contains("unknown or renamed command"))
        #expect(snapshot.config.isEmpty)
        #expect(snapshot.configError != nil)
        #expect(snapshot.maxmemoryPolicy == "noeviction")     // INFO memory still tells
        #expect(snapshot.maxmemoryBytes == 0)
        #expect(snapshot.persistenceEnabled == nil)            // `save` unknown without CONFIG
        #expect(snapshot.sample?.sampledKeys == 2)
        // The server's error text echoes the command's arguments: it is never quoted.
        #expect(!skipped.contains { $0.contains("args beginning") || $0.contains("maxmemory-policy'") })
    }

    @Test func memoryUsageRefusedIsSkippedAndKeysAreStillCounted() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.lockedURL(), .memoryRefused)
        defer { try? db.flush() }
        try db.run((0..<20).map { ["SET", "sess:user-\($0)", "{}"] } + (0..<5).map { ["SET", "bull:emails:\($0)", "{}"] })

        let result = RedisCollector.collect(url: db.url, settings: Self.settings())
        #expect(result.error == nil)
        let snapshot = try #require(result.value)
        let skipped = snapshot.skipped ?? []
        #expect(skipped.filter { $0.hasPrefix("MEMORY USAGE") }.count == 1, "\(skipped)")
        #expect(skipped.contains { $0.hasPrefix("MEMORY USAGE") && $0.contains("NOPERM") })
        #expect(skipped.contains { $0.hasPrefix("SLOWLOG GET") && $0.contains("NOPERM") })
        #expect(skipped.contains { $0.hasPrefix("ACL LIST") && $0.contains("NOPERM") })
        #expect(snapshot.slowlog == nil)
        #expect(snapshot.access?.defaultUserNoPassword == nil)   // unknown: ACL LIST refused
        #expect(snapshot.access?.connectedWithoutCredentials == false)

        let sample = try #require(snapshot.sample)
        #expect(sample.sampledKeys == 25)
        #expect(sample.role(.sessions)?.keys == 20)
        #expect(sample.role(.sessions)?.withoutTTL == 20)
        #expect(sample.role(.sessions)?.memoryBytes == 0)
        #expect(sample.role(.queues)?.keys == 5)
        // Without MEMORY, namespaces are ranked by keys.
        #expect(sample.namespaces.first?.pattern == "sess:*")
        #expect(sample.namespaces.first?.keys == 20)
        #expect(!(try Self.json(result)).contains("user-1"))
    }

    // MARK: - a keyspace that changes or a server that stops answering mid-sample

    /// Keys deleted between SCAN and TYPE (TYPE answers `none`, PTTL -2) are left out of the sample.
    @Test func keysDeletedBetweenScanAndTypeAreLeftOut() throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), .deletedMidSample)
        defer { try? db.flush() }
        let keys = (0..<50).map { "cache:item:\($0)" }
        try db.run(keys.map { ["SET", $0, "v", "EX", "600"] })
        let deleter = try KeyDeleter(url: db.url, keys: Array(keys.prefix(10)))
        let upstream = try RedisURL(parsing: db.url)
        guard case let .tcp(_, port) = upstream.endpoint else { Issue.record("not TCP"); return }
        // The first TYPE pipeline is held back until ten of the keys SCAN returned are gone.
        let relay = try RedisRelay(upstreamPort: port) { request in
            if request.scansSoFar >= 1, request.contains(command: "TYPE") { deleter.deleteOnce() }
            return .forward
        }
        defer { relay.stop() }

        let result = RedisCollector.collect(url: "redis://127.0.0.1:\(relay.port)/\(upstream.database)",
                                            settings: Self.settings(scanCount: 1_000))
        #expect(deleter.reply == .integer(10))
        #expect(result.error == nil)
        let sample = try #require(result.value?.sample)
        #expect(sample.totalKeys == 50)           // DBSIZE before the deletion
        #expect(sample.sampledKeys == 40)
        #expect(sample.role(.cache)?.keys == 40)
        #expect(sample.stoppedBy == nil)
    }

    /// The server stops answering after the first SCAN page: the sample ends within its budget (or
    /// the command timeout, whichever comes first), keeps what it read and the collection succeeds.
    /// Each case seeds a database of its own: the cases run in parallel.
    @Test(arguments: [(budgetMillis: 400, commandTimeoutMillis: 5_000, database: RedisTestDatabase.Owner.stalledMidScanByBudget),
                      (budgetMillis: 5_000, commandTimeoutMillis: 300, database: .stalledMidScanByCommandTimeout)])
    func serverStallingMidScanEndsTheSampleWithinItsBudget(budgetMillis: Int, commandTimeoutMillis: Int,
                                                            database: RedisTestDatabase.Owner) throws {
        let db = try RedisTestDatabase(try RedisTestEnvironment.url(), database)
        defer { try? db.flush() }
        try db.run((0..<5_000).map { ["SET", "cache:item:\($0)", "v"] })
        let upstream = try RedisURL(parsing: db.url)
        guard case let .tcp(_, port) = upstream.endpoint else { Issue.record("not TCP"); return }
        let relay = try RedisRelay(upstreamPort: port) { request in
            request.scansSoFar >= 2 ? .stall : .forward
        }
        defer { relay.stop() }

        var settings = Self.settings(budgetMillis: budgetMillis, scanCount: 500)
        settings.commandTimeoutMillis = commandTimeoutMillis
        let start = ContinuousClock.now
        let result = RedisCollector.collect(url: "redis://127.0.0.1:\(relay.port)/\(upstream.database)", settings: settings)
        let elapsed = ContinuousClock.now - start
        let bound = min(budgetMillis, commandTimeoutMillis)
        // Generous upper bounds: they catch a hang or a timeout not applied, not slowness.
        #expect(elapsed < .milliseconds(budgetMillis + commandTimeoutMillis), "\(elapsed)")
        #expect(result.error == nil, "\(result.error ?? "")")
        let sample = try #require(result.value?.sample)
        #expect(sample.sampledKeys > 0 && sample.sampledKeys < 5_000)
        #expect(sample.elapsedMillis >= Double(bound) * 0.9, "\(sample.elapsedMillis) ms")
        #expect(sample.elapsedMillis < Double(budgetMillis + commandTimeoutMillis))
        // Which bound ran out is said: the budget, or the command timeout and its setting.
        let reason = try #require(sample.stoppedBy)
        if budgetMillis < commandTimeoutMillis {
            #expect(reason == "the time budget (\(budgetMillis) ms): a reply took too long", "\(reason)")
        } else {
            #expect(reason.contains("timed out after \(commandTimeoutMillis) ms waiting for the reply to SCAN"), "\(reason)")
            #expect(reason.contains("redis.command_timeout_ms"), "\(reason)")
        }
        #expect(result.value?.pingMillis.count == 1)
    }

    // MARK: - roles on instances of their own

    @Test func roleURLIsCollectedAsAnInstanceOfItsOwn() throws {
        let main = try RedisTestDatabase(try RedisTestEnvironment.url(), .rolesMainInstance)
        let sessions = try RedisTestDatabase(try RedisTestEnvironment.sessionsURL(), .rolesSessionsInstance)
        defer { try? main.flush(); try? sessions.flush() }
        try main.run([["SET", "cache:home", "v", "EX", "60"]])
        try sessions.run([["SET", "sess:one", "{}"], ["SET", "sess:two", "{}", "EX", "3600"]])

        let configuration = try ConfigurationLoader.parse("""
            redis:
              ping_samples: 1
              roles:
                sessions:
                  url: \(sessions.url)
            """)
        let input = try Self.audit(main: main.url, configuration: configuration, environment: [:])
        #expect(input.redis.error == nil)
        #expect(input.redis.value?.assignedRoles == nil)
        #expect(input.redis.value?.sample?.role(.sessions) == nil)
        let others = try #require(input.additionalRedis)
        #expect(others.count == 1)
        let instance = try #require(others.first)
        #expect(instance.target == RedisURL.mask(sessions.url))
        #expect(instance.error == nil)
        let snapshot = try #require(instance.value)
        #expect(snapshot.assignedRoles == [.sessions])
        #expect(snapshot.sample?.role(.sessions)?.keys == 2)
        #expect(snapshot.sample?.role(.sessions)?.withoutTTL == 1)
        #expect(snapshot.rolesHeld == [.sessions])
        #expect(input.allRedis.count == 2)
    }

    @Test func roleURLFromAnEnvironmentVariable() throws {
        let main = try RedisTestDatabase(try RedisTestEnvironment.url(), .rolesMainByEnvironment)
        let sessions = try RedisTestDatabase(try RedisTestEnvironment.sessionsURL(), .rolesSessionsByEnvironment)
        defer { try? main.flush(); try? sessions.flush() }
        let configuration = try ConfigurationLoader.parse("""
            redis:
              ping_samples: 1
              roles:
                sessions:
                  url_env: IG_TEST_SESSIONS_REDIS
                locks:
                  url_env: IG_TEST_SESSIONS_REDIS
            """)
        let input = try Self.audit(main: main.url, configuration: configuration,
                                   environment: ["IG_TEST_SESSIONS_REDIS": sessions.url])
        let instance = try #require(input.additionalRedis?.first)
        #expect(input.additionalRedis?.count == 1)
        #expect(instance.value?.assignedRoles == [.sessions, .locks])

        // The same URL as the main instance is the main instance, not a second one.
        let same = try Self.audit(main: main.url, configuration: configuration,
                                  environment: ["IG_TEST_SESSIONS_REDIS": main.url])
        #expect(same.additionalRedis == nil)
    }

    /// As the CLI collects: `Auditor.collect` with no PostgreSQL, migrations or sources.
    static func audit(main: String, configuration: Configuration, environment: [String: String]) throws -> AuditInput {
        let directory = FileManager.default.temporaryDirectory.path
        return Auditor.collect(AuditRequest(redisURL: main, migrationFolders: [], workingDirectory: directory,
                                            environment: environment), configuration: configuration)
    }
}

/// Deletes `keys` once, from the relay's thread, and keeps the reply for the test. `@unchecked
/// Sendable`: it owns a hiredis connection, used under `lock`.
final class KeyDeleter: @unchecked Sendable {
    private let lock = NSLock()
    private let connection: RedisConnection
    private let keys: [String]
    private var stored: RedisReply?

    init(url: String, keys: [String]) throws {
        connection = try RedisConnection(url: try RedisURL(parsing: url), settings: RedisSettings())
        self.keys = keys
    }

    var reply: RedisReply? { lock.withLock { stored } }

    func deleteOnce() {
        lock.withLock {
            guard stored == nil else { return }
            stored = (try? connection.command(["DEL"] + keys)) ?? .error("DEL failed")
        }
    }
}
