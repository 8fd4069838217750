import Foundation
import Testing

/// The throwaway servers of `scripts/services` (started by `make test`), found through `IG_TEST_*`.
///
/// A missing variable fails the test: a green run must mean the real servers were exercised. Set
/// `IG_SKIP_INTEGRATION=1` to disable integration tests explicitly (see the `.integration` trait).
enum TestServers {
    enum Server: String, Sendable, CustomStringConvertible {
        case pg15 = "IG_TEST_PG15_URL"
        case pg18 = "IG_TEST_PG18_URL"
        /// Role `ig_password`, password `secret-pw` (scram-sha-256).
        case pg15Password = "IG_TEST_PG15_PASSWORD_URL"
        case pg18Password = "IG_TEST_PG18_PASSWORD_URL"
        case redis = "IG_TEST_REDIS_URL"
        case redisAuth = "IG_TEST_REDIS_AUTH_URL"

        var description: String { rawValue }
    }

    struct NotConfigured: Error, CustomStringConvertible {
        var variable: String
        var description: String {
            "\(variable) is not set: run `make test` (or set IG_SKIP_INTEGRATION=1 to skip integration tests explicitly)"
        }
    }

    static var isSkipped: Bool { ProcessInfo.processInfo.environment["IG_SKIP_INTEGRATION"] == "1" }

    /// The URL of `server`, or a thrown `NotConfigured` that fails the calling test.
    static func url(_ server: Server) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[server.rawValue], !value.isEmpty else {
            throw NotConfigured(variable: server.rawValue)
        }
        return value
    }
}

extension Trait where Self == ConditionTrait {
    /// Disables a suite or test when `IG_SKIP_INTEGRATION=1`; otherwise it runs, and fails without servers.
    static var integration: Self {
        .enabled(if: !TestServers.isSkipped, "integration tests skipped: IG_SKIP_INTEGRATION=1")
    }
}
