import Testing
@testable import InfraGuardian

@Suite("Redis URL parsing")
struct RedisURLTests {
    @Test func fullForm() throws {
        let url = try RedisURL(parsing: "redis://app:s3cret@cache.internal:6380/2")
        #expect(url.endpoint == .tcp(host: "cache.internal", port: 6380))
        #expect(url.user == "app")
        #expect(url.password == "s3cret")
        #expect(url.database == 2)
    }

    @Test func defaultsPortAndDatabase() throws {
        let url = try RedisURL(parsing: "redis://localhost")
        #expect(url.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(url.database == 0)
        #expect(url.user == nil && url.password == nil)
        #expect(try RedisURL(parsing: "redis://localhost/").database == 0)
    }

    @Test func passwordOnly() throws {
        let url = try RedisURL(parsing: "redis://:secret-redis@127.0.0.1")
        #expect(url.user == nil)
        #expect(url.password == "secret-redis")
        #expect(url.endpoint == .tcp(host: "127.0.0.1", port: 6379))
    }

    @Test func percentDecodesCredentials() throws {
        let url = try RedisURL(parsing: "redis://us%40er:p%3Ass%2Fw%40rd@h:1/0")
        #expect(url.user == "us@er")
        #expect(url.password == "p:ss/w@rd")
    }

    @Test func ipv6Literal() throws {
        let url = try RedisURL(parsing: "redis://[::1]:7000")
        #expect(url.endpoint == .tcp(host: "::1", port: 7000))
        #expect(url.masked == "redis://[::1]:7000/0")
    }

    @Test func unixSocket() throws {
        let url = try RedisURL(parsing: "unix:///var/run/redis/redis.sock?db=3")
        #expect(url.endpoint == .unix(path: "/var/run/redis/redis.sock"))
        #expect(url.database == 3)
        let withPassword = try RedisURL(parsing: "unix://:pw@/tmp/r.sock")
        #expect(withPassword.password == "pw")
        #expect(withPassword.masked == "unix://:***@/tmp/r.sock")
    }

    @Test func maskedHidesPasswordOnly() throws {
        let url = try RedisURL(parsing: "redis://app:s3cret@cache:6379/1")
        #expect(url.masked == "redis://app:***@cache:6379/1")
        #expect(try RedisURL(parsing: "redis://:s3cret@cache").masked == "redis://:***@cache:6379/0")
        #expect(try RedisURL(parsing: "redis://cache").masked == "redis://cache:6379/0")
    }

    @Test func maskingUnparsableInputStillHidesPassword() {
        let masked = RedisURL.mask("redis://app:s3cret@cache:abc/0")
        #expect(!masked.contains("s3cret"))
        #expect(masked == "redis://app:***@cache:abc/0")
        #expect(!RedisURL.mask("rediss://:s3cret@cache").contains("s3cret"))
        #expect(!RedisURL.mask("redis://cache?password=s3cret").contains("s3cret"))
    }

    @Test(arguments: [
        ("redis://host:abc/0", "malformed Redis URL: port 'abc' is not a number"),
        ("redis://host:70000", "malformed Redis URL: port 70000 is out of range (1-65535)"),
        ("redis://host:6379/x", "malformed Redis URL: database 'x' is not a non-negative number"),
        ("redis://:pw@:6379", "malformed Redis URL: no host; expected redis://[user:password@]host[:port][/db] or unix:///path/to.sock[?db=N]"),
        ("cache.internal:6379", "malformed Redis URL: missing scheme; expected redis://[user:password@]host[:port][/db] or unix:///path/to.sock[?db=N]"),
    ])
    func malformed(input: String, message: String) {
        #expect(throws: RedisError.self) { try RedisURL(parsing: input) }
        do {
            _ = try RedisURL(parsing: input)
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func tlsIsRefusedHonestly() {
        do {
            _ = try RedisURL(parsing: "rediss://:pw@cache:6380")
            Issue.record("rediss:// must be refused")
        } catch {
            let message = "\(error)"
            #expect(message.contains("TLS (rediss://) is not supported"))
            #expect(message.contains("stunnel"))
            #expect(!message.contains("pw"))
        }
    }

    @Test func otherSchemesAndBadCredentialsAreRefusedWithoutEchoingSecrets() {
        for input in ["http://cache:6379", "redis://s3cret@cache", "redis://:%zz@cache", "redis://h:1/0?password=s3cret"] {
            do {
                _ = try RedisURL(parsing: input)
                Issue.record("\(input) must be refused")
            } catch {
                #expect("\(error)".hasPrefix("malformed Redis URL:"))
                #expect(!"\(error)".contains("s3cret"))
            }
        }
    }

    @Test func resolveTargetPrefersExplicitThenEnvironment() {
        let env = ["REDIS_URL": "redis://from-env"]
        #expect(RedisCollector.resolveTarget(explicit: "redis://flag", environment: env) == "redis://flag")
        #expect(RedisCollector.resolveTarget(explicit: nil, environment: env) == "redis://from-env")
        #expect(RedisCollector.resolveTarget(explicit: "  ", environment: env) == "redis://from-env")
        #expect(RedisCollector.resolveTarget(explicit: nil, environment: [:]) == nil)
    }

    @Test func infoParsingLowercasesSectionsAndKeepsEmptyOnes() {
        let text = "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Keyspace\r\n"
        let info = RedisInfoParser.parse(text)
        #expect(info["server"]?["redis_version"] == "7.0.15")
        #expect(info["keyspace"] == [:])
    }
}
