import Foundation

/// Bounded key sampling: SCAN with COUNT (never KEYS), then per batch one pipelined round trip of
/// `TYPE`, `PTTL` and `MEMORY USAGE` and one of the size command of each key's type, until the key
/// budget, the time budget or the end of the keyspace. Key names stay in memory for the length of
/// a batch; what is kept is counted by group (a key's segments, role and type), so memory and the
/// summary's cost follow the number of groups, not of keys, and summarizing fits in the budget.
///
/// A reply that does not come in time leaves the connection unusable (hiredis cannot resync a
/// pipeline half read): sampling is the last thing a connection is used for.
///
/// `MEMORY USAGE` runs with its default `SAMPLES 5`, not `SAMPLES 0`: exact sizes of nested values
/// would make the server walk every field of a big hash while it serves traffic; the sizes of big
/// keys come from the O(1) `STRLEN`/`HLEN`/`SCARD`/`ZCARD`/`LLEN`/`XLEN`.
struct RedisKeySampler {
    let roles: [(role: RedisRole, settings: RedisRoleSettings, patterns: [[UInt8]])]
    let settings: RedisSampleSettings
    let thresholds: Thresholds

    init(roles: [RedisRole: RedisRoleSettings], settings: RedisSampleSettings, thresholds: Thresholds) {
        self.roles = RedisRole.allCases.compactMap { role in
            roles[role].map { (role, $0, $0.patterns.map { Array($0.utf8) }) }
        }
        self.settings = settings
        self.thresholds = thresholds
    }

    /// One key as the sample keeps it: no name.
    struct Observation {
        var segments: RedisKeyPattern.Segments
        var role: RedisRole?
        var type: String
        /// Milliseconds, nil without expiry.
        var ttlMillis: Int64?
        var memory: Int64
        var size: Int64?
    }

    /// The keys of one group: same segments, role and type.
    struct Group: Hashable {
        var segments: RedisKeyPattern.Segments
        var role: RedisRole?
        var type: String
    }

    /// What is kept of a group's keys: counts and extremes, never a name.
    struct Tally {
        var keys = 0
        var memory: Int64 = 0
        var withoutTTL = 0
        var ttlOverMax = 0
        var longestTTLSeconds: Int?
        /// Keys over their type's big-key threshold, and the largest size among them.
        var big = 0
        var largest: Int64 = 0
        var bigLimit: (threshold: Int64, unit: String)?
    }

    func sample(_ connection: RedisConnection) -> RedisKeySample {
        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.milliseconds(settings.budgetMillis)
        var total = 0
        var skipped: [String] = []
        var tallies: [Group: Tally] = [:]
        var sampled = 0
        var stoppedBy: String?
        var memoryAllowed = true
        do {
            if case let .integer(size) = try connection.command(["DBSIZE"]) { total = Int(size) }
            var cursor = "0"
            repeat {
                guard sampled < settings.maxKeys else { stoppedBy = "the key budget (\(settings.maxKeys) keys)"; break }
                let left = budget - (clock.now - start)
                guard left > .zero else { stoppedBy = "the time budget (\(settings.budgetMillis) ms)"; break }
                let page = try connection.withCommandTimeout(atMost: left) {
                    try connection.scan(cursor: cursor, count: settings.scanCount)
                }
                cursor = page.cursor
                let room = settings.maxKeys - sampled
                let keys = Array(page.keys.prefix(room))
                let batch = try connection.withCommandTimeout(atMost: budget - (clock.now - start)) {
                    try observe(keys, connection, memoryAllowed: &memoryAllowed, skipped: &skipped)
                }
                tally(batch, into: &tallies)
                sampled += batch.count
                // The last page of a small database can hold more keys than the budget left.
                if page.keys.count > room { stoppedBy = "the key budget (\(settings.maxKeys) keys)"; break }
            } while cursor != "0"
        } catch {
            // What was read stays: the report says why the sample is short. A reply is awaited for
            // the smaller of what is left of the budget and redis.command_timeout_ms: say which ran out.
            if case let .timeout(detail)? = error as? RedisError {
                stoppedBy = clock.now - start >= budget - .milliseconds(10) || detail.contains("sampling budget")
                    ? "the time budget (\(settings.budgetMillis) ms): a reply took too long"
                    : "a reply that did not come in time: \(detail)"
            } else {
                stoppedBy = "an error: \(error)"
            }
        }
        var sample = summarize(tallies, memoryMeasured: memoryAllowed)
        sample.totalKeys = max(total, sampled)
        sample.stoppedBy = stoppedBy
        sample.skipped = skipped
        let elapsed = (clock.now - start).components
        sample.elapsedMillis = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        return sample
    }

