import Foundation

/// Reads one Redis server: INFO, the maxmemory configuration and PING latency.
/// Read-only and bounded: a fixed number of commands whatever the keyspace, no KEYS, no values.
public enum RedisCollector {
    static let infoSections = ["server", "clients", "memory", "persistence", "stats", "replication", "keyspace"]

    /// The explicit URL (flag or config file), else `REDIS_URL`; nil means Redis is not audited.
    /// - Parameter variable: the environment variable holding the URL (`redis.url_env`).
    public static func resolveTarget(explicit: String?, environment: [String: String], variable: String? = nil) -> String? {
        for candidate in [explicit, environment[variable ?? "REDIS_URL"]] {
            if let value = candidate?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { return value }
        }
        return nil
    }

    /// Never throws: a failure becomes `Collected.error` so the report still renders.
    public static func collect(url: String, settings: RedisSettings, now: Date = Date(),
                               deadline: Deadline = Deadline(seconds: Deadline.defaultAuditSeconds)) -> Collected<RedisSnapshot> {
        let target = RedisURL.mask(url)
        let parsed: RedisURL
        do {
            parsed = try RedisURL(parsing: url)
        } catch {
            return Collected(target: target, error: "\(error)")
        }
        do {
            let connection = try RedisConnection(url: parsed, settings: settings, deadline: deadline)
            let snapshot = try read(connection, settings: settings, now: now)
            return Collected(target: target, value: snapshot)
        } catch let error as RedisError {
            var collected = Collected<RedisSnapshot>(target: target, error: scrub("\(error)", password: parsed.password))
            if case .timeout = error { collected.cut = true }
            return collected
        } catch {
            return Collected(target: target, error: scrub("\(error)", password: parsed.password))
        }
    }

    static func read(_ connection: RedisConnection, settings: RedisSettings, now: Date) throws -> RedisSnapshot {
        // Redis 7 accepts several sections in one INFO: one round trip instead of seven.
        let info = try connection.command(["INFO"] + infoSections)
        guard case let .string(text) = info else {
            throw unexpected(info, from: "INFO")
        }
        var snapshot = RedisSnapshot(info: RedisInfoParser.parse(text), config: [:], pingMillis: [], collectedAt: now)

        // Managed services often rename or disable CONFIG; the INFO memory fields still give
        // maxmemory and its policy, so this is recorded rather than fatal.
        switch try connection.command(["CONFIG", "GET", "maxmemory*"]) {
        case let .array(items): snapshot.config = RedisInfoParser.pairs(items)
        case let .error(message): snapshot.configError = "CONFIG GET maxmemory* refused: \(message)"
        case let other: snapshot.configError = "CONFIG GET maxmemory* gave an unexpected reply: \(other)"
        }

        // At least one sample: health needs a latency. The config loader already insists on a
        // positive count; this guards settings built in code.
        let clock = ContinuousClock()
        for _ in 0..<max(1, settings.pingSamples) {
            var reply = RedisReply.null
            let elapsed = try clock.measure { reply = try connection.command(["PING"]) }
            guard reply == .status("PONG") else { throw unexpected(reply, from: "PING") }
            snapshot.pingMillis.append(milliseconds(elapsed))
        }
        return snapshot
    }

    private static func unexpected(_ reply: RedisReply, from command: String) -> RedisError {
        if case let .error(message) = reply { return RedisError.reply(message, to: command) }
        return .server("\(command) gave an unexpected reply: \(reply)")
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }

    /// Defence in depth: no path should put the password in a message, but if a server echoed it
    /// the report must still not show it.
    /// Very short passwords are left alone: replacing every "p" would garble the message while
    /// hiding nothing a reader could recognise as a secret.
    private static func scrub(_ message: String, password: String?) -> String {
        guard let password, password.count >= 4 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
