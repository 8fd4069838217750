import Foundation

/// Everything collected for one audit; rules are pure functions of it (and the configuration).
public struct AuditInput: Codable, Sendable {
    public var postgres: Collected<PostgresSnapshot>
    public var redis: Collected<RedisSnapshot>
    /// The instances of `redis.roles.<role>.url` other than the main one (nil: none configured).
    public var additionalRedis: [Collected<RedisSnapshot>]?
    public var migrations: MigrationSet
    /// The root of the TypeScript source tree (`--source`, resolved against the working directory),
    /// for the adapter analysis; nil when none was given.
    public var sourceRoot: String?
    /// The adapters, ports and tests of the source tree at `sourceRoot` (nil without one).
    public var adapters: AdapterGraph?
    /// What `verify` (or `audit --verify`) observed running the migrations on a scratch database.
    public var verification: MigrationVerification?
    public var collectedAt: Date
    public var toolVersion: String

    public init(postgres: Collected<PostgresSnapshot> = .notConfigured,
                redis: Collected<RedisSnapshot> = .notConfigured,
                migrations: MigrationSet = MigrationSet(),
                sourceRoot: String? = nil,
                adapters: AdapterGraph? = nil,
                collectedAt: Date = Date(timeIntervalSince1970: 0),
                toolVersion: String = InfraGuardianVersion.current,
                verification: MigrationVerification? = nil) {
        self.verification = verification
        self.postgres = postgres
        self.redis = redis
        self.migrations = migrations
        self.sourceRoot = sourceRoot
        self.adapters = adapters
        self.collectedAt = collectedAt
        self.toolVersion = toolVersion
    }
}

extension AuditInput {
    /// Every Redis instance audited: the main one, then those holding configured roles.
    public var allRedis: [Collected<RedisSnapshot>] {
        (redis.isConfigured ? [redis] : []) + (additionalRedis ?? [])
    }

    /// What the collection could not read, one line each: PostgreSQL's missing parts, and a whole
    /// component whose collection a wait cut short. Empty when the audit saw everything configured.
    public var incompleteParts: [String] {
        var parts = (postgres.value?.missingParts ?? []).map { "PostgreSQL \(SecretMasking.quotable($0.summary, limit: 400))" }
        if postgres.cut == true { parts.append("PostgreSQL (\(postgres.error ?? "collection cut short"))") }
        if redis.cut == true { parts.append("Redis (\(redis.error ?? "collection cut short"))") }
        for other in additionalRedis ?? [] where other.cut == true {
            parts.append("Redis \(other.target ?? "") (\(other.error ?? "collection cut short"))")
        }
        for migration in verification?.migrations ?? [] {
            if let incomplete = migration.incomplete { parts.append("migration verification of \(migration.file) (\(incomplete))") }
        }
        return parts
    }
}

public enum InfraGuardianVersion {
    public static let current = "0.1.0"
}
