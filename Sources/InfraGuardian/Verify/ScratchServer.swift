import CLibPQ
import Foundation

/// A throwaway PostgreSQL that `verify` starts when no `--scratch-url` is given: `initdb` in a
/// temporary folder, trust authentication for its own superuser, listening on a free loopback port
/// only, fsync off (nothing in it is kept). `stop()` stops it and removes the folder; it is also
/// called on Ctrl-C (`ScratchCleanup`).
///
/// PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user through
/// `runuser` when both exist, with the folder given to that user.
final class ScratchServer: Sendable {
    let binaries: String
    let folder: String
    /// The port tried first (`start()` returns the one it listens on).
    private let port: Int
    private let runAs: String?

    /// The binaries' folder: `--pg-bin`, else the first of `initdb` on PATH and the
    /// `/usr/lib/postgresql/*/bin` folders (newest first) that has every extension in `extensions`
    /// (the migrations' `CREATE EXTENSION`s), else the first of them. Nil when none holds `initdb`,
    /// `pg_ctl` and `postgres`.
    static func findBinaries(explicit: String?, extensions: Set<String> = [],
                             environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        // Absolute: the server runs in its own folder (and as another user when we are root).
        func absolute(_ folder: String) -> String { URL(fileURLWithPath: folder).standardizedFileURL.path }
        if let explicit { return isComplete(explicit) ? absolute(explicit) : nil }
        let candidates = candidateFolders(environment)
        return candidates.first { missingExtensions(extensions, in: $0).isEmpty } ?? candidates.first
    }

