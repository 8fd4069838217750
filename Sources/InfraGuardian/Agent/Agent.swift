import Foundation

/// The keyword-triggered agent: one request in, one answer out. Not activated (no keyword):
/// nothing, decided before anything but the configuration's `agent:` section is read. Activated:
/// the intents run against the project in the request's `cwd` within `agent.budget_s`.
public enum Agent {
    /// Answers are cut to this many characters (Claude Code keeps up to 10,000 of a hook's output).
    public static let answerLimit = 9_500

    public static func answer(_ request: AgentRequest, directory fallback: String = FileManager.default.currentDirectoryPath,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> AgentAnswer {
        let directory = request.cwd.map { $0.isEmpty ? fallback : $0 } ?? fallback
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) && isFolder.boolValue
        var configuration = Configuration()
        var configurationProblem: String?
        if exists {
            do { configuration = try ConfigurationLoader.load(explicitPath: nil, directory: directory) } catch {
                configurationProblem = "\(error)"
            }
        }
        guard request.problem == nil || request.hookEvent == nil,
              let keyword = KeywordMatcher(configuration.agent.keywords).firstMatch(in: request.prompt) else {
            return .notActivated
        }
        var answer = AgentAnswer(activated: true, keyword: keyword)
        if let problem = request.problem { return failed(answer, "infra-guardian: \(problem)") }
        guard exists else { return failed(answer, "infra-guardian: the project folder \(directory) does not exist: nothing checked") }
        if let configurationProblem { return failed(answer, "infra-guardian: configuration error: \(configurationProblem)") }
        let budget = AgentBudget(seconds: configuration.agent.budgetSeconds)
        let session: Session
        do {
            session = try Session(SessionOptions(directory: directory, deadline: Deadline(seconds: max(1, budget.remaining - 1)),
                                                 environment: environment))
        } catch {
            return failed(answer, "infra-guardian: \(error)")
        }
        let ruleIDs = Set(session.rules.map(\.ruleDescription.id))
        let intents = AgentIntent.detect(request.prompt, ruleIDs: ruleIDs)
        var steps = AgentSteps(session: session, directory: directory, budget: budget)
        steps.analyze(keyword: keyword)
        for intent in intents { steps.run(intent, all: intents) }
        answer.intents = intents.map(\.name)
        answer.gatePassed = steps.gatePassed
        answer.writtenFiles = steps.written
        answer.reportFile = steps.writeReport()
        answer.text = steps.text(reportFile: answer.reportFile)
        return answer
    }

    private static func failed(_ answer: AgentAnswer, _ line: String) -> AgentAnswer {
        var answer = answer
        answer.text = line
        return answer
    }
}

/// The time left of `agent.budget_s`.
struct AgentBudget {
    let end: ContinuousClock.Instant
    init(seconds: Double) { end = .now + .milliseconds(Int(seconds * 1000)) }
    var remaining: Double {
        let left = end - .now
        return Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
    }
}

extension AgentIntent {
    public var name: String {
        switch self {
        case .audit: return "audit"
        case .health: return "health"
        case .migrationStatus: return "migration-status"
        case .lint: return "lint"
        case .newMigration: return "new-migration"
        case .verify: return "verify"
        case .indexAdvice: return "index-advice"
        case .adapters: return "adapters"
        case .redis: return "redis"
        case .explainRule: return "explain-rule"
        }
    }
}
