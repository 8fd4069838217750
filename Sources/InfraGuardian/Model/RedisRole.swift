/// What a Redis keyspace is for. The role decides what may happen to its keys: a cache may be
/// evicted; a session, a rate-limit window, a lock, a queued job or an idempotency key must not be.
public enum RedisRole: String, Codable, Sendable, CaseIterable, Comparable {
    case cache
    case sessions
    case rateLimits = "rate_limits"
    case locks
    case queues
    case idempotency

    /// Losing these keys to eviction loses state the application relies on.
    public var mustNotBeEvicted: Bool { self != .cache }

    /// Losing these keys on a restart loses work or logs users out: they need persistence.
    public var needsPersistence: Bool { self == .sessions || self == .queues || self == .idempotency }

    /// In words, for messages ("session keys", "lock keys").
    public var keysInWords: String {
        switch self {
        case .cache: "cache keys"
        case .sessions: "session keys"
        case .rateLimits: "rate-limit keys"
        case .locks: "lock keys"
        case .queues: "queue keys"
        case .idempotency: "idempotency keys"
        }
    }

    public static func < (left: RedisRole, right: RedisRole) -> Bool {
        allCases.firstIndex(of: left) ?? 0 < allCases.firstIndex(of: right) ?? 0
    }
}

/// `redis.roles.<role>`: the key patterns of a role and what its keys need.
public struct RedisRoleSettings: Sendable, Equatable {
    /// Redis glob patterns (`*`, `?`, `[abc]`) the role's keys match.
    public var patterns: [String]
    /// Every key of the role must expire.
    public var ttlRequired: Bool
    /// The longest TTL a key of the role should have, in seconds (nil: no limit).
    public var maxTTLSeconds: Int?
    /// The instance holding this role when it is not the main one (`redis.roles.<role>.url`, or the
    /// environment variable named by `url_env`, so that no password sits in the file).
    public var url: String?
    public var urlEnv: String?

    public init(patterns: [String], ttlRequired: Bool, maxTTLSeconds: Int? = nil, url: String? = nil) {
        self.patterns = patterns
        self.ttlRequired = ttlRequired
        self.maxTTLSeconds = maxTTLSeconds
        self.url = url
    }

    /// What common libraries write: connect-redis `sess:`, rate-limiter-flexible `rlflx:`, BullMQ
    /// `bull:`, node-redlock's resource names as given (`lock:` by convention).
    public static let defaults: [RedisRole: RedisRoleSettings] = [
        .cache: RedisRoleSettings(patterns: ["cache:*", "*:cache:*"], ttlRequired: false, maxTTLSeconds: nil),
        .sessions: RedisRoleSettings(patterns: ["sess:*", "session:*", "sessions:*"], ttlRequired: true, maxTTLSeconds: 30 * 86_400),
        .rateLimits: RedisRoleSettings(patterns: ["ratelimit:*", "rate-limit:*", "rl:*", "rlflx:*", "*:ratelimit:*"],
                                       ttlRequired: true, maxTTLSeconds: 86_400),
        .locks: RedisRoleSettings(patterns: ["lock:*", "locks:*", "*:lock:*"], ttlRequired: true, maxTTLSeconds: 3_600),
        .queues: RedisRoleSettings(patterns: ["bull:*"], ttlRequired: false, maxTTLSeconds: nil),
        .idempotency: RedisRoleSettings(patterns: ["idempotency:*", "idem:*"], ttlRequired: true, maxTTLSeconds: 7 * 86_400),
    ]
}

/// `redis.sample`: how much of the keyspace the audit may read (SCAN, never KEYS).
public struct RedisSampleSettings: Sendable, Equatable {
    /// Keys read at most (`max_keys`; 0 turns sampling off).
    public var maxKeys: Int = 10_000
    /// Milliseconds the sampling may take in all (`budget_ms`).
    public var budgetMillis: Int = 2_000
    /// SCAN's COUNT hint, and the size of each pipelined batch (`scan_count`).
    public var scanCount: Int = 500

    public init() {}
}
