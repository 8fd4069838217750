import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `audit` over several databases (`--database-url` repeated, `--targets`) and `merge`, end to end:
/// one report with a section per database, one gate naming what failed, and shard reports that merge
/// into the single run's summary and gate.
@Suite(.integration) struct FleetCommandTests {
    static let migrations = CommandLineRunner.repositoryRoot + "/db/migrations"
    /// A wrong password on the PG18 server's password role: that database cannot be read.
    static func wrongPasswordURL() throws -> String {
        try TestServers.url(.pg18Password).replacingOccurrences(of: "secret-pw", with: "Wr0ngPassw0rd")
    }

    /// Two scratch databases on PG18 (the first with the reference schema applied) and one that
    /// cannot be connected to.
    struct ThreeDatabases {
        let applied: ScratchDatabase
        let empty: ScratchDatabase
        let unreachable: String

        init() throws {
            applied = try ScratchDatabase(on: .pg18, extensions: ["vector"])
            try CommandLineRunner.applyMigrations(url: applied.url, folder: FleetCommandTests.migrations)
            empty = try ScratchDatabase(on: .pg18)
            unreachable = try FleetCommandTests.wrongPasswordURL()
        }

        var urlArguments: [String] { [applied.url, empty.url, unreachable].flatMap { ["--database-url", $0] } }
        var maskedUnreachable: String { ConnectionTarget.maskedPostgres(unreachable) }
    }

    static func audit(_ arguments: [String], in directory: String = NSTemporaryDirectory()) throws -> CommandLineRunner.Result {
        try CommandLineRunner.run(["audit", "--migrations", migrations, "--redis-url", try TestServers.url(.redis)] + arguments,
                                  in: directory)
    }

    static func fleet(_ json: String) throws -> FleetReport {
        try JSONRenderer.decoder().decode(FleetReport.self, from: Data(json.utf8))
    }

    @Test func threeDatabasesGiveOneReportWithThreeSectionsAndTheUnreachableOneNamedInTheGate() throws {
        let databases = try ThreeDatabases()
        let result = try Self.audit(databases.urlArguments + ["--jobs", "2"])
        #expect(result.exitCode == 1, "\(result.output)")
        let markdown = result.stdout
        let sections = markdown.split(separator: "\n").filter { $0.hasPrefix("## Database ") }
        #expect(sections.count == 3, "\(sections)")
        #expect(markdown.hasPrefix("# Infrastructure Fleet Audit Report"))
        #expect(markdown.components(separatedBy: "## Quality Gate (Infra): FAILED").count == 2)
        let masked = databases.maskedUnreachable
        #expect(masked.contains("***"))
        #expect(markdown.contains("| `\(masked)` | ❌ PostgreSQL |"))
        #expect(markdown.contains("- `\(masked)`: PostgreSQL is unhealthy: cannot connect to PostgreSQL"))
        #expect(markdown.contains("password authentication failed"))
        #expect(!result.output.contains("Wr0ng"), "a password leaked")
        // The two readable databases are audited as alone: the applied one passes, the empty one has pending migrations.
        #expect(markdown.contains("| `\(ConnectionTarget.maskedPostgres(databases.applied.url))` | ✅ all healthy |"))
        #expect(markdown.contains("| `\(ConnectionTarget.maskedPostgres(databases.empty.url))` | ⚠️ Migrations |"))
        #expect(markdown.contains("| `pending-migration` | MEDIUM | 11 | `\(ConnectionTarget.maskedPostgres(databases.empty.url))` |"))

        let json = try Self.audit(databases.urlArguments + ["--format", "json"])
        #expect(json.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "fleet" && object["schemaVersion"] as? Int == 1)
        let fleet = try Self.fleet(json.stdout)
        #expect(fleet.databases.count == 3 && fleet.problems.isEmpty)
        #expect(fleet.summary.databases.map(\.gatePassed) == fleet.databases.map { $0.target != masked })
        #expect(!json.stdout.contains("Wr0ng"))
    }

