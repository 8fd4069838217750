import Foundation

/// Compares migration files with a git revision (`--base REF`) in three git calls whatever the number of
/// files, so an edit to a migration that existed at the base — and may already run in production — is
/// caught before merge.
public enum GitBaseline {
    public static func compare(_ set: MigrationSet, base: String, root: String) -> MigrationSet {
        var set = set
        set.base = base
        let folders = set.folders.filter(\.exists).map(\.path)
        guard !folders.isEmpty else { return set }
        let result = run(["git", "diff", "--name-status", "--no-renames", "--relative", base, "--"] + folders, in: root)
        guard result.status == 0 else {
            set.baseError = "cannot compare with \(base): \(result.error.isEmpty ? "git diff failed" : result.error)"
            return set
        }
        var changes: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            changes[normalize(parts[1])] = parts[0]
        }
        // `git diff` does not list untracked files: what is absent from the base tree is new.
        let listing = run(["git", "ls-tree", "-r", "--name-only", "--full-name", base, "--"] + folders, in: root)
        let prefix = run(["git", "rev-parse", "--show-prefix"], in: root).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let atBase = Set(listing.output.split(separator: "\n").map { line in
            line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : String(line)
        })
        for index in set.files.indices {
            let path = normalize(set.files[index].path)
            switch changes[path] {
            case "M"?, "T"?: set.files[index].baseState = .modified
            case "A"?: set.files[index].baseState = .added
            default: set.files[index].baseState = atBase.contains(path) ? .unchanged : .added
            }
        }
        set.deletedSinceBase = changes.filter { $0.value == "D" && $0.key.hasSuffix(".sql") }.map(\.key).sorted()
        return set
    }

    private static func normalize(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static func run(_ arguments: [String], in directory: String) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // Never our standard input: under `infra-guardian mcp` it carries the protocol.
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            return Result(status: -1, output: "", error: "cannot run git: \(error.localizedDescription)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: errors, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), error: message)
    }
}
