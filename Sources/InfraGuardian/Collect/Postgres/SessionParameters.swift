import CLibPQ
import Foundation

/// Whether a session may write. Only `verify` opens `.scratch` sessions, and only to a server it
/// started or was given with `--scratch-url`, for a database it created.
enum SessionAccess: Sendable {
    case readOnly
    case scratch
}

/// The libpq keywords of an audit session.
enum SessionParameters {
    static let applicationName = "infra-guardian"
    /// A read-only audit never holds a transaction open; a stuck one should not hold locks for long.
    static let idleInTransactionTimeoutMillis = 60_000

    static func keywords(conninfo: String, settings: PostgresSettings, environment: [String: String],
                         access: SessionAccess = .readOnly, database: String? = nil) -> [(String, String)] {
        let connectTimeout = max(settings.connectTimeoutSeconds, 1)
        let override = database.map { [("dbname", $0)] } ?? []
        return [
            // First, so that every keyword below overrides what the user's string says.
            ("dbname", conninfo),
            ("application_name", applicationName),
            ("connect_timeout", String(connectTimeout)),
            ("options", options(conninfo: conninfo, settings: settings, environment: environment, access: access)),
            // Keepalives and a TCP user timeout turn a vanished server into an error instead of a hang:
            // statement_timeout is enforced by the server and cannot help when the server is gone.
            ("keepalives", "1"),
            ("keepalives_idle", "10"),
            ("keepalives_interval", "5"),
            ("keepalives_count", "3"),
            ("tcp_user_timeout", String(connectTimeout * 1000 + max(settings.statementTimeoutMillis, 0))),
        ] + override
    }

    /// The `-c` settings that make the session read-only and bounded, after any options the user
    /// gave (later `-c` wins), because the `options` keyword replaces theirs and `PGOPTIONS`.
    static func options(conninfo: String, settings: PostgresSettings, environment: [String: String],
                        access: SessionAccess = .readOnly) -> String {
        let readOnly = access == .readOnly ? ["-c default_transaction_read_only=on"] : []
        let bounds = [
            "-c statement_timeout=\(max(settings.statementTimeoutMillis, 0))",
            "-c lock_timeout=\(max(settings.lockTimeoutMillis, 0))",
            "-c idle_in_transaction_session_timeout=\(idleInTransactionTimeoutMillis)",
        ]
        let ours = (readOnly + bounds).joined(separator: " ")
        let theirs = userOptions(conninfo) ?? environment["PGOPTIONS"]
        guard let theirs, !theirs.trimmingCharacters(in: .whitespaces).isEmpty else { return ours }
        return theirs + " " + ours
    }

    /// The `options` value written in the connection string, as libpq parses it.
    private static func userOptions(_ conninfo: String) -> String? {
        guard !conninfo.isEmpty else { return nil }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &errorMessage) else {
            // A malformed string fails again in PQconnectdbParams, which reports it.
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(parsed) }
        var option = parsed
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "options", let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }
}
