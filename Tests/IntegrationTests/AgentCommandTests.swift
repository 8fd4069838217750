import Foundation
import Testing
import InfraGuardianTestSupport

/// `infra-guardian agent` as Claude Code runs it: a hook payload on stdin, exit 0 always, nothing on
/// stdout when the prompt is not about persistence, the hook JSON when it is.
@Suite struct AgentCommandTests {
    static func payload(_ prompt: String, cwd: String) -> Data {
        let object: [String: Any] = ["session_id": "0f5c3a8e", "transcript_path": "/home/dev/.claude/projects/x/0f5c.jsonl",
                                     "cwd": cwd, "permission_mode": "default", "hook_event_name": "UserPromptSubmit",
                                     "prompt": prompt]
        return (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }

    static func project() throws -> TemporaryDirectory {
        let project = try TemporaryDirectory()
        try project.write("db/migrations/202401010910_create_leads.sql", """
            -- migrate:up
            CREATE TABLE IF NOT EXISTS leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);
            CREATE INDEX leads_email_idx ON leads (email);

            -- migrate:down
            DROP TABLE IF EXISTS leads;
            """)
        return project
    }

    @Test func notActivatedPrintsNothingAndExitsZero() throws {
        let project = try Self.project()
        let result = try CommandLineRunner.run(["agent", "--format", "claude-hook"], in: project.path,
                                               input: Self.payload("make the buttons blue on the pricing page", cwd: project.path))
        #expect(result.exitCode == 0)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.output)")
    }

    @Test func anActivatedHookAnswerIsTheHookJSON() throws {
        let project = try Self.project()
        let result = try CommandLineRunner.run(["agent", "--format", "claude-hook"], in: "/",
                                               input: Self.payload("lint db/migrations/202401010910_create_leads.sql", cwd: project.path))
        #expect(result.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: String]])
        let context = try #require(object["hookSpecificOutput"]?["additionalContext"])
        #expect(object["hookSpecificOutput"]?["hookEventName"] == "UserPromptSubmit")
        #expect(context.contains("[ANALYZE] project \(project.path)"))
        #expect(context.contains("require-idempotent-ddl"), "\(context)")
        // MEDIUM does not fail the default gate; the fix's SQL is in the answer, not only its first line.
        #expect(context.contains("Quality Gate (Infra): PASSED"))
        #expect(context.contains("CREATE INDEX IF NOT EXISTS leads_email_idx ON leads"), "\(context)")
        if let report = context.split(separator: "\n").first(where: { $0.hasPrefix("Full report: ") }) {
            let path = String(report.dropFirst("Full report: ".count))
            #expect(FileManager.default.fileExists(atPath: path))
            try? FileManager.default.removeItem(atPath: path)
        } else {
            Issue.record("no report file named: \(context)")
        }
        #expect(context.count <= 10_000)
    }

    /// Bad input on the hook path: never a crash, never a non-zero exit, and nothing for the model
    /// unless the words were about persistence.
    @Test(arguments: ["empty", "not json", "no prompt", "invalid utf-8", "10 MB line", "missing cwd"])
    func badInputExitsZero(_ kind: String) throws {
        let project = try Self.project()
        let input: Data
        switch kind {
        case "empty": input = Data()
        case "not json": input = Data("{\"prompt\": \"the database".utf8)
        case "no prompt": input = Data(#"{"cwd":"/tmp","hook_event_name":"UserPromptSubmit"}"#.utf8)
        case "invalid utf-8": input = Data([0x7B, 0xFF, 0xFE, 0x22, 0x7D])
        case "10 MB line": input = Data(repeating: UInt8(ascii: "a"), count: 10 << 20)
        default: input = Self.payload("is the database healthy?", cwd: "/nonexistent/project")
        }
        let result = try CommandLineRunner.run(["agent", "--format", "claude-hook"], in: project.path, input: input)
        #expect(result.exitCode == 0, "\(result.output)")
        if kind == "missing cwd" {
            #expect(result.stdout.contains("does not exist"), "\(result.stdout)")
            #expect(result.stdout.split(separator: "\n").count == 1)
        } else {
            #expect(result.stdout.isEmpty, "\(result.stdout.prefix(300))")
        }
    }

    @Test func jsonlAnswersOneLinePerRequest() throws {
        let project = try Self.project()
        var input = Data()
        input += Self.payload("lint the migrations", cwd: project.path) + Data("\n".utf8)
        input += Self.payload("what's for lunch", cwd: project.path) + Data("\n".utf8)
        let result = try CommandLineRunner.run(["agent", "--jsonl"], in: project.path, input: input)
        #expect(result.exitCode == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stdout)")
        let answers = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(answers.first?["activated"] as? Bool == true)
        #expect(answers.last?["activated"] as? Bool == false)
    }
}
