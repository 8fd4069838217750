import Foundation

/// A minimal MCP client: the built `infra-guardian mcp` as a child process over pipes, one JSON-RPC
/// message a line, as Claude Code runs it. The environment is cleared of database and Redis URLs
/// (as `CommandLineRunner` does) so that a test reads only what it names.
final class MCPTestClient {
    struct ToolResult {
        var text: String
        var structured: [String: Any]
        var isError: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let stderrPath = NSTemporaryDirectory() + "infra-guardian-mcp-stderr-\(UUID().uuidString)"
    private var buffer = Data()
    private var nextID = 1

    init(in directory: String, arguments: [String] = ["mcp"]) throws {
        process.executableURL = URL(fileURLWithPath: try CommandLineRunner.binary())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("PG") && key != "DATABASE_URL" && key != "REDIS_URL"
        }
        guard FileManager.default.createFile(atPath: stderrPath, contents: nil) else { throw Failure(description: "cannot create \(stderrPath)") }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// What the server wrote to standard error (for failure messages).
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// `initialize`, then the `notifications/initialized` notification; returns the initialize result.
    func initialize() throws -> [String: Any] {
        let response = try request("initialize", ["protocolVersion": "2025-06-18", "capabilities": [String: Any](),
                                                  "clientInfo": ["name": "infra-guardian-tests", "version": "1"]])
        try send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        guard let result = response["result"] as? [String: Any] else { throw Failure(description: "initialize: \(response)") }
        return result
    }

    func send(_ message: [String: Any]) throws {
        try write(try JSONSerialization.data(withJSONObject: message))
    }

    /// Writes one line as is (a malformed message, say).
    func write(_ line: Data) throws {
        try input.fileHandleForWriting.write(contentsOf: line + Data([0x0A]))
    }

    /// Sends a request without waiting; returns its id.
    @discardableResult
    func start(_ method: String, _ params: [String: Any]? = nil) throws -> Int {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method]
        if let params { message["params"] = params }
        try send(message)
        return id
    }

    func request(_ method: String, _ params: [String: Any]? = nil, timeout: Double = 60) throws -> [String: Any] {
        try response(to: try start(method, params), timeout: timeout)
    }

    /// The response with `id`; anything else that arrives first (another response, a notification) is skipped.
    func response(to id: Int, timeout: Double = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let line = try readLine(until: deadline)
            if let message = try JSONSerialization.jsonObject(with: line) as? [String: Any], message["id"] as? Int == id {
                return message
            }
        }
    }

    func callTool(_ name: String, _ arguments: [String: Any] = [:], timeout: Double = 60) throws -> ToolResult {
        let response = try request("tools/call", ["name": name, "arguments": arguments], timeout: timeout)
        guard let result = response["result"] as? [String: Any],
              let content = result["content"] as? [[String: Any]], let text = content.first?["text"] as? String else {
            throw Failure(description: "tools/call \(name): not a tool result: \(response)")
        }
        return ToolResult(text: text, structured: result["structuredContent"] as? [String: Any] ?? [:],
                          isError: result["isError"] as? Bool ?? false)
    }

    func closeInput() throws { try input.fileHandleForWriting.close() }

    /// Stops reading: the server's next write fails (EPIPE).
    func closeOutput() throws { try output.fileHandleForReading.close() }

    /// The exit status, or nil when the process is still running after `timeout` seconds.
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    private func readLine(until deadline: Date) throws -> Data {
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "no answer in time; stderr: \(stderr)") }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { throw Failure(description: "the server closed its output; stderr: \(stderr)") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
