import Foundation
import Testing
@testable import InfraGuardian
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis endpoints for the integration tests. Private to the Redis tests on purpose: the shared
/// helper for all servers is written separately, and these names must not collide with it.
enum RedisTestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// `IG_SKIP_INTEGRATION=1` is the only way to skip: a missing server otherwise fails the run.
    static let enabled = environment["IG_SKIP_INTEGRATION"] != "1"

    static func url() throws -> String { try required("IG_TEST_REDIS_URL") }

    /// A server started with `--requirepass secret-redis`.
    static func authURL() throws -> String { try required("IG_TEST_REDIS_AUTH_URL") }

    /// A managed service's restrictions: CONFIG renamed away, and the URL's user `auditor` may not
    /// run MEMORY, SLOWLOG or ACL.
    static func lockedURL() throws -> String { try required("IG_TEST_REDIS_LOCKED_URL") }

    /// A second plain server, for roles configured on an instance of their own.
    static func sessionsURL() throws -> String { try required("IG_TEST_REDIS_SESSIONS_URL") }

    /// `url` with its database (the path) replaced: tests that sample a whole keyspace each own a
    /// logical database (see `RedisTestDatabase`), because SCAN sees every key of the database.
    static func url(_ url: String, database: Int) -> String {
        guard let slash = url.range(of: "/", options: .backwards), slash.lowerBound > url.index(url.startIndex, offsetBy: 8) else {
            return "\(url)/\(database)"
        }
        return "\(url[..<slash.lowerBound])/\(database)"
    }

    private static func required(_ name: String) throws -> String {
        let value = environment[name].flatMap { $0.isEmpty ? nil : $0 }
        return try #require(value, """
            \(name) is not set: run `make test` (or set IG_SKIP_INTEGRATION=1 to skip integration tests explicitly)
            """)
    }
}

/// A TCP socket that listens and never accepts: the kernel completes the handshake, so the client
/// connects and then waits forever for a reply, which is exactly what a hung server looks like.
final class RedisSilentServer {
    let port: Int
    private let descriptor: Int32

    init() throws {
        (descriptor, port) = try LoopbackSocket.listening()
    }

    deinit { close(descriptor) }
}

/// Loopback TCP sockets for the fake and relayed servers of the Redis tests.
enum LoopbackSocket {
    /// A socket listening on 127.0.0.1 at a port the kernel chose.
    static func listening() throws -> (descriptor: Int32, port: Int) {
        let descriptor = try open()
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw closing(descriptor) }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket connected to 127.0.0.1:`port`.
    static func connected(toPort port: Int) throws -> Int32 {
        let descriptor = try open()
        var address = loopback(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw closing(descriptor) }
        return descriptor
    }

    private static func open() throws -> Int32 {
        #if canImport(Glibc)
        let stream = Int32(SOCK_STREAM.rawValue)
        #else
        let stream = SOCK_STREAM
        #endif
        let descriptor = socket(AF_INET, stream, 0)
        guard descriptor >= 0 else { throw lastError() }
        return descriptor
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func closing(_ descriptor: Int32) -> POSIXError {
        let error = lastError()
        close(descriptor)
        return error
    }

    private static func lastError() -> POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

/// A logical database owned by one test: emptied when opened and when the test is done, and no
/// other database is ever flushed. The numbers are allocated here so that tests running in parallel
/// never share one (a parameterized test takes one per case); database 0 holds the prefix-scoped
/// keys of `RedisCollectorTests`. redis-server has 16 databases: 15 is the last one free.
struct RedisTestDatabase {
    enum Owner: Int, Sendable {
        case ttlAndNames = 1, bigKeys, keyBudget, timeBudget, keyBudgetOnOnePage, deletedMidSample
        case stalledMidScanByBudget, stalledMidScanByCommandTimeout
        case rolesMainInstance, rolesMainByEnvironment, rolesSessionsInstance, rolesSessionsByEnvironment
        case configRenamed, memoryRefused   // on redis-locked
    }

    let url: String
    let connection: RedisConnection

    init(_ server: String, _ owner: Owner) throws {
        url = RedisTestEnvironment.url(server, database: owner.rawValue)
        var settings = RedisSettings()
        settings.commandTimeoutMillis = 10_000
        connection = try RedisConnection(url: try RedisURL(parsing: url), settings: settings)
        try flush()
    }

    func flush() throws {
        let reply = try connection.command(["FLUSHDB"])
        guard reply == .status("OK") else { throw SeedError(message: "FLUSHDB answered \(reply)") }
    }

    /// Runs `commands` in pipelined batches of 1,000; any error reply fails the seeding.
    func run(_ commands: [[String]]) throws {
        var start = 0
        while start < commands.count {
            let batch = commands[start..<min(start + 1_000, commands.count)]
            let replies = try connection.pipeline(batch.map { $0.map { Array($0.utf8) } }, name: "seed")
            if let failed = replies.first(where: { if case .error = $0 { true } else { false } }) {
                throw SeedError(message: "seeding failed: \(failed)")
            }
            start += batch.count
        }
    }

    struct SeedError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