    /// Complete server folders in order of preference, each once.
    private static func candidateFolders(_ environment: [String: String]) -> [String] {
        let manager = FileManager.default
        var folders: [String] = []
        for folder in (environment["PATH"] ?? "").split(separator: ":").map({ URL(fileURLWithPath: String($0)).standardizedFileURL.path }) {
            let initdb = "\(folder)/initdb"
            guard manager.isExecutableFile(atPath: initdb) else { continue }
            let resolved = (try? manager.destinationOfSymbolicLink(atPath: initdb))
                .map { $0.hasPrefix("/") ? $0 : "\(folder)/\($0)" } ?? initdb
            folders.append((resolved as NSString).deletingLastPathComponent)
        }
        let versions = ((try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >)
        folders += versions.map { "/usr/lib/postgresql/\($0)/bin" }
        var seen: Set<String> = []
        return folders.filter { isComplete($0) && seen.insert($0).inserted }
    }

    private static func isComplete(_ folder: String) -> Bool {
        ["initdb", "pg_ctl", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(folder)/\($0)") }
    }

    /// The extensions of `names` whose control file the server in `binaries` lacks. Its extension
    /// folder is `pg_config --sharedir`/extension; without `pg_config`, nothing is known missing.
    static func missingExtensions(_ names: Set<String>, in binaries: String) -> Set<String> {
        guard !names.isEmpty, let share = sharedDirectory(binaries) else { return [] }
        return names.filter { !FileManager.default.fileExists(atPath: "\(share)/extension/\($0).control") }
    }

    private static func sharedDirectory(_ binaries: String) -> String? {
        let tool = "\(binaries)/pg_config"
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--sharedir"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// Creates the server's temporary folder; `start()` runs initdb and starts it. Register `stop()`
    /// for cleanup between the two, so that an interrupted start leaves nothing behind.
    init(binaries: String) throws {
        self.binaries = binaries
        let root = geteuid() == 0
        if root {
            guard getpwnam("postgres") != nil, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
                    || FileManager.default.isExecutableFile(atPath: "/sbin/runuser") else {
                throw VerifyError("PostgreSQL refuses to run as root and there is no `postgres` user to run it as: run verify as a normal user, or pass --scratch-url")
            }
            runAs = "postgres"
        } else {
            runAs = nil
        }
        let base = FileManager.default.temporaryDirectory.path
        folder = "\(base)/infra-guardian-verify-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        port = Int.random(in: 20_000...60_000)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        if let runAs { try Self.give(folder, to: runAs) }
    }

    /// Runs initdb and starts the server; throws with the server's own words when either fails.
    /// Returns the port it listens on.
    func start() throws -> Int {
        try Self.run(binaries, "initdb", ["-D", "\(folder)/data", "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                          "--locale=C", "--no-sync"], in: folder, as: runAs)
        return try Self.start(binaries, in: folder, as: runAs, firstPort: port)
    }

    /// Starts `postgres` itself (not `pg_ctl start`: the server it leaves behind inherits the
    /// descriptor Foundation watches to see its child exit, and `waitUntilExit` would never return)
    /// on a random unprivileged loopback port, and waits until it accepts connections; a port in use
    /// is retried with another.
    private static func start(_ binaries: String, in folder: String, as user: String?, firstPort: Int) throws -> Int {
        let log = "\(folder)/server.log"
        for attempt in 0..<5 {
            let port = attempt == 0 ? firstPort : Int.random(in: 20_000...60_000)
            let process = try spawn(binaries, "postgres", ["-D", "\(folder)/data", "-p", "\(port)", "-k", folder,
                                                           "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                                                           "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                                                           "-c", "max_connections=20"],
                                    in: folder, as: user, output: log)
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if PQping(adminConninfo(port: port)) == PQPING_OK { return port }
                if !process.isRunning { break }
                usleep(50_000)
            }
            let words = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if process.isRunning {
                process.terminate()
                throw VerifyError("the throwaway PostgreSQL did not accept connections within 30 s: \(tail(words))")
            }
            guard words.contains("could not bind") || words.contains("already in use") else {
                throw VerifyError("the throwaway PostgreSQL did not start: \(tail(words))")
            }
        }
        throw VerifyError("the throwaway PostgreSQL found no free port in five tries")
    }

    private static func tail(_ words: String) -> String {
        words.split(whereSeparator: \.isNewline).suffix(4).joined(separator: " | ")
    }

    /// A libpq keyword string for the server's `postgres` database as its superuser.
    static func adminConninfo(port: Int) -> String { "host=127.0.0.1 port=\(port) user=postgres dbname=postgres" }

    /// Stops the server (fast shutdown, then immediate) and removes its folder. Safe to call twice.
    func stop() { Self.stop(binaries, folder: folder, as: runAs) }

    private static func stop(_ binaries: String, folder: String, as user: String?) {
        if FileManager.default.fileExists(atPath: "\(folder)/data/postmaster.pid") {
            let data = "\(folder)/data"
            if (try? run(binaries, "pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "10", "stop"], in: folder, as: user)) == nil {
                try? run(binaries, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "10", "stop"], in: folder, as: user)
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs a tool to its end; throws with its last lines when it fails.
    private static func run(_ binaries: String, _ tool: String, _ arguments: [String], in folder: String, as user: String?) throws {
        let outputPath = "\(folder)/\(tool).out"
        let process = try spawn(binaries, tool, arguments, in: folder, as: user, output: outputPath)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let words = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
            throw VerifyError("\(tool) failed (exit \(process.terminationStatus)): \(tail(words))")
        }
    }

    /// Starts a tool (as `user` through runuser when given), its output appended to `output`.
    private static func spawn(_ binaries: String, _ tool: String, _ arguments: [String], in folder: String, as user: String?,
                              output outputPath: String) throws -> Process {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser")
            process.arguments = ["-u", user, "--", "\(binaries)/\(tool)"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "\(binaries)/\(tool)")
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        if !FileManager.default.fileExists(atPath: outputPath) {
            guard FileManager.default.createFile(atPath: outputPath, contents: nil) else { throw VerifyError("cannot write \(outputPath)") }
        }
        guard let output = FileHandle(forWritingAtPath: outputPath) else { throw VerifyError("cannot write \(outputPath)") }
        defer { try? output.close() }
        output.seekToEndOfFile()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func give(_ folder: String, to user: String) throws {
        try FileManager.default.setAttributes([.ownerAccountName: user], ofItemAtPath: folder)
    }
}

/// Why `verify` could not set up or clean up (exit 2 when nothing could be verified).
public struct VerifyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
