import Foundation
import Testing
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
        #if canImport(Glibc)
        let stream = Int32(SOCK_STREAM.rawValue)
        #else
        let stream = SOCK_STREAM
        #endif
        let descriptor = socket(AF_INET, stream, 0)
        guard descriptor >= 0 else { throw Self.lastError() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // let the kernel choose a free port
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            let error = Self.lastError()
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    private static func lastError() -> POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