    /// Two pipelined round trips for a batch of keys.
    private func observe(_ keys: [[UInt8]], _ connection: RedisConnection, memoryAllowed: inout Bool,
                         skipped: inout [String]) throws -> [Observation] {
        guard !keys.isEmpty else { return [] }
        let perKey = memoryAllowed ? 3 : 2
        let type = Array("TYPE".utf8), pttl = Array("PTTL".utf8), memory = Array("MEMORY".utf8), usage = Array("USAGE".utf8)
        var commands: [[[UInt8]]] = []
        commands.reserveCapacity(keys.count * perKey)
        for key in keys {
            commands.append([type, key])
            commands.append([pttl, key])
            if memoryAllowed { commands.append([memory, usage, key]) }
        }
        let replies = try connection.pipeline(commands, name: "TYPE/PTTL/MEMORY USAGE")
        if memoryAllowed, let refused = replies.indices.lazy.filter({ $0 % perKey == 2 }).compactMap({ Self.refusal(replies[$0]) }).first {
            memoryAllowed = false
            skipped.append("MEMORY USAGE: skipped: \(refused) (sizes by namespace are counted in keys)")
        }
        var observations: [Observation] = []
        var sizeCommands: [[[UInt8]]] = []
        var sizeOwners: [Int] = []
        for (index, key) in keys.enumerated() {
            let base = index * perKey
            guard case let .status(type) = replies[base], type != "none" else { continue } // deleted since SCAN
            let ttl: Int64?
            switch replies[base + 1] {
            case let .integer(value) where value >= 0: ttl = value
            case .integer(-2): continue                                                      // expired since SCAN
            default: ttl = nil
            }
            var memory: Int64 = 0
            if memoryAllowed, case let .integer(bytes) = replies[base + 2] { memory = bytes }
            if let command = Self.sizeCommand(type) {
                sizeCommands.append([command, key])
                sizeOwners.append(observations.count)
            }
            observations.append(Observation(segments: RedisKeyPattern.segments(of: key), role: role(of: key), type: type,
                                            ttlMillis: ttl, memory: memory, size: nil))
        }
        let sizes = try connection.pipeline(sizeCommands, name: "STRLEN/HLEN/SCARD/ZCARD/LLEN/XLEN")
        for (owner, reply) in zip(sizeOwners, sizes) {
            if case let .integer(size) = reply { observations[owner].size = size }
        }
        return observations
    }

    func role(of key: [UInt8]) -> RedisRole? {
        roles.first { entry in entry.patterns.contains { RedisKeyPattern.matches($0, key) } }?.role
    }

    /// A refused command in words that never repeat the server's text: an `unknown command` error
    /// quotes its arguments, which here are key names.
    static func refusal(_ reply: RedisReply) -> String? {
        guard case let .error(message) = reply else { return nil }
        if message.hasPrefix("NOPERM") { return "not allowed for this user (NOPERM)" }
        let lower = message.lowercased()
        if lower.contains("unknown command") || lower.contains("unknown subcommand") { return "unknown or renamed command" }
        return "refused by the server"
    }

    private static let sizeCommands: [String: [UInt8]] = ["string": "STRLEN", "hash": "HLEN", "set": "SCARD", "zset": "ZCARD",
                                                          "list": "LLEN", "stream": "XLEN"].mapValues { Array($0.utf8) }

    private static func sizeCommand(_ type: String) -> [UInt8]? { sizeCommands[type] }

    /// The threshold and unit of a type's big keys.
    private func bigKeyLimit(_ type: String) -> (threshold: Int64, unit: String)? {
        switch type {
        case "string": (thresholds.redisBigStringBytes, "bytes")
        case "hash": (thresholds.redisBigHashFields, "fields")
        case "set", "zset": (thresholds.redisBigCollectionMembers, "members")
        case "list": (thresholds.redisBigCollectionMembers, "elements")
        case "stream": (thresholds.redisBigStreamEntries, "entries")
        default: nil
        }
    }

    /// Adds a batch to the tallies of its groups.
    func tally(_ observations: [Observation], into tallies: inout [Group: Tally]) {
        for observation in observations {
            let group = Group(segments: observation.segments, role: observation.role, type: observation.type)
            tallies[group, default: Tally(bigLimit: bigKeyLimit(observation.type))].add(observation, maxTTLSeconds: maxTTLSeconds(observation.role))
        }
    }

    private func maxTTLSeconds(_ role: RedisRole?) -> Int? {
        role.flatMap { role in roles.first { $0.role == role }?.settings.maxTTLSeconds }
    }

