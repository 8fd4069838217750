import CLibPQ
import Foundation

/// One libpq session opened read-only and bounded by timeouts, for catalog reads.
///
/// libpq is used asynchronously (`PQconnectStartParams`/`PQconnectPoll`, `PQsendQueryParams` and
/// `poll(2)` on its socket), so every wait has a client-side end: `min(remaining deadline, own
/// timeout)`. statement_timeout is enforced by the server and cannot help when the backend is
/// stopped or the network drops packets. On expiry the query is cancelled (`PQcancel`, on a helper
/// thread, waited for at most `cancelWait`) and the session closed; later calls fail at once.
///
/// Not Sendable: a `PGconn` must not be used from two threads at once, so a connection stays with
/// the code that opened it.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    private let deadline: Deadline
    /// The client-side limit of one query when the deadline is further away.
    private let queryTimeout: Duration
    /// Queries sent through `query` (pings are counted apart, in `pingCount`).
    public private(set) var queryCount = 0
    public private(set) var pingCount = 0
    /// Statements sent through `measure`, `timed`, `prepare` and `deallocate`: probes, EXPLAIN,
    /// hypopg, pg_stat_statements. Bounded by the configuration, so counted apart from the catalog.
    public private(set) var measurementCount = 0
    /// What the session is doing, for the message when a wait runs out ("the catalog query").
    public var activity = "a query"
    /// Set when a wait ran out and the session was closed: every later call throws it again.
    public private(set) var cut: PostgresError?

    /// PQcancel blocks on a stopped or black-holed server: it is given this long, then abandoned.
    static let cancelWait: DispatchTimeInterval = .seconds(1)
    /// Beyond statement_timeout, how long the client waits for the server's own timeout error.
    static let statementGrace: Duration = .seconds(2)

    private init(handle: OpaquePointer, deadline: Deadline, queryTimeout: Duration) {
        self.handle = handle
        self.deadline = deadline
        self.queryTimeout = queryTimeout
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Opens a session; every safety setting travels in the startup packet, so no extra round trip
    /// is spent and no statement can run before the session is read-only.
    public static func open(conninfo: String, settings: PostgresSettings,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            deadline: Deadline = Deadline(seconds: Deadline.defaultAuditSeconds)) throws -> PostgresConnection {
        try open(conninfo: conninfo, settings: settings, environment: environment, deadline: deadline, access: .readOnly)
    }

    /// A session that may write, for `verify` only: `database` (which it created) on a scratch server.
    static func openScratch(conninfo: String, database: String?, settings: PostgresSettings,
                            deadline: Deadline) throws -> PostgresConnection {
        try open(conninfo: conninfo, settings: settings, environment: ProcessInfo.processInfo.environment,
                 deadline: deadline, access: .scratch, database: database)
    }

    private static func open(conninfo: String, settings: PostgresSettings, environment: [String: String],
                             deadline: Deadline, access: SessionAccess, database: String? = nil) throws -> PostgresConnection {
        let parameters = SessionParameters.keywords(conninfo: conninfo, settings: settings, environment: environment,
                                                    access: access, database: database)
        let started = withCStrings(parameters.map(\.0)) { keywords in
            withCStrings(parameters.map(\.1)) { values in
                // expand_dbname = 1: the first "dbname" may be a URL or keyword string; the keywords
                // after it then override what it says.
                PQconnectStartParams(keywords, values, 1)
            }
        }
        guard let handle = started else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection (out of memory)")
        }
        let secrets = ConnectionTarget.secrets(in: conninfo)
        func failed() -> PostgresError {
            let message = PostgresError.clean(String(cString: PQerrorMessage(handle)), redacting: secrets)
            PQfinish(handle)
            return PostgresError(kind: .connection, message: message)
        }
        guard PQstatus(handle) != CONNECTION_BAD else { throw failed() }
        let bound = deadline.bound(.seconds(max(settings.connectTimeoutSeconds, 1)))
        let end = bound.end
        var state = PGRES_POLLING_WRITING
        while state != PGRES_POLLING_OK {
            switch state {
            case PGRES_POLLING_FAILED:
                throw failed()
            case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
                let events = Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT)
                if !wait(PQsocket(handle), events: events, until: end) {
                    PQfinish(handle)
                    throw PostgresError(kind: .deadline, message: "connecting to PostgreSQL: \(bound.explanation)")
                }
            default:
                break
            }
            state = PQconnectPoll(handle)
        }
        // Non-blocking sends: a full socket buffer (a stalled peer) must not block a write either.
        guard PQsetnonblocking(handle, 1) == 0 else { throw failed() }
        // The server's NOTICEs ("relation … already exists, skipping" while verify re-applies a
        // migration) are not ours to print: libpq's default writes them to standard error.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        let statementTimeout = settings.statementTimeoutMillis > 0
            ? Duration.milliseconds(settings.statementTimeoutMillis) + statementGrace : Duration.seconds(Deadline.maximumSeconds)
        return PostgresConnection(handle: handle, deadline: deadline, queryTimeout: statementTimeout)
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
        let clock = ContinuousClock()
        var start = clock.now
        let result = try exchange { handle in
            withParameters(params) { pointers in
                start = clock.now
                return PQsendQueryParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            }
        }
        let elapsed = clock.now - start
        PQclear(try check(result))
        return Self.millis(elapsed)
    }

    /// Prepares a named statement at protocol level (one statement only: the server refuses more)
    /// and returns how many parameters it takes.
    public func prepare(name: String, _ sql: String) throws -> Int {
        measurementCount += 1
        PQclear(try check(exchange { PQsendPrepare($0, name, sql, 0, nil) }))
        measurementCount += 1
        let described = try check(exchange { PQsendDescribePrepared($0, name) })
        defer { PQclear(described) }
        return Int(PQnparams(described))
    }

    /// Sends `sql` as one simple-protocol query (it may hold several statements, which PostgreSQL
    /// runs as one implicit transaction block, as dbmate sends a `transaction:false` section).
    /// Scratch sessions only (`verify`).
    func run(_ sql: String) throws {
        queryCount += 1
        PQclear(try check(exchange { PQsendQuery($0, sql) }))
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
        try check(exchange { handle in
            withParameters(params) { pointers in
                PQsendQueryParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            }
        })
    }

    /// Sends one request with `send` and waits for all its results, within the bound. Returns the
    /// first error result, else the last result (as `PQexec` would); nil when libpq itself failed.
    private func exchange(_ send: (OpaquePointer) -> Int32) throws -> OpaquePointer? {
        if let cut { throw cut }
        guard let handle else { throw PostgresError(kind: .connection, message: "the session is closed") }
        let bound = deadline.bound(queryTimeout)
        let end = bound.end
        guard send(handle) == 1 else { return nil }
        // Flush what the non-blocking send queued; the server may need reading meanwhile.
        while true {
            let flushed = PQflush(handle)
            if flushed == 0 { break }
            if flushed < 0 { return nil }
            guard Self.wait(PQsocket(handle), events: Int16(POLLIN | POLLOUT), until: end) else { throw expire(bound) }
            guard PQconsumeInput(handle) == 1 else { return nil }
        }
        var kept: OpaquePointer?
        while true {
            while PQisBusy(handle) == 1 {
                guard Self.wait(PQsocket(handle), events: Int16(POLLIN), until: end) else {
                    if let kept { PQclear(kept) }
                    throw expire(bound)
                }
                guard PQconsumeInput(handle) == 1 else {
                    if let kept { PQclear(kept) }
                    return nil
                }
            }
            guard let result = PQgetResult(handle) else { break }
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                // No COPY is ever meant to run here (probes and packs refuse it): the session is
                // left in copy mode, so it is closed rather than reused.
                PQclear(result)
                if let kept { PQclear(kept) }
                close()
                throw PostgresError(kind: .query, message: "the statement started a COPY, which the audit never runs; the session was closed")
            }
            if let previous = kept {
                if PQresultStatus(previous) == PGRES_FATAL_ERROR {
                    PQclear(result)
                    continue
                }
                PQclear(previous)
            }
            kept = result
        }
        return kept
    }

    /// The wait ran out: cancel what runs on the server, close the session, remember why.
    private func expire(_ bound: Deadline.Bound) -> PostgresError {
        if let handle, let request = CancelRequest(handle) {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                request.send()
                done.signal()
            }
            thread.start()
            _ = done.wait(timeout: .now() + Self.cancelWait)
        }
        close()
        let error = PostgresError(kind: .deadline, message: "\(activity): \(bound.explanation)")
        cut = error
        return error
    }

    private func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Waits until the socket is ready for `events` or `end` passes; false when time ran out.
    private static func wait(_ socket: Int32, events: Int16, until end: ContinuousClock.Instant) -> Bool {
        guard socket >= 0 else { return true }  // libpq reports the broken socket itself
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        while true {
            let left = end - ContinuousClock.now
            guard left > .zero else { return false }
            let ready = poll(&descriptor, 1, left.pollMillis)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // let libpq read the error
        }
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
            let message = handle.map { String(cString: PQerrorMessage($0)) } ?? ""
            throw PostgresError(kind: .query, message: PostgresError.clean(message))
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = PostgresError.clean(String(cString: PQresultErrorMessage(result)))
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let position = PQresultErrorField(result, Int32(UInt8(ascii: "P"))).flatMap { Int(String(cString: $0)) }
            PQclear(result)
            var error = PostgresError(kind: .query, message: message, sqlState: sqlState)
            error.position = position
            throw error
        }
        return result
    }
}

/// Owns a `PGcancel` so that the cancel request can be sent from a helper thread: `PQcancel` opens
/// its own connection and blocks until the server answers, which a stopped server never does.
private final class CancelRequest: @unchecked Sendable {
    private let handle: OpaquePointer

    init?(_ connection: OpaquePointer) {
        guard let handle = PQgetCancel(connection) else { return nil }
        self.handle = handle
    }

    deinit { PQfreeCancel(handle) }

    func send() {
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &message, Int32(message.count))
    }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the duration of the call.
private func withCStrings<Result>(_ strings: [String],
                                  _ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}
