import Foundation
import Testing
@testable import InfraGuardian
import InfraGuardianTestSupport

/// The agent's hook path: activation by keywords, payload shapes, intents, and answers.
@Suite struct AgentTests {
    let matcher = KeywordMatcher(AgentSettings.defaultKeywords)

    @Test(arguments: [("our databases are slow", "database"), ("Postgres 16 upgrade", "postgres"),
                      ("add a re-cache step", "cache"), ("check the connection pools", "connection pool"),
                      ("the REPOSITORIES layer", "repository"), ("MIGRATIONS folder", "migration")])
    func keywordsMatchOnWordsWithPlurals(_ text: String, _ keyword: String) {
        #expect(matcher.firstMatch(in: text) == keyword)
    }

    @Test(arguments: ["a cachet of letters", "redistribute the weather", "databased", "migrate my birds", ""])
    func notKeywords(_ text: String) {
        #expect(matcher.firstMatch(in: text) == nil)
    }

    @Test func hookPayloadsPlainTextAndBadInput() {
        let hook = AgentRequest.parse(Data(#"{"session_id":"s","transcript_path":"/t","cwd":"/p","permission_mode":"default","hook_event_name":"UserPromptSubmit","prompt":"lint the migrations"}"#.utf8))
        #expect(hook == AgentRequest(prompt: "lint the migrations", cwd: "/p", hookEvent: "UserPromptSubmit"))
        #expect(AgentRequest.parse(Data("  is Redis healthy?\n".utf8)).prompt == "is Redis healthy?")
        #expect(AgentRequest.parse(Data("{not json".utf8)).problem == "the payload is not valid JSON")
        #expect(AgentRequest.parse(Data(#"{"cwd":"/p"}"#.utf8)).problem == "the payload has no \"prompt\" string")
        #expect(AgentRequest.parse(Data([0xff, 0xfe, 0x41])).problem == "the request is not UTF-8 text")
        // Nothing activates on bad input: the hook prints nothing and the prompt goes on.
        for bad in ["", "{not json", #"{"cwd":"/p"}"#] {
            #expect(!Agent.answer(AgentRequest.parse(Data(bad.utf8))).activated)
        }
    }

    @Test func intentsFromTheWords() {
        let rules: Set<String> = ["require-concurrent-index"]
        #expect(AgentIntent.detect("create a migration for lead scoring history", ruleIDs: rules)
            == [.newMigration(phrase: "lead scoring history"), .verify])
        #expect(AgentIntent.detect("lint db/migrations/202401010910_create_leads.sql please", ruleIDs: rules)
            == [.lint(files: ["db/migrations/202401010910_create_leads.sql"])])
        #expect(AgentIntent.detect("are any migrations pending?", ruleIDs: rules) == [.migrationStatus])
        #expect(AgentIntent.detect("why does require-concurrent-index fire on my migration", ruleIDs: rules)
            == [.explainRule("require-concurrent-index")])
        #expect(AgentIntent.detect("is redis healthy", ruleIDs: rules) == [.health, .redis])
        #expect(AgentIntent.detect("tell me about the database", ruleIDs: rules) == [.lint(files: []), .health])
    }

    @Test func anActivatedLintAnswerHasStepsTheGateAndTheReport() throws {
        let project = try TemporaryDirectory()
        try project.write("db/migrations/202401010910_create_leads.sql", """
            -- migrate:up
            CREATE TABLE IF NOT EXISTS leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);
            CREATE INDEX leads_email_idx ON leads (email);

            -- migrate:down
            DROP TABLE IF EXISTS leads;
            """)
        let answer = Agent.answer(AgentRequest(prompt: "please lint db/migrations/202401010910_create_leads.sql and ../../etc/passwd.sql",
                                               cwd: project.path), environment: [:])
        #expect(answer.activated && answer.keyword == "migration")
        #expect(answer.text.contains("[ANALYZE] project \(project.path)"))
        #expect(answer.text.contains("../../etc/passwd.sql is outside the project: not read"))
        #expect(answer.text.contains("[VALIDATE] lint of 1 file:"), "\(answer.text)")
        #expect(answer.text.contains("require-idempotent-ddl"))
        let report = try #require(answer.reportFile)
        defer { try? FileManager.default.removeItem(atPath: report) }
        #expect(FileManager.default.fileExists(atPath: report) && !report.hasPrefix(project.path))
        #expect(answer.text.count <= Agent.answerLimit + 60)
        let hook = try #require(try JSONSerialization.jsonObject(with: Data(answer.claudeHookJSON.utf8)) as? [String: [String: String]])
        #expect(hook["hookSpecificOutput"]?["hookEventName"] == "UserPromptSubmit")
        #expect(hook["hookSpecificOutput"]?["additionalContext"] == answer.text)
    }

    @Test func aMissingProjectFolderAndConfiguredKeywords() throws {
        let missing = Agent.answer(AgentRequest(prompt: "check the database", cwd: "/nonexistent/project"), environment: [:])
        #expect(missing.activated && missing.text.contains("does not exist"))
        let project = try TemporaryDirectory()
        try project.write(".infra-guardian.yml", "agent:\n  keywords: [ledger]\n")
        #expect(!Agent.answer(AgentRequest(prompt: "check the database", cwd: project.path), environment: [:]).activated)
        #expect(Agent.answer(AgentRequest(prompt: "the Ledgers look off", cwd: project.path), environment: [:]).keyword == "ledger")
    }
}