    @Test func aTargetsFileWithAMalformedLineAuditsTheOthersAndNamesTheLine() throws {
        let database = try ScratchDatabase(on: .pg18)
        let directory = try TemporaryDirectory()
        try directory.write("targets.txt", """
            # tenants
            \(database.url)

            this is not a database
            postgres://app:Secr3tPw@127.0.0.1:1/closed_port
            """)
        let result = try Self.audit(["--targets", "targets.txt"], in: directory.path)
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.stdout.contains("| targets.txt:4 | ❌ | — | ❌ `this is not a database` is not audited: neither a PostgreSQL URL"))
        #expect(result.stdout.contains("- targets.txt:4: `this is not a database` is not audited"))
        #expect(result.stdout.contains("- `postgres://app:***@127.0.0.1:1/closed_port`: PostgreSQL is unhealthy: cannot connect"))
        #expect(result.stdout.contains("| `\(ConnectionTarget.maskedPostgres(database.url))` | ⚠️ Migrations |"))
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("## Database ") }.count == 2)
        #expect(!result.output.contains("Secr3tPw"))
    }

    @Test(arguments: [["--jobs", "0"], ["--jobs", "65"], ["--format", "sarif"], ["--format", "html"], ["--details"],
                      ["--targets", "missing.txt"]])
    func fleetUsageErrorsExitTwo(_ extra: [String]) throws {
        let directory = try TemporaryDirectory()
        let result = try CommandLineRunner.run(["audit", "--database-url", "postgres://a@127.0.0.1:1/a",
                                                "--database-url", "postgres://a@127.0.0.1:1/b"] + extra, in: directory.path)
        #expect(result.exitCode == 2, "\(extra): \(result.output)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func aTargetsFileListingNothingIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        try directory.write("empty.txt", "# nothing yet\n\n")
        let result = try CommandLineRunner.run(["audit", "--targets", "empty.txt"], in: directory.path)
        #expect(result.exitCode == 2, "\(result.output)")
        #expect(result.stderr.contains("lists no database"))
    }

    @Test func collectAndHealthReadOneDatabase() throws {
        let directory = try TemporaryDirectory()
        for command in [["collect", "--out", "snap.json"], ["health"]] {
            let result = try CommandLineRunner.run(command + ["--database-url", "postgres://a@127.0.0.1:1/a",
                                                              "--database-url", "postgres://a@127.0.0.1:1/b"], in: directory.path)
            #expect(result.exitCode == 2, "\(command): \(result.output)")
            #expect(result.stderr.contains("only `audit` reads several databases"))
        }
    }

    @Test func mergedShardReportsGiveTheSingleRunsSummaryAndGate() throws {
        let databases = try ThreeDatabases()
        let directory = try TemporaryDirectory()
        let single = try Self.audit(databases.urlArguments + ["--format", "json", "--output", directory.path + "/fleet.json"])
        #expect(single.exitCode == 1, "\(single.output)")
        let run = try Self.fleet(try String(contentsOfFile: directory.path + "/fleet.json", encoding: .utf8))
        // One CI job per database, in another order than the single run's.
        var shards: [String] = []
        for (index, url) in [databases.unreachable, databases.empty.url, databases.applied.url].enumerated() {
            let file = directory.path + "/shard\(index).json"
            let shard = try Self.audit(["--database-url", url, "--format", "json", "--output", file])
            #expect(shard.exitCode != 2, "\(shard.output)")
            shards.append(file)
        }
        let merged = try CommandLineRunner.run(["merge"] + shards + ["--format", "json"], in: directory.path)
        #expect(merged.exitCode == 1, "\(merged.output)")
        let fromShards = try Self.fleet(merged.stdout)
        #expect(fromShards.summary == run.summary)
        #expect(fromShards.gate == run.gate)
        #expect(fromShards.databases.map(\.target) == run.databases.map(\.target))

        // A fleet report merges too (with a single report beside it): the same summary and gate again.
        let twoShard = try Self.audit(["--database-url", databases.applied.url, "--database-url", databases.empty.url,
                                       "--format", "json", "--output", directory.path + "/two.json"])
        #expect(twoShard.exitCode == 0, "\(twoShard.output)")
        let mixed = try CommandLineRunner.run(["merge", "two.json", shards[0], "--format", "json"], in: directory.path)
        let fromMixed = try Self.fleet(mixed.stdout)
        #expect(fromMixed.summary == run.summary && fromMixed.gate == run.gate)
        let whole = try CommandLineRunner.run(["merge", "fleet.json", "--format", "json"], in: directory.path)
        let again = try Self.fleet(whole.stdout)
        #expect(again.summary == run.summary && again.gate == run.gate)

        // Markdown of a merge: the same summary table rows and gate lines as the single run's Markdown.
        let runMarkdown = try Self.audit(databases.urlArguments)
        let mergedMarkdown = try CommandLineRunner.run(["merge"] + shards, in: directory.path)
        #expect(mergedMarkdown.exitCode == 1)
        #expect(Self.summaryAndGate(mergedMarkdown.stdout) == Self.summaryAndGate(runMarkdown.stdout))
        #expect(!mergedMarkdown.output.contains("Wr0ng") && !merged.output.contains("Wr0ng"))
    }

    /// The Markdown from `## Fleet Summary` to the first database's section (the meta line, with
    /// its time, left out).
    static func summaryAndGate(_ markdown: String) -> String {
        guard let start = markdown.range(of: "## Fleet Summary"),
              let end = markdown.range(of: "\n## Database 1:") else { return "" }
        return String(markdown[start.lowerBound..<end.lowerBound])
    }

    @Test func mergeNamesForeignFilesAndMergesTheOthers() throws {
        let database = try ScratchDatabase(on: .pg18)
        let directory = try TemporaryDirectory()
        let good = try Self.audit(["--database-url", database.url, "--format", "json", "--output", directory.path + "/good.json"])
        #expect(good.exitCode == 0, "\(good.output)")
        let text = try String(contentsOfFile: directory.path + "/good.json", encoding: .utf8)
        try directory.write("future.json", text.replacingOccurrences(of: "\"schemaVersion\" : 2", with: "\"schemaVersion\" : 3"))
        try directory.write("garbage.json", "\u{1}\u{2} definitely not JSON")
        let lint = try CommandLineRunner.run(["lint", "--format", "json", "--output", "lint.json", Self.migrations], in: directory.path)
        #expect(lint.exitCode != 2, "\(lint.output)")
        let result = try CommandLineRunner.run(["merge", "good.json", "future.json", "garbage.json", "lint.json", "gone.json"],
                                               in: directory.path)
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.stdout.contains("| future.json | ❌ | — | ❌ not merged: an audit report of schema version 3;"))
        #expect(result.stdout.contains("| garbage.json | ❌ | — | ❌ not merged: not a JSON object"))
        #expect(result.stdout.contains("| lint.json | ❌ | — | ❌ not merged: a lint report"))
        #expect(result.stdout.contains("| gone.json | ❌ | — | ❌ not merged: cannot read it"))
        #expect(result.stdout.contains("- future.json: not merged:"))
        #expect(result.stdout.contains("| `\(ConnectionTarget.maskedPostgres(database.url))` |"))
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("## Database ") }.count == 1)

        let alone = try CommandLineRunner.run(["merge", "good.json"], in: directory.path)
        #expect(alone.exitCode == 0, "\(alone.output)")
        #expect(alone.stdout.contains("## Quality Gate (Infra): PASSED"))
        let none = try CommandLineRunner.run(["merge"], in: directory.path)
        #expect(none.exitCode == 2)
    }
}
