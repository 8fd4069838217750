import Foundation

/// Where `verify` may write.
public enum ScratchTarget: Sendable {
    /// A server where the tool may create databases (`--scratch-url`): it creates its own and drops it.
    case url(String)
    /// A throwaway server started for the run, from these binaries (`--pg-bin`), else found on
    /// PATH or in `/usr/lib/postgresql/*/bin`.
    case ownServer(binaries: String?)
}

public struct VerifyOptions: Sendable {
    public var target: ScratchTarget
    /// Synthetic rows per existing table the migration touches (0: none).
    public var seedRows: Int
    public init(target: ScratchTarget, seedRows: Int = 0) {
        self.target = target
        self.seedRows = seedRows
    }
}

/// Proves migrations on a scratch database. For each target, after applying every earlier file's
/// up section as dbmate (or the Supabase CLI) would: up (traced: locks and rewrites per statement),
/// up again, down, the catalog compared with the one before up, up once more. The scratch database,
/// and the server when it started one, are removed however the run ends (Ctrl-C included).
public enum MigrationVerifier {
    public static func verify(_ set: MigrationSet, targets: Set<String>, options: VerifyOptions) -> MigrationVerification {
        let cleanup = ScratchCleanup()
        cleanup.onInterrupt()
        defer {
            cleanup.run()
            cleanup.restoreSignals()
        }
        var result = MigrationVerification(server: "")
        let analysis = MigrationAnalysis(set)
        let admin: String
        switch options.target {
        case .url(let url):
            admin = url
            result.server = "scratch server \(ConnectionTarget.maskedPostgres(url))"
        case .ownServer(let explicit):
            guard let binaries = ScratchServer.findBinaries(explicit: explicit, extensions: requiredExtensions(analysis)) else {
                result.error = explicit.map { "no initdb, pg_ctl and postgres in --pg-bin \($0)" }
                    ?? "no PostgreSQL server binaries found (initdb on PATH or /usr/lib/postgresql/*/bin): install the server package, pass --pg-bin DIR, or give a server with --scratch-url URL"
                return result
            }
            do {
                let server = try ScratchServer(binaries: binaries)
                cleanup.add { server.stop() }
                admin = ScratchServer.adminConninfo(port: try server.start())
                result.server = "throwaway PostgreSQL from \(binaries), started by verify"
            } catch {
                result.error = "could not start a throwaway PostgreSQL: \(error)"
                return result
            }
        }
        var settings = PostgresSettings()
        settings.statementTimeoutMillis = 120_000
        settings.lockTimeoutMillis = 10_000
        settings.connectTimeoutSeconds = 10
        let database: ScratchDatabase
        let connection: PostgresConnection
        do {
            database = try ScratchDatabase(adminConninfo: admin, settings: settings)
            cleanup.add { database.drop() }
            result.scratchDatabase = database.name
            connection = try database.connect()
            if let version = try? connection.value("SHOW server_version") { result.server += " (PostgreSQL \(version))" }
        } catch {
            result.error = "\(error)"
            return result
        }
        run(analysis, targets: targets, options: options, connection: connection, into: &result)
        return result
    }

