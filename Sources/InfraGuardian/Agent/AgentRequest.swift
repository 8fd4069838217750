import Foundation

/// One request to the agent: plain text, or a Claude Code hook payload (a JSON object with
/// `prompt`, `cwd`, `session_id`, `hook_event_name`, …), told apart by its first character.
public struct AgentRequest: Sendable, Equatable {
    public var prompt: String
    /// The project folder (the payload's `cwd`), nil: the agent's own working directory.
    public var cwd: String?
    /// Set when the input was a hook payload (its `hook_event_name`, or `UserPromptSubmit`).
    public var hookEvent: String?
    /// Why the input could not be read as a request (not JSON, no `prompt`, not UTF-8).
    public var problem: String?

    public init(prompt: String, cwd: String? = nil, hookEvent: String? = nil, problem: String? = nil) {
        self.prompt = prompt
        self.cwd = cwd
        self.hookEvent = hookEvent
        self.problem = problem
    }

    /// The most of one request the agent reads; beyond it the rest is ignored (a prompt is words).
    public static let byteLimit = 1 << 20

    /// Reads `data`: a JSON object when it starts with `{` (after blanks), else plain text.
    public static func parse(_ data: Data) -> AgentRequest {
        let bytes = data.prefix(byteLimit)
        guard let text = String(data: bytes, encoding: .utf8) ?? (bytes.count == byteLimit ? String(decoding: bytes, as: UTF8.self) : nil) else {
            return AgentRequest(prompt: "", problem: "the request is not UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{") else { return AgentRequest(prompt: trimmed) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
            return AgentRequest(prompt: "", problem: data.count > byteLimit ? "the payload is larger than 1 MB" : "the payload is not valid JSON")
        }
        let cwd = object["cwd"] as? String
        let event = object["hook_event_name"] as? String ?? (object["session_id"] != nil ? "UserPromptSubmit" : nil)
        guard let prompt = object["prompt"] as? String else {
            return AgentRequest(prompt: "", cwd: cwd, hookEvent: event, problem: "the payload has no \"prompt\" string")
        }
        return AgentRequest(prompt: prompt, cwd: cwd, hookEvent: event)
    }
}
