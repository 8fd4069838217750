/// Anyone who reaches the port can read and write every key.
struct RedisOpenAccess: Rule {
    static let description = RuleDescription(
        id: "redis-open-access", category: .security, severity: .high,
        summary: "Redis' default user is enabled without a password (ACL `on nopass`, or no requirepass): anyone who reaches the port has every key (LOW when it listens on loopback only).",
        finds: "the `default` user `on` and `nopass` in ACL LIST or, where ACL is refused, the audit connecting without credentials; LOW when `bind` lists loopback addresses only (every process on the host can still connect)",
        why: "Sessions, tokens and cached patient data are one connection away for anything on the network path; an open Redis is also a known way to write files on the host (CONFIG SET dir).",
        fix: "ACL SETUSER <app-user> on ><password> ~<prefixes> +@all -@dangerous, ACL SETUSER default off (or requirepass), ACL SAVE; give the application its own user; keep the port off public networks.",
        bad: [.redis("ACL: user default on nopass ~* &* +@all") {
            var snapshot = RedisExamples.snapshot()
            snapshot.access = RedisAccessState(defaultUserEnabled: true, defaultUserNoPassword: true, connectedWithoutCredentials: true)
            return snapshot
        }],
        good: [.redis("ACL: default user off, the audit authenticated") { RedisExamples.snapshot() }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        AuditedRedis.all(input).compactMap { redis in
            guard let access = redis.snapshot.access, access.openToAnyone else { return nil }
            let evidence = access.defaultUserNoPassword != nil ? "ACL LIST: the default user is on with nopass"
                : "the audit connected without a password and was answered"
            if let bind = redis.snapshot.config["bind"], Self.loopbackOnly(bind) {
                var result = finding("\(redis.display) accepts any process on its host without a password (\(evidence)); it listens on loopback only (bind \(bind)).",
                                     at: redis.location())
                result.severity = .low
                return result
            }
            return finding("\(redis.display) accepts anyone who reaches its port (\(evidence)).", at: redis.location())
        }
    }

    /// `bind 127.0.0.1 -::1`: every address a loopback one (a leading `-` marks an optional address).
    static func loopbackOnly(_ bind: String) -> Bool {
        let addresses = bind.split(separator: " ").map { $0.hasPrefix("-") ? $0.dropFirst() : $0[...] }
        return !addresses.isEmpty && addresses.allSatisfy { $0.hasPrefix("127.") || $0 == "::1" || $0 == "localhost" }
    }
}
