import ArgumentParser
import Foundation
import InfraGuardian

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove migrations on a scratch database: up, up again, down, catalog compared, up once more.",
        discussion: """
        Every earlier migration is applied first, as dbmate (or the Supabase CLI) would. The up section runs \
        statement by statement in the migration's own transaction semantics; after each statement the locks it \
        holds on tables that existed before and the relations it rewrote are read and compared with the linter's \
        prediction. Without MIGRATION or --all: the migration files git reports new or changed, else the latest one.

        Where it writes: only to a database it creates (infra_guardian_verify_…) and always drops, on the server \
        given with --scratch-url, or on a throwaway PostgreSQL it starts itself (initdb in a temporary folder, \
        a free loopback port) from the server binaries found on PATH, in /usr/lib/postgresql/*/bin or in --pg-bin. \
        It never uses the configured database URL. Exit 0 PASSED, 1 FAILED, 2 usage error or no scratch server.
        """)

    @Argument(help: ArgumentHelp("Migration files to verify (path, file name or version).", valueName: "migration"))
    var migrations: [String] = []

    @Flag(name: .long, help: "Verify every migration file, in order.")
    var all = false

    @Option(name: .long, help: ArgumentHelp(
        "A PostgreSQL server where the tool may create (and drop) its own database; nothing else there is touched.",
        valueName: "url"))
    var scratchURL: String?

    @Option(name: .long, help: ArgumentHelp("The folder of initdb, pg_ctl and postgres for the throwaway server.",
                                            valueName: "dir"))
    var pgBin: String?

    @Option(name: .long, help: ArgumentHelp(
        "Synthetic rows inserted first into each existing table the migration touches, so rewrites and validations have data.",
        valueName: "n"))
    var seedRows = 0

    @OptionGroup var output: OutputOptions<VerifyFormat>

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).",
                                            valueName: "file"))
    var config: String?

    func validate() throws {
        if all && !migrations.isEmpty { throw ValidationError("give MIGRATION files or --all, not both") }
        if seedRows < 0 || seedRows > 10_000_000 { throw ValidationError("--seed-rows must be between 0 and 10000000") }
        if scratchURL != nil && pgBin != nil { throw ValidationError("--pg-bin starts a throwaway server; --scratch-url uses yours: give one") }
    }

    func run() throws {
        let session = try makeSession { try Session(SessionOptions(configFile: config)) }
        let target: ScratchTarget = scratchURL.map { .url($0) } ?? .ownServer(binaries: pgBin)
        let report = try usage {
            try session.verify(targets: migrations, all: all, using: VerifyOptions(target: target, seedRows: seedRows))
        }
        try emit(session.render(report, as: output.format), to: output.output)
        if !report.gate.passed { throw ExitCode(1) }
    }
}
