import CHiredis
import Foundation

/// One blocking hiredis connection. Not Sendable: a hiredis context must stay on one thread.
///
/// Every wait is bounded: the connect by `min(remaining deadline, connect_timeout_ms)`, each command
/// by `min(remaining deadline, command_timeout_ms)` (hiredis socket timeouts, set before each
/// command), so a server that accepts and never answers costs a timeout, never a hang.
public final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    private var commandTimeoutMillis: Int
    private let deadline: Deadline
    /// The bound of the command in flight, for its timeout message.
    private var currentBound: Deadline.Bound?

    /// Connects, authenticates, selects the database and names the client.
    public init(url: RedisURL, settings: RedisSettings,
                deadline: Deadline = Deadline(seconds: Deadline.defaultAuditSeconds)) throws {
        let connectBound = deadline.bound(.milliseconds(max(1, settings.connectTimeoutMillis)))
        guard connectBound.limit > .zero else {
            throw RedisError.timeout("connecting to Redis at \(url.location): \(connectBound.explanation) before it started")
        }
        let connectTimeout = Self.timeval(millis: Int(connectBound.limit.pollMillis))
        let connected: UnsafeMutablePointer<redisContext>?
        switch url.endpoint {
        case let .tcp(host, port): connected = redisConnectWithTimeout(host, Int32(port), connectTimeout)
        case let .unix(path): connected = redisConnectUnixWithTimeout(path, connectTimeout)
        }
        guard let connected else {
            throw RedisError.connection("cannot connect to \(url.location): hiredis could not allocate a context")
        }
        // Assigned before any throw below so that deinit frees the context on every path.
        context = connected
        commandTimeoutMillis = settings.commandTimeoutMillis
        self.deadline = deadline
        if connected.pointee.err != 0 {
            let detail = Self.errorText(connected)
            if detail.lowercased().contains("timed out") {
                if connectBound.byDeadline {
                    throw RedisError.timeout("connecting to Redis at \(url.location): \(connectBound.explanation)")
                }
                throw RedisError.timeout("connection to \(url.location) timed out after \(settings.connectTimeoutMillis) ms "
                    + "(check the host, port and firewall; raise redis.connect_timeout_ms if the network is slow)")
            }
            throw RedisError.connection("cannot connect to \(url.location): \(detail)")
        }
        try handshake(url)
    }

    deinit { redisFree(context) }

    private func handshake(_ url: RedisURL) throws {
        if let password = url.password {
            try expectOK(url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if url.database != 0 { try expectOK(["SELECT", String(url.database)]) }
        // Naming the client only helps operators reading CLIENT LIST; managed services may forbid it.
        // A NOAUTH answer, though, means the password is missing, and says so earlier than INFO would.
        if case let .error(message) = try command(["CLIENT", "SETNAME", "infra-guardian"]), message.hasPrefix("NOAUTH") {
            throw RedisError.reply(message, to: "CLIENT SETNAME")
        }
    }

    private func expectOK(_ args: [String]) throws {
        if case let .error(message) = try command(args) { throw RedisError.reply(message, to: args[0]) }
    }

    /// Sends one command. Error replies are returned as `.error`; I/O failures and timeouts throw.
    /// Thrown messages name the command only: its arguments may be a password.
    public func command(_ args: [String]) throws -> RedisReply {
        let name = Self.displayName(args)
        // Without a socket timeout a server that accepts but never answers would hang the audit.
        try setTimeout(for: name)
        let buffers = args.map { Array($0.utf8CString) }
        let lengths = buffers.map { $0.count - 1 }  // without the terminating NUL
        let raw: UnsafeMutableRawPointer? = withPointers(buffers) { pointers in
            pointers.withUnsafeMutableBufferPointer { argv in
                redisCommandArgv(context, Int32(args.count), argv.baseAddress, lengths)
            }
        }
        guard let raw else { throw failure(during: name) }
        defer { freeReplyObject(raw) }
        return RedisReply(raw.assumingMemoryBound(to: redisReply.self).pointee)
    }

    /// Sends `commands` in one write and reads their replies in order: one round trip for a batch.
    /// Arguments are bytes (key names need not be UTF-8). Error replies come back as `.error`.
    func pipeline(_ commands: [[[UInt8]]], name: String) throws -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        try setTimeout(for: name)
        // The whole batch framed once and appended in one call: argument by argument, copying each
        // key into a C string cost more than the server took to answer (scripts/bench/redis-sample).
        let framed = Self.frame(commands)
        let appended = framed.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { redisAppendFormattedCommand(context, $0.baseAddress, $0.count) }
        }
        guard appended == REDIS_OK else { throw failure(during: name) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw failure(during: name) }
            defer { freeReplyObject(raw) }
            replies.append(RedisReply(raw.assumingMemoryBound(to: redisReply.self).pointee))
        }
        return replies
    }

    /// Commands in the protocol's framing (RESP arrays of bulk strings), as hiredis would write them.
    static func frame(_ commands: [[[UInt8]]]) -> [UInt8] {
        var size = 0
        for command in commands {
            size += 16
            for argument in command { size += argument.count + 16 }
        }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        func line(_ marker: UInt8, _ count: Int) {
            out.append(marker)
            var divisor = 1
            while divisor * 10 <= count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(count / divisor % 10))
                divisor /= 10
            }
            out.append(13)
            out.append(10)
        }
        for command in commands {
            line(UInt8(ascii: "*"), command.count)
            for argument in command {
                line(UInt8(ascii: "$"), argument.count)
                out.append(contentsOf: argument)
                out.append(13)
                out.append(10)
            }
        }
        return out
    }

    /// `SCAN cursor COUNT count`: the next cursor and the keys as bytes, never decoded as text.
    func scan(cursor: String, count: Int) throws -> (cursor: String, keys: [[UInt8]]) {
        try setTimeout(for: "SCAN")
        let args = ["SCAN", cursor, "COUNT", String(count)].map { Array($0.utf8) }
        let raw: UnsafeMutableRawPointer? = withByteArguments(args) { pointers in
            pointers.withUnsafeMutableBufferPointer { argv in
                redisCommandArgv(context, Int32(args.count), argv.baseAddress, args.map(\.count))
            }
        }
        guard let raw else { throw failure(during: "SCAN") }
        defer { freeReplyObject(raw) }
        let reply = raw.assumingMemoryBound(to: redisReply.self).pointee
        if reply.type == REDIS_REPLY_ERROR { throw RedisError.reply(RedisReply(reply).text ?? "error", to: "SCAN") }
        guard reply.type == REDIS_REPLY_ARRAY, reply.elements == 2, let elements = reply.element,
              let next = elements[0]?.pointee, let list = elements[1]?.pointee, list.type == REDIS_REPLY_ARRAY else {
            throw RedisError.server("SCAN gave an unexpected reply")
        }
        let keys = (0..<Int(list.elements)).compactMap { index -> [UInt8]? in
            guard let key = list.element?[index]?.pointee, let bytes = key.str else { return nil }
            return Array(UnsafeRawBufferPointer(start: bytes, count: Int(key.len)))
        }
        return (RedisReply(next).text ?? "0", keys)
    }

    /// Runs `body` with each command bounded by `limit` too (a sampling budget), then restores the bound.
    func withCommandTimeout<T>(atMost limit: Duration, _ body: () throws -> T) throws -> T {
        let saved = commandTimeoutMillis
        defer { commandTimeoutMillis = saved }
        let parts = limit.components
        let millis = Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
        guard millis > 0 else { throw RedisError.timeout("the sampling budget ran out") }
        commandTimeoutMillis = min(saved, millis)
        return try body()
    }

    private func setTimeout(for name: String) throws {
        let bound = deadline.bound(.milliseconds(max(1, commandTimeoutMillis)))
        guard bound.limit > .zero else { throw RedisError.timeout("\(name) was not sent: \(bound.explanation)") }
        currentBound = bound
        guard redisSetTimeout(context, Self.timeval(millis: Int(bound.limit.pollMillis))) == REDIS_OK else {
            throw RedisError.connection("cannot set the command timeout: \(Self.errorText(context))")
        }
    }

    /// hiredis reports a read timeout as EAGAIN ("Resource temporarily unavailable"), which would
    /// puzzle a user; it is turned into an explicit timeout message.
    private func failure(during command: String) -> RedisError {
        let detail = Self.errorText(context)
        if detail.contains("temporarily unavailable") || detail.lowercased().contains("timed out") {
            if let bound = currentBound, bound.byDeadline {
                return .timeout("waiting for the reply to \(command): \(bound.explanation)")
            }
            return .timeout("timed out after \(commandTimeoutMillis) ms waiting for the reply to \(command) "
                + "(the server accepted the connection but did not answer; raise redis.command_timeout_ms if it is just slow)")
        }
        if context.pointee.err == REDIS_ERR_PROTOCOL {
            return .connection("the server did not answer \(command) in the Redis protocol (\(detail)); is this port a Redis server?")
        }
        if context.pointee.err == REDIS_ERR_EOF {
            return .connection("the server closed the connection during \(command): \(detail)")
        }
        return .connection("\(command) failed: \(detail)")
    }

    /// The command and, for container commands, its subcommand: never further arguments,
    /// which may be a password (AUTH) or a key name.
    static func displayName(_ args: [String]) -> String {
        guard let first = args.first?.uppercased() else { return "(empty command)" }
        let containers: Set = ["CLIENT", "CONFIG", "MEMORY", "ACL", "COMMAND", "SLOWLOG", "LATENCY"]
        guard containers.contains(first), args.count > 1 else { return first }
        return first + " " + args[1].uppercased()
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        let bytes = withUnsafeBytes(of: context.pointee.errstr) { Array($0.prefix { $0 != 0 }) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? "unknown error (hiredis code \(context.pointee.err))" : text
    }

    private static func timeval(millis: Int) -> Foundation.timeval {
        let clamped = max(1, millis)
        return Foundation.timeval(tv_sec: clamped / 1000, tv_usec: .init((clamped % 1000) * 1000))
    }
}

/// Keeps every argument buffer alive while hiredis reads it.
private func withPointers<R>(_ buffers: [[CChar]], _ body: (inout [UnsafePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafePointer<CChar>?] = []
    func nest(_ index: Int) -> R {
        guard index < buffers.count else { return body(&pointers) }
        return buffers[index].withUnsafeBufferPointer { buffer in
            pointers.append(buffer.baseAddress)
            return nest(index + 1)
        }
    }
    return nest(0)
}

/// Keeps every byte argument alive while hiredis reads it (an empty one gets a valid address too).
private func withByteArguments<R>(_ buffers: [[UInt8]], _ body: (inout [UnsafePointer<CChar>?]) -> R) -> R {
    withPointers(buffers.map { $0.map { CChar(bitPattern: $0) } + [0] }, body)
}
