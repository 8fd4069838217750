import Foundation

/// What the agent says: nothing when not activated; else the steps, the gate and where the full
/// report is. Facts only: assistants treat instructions in hook output as possible injection.
public struct AgentAnswer: Codable, Sendable, Equatable {
    public var activated: Bool
    /// The keyword that activated it.
    public var keyword: String?
    /// The intents it ran, by name.
    public var intents: [String] = []
    /// The answer in the seed's step style ([ANALYZE] [DESIGN] [INDEX] [ROLLBACK] [VALIDATE]).
    public var text: String = ""
    /// The combined verdict of what ran (nil when nothing gated).
    public var gatePassed: Bool?
    /// The full report (Markdown), when one was written.
    public var reportFile: String?
    /// Migration files it wrote.
    public var writtenFiles: [String] = []

    public static let notActivated = AgentAnswer(activated: false)

    /// What a `UserPromptSubmit` hook prints: Claude Code adds `additionalContext` to the prompt.
    public var claudeHookJSON: String {
        guard activated else { return "" }
        let payload: [String: Any] = ["hookSpecificOutput": ["hookEventName": "UserPromptSubmit", "additionalContext": text]]
        let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
