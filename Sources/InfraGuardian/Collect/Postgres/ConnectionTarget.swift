import Foundation

/// Where to connect, and how to show it without leaking secrets.
public enum ConnectionTarget {
    /// Variables that make libpq's own defaults a deliberate choice. PGUSER or PGPASSWORD alone are
    /// too often left over in a shell to mean "audit this database".
    static let libpqTargetVariables = ["PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE", "PGPORT"]

    /// The PostgreSQL connection string to use: the explicit one (flag or config), then `DATABASE_URL`,
    /// then "" (plain libpq defaults) when a `PG*` variable names a target; nil when not configured.
    /// - Parameter variable: the environment variable holding the URL (`postgres.url_env`).
    public static func resolvePostgres(explicit: String?, environment: [String: String], variable: String? = nil) -> String? {
        if let explicit = nonEmpty(explicit) { return explicit }
        if let url = nonEmpty(environment[variable ?? "DATABASE_URL"]) { return url }
        if libpqTargetVariables.contains(where: { nonEmpty(environment[$0]) != nil }) { return "" }
        return nil
    }

    /// The connection string as shown to users: passwords replaced by `***` in URLs (user info and
    /// `password=` query parameters) and keyword strings; "" described by the `PG*` variables in use.
    public static func maskedPostgres(_ conninfo: String,
                                      environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let trimmed = conninfo.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return describeLibpqDefaults(environment) }
        if isURL(trimmed) { return ConnectionStringMasking.maskURL(trimmed) }
        return ConnectionStringMasking.maskKeywords(trimmed)
    }

    /// Any target as it may be shown, wherever it came from (an edited snapshot, a configuration):
    /// passwords masked in URLs of any scheme and in keyword strings, control characters escaped.
    public static func maskedForDisplay(_ target: String) -> String {
        let trimmed = target.trimmingCharacters(in: .whitespacesAndNewlines)
        let masked = trimmed.contains("://") ? ConnectionStringMasking.maskURL(trimmed) : ConnectionStringMasking.maskKeywords(trimmed)
        return SecretMasking.quotable(masked, limit: 300)
    }

    /// The password values written in a connection string, so that error texts can be scrubbed of them.
    static func secrets(in conninfo: String) -> [String] {
        let trimmed = conninfo.trimmingCharacters(in: .whitespacesAndNewlines)
        let raw = isURL(trimmed) ? ConnectionStringMasking.urlSecrets(trimmed)
                                 : ConnectionStringMasking.keywordSecrets(trimmed)
        // The percent-decoded form is what libpq would echo back, so scrub both.
        return Array(Set(raw + raw.compactMap { $0.removingPercentEncoding }))
            .filter { !$0.isEmpty }
            .sorted { $0.count > $1.count }
    }

    static func isURL(_ conninfo: String) -> Bool {
        let lower = conninfo.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    private static func describeLibpqDefaults(_ environment: [String: String]) -> String {
        // PGPASSWORD is deliberately absent: only where to connect is worth showing.
        let shown = ["PGSERVICE", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"]
            .compactMap { name in nonEmpty(environment[name]).map { "\(name)=\($0)" } }
        return shown.isEmpty ? "libpq defaults" : "libpq defaults (\(shown.joined(separator: ", ")))"
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return value
    }
}
