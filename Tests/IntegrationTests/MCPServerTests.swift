import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `infra-guardian mcp` as an MCP client drives it: the built binary over pipes, on a temporary copy
/// of the reference migrations with one known defect. No database is needed (`verify` is in
/// `MCPVerifyTests`, on a throwaway server).
@Suite struct MCPServerTests {
    static let defect = ("db/migrations/202501010000_index_leads_status.sql", """
        -- migrate:up
        CREATE INDEX idx_leads_status ON leads (status);

        -- migrate:down
        DROP INDEX IF EXISTS idx_leads_status;
        """)

    static let tools = ["audit", "health", "lint", "migration_status", "adapters", "new_migration", "verify", "explain_rule", "redis"]
    static let writingTools: Set<String> = ["new_migration", "verify"]

    /// db/migrations of the repository plus the defect, in a temporary folder.
    static func project() throws -> TemporaryDirectory {
        let project = try TemporaryDirectory()
        let folder = CommandLineRunner.repositoryRoot + "/db/migrations"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".sql") {
            try project.write("db/migrations/\(file)", try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)")))
        }
        try project.write(defect.0, defect.1)
        return project
    }

    static func findings(_ result: MCPTestClient.ToolResult, key: String = "findings") -> [[String: Any]] {
        result.structured[key] as? [[String: Any]] ?? []
    }

    static func ruleIDs(_ findings: [[String: Any]]) -> Set<String> { Set(findings.compactMap { $0["ruleID"] as? String }) }

    @Test func toolsListGivesEveryToolWithAnObjectSchemaAndHonestHints() throws {
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        let initialized = try client.initialize()
        #expect((initialized["serverInfo"] as? [String: Any])?["name"] as? String == "infra-guardian")
        #expect((initialized["capabilities"] as? [String: Any])?["tools"] != nil)
        let list = try client.request("tools/list")
        let tools = try #require((list["result"] as? [String: Any])?["tools"] as? [[String: Any]], "\(list)")
        #expect(tools.compactMap { $0["name"] as? String } == Self.tools)
        for tool in tools {
            let name = tool["name"] as? String ?? "?"
            #expect((tool["description"] as? String)?.isEmpty == false, "\(name)")
            let schema = try #require(tool["inputSchema"] as? [String: Any], "\(name)")
            #expect(schema["type"] as? String == "object", "\(name)")
            #expect(schema["additionalProperties"] as? Bool == false, "\(name)")
            let properties = try #require(schema["properties"] as? [String: [String: Any]], "\(name)")
            #expect(properties["directory"] != nil, "\(name) takes no directory")
            for (argument, property) in properties {
                #expect(["string", "boolean", "array", "integer", "number"].contains(property["type"] as? String ?? ""), "\(name).\(argument)")
                #expect((property["description"] as? String)?.isEmpty == false, "\(name).\(argument)")
            }
            for required in schema["required"] as? [String] ?? [] { #expect(properties[required] != nil, "\(name) requires \(required)") }
            let hints = tool["annotations"] as? [String: Any] ?? [:]
            #expect(hints["readOnlyHint"] as? Bool == !Self.writingTools.contains(name), "\(name): \(hints)")
            if Self.writingTools.contains(name) { #expect(hints["destructiveHint"] as? Bool == false, "\(name)") }
        }
        let explain = try #require(tools.first { $0["name"] as? String == "explain_rule" }?["inputSchema"] as? [String: Any])
        #expect(explain["required"] as? [String] == ["rule"])
    }

    @Test func everyReadOnlyToolAnswersWithRealContent() throws {
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()

        let lint = try client.callTool("lint")
        #expect(!lint.isError, "\(lint.text)")
        #expect(lint.structured["schemaVersion"] as? Int == 2)
        #expect(lint.structured["files"] as? Int == 12)
        let concurrent = try #require(Self.findings(lint).first { $0["ruleID"] as? String == "require-concurrent-index" }, "\(lint.structured)")
        #expect((concurrent["location"] as? [String: Any])?["file"] as? String == Self.defect.0)
        #expect((lint.structured["gate"] as? [String: Any])?["passed"] as? Bool == false)
        #expect(lint.text.contains("require-concurrent-index") && lint.text.contains("Quality Gate (Infra): FAILED"), "\(lint.text)")

        let one = try client.callTool("lint", ["paths": ["db/migrations/202401010910_create_leads.sql"], "format": "text"])
        #expect(one.structured["files"] as? Int == 1 && Self.findings(one).isEmpty, "\(one.text)")
        #expect(one.text.contains("Quality Gate (Infra): PASSED — 1 file linted"), "\(one.text)")

        let audit = try client.callTool("audit")
        #expect(!audit.isError, "\(audit.text)")
        #expect(audit.text.hasPrefix("# Infrastructure Audit Report"), "\(audit.text.prefix(200))")
        #expect(audit.text.contains("require-concurrent-index"))
        let issues = audit.structured["issues"] as? [[String: Any]] ?? []
        #expect(Self.ruleIDs(issues.compactMap { $0["finding"] as? [String: Any] }).contains("require-concurrent-index"))
        #expect(!((audit.structured["targets"] as? [String: Any])?["postgres"] is String), "\(audit.structured["targets"] ?? "")")

        let health = try client.callTool("health", ["format": "json"])
        #expect(!health.isError, "\(health.text)")
        let checks = health.structured["checks"] as? [[String: Any]] ?? []
        #expect(checks.first { $0["name"] as? String == "PostgreSQL" }?["status"] as? String == "not_configured", "\(checks)")
        #expect(checks.first { $0["name"] as? String == "Migrations" }?["details"] as? String == "12 files in db/migrations; not compared with a database")

        let status = try client.callTool("migration_status")
        #expect(!status.isError, "\(status.text)")
        let entries = status.structured["migrations"] as? [[String: Any]] ?? []
        #expect(entries.count == 12 && entries.allSatisfy { $0["state"] as? String == "unknown" }, "\(entries)")
        #expect(status.text.contains("| 202501010000_index_leads_status | ➖ not compared (no database) | — |"), "\(status.text)")

        let adapters = try client.callTool("adapters", ["directory": CommandLineRunner.repositoryRoot + "/examples"])
        #expect(!adapters.isError, "\(adapters.text)")
        #expect(Self.ruleIDs(Self.findings(adapters)).isSuperset(of: ["sql-string-concatenation", "redis-set-without-ttl"]), "\(adapters.text)")
        #expect(adapters.text.hasPrefix("# Adapter Coverage"))

        let redis = try client.callTool("redis", ["redis_url": try RedisTestEnvironment.url()])
        #expect(!redis.isError, "\(redis.text)")
        #expect(redis.text.hasPrefix("# Redis by role"), "\(redis.text.prefix(200))")
        let row = (redis.structured["components"] as? [[String: Any]])?.first
        #expect(row?["component"] as? String == "Redis" && row?["state"] as? String == "healthy", "\(redis.structured)")
        #expect((redis.structured["instances"] as? [[String: Any]])?.first?["sample"] is [String: Any])

        let explain = try client.callTool("explain_rule", ["rule": "require-concurrent-index"])
        #expect(!explain.isError)
        #expect(explain.structured["summary"] as? String == "CREATE INDEX on an existing table blocks its writes until the build ends.")
        #expect(explain.structured["severity"] as? String == "HIGH")
        #expect(explain.text.hasPrefix("require-concurrent-index  (HIGH, migration)"))
    }

    @Test func newMigrationWritesIntoTheMigrationFolderAndLintsClean() throws {
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()
        let written = try client.callTool("new_migration", ["description": "lead scoring history", "columns": "score:int!"])
        #expect(!written.isError, "\(written.text)")
        let file = try #require((written.structured["files"] as? [[String: Any]])?.first)
        let path = try #require(file["path"] as? String)
        #expect(path.hasPrefix("db/migrations/") && path.hasSuffix("_lead_scoring_history.sql"), "\(path)")
        let sql = try String(contentsOfFile: project.path + "/" + path, encoding: .utf8)
        #expect(file["sql"] as? String == sql)
        #expect(sql.contains("CREATE TABLE IF NOT EXISTS lead_scoring_history"), "\(sql)")
        #expect(written.text.contains("wrote \(path)") && written.text.contains("next: infra-guardian verify \(path)"))
        let lint = try client.callTool("lint", ["paths": [path]])
        #expect(Self.findings(lint).isEmpty && (lint.structured["gate"] as? [String: Any])?["passed"] as? Bool == true, "\(lint.text)")
    }

    @Test func badCallsAreErrorResultsAndTheServerKeepsAnswering() throws {
        let project = try Self.project()
        let outside = try TemporaryDirectory()
        try outside.write("db/migrations/202401010000_elsewhere.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
        try FileManager.default.createSymbolicLink(atPath: project.path + "/linked", withDestinationPath: outside.path)
        try project.write("broken/.infra-guardian.yml", "rules: [not, a, map\n")
        try project.write("escaping/.infra-guardian.yml", "paths:\n  migrations: [\"\(outside.path)/db/migrations\"]\n")
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()

        let cases: [(String, [String: Any], String)] = [
            ("no_such_tool", [:], "unknown tool \"no_such_tool\"; the tools are audit, health"),
            ("lint", ["paths": "db/migrations"], "lint: argument \"paths\" must be an array of strings, got the string \"db/migrations\""),
            ("audit", ["deadline": "soon"], "audit: argument \"deadline\" must be a number of seconds above 0"),
            ("explain_rule", [:], "explain_rule: missing argument \"rule\""),
            ("explain_rule", ["rule": "no-such-rule"], "explain_rule: no rule 'no-such-rule'. Known rules: "),
            ("lint", ["format": "md", "colour": true], "lint: unknown argument \"colour\"; this tool takes directory, paths"),
            ("lint", ["paths": ["../" + (outside.path as NSString).lastPathComponent]], "is outside the project"),
            ("lint", ["paths": ["linked/db/migrations"]], "lint: argument \"paths\": linked/db/migrations is outside the project"),
            ("lint", ["paths": ["db/migrations/../../../x/*.sql"]], "is outside the project"),
            ("lint", ["directory": "broken"], "lint: configuration error: "),
            ("lint", ["directory": "no-such-folder"], "lint: directory no-such-folder is not a folder"),
            ("lint", ["base": "--output=/tmp/x"], "lint: argument \"base\" must name a git revision"),
            ("new_migration", ["directory": "escaping", "description": "lead notes"], "lies outside the project"),
            ("new_migration", ["config": "../x.yml", "description": "lead notes"], "argument \"config\""),
            ("new_migration", ["description": "  "], "new_migration: give description (what the migration is for"),
        ]
        for (name, arguments, expected) in cases {
            let result = try client.callTool(name, arguments)
            #expect(result.isError, "\(name) \(arguments): \(result.text)")
            #expect(result.text.contains(expected), "\(name) \(arguments): \(result.text)")
            #expect(!result.text.contains("\n"), "\(name): more than one line: \(result.text)")
            #expect(result.structured["error"] as? String == result.text)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path + "/db/migrations") == ["202401010000_elsewhere.sql"])
        // A line that is not JSON-RPC gets a protocol error; the next request is answered as usual.
        try client.write(Data("this is not json".utf8))
        let lint = try client.callTool("lint", ["format": "text"])
        #expect(!lint.isError && lint.text.contains("12 files linted"), "\(lint.text)")
        #expect(client.process.isRunning)
    }

    @Test func aPasswordInADatabaseURLNeverComesBack() throws {
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()
        let url = "postgresql://app:s3cret-pw@127.0.0.1:1/app?connect_timeout=2"
        for (tool, arguments) in [("audit", ["database_url": url, "deadline": 5, "format": "json"]),
                                  ("health", ["database_url": url, "deadline": 5]),
                                  ("migration_status", ["database_url": url, "deadline": 5]),
                                  ("new_migration", ["database_url": url, "description": "lead notes"]),
                                  ("verify", ["scratch_url": url, "all": true])] as [(String, [String: Any])] {
            let result = try client.callTool(tool, arguments)
            let structured = String(decoding: try JSONSerialization.data(withJSONObject: result.structured), as: UTF8.self)
            #expect(!result.text.contains("s3cret-pw") && !structured.contains("s3cret-pw"), "\(tool): \(result.text)")
        }
        let status = try client.callTool("migration_status", ["database_url": url, "deadline": 5])
        #expect(status.structured["database"] as? String == "postgresql://app:***@127.0.0.1:1/app?connect_timeout=2", "\(status.structured)")
        #expect((status.structured["postgres"] as? [String: Any])?["state"] as? String == "unhealthy")
    }

    @Test func closingStdinMidCallEndsTheServerWithExitZero() throws {
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()
        // A read-only call in flight is abandoned; a writing one is finished first (its file is there).
        try client.start("tools/call", ["name": "audit", "arguments": [String: Any]()])
        try client.start("tools/call", ["name": "new_migration", "arguments": ["description": "lead follow-up reminders"]])
        try client.closeInput()
        #expect(client.waitForExit(timeout: 30) == 0, "stderr: \(client.stderr)")
        #expect(client.process.terminationReason == .exit)
        let files = try FileManager.default.contentsOfDirectory(atPath: project.path + "/db/migrations")
        #expect(files.contains { $0.hasSuffix("_lead_follow_up_reminders.sql") }, "\(files)")
    }

    @Test func aClientThatClosesBothPipesMidCallDoesNotCrashTheServer() throws {
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()
        try client.start("tools/call", ["name": "lint", "arguments": [String: Any]()])
        try client.closeOutput()
        try client.closeInput()
        #expect(client.waitForExit(timeout: 30) == 0, "stderr: \(client.stderr)")
        #expect(client.process.terminationReason == .exit)
    }
}

/// The `verify` tool on a throwaway PostgreSQL it starts from the server binaries `make test`
/// installs (a test fails, not skips, without them), and the scratch server gone afterwards, also
/// when the client leaves mid-call.
@Suite(.integration, .serialized) struct MCPVerifyTests {
    static func project() throws -> TemporaryDirectory {
        let project = try TemporaryDirectory()
        try project.write("db/migrations/\(VerifyIntegrationTests.leads.0)", VerifyIntegrationTests.leads.1)
        try project.write("db/migrations/\(VerifyIntegrationTests.notIdempotent.0)", VerifyIntegrationTests.notIdempotent.1)
        return project
    }

    @Test func verifyProvesEveryFileOnAThrowawayServerAndRemovesIt() throws {
        _ = try #require(ScratchServer.findBinaries(explicit: nil), "no PostgreSQL server binaries: make test installs them")
        let project = try Self.project()
        let client = try MCPTestClient(in: NSTemporaryDirectory())
        _ = try client.initialize()
        let result = try client.callTool("verify", ["directory": project.path, "all": true], timeout: 180)
        #expect(!result.isError, "\(result.text)")
        let verification = try #require(result.structured["verification"] as? [String: Any], "\(result.structured)")
        #expect((verification["server"] as? String)?.contains("throwaway PostgreSQL") == true, "\(verification["server"] ?? "")")
        let migrations = verification["migrations"] as? [[String: Any]] ?? []
        #expect(migrations.count == 2)
        let findings = result.structured["findings"] as? [[String: Any]] ?? []
        let notIdempotent = findings.first { $0["ruleID"] as? String == "migration-not-idempotent" }
        #expect((notIdempotent?["location"] as? [String: Any])?["file"] as? String == "db/migrations/\(VerifyIntegrationTests.notIdempotent.0)",
                "\(findings)")
        #expect(result.text.contains("migration-not-idempotent"), "\(result.text)")
        #expect(VerifyIntegrationTests.scratchFolders(of: client.process.processIdentifier).isEmpty,
                "the throwaway server's folder was left behind")
    }

    @Test func aClientLeavingMidVerifyLetsItCleanUpThenExitZero() throws {
        _ = try #require(ScratchServer.findBinaries(explicit: nil), "no PostgreSQL server binaries: make test installs them")
        let project = try Self.project()
        let client = try MCPTestClient(in: project.path)
        _ = try client.initialize()
        let server = client.process.processIdentifier
        try client.start("tools/call", ["name": "verify", "arguments": ["all": true]])
        // Leave once the throwaway server's folder exists: verify is under way.
        let started = Date().addingTimeInterval(60)
        while VerifyIntegrationTests.scratchFolders(of: server).isEmpty && Date() < started { usleep(10_000) }
        #expect(!VerifyIntegrationTests.scratchFolders(of: server).isEmpty, "verify never started: \(client.stderr)")
        try client.closeInput()
        #expect(client.waitForExit(timeout: 180) == 0, "stderr: \(client.stderr)")
        #expect(VerifyIntegrationTests.scratchFolders(of: server).isEmpty, "the throwaway server's folder was left behind")
    }
}
