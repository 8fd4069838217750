import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP relay in front of a real Redis that lets a test act between two requests of the client:
/// run something first (delete keys between SCAN and TYPE), or stall for good (a server that stops
/// answering mid-scan) without pausing the shared server for the other tests.
///
/// One client at a time, served by one thread; `stop()` ends it. `@unchecked Sendable`: it owns
/// socket descriptors, and its mutable state is guarded by `lock`.
final class RedisRelay: @unchecked Sendable {
    enum Action { case forward, stall }

    /// What the client has sent so far: the SCAN commands counted, and whether this chunk holds a
    /// given command (RESP spells each argument on a line of its own).
    struct Request {
        var bytes: [UInt8]
        var scansSoFar: Int

        func contains(command: String) -> Bool {
            RedisRelay.count(Array("\r\n\(command)\r\n".utf8), in: bytes) > 0
        }
    }

    let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let onRequest: @Sendable (Request) -> Action
    private let lock = NSLock()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)

    /// - Parameter onRequest: called on the relay's thread with each chunk the client sends,
    ///   before it is forwarded.
    init(upstreamPort: Int, onRequest: @escaping @Sendable (Request) -> Action) throws {
        self.upstreamPort = upstreamPort
        self.onRequest = onRequest
        (listener, port) = try LoopbackSocket.listening()
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.start()
    }

    /// Ends the relay (within about 50 ms) and closes its sockets. Call it once.
    func stop() {
        lock.withLock { stopping = true }
        done.wait()
        close(listener)
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        while !isStopping {
            guard wait(for: listener) else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            if let upstream = try? LoopbackSocket.connected(toPort: upstreamPort) {
                relay(client: client, upstream: upstream)
                close(upstream)
            }
            close(client)
        }
    }

    private func relay(client: Int32, upstream: Int32) {
        var scans = 0
        var stalled = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let scan = Array("\r\nSCAN\r\n".utf8)
        while !isStopping {
            var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 50) >= 0 else { return }
            if fds[0].revents != 0 {
                let read = recv(client, &buffer, buffer.count, 0)
                guard read > 0 else { return }                   // the client hung up
                let chunk = Array(buffer[0..<read])
                guard !stalled else { continue }                 // swallowed: never answered
                scans += Self.count(scan, in: chunk)
                if onRequest(Request(bytes: chunk, scansSoFar: scans)) == .stall {
                    stalled = true
                    continue
                }
                guard Self.sendAll(chunk, to: upstream) else { return }
            }
            if fds[1].revents != 0 {
                let read = recv(upstream, &buffer, buffer.count, 0)
                guard read > 0 else { return }
                if !stalled, !Self.sendAll(Array(buffer[0..<read]), to: client) { return }
            }
        }
    }

    /// Waits up to 50 ms for a connection, so that `stop()` is noticed.
    private func wait(for descriptor: Int32) -> Bool {
        var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        return poll(&fds, 1, 50) > 0
    }

    private static func sendAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, flags) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    static func count(_ needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard haystack.count >= needle.count else { return 0 }
        return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }.count
    }
}
