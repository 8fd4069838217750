import Foundation
import Testing
@testable import InfraGuardian

@Suite("Redis key patterns: glob matching and what a report may show")
struct RedisKeyPatternTests {
    static func matches(_ pattern: String, _ key: String) -> Bool {
        RedisKeyPattern.matches(Array(pattern.utf8), Array(key.utf8))
    }

    // MARK: - matching, as SCAN MATCH reads a pattern

    @Test(arguments: [
        ("*", "", true), ("*", "anything:at:all", true),
        ("sess:*", "sess:abc", true), ("sess:*", "sess:", true), ("sess:*", "session:abc", false), ("sess:*", "xsess:a", false),
        ("h?llo", "hello", true), ("h?llo", "hallo", true), ("h?llo", "hllo", false), ("h?llo", "heello", false),
        ("h[ae]llo", "hello", true), ("h[ae]llo", "hallo", true), ("h[ae]llo", "hillo", false),
        ("h[^e]llo", "hallo", true), ("h[^e]llo", "hbllo", true), ("h[^e]llo", "hello", false),
        ("h[a-c]llo", "hbllo", true), ("h[a-c]llo", "hcllo", true), ("h[a-c]llo", "hdllo", false),
        ("h[c-a]llo", "hbllo", true),                                 // a reversed range reads as Redis reads it
        ("h[^a-c]llo", "hdllo", true), ("h[^a-c]llo", "hallo", false),
        ("lock\\*", "lock*", true), ("lock\\*", "lockx", false),       // an escaped * is a literal *
        ("a\\?b", "a?b", true), ("a\\?b", "axb", false),
        ("tag\\[1]", "tag[1]", true), ("tag\\[1]", "tag1", false),
        ("[\\]]x", "]x", true),
        ("*:cache:*", "tenant:cache:user", true), ("*:cache:*", "a:b:cache:c", true), ("*:cache:*", "cache:x", false),
        ("*:cache:*", "tenant:cached:x", false), ("*:cache:*", "tenant:cache:", true),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "abc", true), ("a*b*c", "acb", false), ("a*b*c", "abcbc", true),
        ("*suffix", "with-suffix", true), ("*suffix", "suffix-not", false),
        ("rl*:*", "rlflx:login", true), ("rl*:*", "rlflx", false),
    ] as [(String, String, Bool)])
    func globMatching(pattern: String, key: String, expected: Bool) {
        #expect(Self.matches(pattern, key) == expected, "\(pattern) against \(key)")
    }

    @Test func keysAreBytesNotText() {
        let invalidUTF8: [UInt8] = Array("cache:".utf8) + [0xff, 0xfe, 0x00, 0x41]
        #expect(RedisKeyPattern.matches(Array("cache:*".utf8), invalidUTF8))
        #expect(RedisKeyPattern.matches(Array("cache:??\0A".utf8), invalidUTF8))
        #expect(!RedisKeyPattern.matches(Array("sess:*".utf8), invalidUTF8))
    }

    // MARK: - segments: identifiers, e-mail addresses and phone numbers are never words

    static func shown(_ key: String, showSecond: Bool = true) -> String {
        RedisKeyPattern.pattern(RedisKeyPattern.segments(of: Array(key.utf8)), showSecond: showSecond)
    }

    @Test(arguments: [
        ("bull:emails:123", "bull:emails:*"),
        ("bull:emails:wait", "bull:emails:*"),
        ("bull:emails", "bull:*"),                                                   // a second segment only before a third
        ("sess:3f2c8e1a-9b7d-4c55-a1e2-7f00c0ffee01", "sess:*"),
        ("session:ana@example.com", "session:*"),
        ("user:ana@example.com:profile", "user:*"),                                  // an address is not a word
        ("cache:+40722123456:x", "cache:*"),
        ("cache:0722123456:x", "cache:*"),
        ("cache:f47ac10b-58cc-4372-a567-0e02b2c3d479:x", "cache:*"),               // a uuid starting with a letter
        ("cache:user42:x", "cache:*"),                                               // a second segment has no digits
        ("tenant-7:orders:1", "tenant-7:orders:*"),
        ("user42:profile", "user42:*"),
        ("u1234:profile", "(keys with an unnamed prefix)"),                          // four digits: an id
        ("0722123456:otp", "(keys with an unnamed prefix)"),
        ("ana@example.com:session", "(keys with an unnamed prefix)"),
        ("550e8400-e29b-41d4-a716-446655440000:cart", "(keys with an unnamed prefix)"),
        (String(repeating: "a", count: 33) + ":x", "(keys with an unnamed prefix)"),  // longer than a word
        ("plainkey", "(keys without a `:` prefix)"),
        ("ana@example.com", "(keys without a `:` prefix)"),
        (":leading:colon", "(keys with an unnamed prefix)"),
    ] as [(String, String)])
    func shownPattern(key: String, expected: String) {
        #expect(Self.shown(key) == expected)
    }

    @Test func secondSegmentOnlyWhenAsked() {
        #expect(Self.shown("bull:emails:123", showSecond: false) == "bull:*")
        #expect(Self.shown("cache:alice:profile", showSecond: false) == "cache:*")
    }

    @Test func noDigitsEmailsOrPhoneNumbersInAnySegment() {
        let keys = ["a:b@c.d:e", "x:+4072:y", "tel:0040722123456", "orders:123456:items", "k:ana.pop:v", "k:ana pop:v",
                    "k:ăna:v", "k:\u{1F600}:v"]
        for key in keys {
            let shown = Self.shown(key)
            for part in ["@", "+", "4072", "123456", "ana", "\u{1F600}", "ă"] where key.contains(part) {
                #expect(!shown.contains(part), "\(key) shown as \(shown)")
            }
        }
    }

    // MARK: - summarize: the vocabulary rule and roles

    static let sampler = RedisKeySampler(roles: RedisRoleSettings.defaults, settings: RedisSampleSettings(), thresholds: Thresholds())

    static func observation(_ key: String, type: String = "string", ttlMillis: Int64? = nil, memory: Int64 = 100,
                            size: Int64? = nil) -> RedisKeySampler.Observation {
        let bytes = Array(key.utf8)
        return .init(segments: RedisKeyPattern.segments(of: bytes), role: sampler.role(of: bytes), type: type,
                     ttlMillis: ttlMillis, memory: memory, size: size)
    }

    @Test func fewQueuesAreShownByName() {
        let keys = (1...5).map { "bull:emails:\($0)" } + (1...3).map { "bull:sms:\($0)" } + ["bull:push:1", "bull:push:meta"]
        let sample = Self.sampler.summarize(keys.map { Self.observation($0, type: "hash") }, memoryMeasured: true)
        let namespaces = Dictionary(uniqueKeysWithValues: sample.namespaces.map { ($0.pattern, $0.keys) })
        #expect(namespaces == ["bull:emails:*": 5, "bull:sms:*": 3, "bull:push:*": 2])
        #expect(sample.namespaces.map(\.pattern) == ["bull:emails:*", "bull:sms:*", "bull:push:*"])  // most memory first
        #expect(sample.role(.queues)?.keys == 10)
        #expect(sample.role(.queues)?.types == ["hash": 10])
        #expect(sample.unmatchedKeys == 0)
    }

    @Test func manyUserNamesCollapseToThePrefix() throws {
        let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
                     "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"]
        let observations = names.map { Self.observation("cache:\($0):profile", ttlMillis: 60_000) }
            + [Self.observation("sess:x1", ttlMillis: nil), Self.observation("sess:x2", ttlMillis: nil)]
        let sample = Self.sampler.summarize(observations, memoryMeasured: true)
        #expect(sample.namespaces.first { $0.pattern == "cache:*" }?.keys == 20)
        #expect(sample.namespaces.count == 2)
        let text = String(decoding: try JSONEncoder().encode(sample), as: UTF8.self)
        for name in names { #expect(!text.contains(name), "\(name) leaked") }
        #expect(sample.role(.cache)?.keys == 20)
        #expect(sample.role(.cache)?.withoutTTL == 0)
        #expect(sample.role(.cache)?.longestTTLSeconds == 60)
        #expect(sample.role(.sessions)?.withoutTTL == 2)
        #expect(sample.role(.sessions)?.withoutTTLPatterns == ["sess:*"])
    }

    @Test func vocabularyIsCountedPerPrefix() {
        // Many names under cache: do not hide the queue names under bull:.
        let observations = (0..<40).map { Self.observation("cache:n\(String(repeating: "x", count: $0 % 30 + 1)):\($0)") }
            + [Self.observation("bull:emails:1"), Self.observation("bull:sms:1")]
        let patterns = Set(Self.sampler.summarize(observations, memoryMeasured: true).namespaces.map(\.pattern))
        #expect(patterns == ["cache:*", "bull:emails:*", "bull:sms:*"])
    }

    @Test func ttlsOverTheRoleLimitAreCountedByPattern() {
        let observations = [
            Self.observation("lock:order:1", ttlMillis: 30_000),
            Self.observation("lock:order:2", ttlMillis: 7_200_000),
            Self.observation("lock:report:1", ttlMillis: 7_200_000),
            Self.observation("lock:report:2", ttlMillis: 9_000_000),
            Self.observation("lock:report:3", ttlMillis: nil),
            Self.observation("cache:page:1", ttlMillis: 90 * 86_400_000),    // the cache has no limit
        ]
        let sample = Self.sampler.summarize(observations, memoryMeasured: true)
        let locks = sample.role(.locks)
        #expect(locks?.keys == 5)
        #expect(locks?.ttlOverMax == 3)
        #expect(locks?.ttlOverMaxPatterns == ["lock:report:*", "lock:order:*"])
        #expect(locks?.withoutTTL == 1)
        #expect(locks?.longestTTLSeconds == 9_000)
        #expect(sample.role(.cache)?.ttlOverMax == 0)
    }

    @Test func bigKeysByThresholdExceptSlidingWindows() {
        let observations = [
            Self.observation("cache:catalog:all", type: "hash", size: 5_001),
            Self.observation("cache:catalog:other", type: "hash", size: 9_000),
            Self.observation("cache:catalog:small", type: "hash", size: 5_000),        // at the threshold: not over
            Self.observation("rlflx:login:1", type: "zset", size: 50_000),              // a sliding window
            Self.observation("leaderboard:all", type: "zset", size: 1_001),
            Self.observation("blob:one", type: "string", size: 100 * 1024 + 1),
            Self.observation("feed:all", type: "list", size: 2_000),
            Self.observation("events:all", type: "stream", size: 100_000),             // at the threshold
        ]
        let sample = Self.sampler.summarize(observations, memoryMeasured: true)
        let groups = Dictionary(uniqueKeysWithValues: sample.bigKeys.map { ("\($0.pattern) \($0.type)", $0) })
        #expect(Set(groups.keys) == ["cache:catalog:* hash", "leaderboard:* zset", "blob:* string", "feed:* list"])
        #expect(groups["cache:catalog:* hash"]?.count == 2)
        #expect(groups["cache:catalog:* hash"]?.largest == 9_000)
        #expect(groups["cache:catalog:* hash"]?.role == .cache)
        #expect(groups["feed:* list"]?.unit == "elements")
        #expect(groups["blob:* string"]?.unit == "bytes")
        #expect(sample.bigKeys.first?.pattern == "blob:*")                            // largest first
    }

    @Test func withoutMemoryNamespacesAreRankedByKeys() {
        let observations = (0..<3).map { Self.observation("a:\($0)", memory: 0) } + (0..<5).map { Self.observation("b:\($0)", memory: 0) }
            + [Self.observation("plain", memory: 0)]
        let sample = Self.sampler.summarize(observations, memoryMeasured: false)
        #expect(sample.namespaces.map(\.pattern) == ["b:*", "a:*", "(keys without a `:` prefix)"])
        #expect(sample.unmatchedKeys == 9)
        #expect(sample.roles.isEmpty)
    }
}
