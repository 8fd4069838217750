import CLibPQ
import Foundation

/// One libpq session opened read-only and bounded by timeouts, for catalog reads.
///
/// Not Sendable: a `PGconn` must not be used from two threads at once, so a connection stays with
/// the code that opened it.
public final class PostgresConnection {
    private let handle: OpaquePointer
    /// Queries sent through `query` (pings are counted apart, in `pingCount`).
    public private(set) var queryCount = 0
    public private(set) var pingCount = 0
    /// Statements sent through `measure`, `timed`, `prepare` and `deallocate`: probes, EXPLAIN,
    /// hypopg, pg_stat_statements. Bounded by the configuration, so counted apart from the catalog.
    public private(set) var measurementCount = 0

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// Opens a session; every safety setting travels in the startup packet, so no extra round trip
    /// is spent and no statement can run before the session is read-only.
    public static func open(conninfo: String, settings: PostgresSettings,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresConnection {
        let parameters = SessionParameters.keywords(conninfo: conninfo, settings: settings, environment: environment)
        let handle = withCStrings(parameters.map(\.0)) { keywords in
            withCStrings(parameters.map(\.1)) { values in
                // expand_dbname = 1: the first "dbname" may be a URL or keyword string; the keywords
                // after it then override what it says.
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let handle else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection (out of memory)")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = PostgresError.clean(String(cString: PQerrorMessage(handle)),
                                              redacting: ConnectionTarget.secrets(in: conninfo))
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: message)
        }
        return PostgresConnection(handle: handle)
    }

    /// Runs one parameterized statement (text format) and returns its rows; NULL is nil.
    public func query(_ sql: String, _ params: [String?] = []) throws -> [[String?]] {
        queryCount += 1
        return try rows(sql, params)
    }

    /// `query` for measurement statements, counted in `measurementCount`.
    public func measure(_ sql: String, _ params: [String?] = []) throws -> [[String?]] {
        measurementCount += 1
        return try rows(sql, params)
    }

    /// Times one parameterized round trip (rows fetched, then discarded), in milliseconds.
    public func timed(_ sql: String, _ params: [String?]) throws -> Double {
        measurementCount += 1
        // Parameters are copied before the clock starts: only the round trip is measured.
        let (result, elapsed) = withParameters(params) { pointers in
            let clock = ContinuousClock()
            let start = clock.now
            let result = PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            return (result, clock.now - start)
        }
        PQclear(try check(result))
        return Self.millis(elapsed)
    }

    /// Prepares a named statement at protocol level (one statement only: the server refuses more)
    /// and returns how many parameters it takes.
    public func prepare(name: String, _ sql: String) throws -> Int {
        measurementCount += 1
        let prepared = try check(PQprepare(handle, name, sql, 0, nil))
        PQclear(prepared)
        measurementCount += 1
        let described = try check(PQdescribePrepared(handle, name))
        defer { PQclear(described) }
        return Int(PQnparams(described))
    }

    private func rows(_ sql: String, _ params: [String?]) throws -> [[String?]] {
        let result = try execute(sql, params)
        defer { PQclear(result) }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        return (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// The first column of the first row, for single-value queries such as `SHOW`.
    public func value(_ sql: String, _ params: [String?] = []) throws -> String? {
        try query(sql, params).first?.first ?? nil
    }

    /// Times one `SELECT 1` round trip, in milliseconds, on a monotonic clock.
    public func ping() throws -> Double {
        pingCount += 1
        let clock = ContinuousClock()
        let start = clock.now
        let result = try execute("SELECT 1", [])
        let elapsed = clock.now - start
        PQclear(result)
        return Self.millis(elapsed)
    }

    private static func millis(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }

    private func execute(_ sql: String, _ params: [String?]) throws -> OpaquePointer {
        try check(withParameters(params) { pointers in
            PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        })
    }

    /// Calls `body` with C copies of the parameters (NULL stays a null pointer).
    private func withParameters<Result>(_ params: [String?], _ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
        let copies = params.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    /// The result when it succeeded; otherwise the server's error, cleared.
    private func check(_ result: OpaquePointer?) throws -> OpaquePointer {
        guard let result else {
            throw PostgresError(kind: .query, message: PostgresError.clean(String(cString: PQerrorMessage(handle))))
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = PostgresError.clean(String(cString: PQresultErrorMessage(result)))
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            PQclear(result)
            throw PostgresError(kind: .query, message: message, sqlState: sqlState)
        }
        return result
    }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the duration of the call.
private func withCStrings<Result>(_ strings: [String],
                                  _ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}
