import Foundation

/// Reads one Redis server: INFO, the configuration the rules need, who may connect, the slow log,
/// a bounded sample of the keys and PING latency. Read-only and bounded: a fixed number of commands
/// besides the sample, which is bounded by its key and time budgets; no KEYS, no values, no key names.
/// What a managed service refuses (CONFIG, ACL, SLOWLOG, MEMORY) becomes a "skipped" line.
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
    public static func collect(url: String, settings: RedisSettings, thresholds: Thresholds = Thresholds(),
                               assignedRoles: [RedisRole] = [], now: Date = Date(),
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
            var snapshot = try read(connection, settings: settings, thresholds: thresholds, now: now)
            snapshot.access?.connectedWithoutCredentials = parsed.password == nil
            snapshot.assignedRoles = assignedRoles.isEmpty ? nil : assignedRoles
            return Collected(target: target, value: snapshot)
        } catch let error as RedisError {
            var collected = Collected<RedisSnapshot>(target: target, error: scrub("\(error)", password: parsed.password))
            if case .timeout = error { collected.cut = true }
            return collected
        } catch {
            return Collected(target: target, error: scrub("\(error)", password: parsed.password))
        }
    }

    /// The configuration parameters the rules read that INFO does not give (one CONFIG GET).
    static let configParameters = ["maxmemory", "maxmemory-policy", "save", "appendonly", "maxclients", "bind"]

    static func read(_ connection: RedisConnection, settings: RedisSettings, thresholds: Thresholds = Thresholds(),
                     now: Date) throws -> RedisSnapshot {
        // Redis 7 accepts several sections in one INFO: one round trip instead of seven.
        let info = try connection.command(["INFO"] + infoSections)
        guard case let .string(text) = info else {
            throw unexpected(info, from: "INFO")
        }
        var snapshot = RedisSnapshot(info: RedisInfoParser.parse(text), config: [:], pingMillis: [], collectedAt: now)
        var skipped: [String] = []

        // Managed services often rename or disable CONFIG; INFO still gives maxmemory and its policy.
        // Redis 6 takes one pattern per CONFIG GET: then only maxmemory* is read.
        var reply = try connection.command(["CONFIG", "GET"] + configParameters)
        if case let .error(message) = reply, message.lowercased().contains("wrong number of arguments") {
            reply = try connection.command(["CONFIG", "GET", "maxmemory*"])
        }
        switch reply {
        case let .array(items): snapshot.config = RedisInfoParser.pairs(items)
        case .error:
            let refusal = RedisKeySampler.refusal(reply) ?? "refused"
            snapshot.configError = "CONFIG GET refused: \(refusal)"
            skipped.append("CONFIG GET: skipped: \(refusal) (maxmemory and its policy come from INFO; persistence settings unknown)")
        case let other: snapshot.configError = "CONFIG GET gave an unexpected reply: \(other)"
        }

        // Who may connect: the default user's flags only (never a password hash).
        var access = RedisAccessState()
        let acl = try connection.command(["ACL", "LIST"])
        if case let .array(lines) = acl {
            for case let .string(line) in lines where line.hasPrefix("user default ") {
                let flags = Set(line.split(separator: " ").map(String.init))
                access.defaultUserEnabled = flags.contains("on")
                access.defaultUserNoPassword = flags.contains("nopass")
            }
        } else if let refusal = RedisKeySampler.refusal(acl) {
            skipped.append("ACL LIST: skipped: \(refusal)")
        }
        snapshot.access = access

        // The slow log: command names and durations only (arguments can be keys and values).
        let slowlog = try connection.command(["SLOWLOG", "GET", "128"])
        if case let .array(entries) = slowlog {
            snapshot.slowlog = RedisSlowlog(entries: entries.compactMap { entry in
                guard case let .array(fields) = entry, fields.count >= 4, case let .integer(micros) = fields[2],
                      case let .array(arguments) = fields[3], let name = arguments.first?.text else { return nil }
                return RedisSlowlog.Entry(command: Self.commandName(name), micros: micros)
            })
        } else if let refusal = RedisKeySampler.refusal(slowlog) {
            skipped.append("SLOWLOG GET: skipped: \(refusal)")
        }

        // At least one sample: health needs a latency. The config loader already insists on a
        // positive count; this guards settings built in code. Measured before the key sample, which
        // comes last: a sample cut by a reply that never came leaves the connection unusable.
        let clock = ContinuousClock()
        for _ in 0..<max(1, settings.pingSamples) {
            var reply = RedisReply.null
            let elapsed = try clock.measure { reply = try connection.command(["PING"]) }
            guard reply == .status("PONG") else { throw unexpected(reply, from: "PING") }
            snapshot.pingMillis.append(milliseconds(elapsed))
        }

        if settings.sample.maxKeys > 0 {
            snapshot.sample = RedisKeySampler(roles: settings.roles, settings: settings.sample, thresholds: thresholds)
                .sample(connection)
            skipped += snapshot.sample?.skipped ?? []
        }
        snapshot.skipped = skipped.isEmpty ? nil : skipped

        return snapshot
    }

    /// A command's name as the slow log shows it, upper-cased; anything that is not a plain command
    /// word (a renamed command's secret name, say) is shown as `(other)`.
    static func commandName(_ text: String) -> String {
        let upper = text.uppercased()
        guard (1...24).contains(upper.count), upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "." || $0 == "_") }) else {
            return "(other)"
        }
        return upper
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