    /// Counts by role and by pattern, from the keys themselves (tests) or their tallies.
    func summarize(_ observations: [Observation], memoryMeasured: Bool) -> RedisKeySample {
        var tallies: [Group: Tally] = [:]
        tally(observations, into: &tallies)
        return summarize(tallies, memoryMeasured: memoryMeasured)
    }

    /// Counts by role and by pattern; the second segment of a pattern is shown only when at most
    /// `vocabularyLimit` distinct ones follow its first segment in the sample (queue names, not user names).
    func summarize(_ tallies: [Group: Tally], memoryMeasured: Bool) -> RedisKeySample {
        let vocabularyLimit = 16
        var seconds: [String: Set<String>] = [:]
        for group in tallies.keys {
            if let first = group.segments.first, let second = group.segments.second {
                seconds[first, default: []].insert(second)
            }
        }
        func pattern(_ segments: RedisKeyPattern.Segments) -> String {
            RedisKeyPattern.pattern(segments, showSecond: segments.first.map { (seconds[$0]?.count ?? 0) <= vocabularyLimit } ?? false)
        }
        let sampled = tallies.values.reduce(0) { $0 + $1.keys }
        var sample = RedisKeySample(sampledKeys: sampled, totalKeys: sampled)
        var byRole: [RedisRole: RedisKeySample.RoleSample] = [:]
        var withoutTTL: [RedisRole: [String: Int]] = [:]
        var overMax: [RedisRole: [String: Int]] = [:]
        var namespaces: [String: RedisKeySample.NamespaceUsage] = [:]
        var big: [String: RedisKeySample.BigKeyGroup] = [:]
        for (group, tally) in tallies {
            let shown = pattern(group.segments)
            namespaces[shown, default: .init(pattern: shown, keys: 0, memoryBytes: 0)].keys += tally.keys
            namespaces[shown]?.memoryBytes += tally.memory
            if tally.big > 0, let limit = tally.bigLimit {
                let key = "\(shown)\u{0}\(group.type)"
                var entry = big[key] ?? .init(pattern: shown, type: group.type, role: group.role, count: 0,
                                              largest: 0, unit: limit.unit, threshold: limit.threshold)
                entry.count += tally.big
                entry.largest = max(entry.largest, tally.largest)
                big[key] = entry
            }
            guard let role = group.role else {
                sample.unmatchedKeys += tally.keys
                sample.unmatchedBytes += tally.memory
                continue
            }
            var entry = byRole[role] ?? .init(role: role)
            entry.keys += tally.keys
            entry.memoryBytes += tally.memory
            entry.types[group.type, default: 0] += tally.keys
            if let longest = tally.longestTTLSeconds { entry.longestTTLSeconds = max(entry.longestTTLSeconds ?? 0, longest) }
            entry.ttlOverMax += tally.ttlOverMax
            entry.withoutTTL += tally.withoutTTL
            if tally.ttlOverMax > 0 { overMax[role, default: [:]][shown, default: 0] += tally.ttlOverMax }
            if tally.withoutTTL > 0 { withoutTTL[role, default: [:]][shown, default: 0] += tally.withoutTTL }
            byRole[role] = entry
        }
        func top(_ counts: [String: Int]?) -> [String] {
            (counts ?? [:]).sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map(\.key)
        }
        sample.roles = byRole.values.sorted { $0.role < $1.role }.map { entry in
            var entry = entry
            entry.withoutTTLPatterns = top(withoutTTL[entry.role])
            entry.ttlOverMaxPatterns = top(overMax[entry.role])
            return entry
        }
        sample.bigKeys = big.values.sorted { ($0.largest, $1.pattern) > ($1.largest, $0.pattern) }
        sample.namespaces = namespaces.values
            .sorted { memoryMeasured ? ($0.memoryBytes, $0.keys, $1.pattern) > ($1.memoryBytes, $1.keys, $0.pattern)
                                     : ($0.keys, $1.pattern) > ($1.keys, $0.pattern) }
            .prefix(10).map { $0 }
        return sample
    }
}

extension RedisKeySampler.Tally {
    mutating func add(_ observation: RedisKeySampler.Observation, maxTTLSeconds: Int?) {
        keys += 1
        memory += observation.memory
        if let ttl = observation.ttlMillis {
            let seconds = Int(ttl / 1000)
            longestTTLSeconds = max(longestTTLSeconds ?? 0, seconds)
            if let maxTTLSeconds, seconds > maxTTLSeconds { ttlOverMax += 1 }
        } else {
            withoutTTL += 1
        }
        // Sliding-window rate limiters are meant to be zsets: never big keys.
        if let size = observation.size, let limit = bigLimit, size > limit.threshold,
           !(observation.role == .rateLimits && observation.type == "zset") {
            big += 1
            largest = max(largest, size)
        }
    }
}
