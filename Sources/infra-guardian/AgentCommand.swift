import ArgumentParser
import Foundation
import InfraGuardian

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Answer one request from stdin (plain text or a Claude Code hook payload) when it is about persistence.",
        discussion: """
        Activated by the keywords of agent.keywords (default: the seed's: infrastructure, database, PostgreSQL, \
        migration, adapter, repository, Redis, cache, vector store, pgvector, connection pool, persistence, …; \
        case-insensitive, whole words, plurals). Not activated: prints nothing. Activated: runs what the request \
        asks (lint the changed migrations, new migration, verify, health, audit, adapters, index advice, Redis, \
        explain a rule) against the project in the payload's cwd within agent.budget_s, and answers in steps \
        ([ANALYZE] [DESIGN] [INDEX] [ROLLBACK] [VALIDATE]) with the gate and the top findings; the full report is \
        written to a file it names. Always exits 0: a hook must never block the user's prompt.
        """)

    @Option(name: .long, help: "text, json or claude-hook (the UserPromptSubmit hook's JSON).")
    var format: AgentFormat = .text

    @Flag(name: .long, help: "Answer one JSON request per line ({\"prompt\":…,\"cwd\":…}), one JSON answer per line.")
    var jsonl = false

    func run() throws {
        if jsonl {
            while let line = readLine(strippingNewline: true) {
                let answer = Agent.answer(AgentRequest.parse(Data(line.utf8)))
                print(answer.json)
                FileHandle.standardOutput.synchronizeFile()
            }
            return
        }
        let input = FileHandle.standardInput.readData(ofLength: AgentRequest.byteLimit + 1)
        let answer = Agent.answer(AgentRequest.parse(input))
        guard answer.activated else { return }
        switch format {
        case .text: print(answer.text)
        case .json: print(answer.json)
        case .claudeHook: print(answer.claudeHookJSON)
        }
    }
}

enum AgentFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
    case claudeHook = "claude-hook"
}
