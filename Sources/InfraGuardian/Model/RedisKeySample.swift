/// What bounded key sampling saw on one Redis. Never a key name nor a value: keys are counted by
/// role and by pattern (`session:*`), because keys can hold e-mail addresses or phone numbers.
public struct RedisKeySample: Codable, Sendable, Equatable {
    /// Keys read (SCAN, then TYPE / PTTL / MEMORY USAGE / size in pipelined batches).
    public var sampledKeys: Int
    /// `DBSIZE` of the selected database when sampling started.
    public var totalKeys: Int
    /// Why sampling stopped before the end of the keyspace: the key budget or the time budget.
    public var stoppedBy: String?
    public var elapsedMillis: Double
    /// Commands the server refused (`MEMORY USAGE`: NOPERM, renamed...): what is missing from the sample.
    public var skipped: [String] = []
    /// Keys of each role seen (roles with none are left out).
    public var roles: [RoleSample] = []
    /// Keys matching no role.
    public var unmatchedKeys: Int = 0
    public var unmatchedBytes: Int64 = 0
    /// Keys over the size thresholds, grouped by pattern and type.
    public var bigKeys: [BigKeyGroup] = []
    /// The namespaces holding the most memory (or the most keys when MEMORY is not allowed), largest first.
    public var namespaces: [NamespaceUsage] = []

    public init(sampledKeys: Int, totalKeys: Int, stoppedBy: String? = nil, elapsedMillis: Double = 0) {
        self.sampledKeys = sampledKeys
        self.totalKeys = totalKeys
        self.stoppedBy = stoppedBy
        self.elapsedMillis = elapsedMillis
    }

    /// The share of the keyspace read, 0...1 (1 for an empty keyspace).
    public var sampledShare: Double {
        totalKeys == 0 ? 1 : min(1, Double(sampledKeys) / Double(totalKeys))
    }

    public func role(_ role: RedisRole) -> RoleSample? { roles.first { $0.role == role } }

    public struct RoleSample: Codable, Sendable, Equatable {
        public var role: RedisRole
        public var keys: Int
        /// Keys with no expiry (PTTL -1).
        public var withoutTTL: Int
        /// Keys whose TTL is longer than the role allows (`max_ttl_s`).
        public var ttlOverMax: Int
        /// The longest TTL seen, in seconds.
        public var longestTTLSeconds: Int?
        public var memoryBytes: Int64
        /// The patterns (`sess:*`) of the keys seen without TTL, most keys first (at most five).
        public var withoutTTLPatterns: [String] = []
        /// The patterns of the keys seen with a TTL over the limit (at most five).
        public var ttlOverMaxPatterns: [String] = []
        /// Keys per Redis type (`string`, `hash`, `zset`...).
        public var types: [String: Int] = [:]

        public init(role: RedisRole, keys: Int = 0, withoutTTL: Int = 0, ttlOverMax: Int = 0,
                    longestTTLSeconds: Int? = nil, memoryBytes: Int64 = 0) {
            self.role = role
            self.keys = keys
            self.withoutTTL = withoutTTL
            self.ttlOverMax = ttlOverMax
            self.longestTTLSeconds = longestTTLSeconds
            self.memoryBytes = memoryBytes
        }
    }

    /// Keys of one pattern and type over their type's threshold.
    public struct BigKeyGroup: Codable, Sendable, Equatable {
        public var pattern: String
        public var type: String
        public var role: RedisRole?
        public var count: Int
        /// The largest size seen, in `unit`.
        public var largest: Int64
        /// bytes (strings), fields (hashes), members (sets, zsets), elements (lists), entries (streams).
        public var unit: String
        public var threshold: Int64

        public init(pattern: String, type: String, role: RedisRole? = nil, count: Int, largest: Int64, unit: String, threshold: Int64) {
            self.pattern = pattern
            self.type = type
            self.role = role
            self.count = count
            self.largest = largest
            self.unit = unit
            self.threshold = threshold
        }
    }

    public struct NamespaceUsage: Codable, Sendable, Equatable {
        public var pattern: String
        public var keys: Int
        public var memoryBytes: Int64

        public init(pattern: String, keys: Int, memoryBytes: Int64) {
            self.pattern = pattern
            self.keys = keys
            self.memoryBytes = memoryBytes
        }
    }
}

/// `SLOWLOG GET 128`: each entry's command name and duration, nothing else (its arguments can be
/// keys and values).
public struct RedisSlowlog: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var command: String
        public var micros: Int64

        public init(command: String, micros: Int64) {
            self.command = command
            self.micros = micros
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }
}

/// How the `default` user may connect, from `ACL LIST` or, where ACL is refused, from the way the
/// audit itself connected. Never a password nor its hash.
public struct RedisAccessState: Codable, Sendable, Equatable {
    /// The default user is enabled (`on`).
    public var defaultUserEnabled: Bool?
    /// The default user needs no password (`nopass`).
    public var defaultUserNoPassword: Bool?
    /// The audit connected without any credentials and the server answered.
    public var connectedWithoutCredentials: Bool

    public init(defaultUserEnabled: Bool? = nil, defaultUserNoPassword: Bool? = nil, connectedWithoutCredentials: Bool = false) {
        self.defaultUserEnabled = defaultUserEnabled
        self.defaultUserNoPassword = defaultUserNoPassword
        self.connectedWithoutCredentials = connectedWithoutCredentials
    }

    /// Anyone who reaches the port can read and write every key.
    public var openToAnyone: Bool {
        if let enabled = defaultUserEnabled, let noPassword = defaultUserNoPassword { return enabled && noPassword }
        return connectedWithoutCredentials
    }
}
