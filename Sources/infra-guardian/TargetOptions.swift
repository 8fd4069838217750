import ArgumentParser
import Foundation
import InfraGuardian

/// Where to look: shared by audit, collect and health.
struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or libpq keyword string (else DATABASE_URL, else PG* variables / ~/.pgpass / PGSERVICE). "
            + "audit takes it more than once: several databases are audited as a fleet.",
        valueName: "url"))
    var databaseURL: [String] = []

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

    /// The library session these options describe (configuration and rule packs loaded and checked).
    /// - Parameter fleet: the databases are audited as a fleet (`audit`): the session names none.
    func session(deadline: Double? = nil, baseline: String? = nil, verify: VerifyOptions? = nil,
                 fleet: Bool = false, progress: ProgressReporter? = nil) throws -> Session {
        if !fleet && databaseURL.count > 1 {
            throw UsageError(message: "--database-url is given \(databaseURL.count) times: only `audit` reads several databases")
        }
        var checked: Deadline?
        if let deadline {
            do {
                checked = try Deadline.validated(deadline)
            } catch let error as Deadline.InvalidDeadline {
                throw UsageError(message: error.message)
            }
        }
        var options = SessionOptions(configFile: config, databaseURL: fleet ? nil : databaseURL.first, redisURL: redisURL,
                                     migrationFolders: migrations.isEmpty ? nil : migrations, sourceRoot: source,
                                     base: base, baselineFile: baseline, deadline: checked, verify: verify)
        options.progress = progress
        return try Session(options)
    }
}

/// `--baseline`, shared by `audit` and `lint`.
enum BaselineHelp {
    static let text = ArgumentHelp("""
        A baseline file (from `infra-guardian baseline`): findings recorded there are reported but do not fail         the gate, and the report says how many of them are fixed (default: gate.baseline, else none).
        """, valueName: "file")
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

/// `--format` and `--output`, shared by `audit` and `lint` (each with its own formats and default).
struct OutputOptions<Format: OutputFormat>: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Format.help, valueName: "format"))
    var format: Format = Format.defaultValue

    @Option(name: .long, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?
}

protocol OutputFormat: ExpressibleByArgument, CaseIterable, Sendable {
    static var defaultValue: Self { get }
    static var help: String { get }
}

extension ReportFormat: OutputFormat {
    static let defaultValue = ReportFormat.md
    static let help = "Report format: md, json, html, or the findings alone as sarif, junit or github (annotations)."
}

extension LintFormat: OutputFormat {
    static let defaultValue = LintFormat.text
    static let help = "Output: text, md, json, sarif (GitHub code scanning), junit or github (annotations)."
}

/// Library errors that are the caller's to fix: exit 2 with their message.
func usage<T>(_ work: () throws -> T) throws -> T {
    do {
        return try work()
    } catch let error as SessionError {
        throw UsageError(message: error.message)
    }
}

/// A session whose construction may fail on the caller's input (a baseline that cannot be read): exit 2.
func makeSession(_ make: () throws -> Session) throws -> Session {
    try usage(make)
}

/// A JSON lint report: standard output gets its pieces as they are written (`Session.writeJSON`).
func emit(json report: LintReport, of session: Session, to output: String?) throws {
    guard output == nil else { return try emit(session.render(report, as: .json), to: output) }
    session.writeJSON(report) { piece in FileHandle.standardOutput.write(Data(piece)) }
}

/// Writes to --output or stdout. A regular file is replaced atomically (no half-written report on a
/// crash); anything else (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: an atomic write
/// renames a temporary file over the target and would replace the device itself.
func emit(_ text: String, to output: String?) throws {
    guard let output else {
        FileHandle.standardOutput.write(Data(text.utf8))
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

extension VerifyFormat: OutputFormat {
    static let defaultValue = VerifyFormat.text
    static let help = "Output: text, md, json, sarif (GitHub code scanning) or junit."
}
