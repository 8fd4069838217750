import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// `init` writes a configuration that loads for every project shape, never a secret, never over an
/// existing file; `init --claude` merges into Claude Code's files without losing a key, and refuses
/// (writing nothing) what it cannot parse.
@Suite struct InitTests {
    static let configName = ConfigurationLoader.defaultFileName

    func initialize(_ project: TemporaryDirectory, claude: Bool = false, force: Bool = false,
                    command: String = "infra-guardian") throws -> InitResult {
        try ProjectInitializer.run(InitOptions(directory: project.path, claude: claude, force: force, command: command))
    }

    func read(_ project: TemporaryDirectory, _ relative: String) throws -> String {
        try String(contentsOfFile: project.path + "/" + relative, encoding: .utf8)
    }

    func exists(_ project: TemporaryDirectory, _ relative: String) -> Bool {
        var status = stat()
        return lstat(project.path + "/" + relative, &status) == 0
    }

    func loaded(_ project: TemporaryDirectory) throws -> Configuration {
        try ConfigurationLoader.parse(try read(project, Self.configName))
    }

    func json(_ project: TemporaryDirectory, _ relative: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(try read(project, relative).utf8))
        return try #require(value as? [String: Any])
    }

    // MARK: - the starter configuration

    @Test func plainDbmateProject() throws {
        let project = try TemporaryDirectory()
        try project.write("db/migrations/20240101000000_leads.sql", "-- migrate:up\nCREATE TABLE leads (id int);\n")
        try project.write("src/adapters/postgres.ts", "export const x = 1;\n")
        try project.write(".env.example", "DATABASE_URL=postgres://app:pa55word@localhost:5432/app\nREDIS_URL=redis://localhost:6379/0\n")
        let result = try initialize(project)
        let configuration = try loaded(project)
        #expect(configuration.paths.migrations == ["db/migrations"])
        #expect(configuration.paths.source == "src")
        #expect(configuration.postgres.urlEnv == nil)
        #expect(configuration.redis.urlEnv == nil)
        #expect(result.actions.map(\.kind) == [.created])
        #expect(result.written == [Self.configName])
        let text = try read(project, Self.configName)
        #expect(text.contains("is read from DATABASE_URL (the default)"))
        #expect(!text.contains("pa55word") && !text.contains("localhost"))
        #expect(text.contains("# gate:\n#   fail_on: [CRITICAL, HIGH]"))
        #expect(text.contains("#   budget_s: 10"))
    }

    @Test func supabaseProjectWithPackages() throws {
        let project = try TemporaryDirectory()
        try project.write("supabase/migrations/20240101000000_init.sql", "CREATE TABLE leads (id int);\n")
        try project.write("packages/web/src/App.tsx", "export default 1;\n")
        try project.write("packages/api/src/server.ts", "export const x = 1;\n")
        try project.write("packages/types/src/index.d.ts", "export type X = 1;\n")
        try project.write("docker-compose.yml", """
            services:
              api:
                environment:
                  - SUPABASE_DB_URL=postgres://postgres:hunter2@db:5432/postgres
                  CACHE_REDIS_URL: "redis://:hunter3@cache:6379"
            """)
        let result = try initialize(project)
        let configuration = try loaded(project)
        #expect(configuration.paths.migrations == ["supabase/migrations"])
        #expect(configuration.paths.source == "packages/api/src")
        #expect(result.scan.otherSources == ["packages/web/src"])
        #expect(configuration.postgres.urlEnv == "SUPABASE_DB_URL")
        #expect(configuration.redis.urlEnv == "CACHE_REDIS_URL")
        let text = try read(project, Self.configName)
        #expect(text.contains("Other TypeScript source trees found (one is read): packages/web/src"))
        #expect(!text.contains("hunter") && !text.contains("postgres://") && !text.contains("redis://"))
    }

    @Test func monorepoWithNestedFolders() throws {
        let project = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("db/migrations/001_outside.sql", "SELECT 1;\n")
        try project.write("apps/api/db/migrations/001_init.sql", "CREATE TABLE leads (id int);\n")
        try project.write("apps/api/src/main.ts", "export const x = 1;\n")
        try project.write("apps/api/.env.example", "APP_DATABASE_URL=postgres://user:secret@db/app\n")
        try project.write("node_modules/some-lib/db/migrations/001.sql", "SELECT 1;\n")
        try project.write("examples/demo/db/migrations/001.sql", "SELECT 1;\n")
        try FileManager.default.createSymbolicLink(atPath: project.path + "/apps/linked", withDestinationPath: outside.path)
        let result = try initialize(project)
        let configuration = try loaded(project)
        #expect(configuration.paths.migrations == ["apps/api/db/migrations"])
        #expect(configuration.paths.source == "apps/api/src")
        #expect(configuration.postgres.urlEnv == "APP_DATABASE_URL")
        #expect(result.scan.otherMigrationFolders == ["examples/demo/db/migrations"])
        let text = try read(project, Self.configName)
        #expect(!text.contains("secret") && !text.contains("node_modules") && !text.contains("linked"))
        #expect(text.contains("named in apps/api/.env.example"))
    }

    @Test func environmentExampleNamesTheVariableAndNeverItsValue() throws {
        let project = try TemporaryDirectory()
        try project.write("db/migrations/001_init.sql", "SELECT 1;\n")
        try project.write(".env.example", """
            # the app's database
            TEST_DATABASE_URL=postgres://user:secret@localhost/test
            APP_DATABASE_URL=postgres://user:secret@db.internal:5432/app
            export SESSION_REDIS_URL="redis://:secret@cache.internal:6379"
            """)
        let result = try initialize(project)
        let configuration = try loaded(project)
        #expect(configuration.postgres.urlEnv == "APP_DATABASE_URL")
        #expect(configuration.redis.urlEnv == "SESSION_REDIS_URL")
        #expect(result.scan.databaseURL.map(\.name) == ["APP_DATABASE_URL", "TEST_DATABASE_URL"])
        let text = try read(project, Self.configName)
        #expect(!text.contains("secret") && !text.contains("internal") && !text.contains("5432"))
        #expect(text.contains("Also seen: TEST_DATABASE_URL"))
        #expect(!result.actions.contains { $0.line.contains("secret") })
    }

    @Test func emptyProjectGetsTheDefaults() throws {
        let project = try TemporaryDirectory()
        _ = try initialize(project)
        let configuration = try loaded(project)
        #expect(configuration.paths == Paths())
        #expect(configuration.postgres.urlEnv == nil && configuration.redis.urlEnv == nil)
        #expect(try read(project, Self.configName).contains("# paths:\n#   # No migration folder found"))
    }

    /// Folder names are the project's: quotes, `#` and a newline must not become YAML of their own.
    @Test func oddFolderNamesAreQuoted() throws {
        let project = try TemporaryDirectory()
        let odd = "apps/my \"api\": #1\nrules: {x: off}"
        try project.write("\(odd)/db/migrations/001_init.sql", "SELECT 1;\n")
        _ = try initialize(project)
        let configuration = try loaded(project)
        #expect(configuration.paths.migrations == ["\(odd)/db/migrations"])
        #expect(configuration.rules.isEmpty)
    }

    /// What the file shows commented out is valid YAML, and is the defaults.
    @Test func commentedBlocksLoadAsTheDefaults() throws {
        let configuration = try ConfigurationLoader.parse((StarterConfiguration.gateBlock + StarterConfiguration.agentBlock)
            .joined(separator: "\n"))
        #expect(configuration.gate == GatePolicy())
        #expect(configuration.agent == AgentSettings())
        #expect(configuration.agent.keywords.contains("vector store"))
    }

    // MARK: - an existing configuration

    @Test func existingConfigurationIsNotOverwrittenWithoutForce() throws {
        let project = try TemporaryDirectory()
        try project.write("db/migrations/001_init.sql", "SELECT 1;\n")
        let mine = "# mine\nrules:\n  pending-migration: false\n"
        try project.write(Self.configName, mine)
        #expect(throws: SessionError.self) { try initialize(project) }
        #expect(try read(project, Self.configName) == mine)

        let wired = try initialize(project, claude: true)
        #expect(try read(project, Self.configName) == mine)
        #expect(wired.actions.first?.kind == .unchanged)
        #expect(wired.written == [ClaudeSettings.settingsPath, ClaudeSettings.mcpPath])

        let forced = try initialize(project, force: true)
        #expect(forced.actions.map(\.kind) == [.replaced])
        #expect(try loaded(project).paths.migrations == ["db/migrations"])
    }

    // MARK: - Claude Code

    static let settings = """
        {
          "permissions": {"allow": ["Bash(npm test)"], "deny": []},
          "env": {"NODE_ENV": "development"},
          "hooks": {
            "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./scripts/check.sh"}]}],
            "UserPromptSubmit": [{"hooks": [{"type": "command", "command": "echo hello", "timeout": 5}]}]
          },
          "includeCoAuthoredBy": false
        }
        """

    static let mcp = #"{"mcpServers": {"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]}}}"#

    @Test func claudeMergesKeepingEveryKeyAndIsIdempotent() throws {
        let project = try TemporaryDirectory()
        try project.write(".claude/settings.json", Self.settings)
        try project.write(".mcp.json", Self.mcp)
        let before = try json(project, ".claude/settings.json")
        let first = try initialize(project, claude: true)
        #expect(first.actions.map(\.kind) == [.created, .updated, .updated])

        let after = try json(project, ".claude/settings.json")
        #expect(Set(after.keys) == Set(before.keys))
        for key in ["permissions", "env", "includeCoAuthoredBy"] {
            #expect(sameJSON(after[key], before[key]), "\(key) changed")
        }
        let hooks = try #require(after["hooks"] as? [String: Any])
        let beforeHooks = try #require(before["hooks"] as? [String: Any])
        #expect(sameJSON(hooks["PreToolUse"], beforeHooks["PreToolUse"]))
        let groups = try #require(hooks["UserPromptSubmit"] as? [[String: Any]])
        #expect(groups.count == 2)
        #expect((groups[0] as NSDictionary).isEqual(to: try #require((beforeHooks["UserPromptSubmit"] as? [[String: Any]])?.first)))
        let ours = try #require((groups[1]["hooks"] as? [[String: Any]])?.first)
        #expect(ours["type"] as? String == "command")
        #expect(ours["command"] as? String == "infra-guardian agent --format claude-hook")
        #expect(ours["timeout"] as? Int == 30)

        let servers = try #require(try json(project, ".mcp.json")["mcpServers"] as? [String: Any])
        #expect(Set(servers.keys) == ["github", "infra-guardian"])
        let server = try #require(servers["infra-guardian"] as? [String: Any])
        #expect(server["command"] as? String == "infra-guardian")
        #expect(server["args"] as? [String] == ["mcp"])

        let settingsText = try read(project, ".claude/settings.json")
        let mcpText = try read(project, ".mcp.json")
        let configText = try read(project, Self.configName)
        let second = try initialize(project, claude: true)
        #expect(second.actions.map(\.kind) == [.unchanged, .unchanged, .unchanged])
        #expect(try read(project, ".claude/settings.json") == settingsText)
        #expect(try read(project, ".mcp.json") == mcpText)
        #expect(try read(project, Self.configName) == configText)
    }

    @Test func claudeCreatesBothFilesInAFreshProject() throws {
        let project = try TemporaryDirectory()
        let result = try initialize(project, claude: true, command: "/opt/my tools/infra-guardian")
        #expect(result.actions.map(\.kind) == [.created, .created, .created])
        let groups = try #require((try json(project, ".claude/settings.json")["hooks"] as? [String: Any])?["UserPromptSubmit"] as? [[String: Any]])
        let hook = try #require((groups.first?["hooks"] as? [[String: Any]])?.first)
        #expect(hook["command"] as? String == "'/opt/my tools/infra-guardian' agent --format claude-hook")
        let servers = try #require(try json(project, ".mcp.json")["mcpServers"] as? [String: Any])
        #expect((servers["infra-guardian"] as? [String: Any])?["command"] as? String == "/opt/my tools/infra-guardian")
        let again = try initialize(project, claude: true, command: "/opt/my tools/infra-guardian")
        #expect(again.written.isEmpty)
    }

    @Test func existingServerEntryIsLeftAlone() throws {
        let project = try TemporaryDirectory()
        let mine = #"{"mcpServers": {"infra-guardian": {"command": "/usr/local/bin/infra-guardian", "args": ["mcp", "--config", "x.yml"]}}}"#
        try project.write(".mcp.json", mine)
        let result = try initialize(project, claude: true)
        #expect(try read(project, ".mcp.json") == mine)
        #expect(result.actions.last?.kind == .unchanged)
        #expect(result.actions.last?.line.contains("already has an infra-guardian server") == true)
    }

    static let refusals: [(settings: String?, mcp: String?)] = [
        (settings: "{\"permissions\": {", mcp: Self.mcp),
        (settings: #"{"hooks": []}"#, mcp: nil),
        (settings: #"{"hooks": {"UserPromptSubmit": {"hooks": []}}}"#, mcp: Self.mcp),
        (settings: Self.settings, mcp: "not json"),
        (settings: Self.settings, mcp: "[1, 2]"),
        (settings: nil, mcp: #"{"mcpServers": "github"}"#),
    ]

    @Test(arguments: 0..<refusals.count)
    func unparsableOrMistypedFileWritesNothing(_ index: Int) throws {
        let project = try TemporaryDirectory()
        let (settings, mcp) = Self.refusals[index]
        if let settings { try project.write(".claude/settings.json", settings) }
        if let mcp { try project.write(".mcp.json", mcp) }
        try project.write("db/migrations/001_init.sql", "SELECT 1;\n")
        #expect(throws: SessionError.self) { try initialize(project, claude: true) }
        #expect(!exists(project, Self.configName))
        if let settings { #expect(try read(project, ".claude/settings.json") == settings) } else {
            #expect(!exists(project, ".claude"))
        }
        if let mcp { #expect(try read(project, ".mcp.json") == mcp) } else { #expect(!exists(project, ".mcp.json")) }
    }

    @Test func linksAreNeverWrittenThrough() throws {
        let project = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("settings.json", "{}")
        try FileManager.default.createDirectory(atPath: project.path + "/.claude", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: project.path + "/.claude/settings.json",
                                                   withDestinationPath: outside.path + "/settings.json")
        let error = try #require(throws: SessionError.self) { try initialize(project, claude: true) }
        #expect(error.message.contains(".claude/settings.json is a symbolic link"))
        #expect(try String(contentsOfFile: outside.path + "/settings.json", encoding: .utf8) == "{}")
        #expect(!exists(project, Self.configName) && !exists(project, ".mcp.json"))

        let other = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: other.path + "/.claude", withDestinationPath: outside.path)
        let outward = try #require(throws: SessionError.self) { try initialize(other, claude: true) }
        #expect(outward.message.contains("out of the project"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["settings.json"])
        #expect(!exists(other, Self.configName))
    }

    @Test func badInputsAreUsageErrors() throws {
        let project = try TemporaryDirectory()
        #expect(throws: SessionError.self) {
            try ProjectInitializer.run(InitOptions(directory: project.path + "/missing"))
        }
        #expect(throws: SessionError.self) { try initialize(project, claude: true, command: "infra-guardian\nrm -rf /") }
        #expect(throws: SessionError.self) { try initialize(project, claude: true, command: "  ") }
        #expect(!exists(project, Self.configName))
    }
}

/// Two JSON values are the same when they serialise to the same bytes with sorted keys.
private func sameJSON(_ left: Any?, _ right: Any?) -> Bool {
    guard let left, let right else { return left == nil && right == nil }
    let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed]
    guard let a = try? JSONSerialization.data(withJSONObject: left, options: options),
          let b = try? JSONSerialization.data(withJSONObject: right, options: options) else { return false }
    return a == b
}
