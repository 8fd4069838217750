import Foundation

/// Runs the built `infra-guardian` binary the way CI and users do, capturing output and exit code.
struct CommandLineRunner {
    struct Result {
        var exitCode: Int32
        /// The process's id (verify names its scratch databases after it).
        var pid: Int32 = 0
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) not found: run `swift build` before `swift test` (make test does)" }
    }

    /// The executable sits beside the test bundle in the build products folder.
    static func binary() throws -> String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [products.appendingPathComponent("infra-guardian").path]
        // Swift Testing on Linux may run from inside the .xctest bundle path.
        candidates.append(products.deletingLastPathComponent().appendingPathComponent("infra-guardian").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BinaryMissing(path: candidates[0])
        }
        return found
    }

    /// - Parameter environment: replaces the inherited DATABASE_URL/REDIS_URL/PG* so tests are hermetic.
    /// - Parameter input: written to the process's stdin, which is then closed (nil: no stdin at all).
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                    input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("PG") && key != "DATABASE_URL" && key != "REDIS_URL"
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        if let stdin, let input {
            // Written from another thread: a large input must not dead-lock against unread output. A
            // process that stops reading early closes the pipe: the write fails instead of killing us.
            signal(SIGPIPE, SIG_IGN)
            let writer = stdin.fileHandleForWriting
            Thread.detachNewThread {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(exitCode: process.terminationStatus, pid: process.processIdentifier, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The repository root (for db/migrations and scripts/).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Applies dbmate migrations with the project's own script (psql), as the demo does.
    static func applyMigrations(url: String, folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: repositoryRoot + "/scripts/apply-migrations")
        process.arguments = [url, folder]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw AdminError(message: "apply-migrations failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}