    private static func run(_ analysis: MigrationAnalysis, targets: Set<String>, options: VerifyOptions,
                            connection: PostgresConnection, into result: inout MigrationVerification) {
        let ordered = analysis.files.sorted { $0.position < $1.position }
        let locks = analysis.statementLocks
        var positions: [ObjectIdentifier: [Int]] = [:]
        for (position, entry) in analysis.upStatements.enumerated() {
            positions[ObjectIdentifier(entry.file), default: []].append(position)
        }
        let runner = SectionRunner(connection: connection)
        let last = ordered.lastIndex { targets.contains($0.file.path) } ?? -1
        var blocked: String?
        for (index, file) in ordered.enumerated() where index <= last {
            let isTarget = targets.contains(file.file.path)
            if let blocked {
                if isTarget { result.migrations.append(skipped(file.file.path, because: blocked)) }
                continue
            }
            guard isTarget else {
                guard let up = file.file.up else { continue }
                do { try runner.run(up, parsed: file.up, kind: file.file.kind) } catch {
                    if error.serverLost {
                        blocked = "the scratch server stopped answering"
                        var incomplete = skipped(file.file.path, because: "verification incomplete")
                        incomplete.incomplete = "the scratch server stopped answering: \(error.message)"
                        result.migrations.append(incomplete)
                        continue
                    }
                    if let missing = error.missingExtension {
                        blocked = "the scratch server has no \(missing) extension"
                        var incomplete = skipped(file.file.path, because: blocked ?? "")
                        incomplete.incomplete = Self.noExtension(missing)
                        result.migrations.append(incomplete)
                        result.applied += 1
                        continue
                    }
                    blocked = "\(file.file.fileName), applied before it, fails at up\(error.line.map { " (line \($0))" } ?? ""): \(error.message)"
                    // The earlier file is what must be fixed: it is reported as failing.
                    var failed = skipped(file.file.path, because: "an earlier migration failed")
                    failed.steps[0] = VerificationStep(.up, .failed, detail: error.message, line: error.line)
                    for index in failed.steps.indices.dropFirst() { failed.steps[index].detail = "up failed" }
                    result.migrations.append(failed)
                }
                result.applied += 1
                continue
            }
            // The linter's predicted locks of each of this file's statements, by statement index.
            var predicted: [Int: [RelationLock]] = [:]
            for position in positions[ObjectIdentifier(file)] ?? [] {
                predicted[analysis.upStatements[position].statement.index] = locks[position].locks
            }
            let verified = verifyOne(file, predicted: predicted, options: options, runner: runner)
            if verified.step(.up)?.outcome == .failed {
                blocked = "\(file.file.fileName) fails at up"
            } else if let incomplete = verified.incomplete {
                blocked = "verification incomplete: \(incomplete)"
            }
            result.migrations.append(verified)
        }
    }

    /// The extensions the migrations create, so that a throwaway server is started from binaries
    /// that have them (Debian's PostgreSQL without pgvector beside a build with it, say).
    static func requiredExtensions(_ analysis: MigrationAnalysis) -> Set<String> {
        Set(analysis.upStatements(kind: .createExtensionStmt).compactMap { $0.statement.node[.extname].string })
    }

    private static func noExtension(_ name: String) -> String {
        "the scratch server has no \(name) extension: give a server that has it with --scratch-url, or its binaries with --pg-bin"
    }

    private static func skipped(_ file: String, because reason: String) -> VerifiedMigration {
        VerifiedMigration(file: file, steps: VerificationStep.Name.allCases.map { VerificationStep($0, .skipped, detail: reason) })
    }

