import ArgumentParser
import Foundation
import InfraGuardian

/// Where to look: shared by audit, collect and health.
struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or libpq keyword string (else DATABASE_URL, else PG* variables / ~/.pgpass / PGSERVICE).",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("Redis URL redis://[user:pass@]host:port/db (else REDIS_URL).", valueName: "url"))
    var redisURL: String?

    @Option(name: .long, help: ArgumentHelp(
        "A migration folder (repeatable; default: db/migrations and supabase/migrations where they exist).",
        valueName: "dir"))
    var migrations: [String] = []

    @Option(name: .long, help: ArgumentHelp("Root of the TypeScript source tree.", valueName: "dir"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp(
        "A git revision (e.g. origin/main): migrations that existed there and changed since are CRITICAL.",
        valueName: "ref"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).",
                                            valueName: "file"))
    var config: String?

    func loadConfiguration() throws -> Configuration {
        try ConfigurationLoader.load(explicitPath: config, directory: FileManager.default.currentDirectoryPath)
    }

    func loadSetup() throws -> Setup {
        try loadCommandSetup(config: config)
    }

    func request(deadline: Double) throws -> AuditRequest {
        let checked: Deadline
        do {
            checked = try Deadline.validated(deadline)
        } catch let error as Deadline.InvalidDeadline {
            throw UsageError(message: error.message)
        }
        return AuditRequest(databaseURL: databaseURL, redisURL: redisURL,
                            migrationFolders: migrations.isEmpty ? nil : migrations, sourceRoot: source,
                            base: base, deadline: checked)
    }
}

/// `--deadline`: one overall limit for the live collection, so nothing can hang (shared help text).
enum DeadlineHelp {
    static func text(default seconds: Double) -> ArgumentHelp {
        ArgumentHelp("""
            Overall time limit in seconds for reading PostgreSQL and Redis (default \(Int(seconds)), at most \
            \(Int(Deadline.maximumSeconds))). Every connection and query waits at most what is left; when it \
            expires the report still renders with what was collected, names what was cut and the gate FAILs \
            (audit incomplete).
            """, valueName: "seconds")
    }
}

struct Setup {
    var configuration: Configuration
    var packs: [RulePack]
    var evaluator: Evaluator
}

/// The configuration, the rule packs it names (plus the built-in ones) and every rule: the one place
/// every command loads them. With `validate`, unknown rule ids in `rules:` are configuration errors
/// (exit 2), as broken packs always are.
/// `sqlRules: false` (lint, which runs migration rules only) skips the SQL rule packs unless the
/// configuration names rules or packs, which must still be checked: parsing the built-in packs
/// costs about 2 ms of every start.
func loadCommandSetup(config: String?, validate: Bool = true, sqlRules: Bool = true) throws -> Setup {
    let directory = FileManager.default.currentDirectoryPath
    let configuration = try ConfigurationLoader.load(explicitPath: config, directory: directory)
    let packsMatter = sqlRules || !configuration.rules.isEmpty || !configuration.rulePacks.isEmpty
    let packs = packsMatter ? try RulePackLoader.load(configuration, directory: directory) : []
    let evaluator = Evaluator(rules: RuleRegistry.all(packs: packs))
    if validate, let error = evaluator.unknownRuleSettings(in: configuration).first { throw error }
    return Setup(configuration: configuration, packs: packs, evaluator: evaluator)
}

/// A JSON lint report: standard output gets its pieces as they are written (`FindingsJSONWriter.write`).
func emit(json report: LintReport, to output: String?) throws {
    guard output == nil else { return try emit(FindingsJSONWriter.render(report), to: output) }
    FindingsJSONWriter.write(report) { piece in
        piece.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base),
                                                 count: bytes.count, deallocator: .none))
        }
    }
}

/// Writes to --output or stdout. A regular file is replaced atomically (no half-written report on a
/// crash); anything else (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: an atomic write
/// renames a temporary file over the target and would replace the device itself.
func emit(_ text: String, to output: String?) throws {
    guard let output else {
        // Written from the string's own bytes: a copy into `Data` cost a page fault per 4 KB.
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base),
                                                 count: bytes.count, deallocator: .none))
        }
        return
    }
    do {
        let attributes = try? FileManager.default.attributesOfItem(atPath: output)
        let type = attributes?[.type] as? FileAttributeType
        if let type, type != .typeRegular {
            guard let handle = FileHandle(forWritingAtPath: output) else {
                throw UsageError(message: "cannot open \(output) for writing")
            }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
        } else {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        }
    } catch let error as UsageError {
        throw error
    } catch {
        throw UsageError(message: "cannot write \(output): \(error.localizedDescription)")
    }
}