    private static func verifyOne(_ file: FileAnalysis, predicted: [Int: [RelationLock]], options: VerifyOptions,
                                  runner: SectionRunner) -> VerifiedMigration {
        let connection = runner.connection
        var verified = VerifiedMigration(file: file.file.path)
        let clock = ContinuousClock()
        func elapsed(since start: ContinuousClock.Instant) -> Double {
            let parts = (clock.now - start).components
            return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
        }
        func skipRest(from name: VerificationStep.Name, because reason: String) {
            let names = VerificationStep.Name.allCases
            for later in names[(names.firstIndex(of: name) ?? names.count)...] {
                verified.steps.append(VerificationStep(later, .skipped, detail: reason))
            }
        }
        /// Records a failed step; true when the server went away (the file is then incomplete, not failing).
        func failed(_ name: VerificationStep.Name, _ error: StatementFailure, since start: ContinuousClock.Instant) -> Bool {
            if error.serverLost {
                verified.incomplete = "the scratch server stopped answering: \(error.message)"
                skipRest(from: name, because: "verification incomplete")
                return true
            }
            verified.steps.append(VerificationStep(name, .failed, milliseconds: elapsed(since: start), detail: error.message, line: error.line))
            return false
        }
        guard let up = file.file.up, up.hasStatements else {
            skipRest(from: .up, because: "the file has no up section to run")
            return verified
        }
        let before: CatalogShape
        let trace: LockTrace
        do {
            before = try CatalogShape.read(connection)
            if options.seedRows > 0 {
                for table in touchedTables(file, existing: before.tables) {
                    verified.seeded.append(SeedRows.seed(table, rows: options.seedRows, connection: connection))
                }
            }
            trace = try LockTrace(connection: connection) { statement in predicted[statement.index] ?? [] }
        } catch {
            verified.incomplete = "the scratch catalog could not be read: \(SectionRunner.message(error))"
            skipRest(from: .up, because: "verification incomplete")
            return verified
        }
        if file.file.kind == .dbmate, !up.transaction {
            verified.untracedLocks = "dbmate sends a `transaction:false` section as one query: locks are not traced statement by statement"
        }
        // up
        var start = clock.now
        do {
            try runner.run(up, parsed: file.up, kind: file.file.kind, trace: trace)
            verified.steps.append(VerificationStep(.up, .passed, milliseconds: elapsed(since: start)))
        } catch {
            if let missing = error.missingExtension {
                verified.incomplete = noExtension(missing)
                skipRest(from: .up, because: "the scratch server has no \(missing) extension")
                return verified
            }
            if failed(.up, error, since: start) { return verified }
            skipRest(from: .upAgain, because: "up failed")
            return verified
        }
        verified.locks = trace.locks
        verified.rewrites = trace.rewrites
        // up again
        start = clock.now
        do {
            try runner.run(up, parsed: file.up, kind: file.file.kind)
            verified.steps.append(VerificationStep(.upAgain, .passed, milliseconds: elapsed(since: start)))
        } catch {
            if failed(.upAgain, error, since: start) { return verified }
        }
        // down
        guard file.file.kind == .dbmate else {
            skipRest(from: .down, because: "\(file.file.kind == .supabase ? "Supabase" : "psql") migrations have no down section")
            return verified
        }
        guard let down = file.file.down, down.hasStatements else {
            verified.steps.append(VerificationStep(.down, .failed, detail: file.file.down == nil
                ? VerificationStep.noDownSection : VerificationStep.emptyDownSection,
                line: file.file.down?.startLine))
            skipRest(from: .compare, because: "no down section to undo the up section")
            return verified
        }
        start = clock.now
        do {
            try runner.run(down, parsed: file.down, kind: file.file.kind)
            verified.steps.append(VerificationStep(.down, .passed, milliseconds: elapsed(since: start)))
        } catch {
            if failed(.down, error, since: start) { return verified }
            skipRest(from: .compare, because: "down failed")
            return verified
        }
        // compare
        start = clock.now
        do {
            verified.leftovers = before.differences(to: try CatalogShape.read(connection))
            verified.steps.append(VerificationStep(.compare, verified.leftovers.isEmpty ? .passed : .failed,
                                                   milliseconds: elapsed(since: start),
                                                   detail: verified.leftovers.isEmpty ? nil : "\(verified.leftovers.count) difference\(verified.leftovers.count == 1 ? "" : "s")",
                                                   line: down.startLine))
        } catch {
            verified.incomplete = "the scratch catalog could not be read: \(SectionRunner.message(error))"
            verified.steps.append(VerificationStep(.compare, .skipped, detail: "verification incomplete"))
        }
        // up once more
        start = clock.now
        do {
            try runner.run(up, parsed: file.up, kind: file.file.kind)
            verified.steps.append(VerificationStep(.upOnceMore, .passed, milliseconds: elapsed(since: start)))
        } catch {
            if failed(.upOnceMore, error, since: start) { return verified }
        }
        return verified
    }

    /// Existing tables the up section names (its statements' targets and the tables they lock).
    private static func touchedTables(_ file: FileAnalysis, existing: Set<String>) -> [String] {
        var names: [String] = []
        for statement in file.up?.statements ?? [] {
            guard let target = statement.targetTable else { continue }
            let qualified = target.contains(".") ? target : "public.\(target)"
            if existing.contains(qualified), !names.contains(qualified) { names.append(qualified) }
        }
        return names
    }
}
